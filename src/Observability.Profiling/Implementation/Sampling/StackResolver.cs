using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// Turns a sample's call stack into frame names, root first. Names are cached per code address
/// (bounded) so repeated frames cost a dictionary lookup and share one string.
/// </summary>
internal sealed class StackResolver
{
    private const int MaxCachedAddresses = 200_000;
    private const int MaxWalk = 1024;
    private readonly Dictionary<int, string> _names = new();
    private readonly List<string> _leafFirst = new(128);

    public StackResolver(TraceLog log) => Log = log;

    public TraceLog Log { get; }

    public string[] Resolve(TraceEvent e, int maxDepth)
    {
        _leafFirst.Clear();
        var stack = e.CallStack();
        for (var walked = 0; stack is not null && walked < MaxWalk; walked++, stack = stack.Caller)
        {
            _leafFirst.Add(Name(stack.CodeAddress));
        }
        // Drop GC-poll helpers at the leaf: the thread was running its caller.
        var leaf = 0;
        while (leaf < _leafFirst.Count - 1 && FrameNames.IsGcPoll(_leafFirst[leaf])) leaf++;

        var count = Math.Min(_leafFirst.Count - leaf, Math.Max(1, maxDepth));
        var frames = new string[Math.Max(0, count)];
        // Root first; when the stack is deeper than maxDepth the leaf side is cut.
        for (var i = 0; i < count; i++) frames[i] = _leafFirst[_leafFirst.Count - 1 - i];
        return frames;
    }

    private string Name(TraceCodeAddress address)
    {
        var index = (int)address.CodeAddressIndex;
        if (_names.TryGetValue(index, out var name)) return name;
        var full = address.FullMethodName;
        name = FrameNames.Clean(full);
        // An address can resolve later (its method-load event may still be in flight): cache only resolved names.
        if (!string.IsNullOrEmpty(full))
        {
            if (_names.Count >= MaxCachedAddresses) _names.Clear();
            _names[index] = name;
        }
        return name;
    }
}
