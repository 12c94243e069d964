using System.Text.RegularExpressions;

namespace Overhead.Implementation;

/// <summary>
/// Proof that the full variant really did its work during the run: what the sink received, how many scrapes
/// succeeded, and the kit's own counters of exported and dropped telemetry.
/// </summary>
internal sealed partial class KitActivity(BenchEnvironment environment)
{
    public async Task WriteAsync(Report report)
    {
        report.Line("#### What the full variant exported during the run");
        report.Line();
        foreach (var (path, (requests, bytes)) in environment.Sink.Snapshot().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            report.Line($"- sink `POST {path}`: {requests} requests, {bytes / 1024.0 / 1024.0:F1} MiB");
        }

        report.Line($"- `/metrics` scrapes every 5 s: {environment.Scraper.Scrapes} ok, {environment.Scraper.Failures} failed");
        try
        {
            var exposition = await environment.Scraper.FetchAsync();
            foreach (Match match in KitCounter().Matches(exposition))
            {
                report.Line($"- `{match.Groups["series"].Value}` = {match.Groups["value"].Value}");
            }
        }
        catch (HttpRequestException e)
        {
            report.Line($"- final scrape failed: {e.Message}");
        }

        report.Line();
    }

    [GeneratedRegex(@"^(?<series>observability_[a-z_]+(?:_total)?(?:\{[^}]*\})?) (?<value>[0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex KitCounter();
}
