using Observability.Profiling.Implementation.Perf.Symbols;
using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// Names a walked stack in the kit's frame text: managed methods as <c>Namespace.Type.Method</c> (JIT'd and
/// ReadyToRun code, from the runtime's jitdump), native code as <c>module!symbol</c> or the module alone. Frames
/// outside the outermost managed frame (libc's thread start, the runtime's thread entry) are left out, as EventPipe
/// stacks start there too; a stack without managed frames (the GC's, the JIT's threads) gets its thread's name as root.
/// Return addresses are looked up one byte back, inside the call that pushed them.
/// </summary>
internal sealed class PerfFrameNamer
{
    private const int MaxCachedNames = 200_000;

    private readonly CodeRangeTable _managed;
    private readonly NativeSymbols _native;
    private readonly Dictionary<ulong, (string Name, bool Managed)> _cache = new();
    private readonly List<(string Name, bool Managed)> _scratch = new();
    private long _lastMapsRefresh;

    public PerfFrameNamer(CodeRangeTable managed, NativeSymbols native)
    {
        _managed = managed;
        _native = native;
    }

    /// <summary>Frames named <see cref="FrameNames.Unknown"/> since the start (no table knew the address).</summary>
    public long Unknown { get; private set; }

    /// <summary>Frames named so far.</summary>
    public long Named { get; private set; }

    /// <summary>Root-first frames for <paramref name="leafFirst"/>; <paramref name="threadName"/> roots a stack with no managed frame.</summary>
    public string[] Name(List<ulong> leafFirst, string threadName)
    {
        var names = _scratch;
        names.Clear();
        var outermostManaged = -1;
        for (var i = 0; i < leafFirst.Count; i++)
        {
            var frame = Lookup(i == 0 ? leafFirst[i] : leafFirst[i] - 1);
            // Consecutive frames of one unnamed native module (or unknown code) say nothing more than one.
            if (!frame.Managed && names.Count > 0 && names[^1].Name == frame.Name) continue;
            names.Add(frame);
            if (frame.Managed) outermostManaged = names.Count - 1;
        }
        var count = outermostManaged >= 0 ? outermostManaged + 1 : names.Count;
        var root = outermostManaged >= 0 ? 0 : 1;
        var frames = new string[count + root];
        if (root == 1) frames[0] = FrameNames.Thread(threadName);
        for (var i = 0; i < count; i++) frames[root + i] = names[count - 1 - i].Name;
        return frames;
    }

    private (string Name, bool Managed) Lookup(ulong address)
    {
        Named++;
        if (_cache.TryGetValue(address, out var known)) return known;
        (string, bool) found;
        if (_managed.Find(address) is { } managed)
        {
            found = (managed, true);
        }
        else if (_native.Name(address) is { } native)
        {
            found = (native, false);
        }
        else
        {
            Unknown++;
            RefreshMapsNowAndThen();
            // Not cached: the runtime may name this code in the next read of its jitdump.
            return (FrameNames.Unknown, false);
        }
        if (_cache.Count >= MaxCachedNames) _cache.Clear();
        _cache[address] = found;
        return found;
    }

    /// <summary>Code outside every known mapping comes from a library loaded since the last read of the maps: read them again, at most once a second.</summary>
    private void RefreshMapsNowAndThen()
    {
        var now = Environment.TickCount64;
        if (now - _lastMapsRefresh < 1000) return;
        _lastMapsRefresh = now;
        _native.Refresh();
    }

    /// <summary>Forgets cached names (after a JIT table change could have reused an address).</summary>
    public void Forget() => _cache.Clear();
}
