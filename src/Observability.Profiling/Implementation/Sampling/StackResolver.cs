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

    /// <summary>Frames named by this session's TraceLog (rundown or JIT events seen by it).</summary>
    public long Resolved { get; private set; }

    /// <summary>Frames named from an earlier session (same code address), because this one ran without rundown.</summary>
    public long FromEarlierSessions { get; private set; }

    /// <summary>Frames left without a name.</summary>
    public long Unresolved { get; private set; }

    /// <summary>Share of frames without a name; the scheduler asks for a rundown next time when it is high.</summary>
    public double UnresolvedShare
    {
        get
        {
            var total = Resolved + FromEarlierSessions + Unresolved;
            return total == 0 ? 0 : (double)Unresolved / total;
        }
    }

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
        if (_names.TryGetValue(index, out var name))
        {
            Resolved++;
            return name;
        }
        var full = address.FullMethodName;
        // An address can resolve later (its method-load event may still be in flight): cache only resolved names.
        if (!string.IsNullOrEmpty(full))
        {
            name = FrameNames.Clean(full);
            if (_names.Count >= MaxCachedAddresses) _names.Clear();
            _names[index] = name;
            AddressNames.Remember(address.Address, name);
            Resolved++;
            return name;
        }
        // Code jitted before a session without rundown: an earlier session may have named the same address.
        if (AddressNames.TryGet(address.Address, out var earlier))
        {
            FromEarlierSessions++;
            return earlier;
        }
        Unresolved++;
        return FrameNames.Clean(full);
    }
}

/// <summary>
/// Method names by code address, kept across sessions (bounded), so that a burst opened without TraceEvent's rundown
/// (which cost ~0.2 s of CPU per session in our measurements) still names code jitted before it.
/// </summary>
internal static class AddressNames
{
    private const int Capacity = 200_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, string> Names = new();
    private static int _count;

    // Counted apart: ConcurrentDictionary.Count takes every lock of the table (and the first time, creates an
    // EventSource, which waits for the runtime's EventPipe lock: see ReaderWarmUp).
    public static int Count => Volatile.Read(ref _count);

    public static void Remember(ulong address, string name)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            Names.Clear();
            Volatile.Write(ref _count, 0);
        }
        if (Names.TryAdd(address, name)) Interlocked.Increment(ref _count);
        else Names[address] = name;
    }

    public static bool TryGet(ulong address, out string name) => Names.TryGetValue(address, out name!);
}
