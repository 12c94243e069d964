using System.Text.Json.Nodes;
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
    [InlineData("loki", "loki")]
    public void Datasource_is_provisioned_with_a_fixed_uid(string uid, string type)
    {
        Assert.Equal("1", _file.Str("apiVersion"));
        Assert.Equal(type, ByUid[uid].Str("type"));
        Assert.Equal("proxy", ByUid[uid].Str("access"));
    }

    [Fact]
    public void Every_cross_link_points_at_a_provisioned_datasource()
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
    public void Traces_link_to_their_logs_and_logs_link_back_to_their_trace()
    {
        // Tempo -> Loki: trace_id is structured metadata after Loki's OTLP ingestion, so the query filters the field
        // (a line filter would match nothing); service.name is Loki's service_name label. $$ is a literal $.
        var toLogs = ByUid["tempo"].Map("jsonData").Map("tracesToLogsV2");
        Assert.Equal("loki", toLogs.Str("datasourceUid"));
        Assert.Equal("true", toLogs.Str("customQuery"));
        Assert.Equal("{$${__tags}} | trace_id=\"$${__span.traceId}\"", toLogs.Str("query"));
        var tag = Assert.Single(toLogs.Seq("tags"));
        Assert.Equal(("service.name", "service_name"), (tag.Str("key"), tag.Str("value")));

        // Loki -> Tempo: a derived field matched by the field name (matcherType label), opening the trace by id.
        var derived = Assert.Single(ByUid["loki"].Map("jsonData").Seq("derivedFields"));
        Assert.Equal("label", derived.Str("matcherType"));
        Assert.Equal("trace_id", derived.Str("matcherRegex"));
        Assert.Equal("tempo", derived.Str("datasourceUid"));
        Assert.Equal("$${__value.raw}", derived.Str("url"));
    }

    [Fact]
    public void Exemplars_of_the_app_the_collector_and_tempo_open_traces()
    {
        var destinations = ByUid["prometheus"].Map("jsonData").Seq("exemplarTraceIdDestinations").ToList();
        // prometheus-net and the collector label exemplars trace_id, Tempo's generator traceID.
        Assert.Equal("tempo", destinations.Single(d => d.Str("name") == "trace_id").Str("datasourceUid"));
        Assert.Equal("tempo", destinations.Single(d => d.Str("name") == "traceID").Str("datasourceUid"));
    }

    [Fact]
    public void Traces_link_to_profiles_with_a_profile_type_and_labels_the_profiler_emits()
    {
        var link = ByUid["tempo"].Map("jsonData").Map("tracesToProfiles");
        Assert.Equal("pyroscope", link.Str("datasourceUid"));
        Assert.Contains(link.Str("profileTypeId")!, TelemetryNames.ProfileTypeIds);
        var tags = link.Seq("tags").ToList();
        Assert.NotEmpty(tags); // without a tag Grafana shows no "Profiles for this span" link
        Assert.All(tags, t => Assert.Contains(t.Str("value")!, TelemetryNames.ProfileLabels));
    }

    [Fact]
    public void Traces_link_to_span_metrics_service_map_and_node_graph()
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
    public async Task Dashboard_provider_reads_the_mounted_dashboards_folder()
    {
        var provider = Yaml.LoadFile(StackPaths.GrafanaDashboardProvider).Seq("providers").Single();
        Assert.Equal("file", provider.Str("type"));
        var compose = await ComposeModel.LoadAsync();
        var grafana = compose.Services["grafana"];
        Assert.Contains(grafana.Mounts, m => m.Target == provider.Map("options").Str("path") && m.Source == StackPaths.GrafanaDashboards);
        Assert.Contains(grafana.Mounts, m => m.Target == "/etc/grafana/provisioning" && m.Source.EndsWith("grafana/provisioning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_dashboard_uid_is_provisioned_twice()
    {
        // Grafana provisions the file of GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH with a reader of its own (besides
        // the providers of provisioning/dashboards); one uid from two readers takes database writes away from both.
        var grafana = (await ComposeModel.LoadAsync()).Services["grafana"];
        var files = new List<(string Reader, string File)>();
        foreach (var provider in Yaml.LoadFile(StackPaths.GrafanaDashboardProvider).Seq("providers"))
        {
            var folder = HostPath(grafana, provider.Map("options").Str("path")!);
            files.AddRange(Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Select(f => (provider.Str("name")!, f)));
        }

        var home = HostPath(grafana, grafana.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]);
        Assert.True(File.Exists(home), home);
        files.Add(("home dashboard", home));

        var uids = files.Select(f => (f.Reader, f.File, Uid: JsonNode.Parse(File.ReadAllText(f.File))!["uid"]?.GetValue<string>()))
            .ToList();
        Assert.All(uids, u => Assert.False(string.IsNullOrEmpty(u.Uid), $"{u.File} has no uid"));
        var twice = uids.GroupBy(u => u.Uid).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(u => $"{u.Reader} {Path.GetFileName(u.File)}"))}").ToList();
        Assert.True(twice.Count == 0, string.Join("\n", twice));
    }

    [Fact]
    public void The_home_dashboard_links_to_the_provisioned_dashboards()
    {
        var home = JsonNode.Parse(File.ReadAllText(Path.Combine(StackPaths.Root, "grafana", "home", "home.json")))!;
        var urls = home["links"]!.AsArray().Select(l => l!["url"]!.GetValue<string>()).ToList();
        var uids = GrafanaDashboards.All().Select(d => d.Json["uid"]!.GetValue<string>()).ToList();
        Assert.Equal(uids.Select(u => "/d/" + u).Order(), urls.Order());
    }

    [Fact]
    public async Task Anonymous_visitors_of_the_demo_stack_can_open_explore()
    {
        // Grafana grants fixed:datasources:explorer to Editor (and to Viewer only with the deprecated
        // viewers_can_edit); exemplar -> trace, the trace view and the service graph open in Explore.
        var grafana = (await ComposeModel.LoadAsync()).Services["grafana"];
        Assert.Equal("true", grafana.Environment["GF_AUTH_ANONYMOUS_ENABLED"]);
        Assert.Contains(grafana.Environment["GF_AUTH_ANONYMOUS_ORG_ROLE"], new[] { "Editor", "Admin" });
    }

    [Fact]
    public void Prometheus_datasource_says_which_prometheus_it_is()
    {
        // Without them, label_values() variables fall back to the series API instead of label values with matchers.
        var json = ByUid["prometheus"].Map("jsonData");
        Assert.Equal("Prometheus", json.Str("prometheusType"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", json.Str("prometheusVersion") ?? "");
    }

    private static string HostPath(ComposeService service, string containerPath)
    {
        var mount = service.Mounts.Where(m => containerPath == m.Target || containerPath.StartsWith(m.Target + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Target.Length).FirstOrDefault();
        Assert.True(mount != default, $"{containerPath} is not mounted into {service.Name}");
        return Path.Combine(mount.Source, containerPath[mount.Target.Length..].TrimStart('/'));
    }
}
