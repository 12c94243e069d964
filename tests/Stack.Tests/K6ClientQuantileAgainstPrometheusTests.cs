using System.Globalization;
using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>
/// The Load test dashboard's client p95 runs on a real Prometheus over k6's native histograms, sent through the
/// remote-write receiver as k6 sends them, for a test id with '.' and '/'.
/// </summary>
public sealed class K6ClientQuantileAgainstPrometheusTests
{
    private static readonly string TestId = "v1.2/run-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task Client_P95_is_per_run_and_scenario_and_matches_only_the_selected_id()
    {
        // Debian's Prometheus 2.x needs the flag to store native histograms; v3.14.0 (the stack's) always does.
        await using var prometheus = await PrometheusServer.StartAsync("global:\n  scrape_interval: 15s\n", "--enable-feature=native-histograms");
        var end = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // v1: half the requests in (0.25 s, 0.5 s], half in (1 s, 2 s]; v2: all in (0.25 s, 0.5 s].
        await SendAsync(prometheus, TestId, "v1", end, n => new Dictionary<int, ulong> { [-1] = n, [1] = n });
        await SendAsync(prometheus, TestId, "v2", end, n => new Dictionary<int, ulong> { [-1] = 2 * n });
        // A run whose id differs only where the selected id has a '.': an unescaped regex would match it.
        var lookalike = TestId.Replace('.', 'x');
        await SendAsync(prometheus, lookalike, "v1", end, n => new Dictionary<int, ulong> { [3] = 2 * n });

        var panel = GrafanaDashboards.Queries("load-test.json", GrafanaDashboards.Load("load-test.json"))
            .Single(q => q.Where == "panel 'p95: k6 client vs server' A");
        var expr = GrafanaVariables.Substitute(panel.Text, [TestId], "articles-api", "prometheus");
        using var doc = await prometheus.QueryAsync(expr, end);
        var series = doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .ToDictionary(
                s => (s.GetProperty("metric").GetProperty("testid").GetString(), s.GetProperty("metric").GetProperty("scenario").GetString()),
                s => double.Parse(s.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));

        Assert.Equal([(TestId, "v1"), (TestId, "v2")], series.Keys.Order().ToList());
        Assert.InRange(series[(TestId, "v1")], 1.0, 2.0);
        Assert.InRange(series[(TestId, "v2")], 0.25, 0.5);

        // "All" of two listed runs: both, each on its own line.
        var both = GrafanaVariables.Substitute(panel.Text, [TestId, lookalike], "articles-api", "prometheus");
        using var all = await prometheus.QueryAsync(both, end);
        Assert.Equal(3, all.RootElement.GetProperty("data").GetProperty("result").GetArrayLength());
    }

    private static Task SendAsync(PrometheusServer prometheus, string testId, string scenario, DateTimeOffset end, Func<ulong, Dictionary<int, ulong>> buckets)
    {
        var labels = new Dictionary<string, string>
        {
            ["__name__"] = "k6_http_req_duration_seconds",
            ["testid"] = testId,
            ["scenario"] = scenario,
            ["name"] = $"GET /{scenario}/articles",
            ["method"] = "GET",
            ["status"] = "200",
            ["expected_response"] = "true",
        };
        // Cumulative, as k6 sends them: three pushes 5 s apart, 10 more requests per bucket each time.
        var points = new[] { 10UL, 20UL, 30UL }.Select((n, i) =>
        {
            var counts = buckets(n);
            return new RemoteWrite.NativeHistogram(end.AddSeconds(5 * (i - 2)), counts, counts.Sum(c => c.Value * Math.Pow(2, c.Key - 0.5)));
        });
        return RemoteWrite.SendAsync(prometheus.Http, labels, points);
    }
}
