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
        // Drop GC-poll helpers and unresolved stubs at the leaf (P/Invoke and helper stubs without a
        // name): the time belongs to the managed method that called them, e.g. an RSA check in OpenSSL
        // lands on the method that asked for it.
        var leaf = 0;
        while (leaf < _leafFirst.Count - 1 && (FrameNames.IsGcPoll(_leafFirst[leaf]) || _leafFirst[leaf] == FrameNames.Unknown)) leaf++;

        // Root first; consecutive unresolved frames collapse into one; beyond maxDepth the leaf side is cut.
        var frames = new List<string>(Math.Min(_leafFirst.Count, maxDepth));
        for (var i = _leafFirst.Count - 1; i >= leaf && frames.Count < Math.Max(1, maxDepth); i--)
        {
            var frame = _leafFirst[i];
            if (frame == FrameNames.Unknown && frames.Count > 0 && frames[^1] == FrameNames.Unknown) continue;
            frames.Add(frame);
        }
        return frames.ToArray();
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
