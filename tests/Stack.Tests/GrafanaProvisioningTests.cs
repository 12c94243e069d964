using Stack.Tests.Implementation;
using YamlDotNet.RepresentationModel;

namespace Stack.Tests;

/// <summary>grafana/provisioning: fixed uids and every cross-link between the datasources.</summary>
public sealed class GrafanaProvisioningTests
{
    private readonly YamlMappingNode _file = Yaml.LoadFile(StackPaths.GrafanaDatasources);

    private IReadOnlyDictionary<string, YamlNode> ByUid =>
        _file.Seq("datasources").ToDictionary(d => d.Str("uid") ?? throw new InvalidDataException("datasource without uid"));

    [Theory]
    [InlineData("prometheus", "prometheus")]
    [InlineData("tempo", "tempo")]
    [InlineData("pyroscope", "grafana-pyroscope-datasource")]
    [InlineData("alertmanager", "alertmanager")]
    public void DatasourceIsProvisionedWithAFixedUid(string uid, string type)
    {
        Assert.Equal("1", _file.Str("apiVersion"));
        Assert.Equal(type, ByUid[uid].Str("type"));
        Assert.Equal("proxy", ByUid[uid].Str("access"));
    }

    [Fact]
    public void EveryCrossLinkPointsAtAProvisionedDatasource()
    {
        var uids = ByUid.Keys.ToHashSet();
        var links = _file.Seq("datasources")
            .SelectMany(d => Yaml.AllScalars(d.Get("jsonData") ?? new YamlMappingNode()).Select(s => (Datasource: d.Str("uid"), s.Path, s.Value)))
            .Where(s => s.Path.EndsWith("datasourceUid", StringComparison.Ordinal))
            .ToList();
        Assert.True(links.Count >= 5, $"expected the exemplar, profile, metrics and service-map links, found {links.Count}");
        Assert.All(links, l => Assert.True(uids.Contains(l.Value), $"{l.Datasource} {l.Path} -> '{l.Value}' is not provisioned"));
    }

    [Fact]
    public void ExemplarsOfTheAppTheCollectorAndTempoOpenTraces()
    {
        var destinations = ByUid["prometheus"].Map("jsonData").Seq("exemplarTraceIdDestinations").ToList();
        // prometheus-net and the collector label exemplars trace_id, Tempo's generator traceID.
        Assert.Equal("tempo", destinations.Single(d => d.Str("name") == "trace_id").Str("datasourceUid"));
        Assert.Equal("tempo", destinations.Single(d => d.Str("name") == "traceID").Str("datasourceUid"));
    }

    [Fact]
    public void TracesLinkToProfilesWithAProfileTypeAndLabelsTheProfilerEmits()
    {
        var link = ByUid["tempo"].Map("jsonData").Map("tracesToProfiles");
        Assert.Equal("pyroscope", link.Str("datasourceUid"));
        Assert.Contains(link.Str("profileTypeId")!, TelemetryNames.ProfileTypeIds);
        var tags = link.Seq("tags").ToList();
        Assert.NotEmpty(tags); // without a tag Grafana shows no "Profiles for this span" link
        Assert.All(tags, t => Assert.Contains(t.Str("value")!, TelemetryNames.ProfileLabels));
    }

    [Fact]
    public void TracesLinkToSpanMetricsServiceMapAndNodeGraph()
    {
        var json = ByUid["tempo"].Map("jsonData");
        Assert.Equal("prometheus", json.Map("serviceMap").Str("datasourceUid"));
        Assert.Equal("true", json.Map("nodeGraph").Str("enabled"));
        var metrics = json.Map("tracesToMetrics");
        Assert.Equal("prometheus", metrics.Str("datasourceUid"));
        var queries = metrics.Seq("queries").Select(q => q.Str("query")!).ToList();
        Assert.Equal(3, queries.Count);
        // `$$` is a literal `$` in provisioning files: Grafana must receive $__tags, not an expanded env var.
        Assert.All(queries, q => Assert.Contains("$$__tags", q));
        Assert.All(queries, q => Assert.Contains("traces_span_metrics_", q));
    }

    [Fact]
    public async Task DashboardProviderReadsTheMountedDashboardsFolder()
    {
        var provider = Yaml.LoadFile(StackPaths.GrafanaDashboardProvider).Seq("providers").Single();
        Assert.Equal("file", provider.Str("type"));
        var compose = await ComposeModel.LoadAsync();
        var grafana = compose.Services["grafana"];
        Assert.Contains(grafana.Mounts, m => m.Target == provider.Map("options").Str("path") && m.Source == StackPaths.GrafanaDashboards);
        Assert.Contains(grafana.Mounts, m => m.Target == "/etc/grafana/provisioning" && m.Source.EndsWith("grafana/provisioning", StringComparison.Ordinal));
        var home = grafana.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"];
        Assert.True(File.Exists(Path.Combine(StackPaths.GrafanaDashboards, Path.GetFileName(home))), home);
    }
}
