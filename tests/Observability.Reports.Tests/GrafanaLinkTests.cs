using System.Text.Json;
using System.Text.RegularExpressions;
using Observability.Reports.Implementation;
using TestSupport;

namespace Observability.Reports.Tests;

/// <summary>The report's Grafana links name what grafana/ provisions: dashboard uid, its variable, datasource uids.</summary>
public sealed class GrafanaLinkTests
{
    private static readonly DateTimeOffset From = DateTimeOffset.FromUnixTimeMilliseconds(1764064790000);
    private static readonly DateTimeOffset To = DateTimeOffset.FromUnixTimeMilliseconds(1764064830000);

    [Fact]
    public void Dashboard_link_uses_the_provisioned_load_test_dashboard_and_its_testid_variable()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("grafana", "dashboards", "load-test.json")));
        var uid = dashboard.RootElement.GetProperty("uid").GetString();
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Select(v => v.GetProperty("name").GetString()).ToList();

        var link = new GrafanaLinks("http://grafana:3000/", From, To).Dashboard("run 1");

        Assert.Equal(GrafanaLinks.LoadTestDashboardUid, uid);
        Assert.Contains("testid", variables);
        Assert.Equal("http://grafana:3000/d/load-test?from=1764064790000&to=1764064830000&var-testid=run%201", link);
    }

    [Theory]
    [InlineData(GrafanaLinks.PrometheusUid, "prometheus")]
    [InlineData(GrafanaLinks.TempoUid, "tempo")]
    [InlineData(GrafanaLinks.PyroscopeUid, "grafana-pyroscope-datasource")]
    public void Explore_links_use_provisioned_datasource_uids(string uid, string type)
    {
        var yaml = File.ReadAllText(RepoPaths.Combine("grafana", "provisioning", "datasources", "datasources.yaml"));

        // One list entry per data source ("  - name: …"); its own keys are indented by four spaces.
        var entries = Regex.Split(yaml, @"\n  - ").Select(e => Regex.Matches(e, @"(?m)^(?:name|    \w+):\s*(.*)$").Select(m => m.Value.Trim()).ToList());

        Assert.Contains(entries, keys => keys.Contains($"type: {type}") && keys.Contains($"uid: {uid}"));
    }

    [Fact]
    public void Explore_link_carries_the_query_and_the_window_as_grafana_reads_it()
    {
        var link = new GrafanaLinks("http://localhost:3000", From, To).PyroscopeExplore("process_cpu:cpu:nanoseconds:cpu:nanoseconds", "{k6_testid=\"v1\"}");

        Assert.StartsWith("http://localhost:3000/explore?schemaVersion=1&orgId=1&panes=", link);
        var panes = JsonDocument.Parse(Uri.UnescapeDataString(link[(link.IndexOf("panes=", StringComparison.Ordinal) + 6)..])).RootElement;
        var pane = panes.EnumerateObject().Single().Value;
        Assert.Equal("pyroscope", pane.GetProperty("datasource").GetString());
        Assert.Equal("1764064790000", pane.GetProperty("range").GetProperty("from").GetString());
        Assert.Equal("1764064830000", pane.GetProperty("range").GetProperty("to").GetString());
        var query = pane.GetProperty("queries")[0];
        Assert.Equal("{k6_testid=\"v1\"}", query.GetProperty("labelSelector").GetString());
        Assert.Equal("process_cpu:cpu:nanoseconds:cpu:nanoseconds", query.GetProperty("profileTypeId").GetString());
    }
}
