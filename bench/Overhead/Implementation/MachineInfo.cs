using System.Runtime.InteropServices;
using TestSupport;

namespace Overhead.Implementation;

/// <summary>The header of a results section: when, on what machine, at which commit, with which command.</summary>
internal static class MachineInfo
{
    public static async Task<string> DescribeAsync(BenchOptions options, string[] args)
    {
        var commit = (await ProcessRunner.RunAsync("git", ["rev-parse", "--short", "HEAD"], TimeSpan.FromSeconds(20), RepoPaths.Root)).StdOut.Trim();
        var dirty = (await ProcessRunner.RunAsync("git", ["status", "--porcelain", "--", "src", "bench"], TimeSpan.FromSeconds(20), RepoPaths.Root)).StdOut.Length > 0;
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        var mode = options.SoakMinutes > 0 ? $"soak, {options.SoakMinutes} min" : "side by side";
        return $"""
            ### Overhead run ({mode}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC

            - commit `{commit}`{(dirty ? " (with uncommitted changes under src/ or bench/)" : "")}
            - machine: {Environment.ProcessorCount} × {cpu}, {memory} RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average at start {string.Join(' ', load)}
            - command: `bench/overhead.sh {string.Join(' ', args.Where((a, i) => i == 0 || args[i - 1] != "--api-dll").Where(a => a != "--api-dll"))}`
            - load: wrk -t{options.WrkThreads} -c{options.Connections}, {options.Warmup} s warm-up + {options.Duration} s measured, {options.Reps} interleaved repetitions per variant; the idle variant is paused (SIGSTOP) while the other runs
            - plain: `Observability__Enabled=false`; full: traces over OTLP http/protobuf to a local sink, `/metrics` scraped every 5 s, profiles pushed to the sink; both with `DOTNET_EventPipeThreadSamplingRate=a` (as docker-compose.yml)

            """;
    }
}
