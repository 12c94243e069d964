using System.Buffers.Text;
using Microsoft.Win32.SafeHandles;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// CPU time of each thread of this process, in nanoseconds, from <c>/proc/self/task/*/schedstat</c> (its first field:
/// time on a CPU). The runtime's sampler also counts threads that are runnable but not running, so a sample says
/// where a thread was, not that it used a CPU; this clock says how much it did. Null where the kernel gives none
/// (other systems, or a kernel without scheduler statistics).
/// </summary>
internal static class ThreadCpuClock
{
    /// <summary>This process's threads, one folder each (Linux).</summary>
    internal const string TaskFolder = "/proc/self/task";

    /// <summary>Whether per-thread CPU time can be read here.</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && ReadOne(Spans.OsThread.CurrentId) is not null;

    /// <summary>Every live thread's CPU time; null when unavailable.</summary>
    public static Dictionary<int, long>? ReadAll()
    {
        if (!Available) return null;
        var result = new Dictionary<int, long>();
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(TaskFolder))
            {
                if (!int.TryParse(Path.GetFileName(folder.AsSpan()), out var tid)) continue;
                // A thread can end between the listing and the read: it is simply absent.
                if (ReadOne(tid) is { } nanos) result[tid] = nanos;
            }
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        return result;
    }

    /// <summary>One thread's CPU time, or null when it ended or cannot be read.</summary>
    public static long? ReadOne(int tid)
    {
        if (tid <= 0) return null;
        Span<byte> buffer = stackalloc byte[96];
        int read;
        try
        {
            using SafeFileHandle handle = File.OpenHandle($"{TaskFolder}/{tid}/schedstat");
            read = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var text = buffer[..read];
        var space = text.IndexOf((byte)' ');
        if (space > 0) text = text[..space];
        return Utf8Parser.TryParse(text, out long nanos, out _) && nanos >= 0 ? nanos : null;
    }
}
