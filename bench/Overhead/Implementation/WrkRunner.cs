using System.Globalization;
using System.Text.RegularExpressions;
using TestSupport;

namespace Overhead.Implementation;

/// <summary>Closed-loop saturation load with wrk (Debian package) and the bench Lua script.</summary>
internal static partial class WrkRunner
{
    /// <summary>Errors are socket errors and timeouts; Non2xx counts answers outside 200-399.</summary>
    public sealed record Output(long Requests, double Seconds, long Errors, long Non2xx, double P50Us, double P99Us);

    public static async Task<Output> RunAsync(
        string url, int connections, int threads, TimeSpan duration, string luaScript, string? token)
    {
        var env = new Dictionary<string, string> { ["BENCH_TOKEN"] = token ?? "" };
        var args = new[]
        {
            "-t", threads.ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{(int)duration.TotalSeconds}s",
            "--timeout", "10s",
            "-s", luaScript,
            url,
        };
        var result = await ProcessRunner.RunAsync("wrk", args, duration + TimeSpan.FromSeconds(60), env: env);
        var match = SummaryLine().Match(result.StdOut);
        if (result.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException("wrk failed or printed no summary:\n" + result.Output);
        }

        long Get(string name) => long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        return new Output(Get("requests"), Get("duration") / 1e6, Get("errors") - Get("non2xx"), Get("non2xx"), Get("p50"), Get("p99"));
    }

    [GeneratedRegex(@"BENCH requests=(?<requests>\d+) duration_us=(?<duration>\d+) errors=(?<errors>\d+) non2xx=(?<non2xx>\d+) p50_us=(?<p50>\d+) p90_us=\d+ p99_us=(?<p99>\d+)")]
    private static partial Regex SummaryLine();
}
