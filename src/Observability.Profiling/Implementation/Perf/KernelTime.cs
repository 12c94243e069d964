using System.Buffers.Text;
using Microsoft.Win32.SafeHandles;
using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// Time threads spend in the kernel (system calls: socket sends and receives, epoll, page faults), which perf events
/// cannot sample where <c>kernel.perf_event_paranoid</c> is 2: a sample taken in kernel mode is dropped. So that a CPU
/// profile still adds up to the process's CPU time, each thread's system time is read from
/// <c>/proc/self/task/TID/stat</c> now and then and shown as a <c>[kernel]</c> frame under the thread's name.
/// </summary>
internal sealed class KernelTime
{
    public const string Frame = "[kernel]";
    private readonly Dictionary<int, long> _last = new();
    private readonly long _nanosPerTick = 1_000_000_000L / 100;

    /// <summary>System time each live thread used since the last call (the first call only sets the baseline).</summary>
    public void Collect(IEnumerable<int> threads, Action<int, long> used)
    {
        foreach (var tid in threads)
        {
            if (Read(tid) is not { } ticks) continue;
            if (_last.TryGetValue(tid, out var before) && ticks > before) used(tid, (ticks - before) * _nanosPerTick);
            _last[tid] = ticks;
        }
        if (_last.Count > 4096) _last.Clear(); // ended threads' entries: bounded
    }

    public void Forget(int tid) => _last.Remove(tid);

    /// <summary>Field 15 of a thread's stat (stime, in clock ticks of 1/100 s), or null when the thread ended.</summary>
    internal static long? Read(int tid)
    {
        Span<byte> buffer = stackalloc byte[512];
        int read;
        try
        {
            using SafeFileHandle handle = File.OpenHandle($"{ThreadCpuClock.TaskFolder}/{tid}/stat");
            read = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(buffer[..read]);
    }

    /// <summary>stime from a stat line; the command name (field 2) may hold spaces and parentheses, so fields are counted after the last ')'.</summary>
    internal static long? Parse(ReadOnlySpan<byte> line)
    {
        var close = line.LastIndexOf((byte)')');
        if (close < 0) return null;
        var rest = line[(close + 1)..];
        // After ')': " state ppid ..." — stime is the 13th field from there (fields 3..15).
        for (var field = 0; field < 13; field++)
        {
            rest = rest.TrimStart((byte)' ');
            var space = rest.IndexOf((byte)' ');
            if (space < 0) return null;
            if (field < 12) rest = rest[space..];
            else rest = rest[..space];
        }
        return Utf8Parser.TryParse(rest, out long ticks, out _) && ticks >= 0 ? ticks : null;
    }
}
