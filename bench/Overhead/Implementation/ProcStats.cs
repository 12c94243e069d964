using System.Globalization;

namespace Overhead.Implementation;

/// <summary>CPU time and memory of a process, read from /proc (Linux only, no extra tools).</summary>
internal static class ProcStats
{
    // USER_HZ is 100 on every Linux we run on; /proc/<pid>/stat reports utime and stime in these ticks.
    private const double TicksPerSecond = 100.0;

    /// <summary>User + system CPU seconds the process has used so far.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>Resident set size in MiB (VmRSS).</summary>
    public static double RssMiB(int pid) => StatusKiB(pid, "VmRSS:") / 1024.0;

    /// <summary>Peak resident set size in MiB (VmHWM).</summary>
    public static double PeakRssMiB(int pid) => StatusKiB(pid, "VmHWM:") / 1024.0;

    /// <summary>Number of threads of the process.</summary>
    public static int Threads(int pid) => (int)StatusKiB(pid, "Threads:");

    private static long StatusKiB(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var value = line[key.Length..].Trim().Split(' ')[0];
                return long.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{key} not found in /proc/{pid}/status");
    }
}
