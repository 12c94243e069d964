using System.Globalization;
using System.Text.Json;
using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>
/// Every PromQL expression of the dashboards, the datasource links and the alert rules runs on a real Prometheus
/// that scraped the real Articles.Api after a short load with a known k6 test id.
/// </summary>
public sealed class DashboardQueriesAgainstPrometheusTests(LiveApiFixture live) : IClassFixture<LiveApiFixture>
{
    private const string Job = "articles-api";

    [Fact]
    public async Task Every_prom_ql_expression_runs_without_error()
    {
        var expressions = AllPromQl().ToList();
        Assert.True(expressions.Count > 60, $"only {expressions.Count} expressions found");
        var failures = new List<string>();
        var end = DateTimeOffset.UtcNow;
        foreach (var (where, raw) in expressions)
        {
            var expr = GrafanaVariables.Substitute(raw, live.TestId, Job);
            try
            {
                using var doc = await live.Prometheus.QueryRangeAsync(expr, end.AddMinutes(-2), end, TimeSpan.FromSeconds(5));
                Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
            }
            catch (InvalidOperationException e)
            {
                failures.Add($"{where}\n  {expr}\n  {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Request_rate_panel_returns_data_for_the_test_id()
    {
        var panel = GrafanaDashboards.Queries("load-test.json", GrafanaDashboards.Load("load-test.json"))
            .Single(q => q.Where == "panel 'Request rate' A");
        var expr = GrafanaVariables.Substitute(panel.Text, live.TestId, Job);
        // The step grid ends exactly now: a grid that stopped short of the last scrape could see one sample only
        // when the whole load fits in a few seconds, and rate() of one sample is nothing.
        var end = DateTimeOffset.UtcNow;
        var start = end - TimeSpan.FromSeconds(Math.Ceiling((end - live.LoadStart).TotalSeconds));
        using var doc = await live.Prometheus.QueryRangeAsync(expr, start, end, TimeSpan.FromSeconds(1));
        var series = doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToList();
        var routes = series.Select(s => s.GetProperty("metric").GetProperty("http_route").GetString()).ToHashSet();
        // Route templates, never raw paths (no query string, no page numbers).
        Assert.Contains(routes, r => r!.StartsWith("/v1/articles", StringComparison.Ordinal));
        Assert.Contains(routes, r => r!.StartsWith("/v2/articles", StringComparison.Ordinal));
        Assert.DoesNotContain(routes, r => r!.Contains('?', StringComparison.Ordinal));
        Assert.All(series, s => Assert.Contains(s.GetProperty("values").EnumerateArray(),
            v => double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture) > 0));

        // Another test id selects nothing: the filter is real.
        var other = GrafanaVariables.Substitute(panel.Text, "not-" + live.TestId, Job);
        using var none = await live.Prometheus.QueryRangeAsync(other, start, end, TimeSpan.FromSeconds(1));
        Assert.Equal(0, none.RootElement.GetProperty("data").GetProperty("result").GetArrayLength());
    }

    [Fact]
    public async Task Exemplars_scraped_from_the_management_port_lead_to_the_sent_traces()
    {
        using var doc = await live.Prometheus.QueryExemplarsAsync(
            $"http_server_request_duration_seconds_bucket{{testid=\"{live.TestId}\"}}", live.LoadStart.AddSeconds(-5), DateTimeOffset.UtcNow);
        var traceIds = doc.RootElement.GetProperty("data").EnumerateArray()
            .SelectMany(s => s.GetProperty("exemplars").EnumerateArray())
            .Select(e => e.GetProperty("labels").TryGetProperty("trace_id", out var t) ? t.GetString() : null)
            .ToList();
        Assert.NotEmpty(traceIds);
        // The server continued the traceparent it was sent, so the exemplar opens the k6 request's trace.
        Assert.All(traceIds, id => Assert.Contains(id, live.SentTraceIds));
    }

    [Fact]
    public async Task Every_rule_evaluates_without_error_on_the_real_metrics()
    {
        static bool Evaluated(JsonElement rule) => !rule.GetProperty("lastEvaluation").GetString()!.StartsWith("0001", StringComparison.Ordinal);
        var rules = await Eventually.ReturnsAsync(
            async () =>
            {
                using var doc = await live.Prometheus.GetJsonAsync("api/v1/rules");
                return doc.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
                    .SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.Clone()).ToList();
            },
            all => all.All(Evaluated),
            TimeSpan.FromSeconds(60),
            "every alerting and recording rule evaluated once",
            all => "not yet evaluated: " + string.Join(", ", all.Where(r => !Evaluated(r)).Select(r => r.GetProperty("name").GetString())),
            TimeSpan.FromMilliseconds(500));

        Assert.Equal(RuleExpressions.All().Count, rules.Count);
        var broken = rules.Where(r => r.GetProperty("health").GetString() != "ok")
            .Select(r => $"{r.GetProperty("name").GetString()}: {r.GetProperty("health").GetString()} {(r.TryGetProperty("lastError", out var e) ? e.GetString() : "")}")
            .ToList();
        Assert.True(broken.Count == 0, string.Join("\n", broken));

        // The recording rules see the load: the request rate of the job is above zero.
        using var rate = await live.Prometheus.WaitForSeriesAsync($"job:http_server_requests:rate5m{{job=\"{Job}\"}} > 0", TimeSpan.FromSeconds(30));
    }

    private static IEnumerable<(string Where, string Expr)> AllPromQl()
    {
        foreach (var (file, json) in GrafanaDashboards.All())
        {
            foreach (var q in GrafanaDashboards.Queries(file, json).Where(q => q.DatasourceType == "prometheus"))
            {
                // label_values(metric, label) is Grafana's, not PromQL: run its selector instead.
                var expr = q.Text.StartsWith("label_values(", StringComparison.Ordinal)
                    ? "group by (" + q.Text[(q.Text.LastIndexOf(',') + 1)..^1].Trim() + ") (" + q.Text["label_values(".Length..q.Text.LastIndexOf(',')] + ")"
                    : q.Text;
                yield return (q.ToString(), expr);
            }
        }

        var tempo = Yaml.LoadFile(StackPaths.GrafanaDatasources).Seq("datasources").Single(d => d.Str("uid") == "tempo");
        foreach (var query in tempo.Map("jsonData").Map("tracesToMetrics").Seq("queries"))
        {
            // Grafana reads `$$` in provisioning files as a literal `$`.
            yield return ($"datasource tempo tracesToMetrics '{query.Str("name")}'", query.Str("query")!.Replace("$$", "$", StringComparison.Ordinal));
        }

        foreach (var rule in RuleExpressions.All())
        {
            yield return (rule.Where, rule.Expr);
        }
    }
}
