using System.Globalization;
using System.Text.RegularExpressions;
using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>
/// The Service dashboard against the rules: its SLO panels count production traffic only, every recording it reads
/// exists, units fit the values, and no query asks for more history than Prometheus keeps by default.
/// </summary>
public sealed partial class ServiceDashboardTests
{
    // Prometheus's default --storage.tsdb.retention.time.
    private static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(15);

    private static readonly IReadOnlyList<GrafanaQuery> Queries =
        GrafanaDashboards.Queries("service.json", GrafanaDashboards.Load("service.json")).Where(q => q.DatasourceType == "prometheus").ToList();

    [Fact]
    public void Slo_panels_count_only_traffic_without_a_test_id()
    {
        var slo = PanelsOfRow("SLO").Where(p => !p.Title.StartsWith("Traffic", StringComparison.Ordinal) && !p.Title.StartsWith("Load tests", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, slo.Count);
        foreach (var expr in slo.SelectMany(p => p.Exprs))
        {
            var selectors = RawRequestSelector().Matches(expr).Select(m => m.Value).ToList();
            Assert.True(selectors.Count > 0 || expr.Contains("job:slo_errors:", StringComparison.Ordinal), expr);
            Assert.All(selectors, s => Assert.Contains("testid=\"none\"", s));
        }

        // The load tests have their own panel, fed by their own recordings.
        Assert.Contains(PanelsOfRow("SLO"), p => p.Exprs.Any(e => e.Contains("job_testid:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_recording_the_dashboards_read_exists()
    {
        var recorded = RuleExpressions.All().Where(r => !r.IsAlert).Select(r => r.Name).ToHashSet();
        var used = GrafanaDashboards.All().SelectMany(d => GrafanaDashboards.Queries(d.File, d.Json))
            .Where(q => q.DatasourceType == "prometheus")
            .SelectMany(q => PromQlNames.MetricNames(q.Text).Where(n => n.Contains(':', StringComparison.Ordinal)).Select(n => (q.Where, n)))
            .ToList();
        Assert.True(used.Count >= 10, $"only {used.Count} recordings used");
        Assert.All(used, u => Assert.True(recorded.Contains(u.n), $"{u.Where}: '{u.n}' is not recorded by prometheus/rules"));
    }

    [Fact]
    public void No_query_needs_more_history_than_the_default_retention()
    {
        var ranges = GrafanaDashboards.All().SelectMany(d => GrafanaDashboards.Queries(d.File, d.Json))
            .SelectMany(q => DayRange().Matches(q.Text).Select(m => (q.Where, Days: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))))
            .ToList();
        Assert.NotEmpty(ranges);
        Assert.All(ranges, r => Assert.True(TimeSpan.FromDays(r.Days) < DefaultRetention, $"{r.Where}: [{r.Days}d] is beyond 15 days of retention"));
    }

    [Fact]
    public void Server_error_panels_plot_only5_xx()
    {
        var errorPanels = GrafanaDashboards.All()
            .SelectMany(d => GrafanaDashboards.Panels(d.Json).Select(p => (d.File, Panel: p)))
            .Where(x => x.Panel["title"]!.GetValue<string>().Contains("5xx", StringComparison.Ordinal) && x.Panel["targets"] is not null)
            .ToList();
        Assert.True(errorPanels.Count >= 3);
        foreach (var (file, panel) in errorPanels)
        {
            var exprs = panel["targets"]!.AsArray().Select(t => t!["expr"]?.GetValue<string>() ?? "").ToList();
            Assert.All(exprs, e => Assert.DoesNotContain("4..", e));
            Assert.Contains(exprs, e => e.Contains("http_response_status_code=~\"5..\"", StringComparison.Ordinal) || e.Contains("slo_errors", StringComparison.Ordinal) || e.Contains("http_server_errors", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("GC: time paused (share)", "percentunit")]
    [InlineData("Error ratio (5xx) per route", "percentunit")]
    [InlineData("Load tests (not in the SLO): 5xx ratio per test id", "percentunit")]
    [InlineData("Error budget left (last 14 days)", "percentunit")]
    [InlineData("GC: collections per second", "cps")]
    public void Panels_use_the_unit_of_their_values(string title, string unit)
    {
        var panel = GrafanaDashboards.Panels(GrafanaDashboards.Load("service.json")).Single(p => p["title"]!.GetValue<string>() == title);
        Assert.Equal(unit, panel["fieldConfig"]!["defaults"]!["unit"]!.GetValue<string>());
    }

    private static IEnumerable<(string Title, IReadOnlyList<string> Exprs)> PanelsOfRow(string rowTitlePrefix)
    {
        var panels = GrafanaDashboards.Panels(GrafanaDashboards.Load("service.json")).ToList();
        var inRow = false;
        foreach (var panel in panels)
        {
            var title = panel["title"]!.GetValue<string>();
            if (panel["type"]!.GetValue<string>() == "row")
            {
                inRow = title.StartsWith(rowTitlePrefix, StringComparison.Ordinal);
                continue;
            }

            if (inRow)
            {
                yield return (title, Queries.Where(q => q.Where.StartsWith($"panel '{title}'", StringComparison.Ordinal)).Select(q => q.Text).ToList());
            }
        }
    }

    [GeneratedRegex(@"http_server_request_duration_seconds_(?:count|bucket)\{[^}]*\}")]
    private static partial Regex RawRequestSelector();

    [GeneratedRegex(@"\[(\d+)d\]")]
    private static partial Regex DayRange();
}
