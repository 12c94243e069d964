using System.Globalization;
using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>
/// The Load test dashboard's "k6 failed requests" and "k6 checks passed" on a real Prometheus, over series shaped as
/// k6 2.2.0's remote-write output writes them (internal/output/prometheusrw/remotewrite/remotewrite.go): a counter
/// becomes <c>k6_&lt;name&gt;_total</c> and a rate <c>k6_&lt;name&gt;_rate</c>, one series per tag set, each
/// cumulative over the whole run. <c>http_req_failed</c> carries the request's tags, <c>status</c> and
/// <c>expected_response</c> among them (lib/netext/httpext/transport.go), so every one of its series is 0 or 1.
/// </summary>
public sealed class K6FailedRequestsAgainstPrometheusTests
{
    private static readonly string TestId = "v1.2/run-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task One_failure_in_ten_thousand_requests_reads_as_one_in_ten_thousand()
    {
        await using var prometheus = await PrometheusServer.StartAsync("global:\n  scrape_interval: 15s\n");
        var end = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // (name, status, expected_response, requests): 10,000 requests, one of them a 500.
        (string Name, string Status, string Expected, double Requests)[] requests =
        [
            ("POST /auth/token", "200", "true", 5),
            ("GET /v1/articles", "200", "true", 5000),
            ("GET /v2/articles", "200", "true", 4994),
            ("GET /v2/articles", "500", "false", 1),
        ];
        foreach (var (name, status, expected, count) in requests)
        {
            var tags = Tags(TestId, ("name", name), ("method", name.Split(' ')[0]), ("status", status), ("expected_response", expected));
            await SendAsync(prometheus, "k6_http_reqs_total", tags, end, count);
            await SendAsync(prometheus, "k6_http_req_failed_rate", tags, end, expected == "false" ? 1 : 0);
        }

        // Another run, not selected: its failures must not count.
        await SendAsync(prometheus, "k6_http_reqs_total", Tags(TestId.Replace('.', 'x'), ("name", "GET /v1/articles"), ("status", "500"), ("expected_response", "false")), end, 50);

        var value = await PanelValuesAsync(prometheus, "k6 failed requests", end, legend: null);
        Assert.Equal(1.0 / 10_000, Assert.Single(value).Value, 9);

        // No failure at all reads 0, not "No data".
        var clean = "clean-" + Guid.NewGuid().ToString("N")[..6];
        await SendAsync(prometheus, "k6_http_reqs_total", Tags(clean, ("name", "GET /v1/articles"), ("status", "200"), ("expected_response", "true")), end, 100);
        var zero = await PanelValuesAsync(prometheus, "k6 failed requests", end, legend: null, clean);
        Assert.Equal(0.0, Assert.Single(zero).Value);
    }

    [Fact]
    public async Task Checks_passed_shows_each_check_and_its_worst_run()
    {
        await using var prometheus = await PrometheusServer.StartAsync("global:\n  scrape_interval: 15s\n");
        var end = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // k6 writes checks as one rate per check (and scenario): no count to weigh them by.
        await SendAsync(prometheus, "k6_checks_rate", Tags(TestId, ("check", "token issued"), ("scenario", "v1")), end, 1.0);
        await SendAsync(prometheus, "k6_checks_rate", Tags(TestId, ("check", "v1 list is 200"), ("scenario", "v1")), end, 0.9999);
        await SendAsync(prometheus, "k6_checks_rate", Tags(TestId, ("check", "v2 list is 200"), ("scenario", "v2")), end, 1.0);
        await SendAsync(prometheus, "k6_checks_rate", Tags(TestId.Replace('.', 'x'), ("check", "v2 list is 200"), ("scenario", "v2")), end, 0.5);

        var values = await PanelValuesAsync(prometheus, "k6 checks passed", end, legend: "check");
        Assert.Equal(["token issued", "v1 list is 200", "v2 list is 200"], values.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.Equal(0.9999, values["v1 list is 200"], 9);
        Assert.Equal(1.0, values["v2 list is 200"], 9);
    }

    private static Dictionary<string, string> Tags(string testId, params (string Name, string Value)[] tags)
    {
        var labels = new Dictionary<string, string> { ["testid"] = testId, ["proto"] = "HTTP/1.1", ["group"] = "" };
        foreach (var (name, value) in tags)
        {
            labels[name] = value;
        }

        // k6 leaves out tags with an empty value (MapTagSet).
        return labels.Where(l => l.Value.Length > 0).ToDictionary();
    }

    // Three pushes 5 s apart, cumulative as k6 sends them; the last one carries the run's total.
    private static Task SendAsync(PrometheusServer prometheus, string metric, Dictionary<string, string> tags, DateTimeOffset end, double total)
    {
        var labels = new Dictionary<string, string>(tags) { ["__name__"] = metric };
        var rate = metric.EndsWith("_rate", StringComparison.Ordinal);
        var samples = new[] { 1.0 / 3, 2.0 / 3, 1.0 }.Select((share, i) => (end.AddSeconds(5 * (i - 2)), rate ? total : Math.Floor(total * share)));
        return RemoteWrite.SendAsync(prometheus.Http, labels, samples);
    }

    private static async Task<Dictionary<string, double>> PanelValuesAsync(PrometheusServer prometheus, string title, DateTimeOffset end, string? legend, string? testId = null)
    {
        var panel = GrafanaDashboards.Queries("load-test.json", GrafanaDashboards.Load("load-test.json")).Single(q => q.Where == $"panel '{title}' A");
        var expr = GrafanaVariables.Substitute(panel.Text, [testId ?? TestId], "articles-api", "prometheus");
        using var doc = await prometheus.QueryAsync(expr, end);
        return doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToDictionary(
            s => legend is null ? "" : s.GetProperty("metric").GetProperty(legend).GetString()!,
            s => double.Parse(s.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));
    }
}
