using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>grafana/dashboards: valid, provisioned datasources only, names from docs/telemetry-names.md.</summary>
public sealed partial class DashboardTests
{
    private static readonly Dictionary<string, string> Provisioned = new()
    {
        ["prometheus"] = "prometheus",
        ["tempo"] = "tempo",
        ["pyroscope"] = "grafana-pyroscope-datasource",
        ["alertmanager"] = "alertmanager",
        ["loki"] = "loki",
    };

    [Fact]
    public void Dashboards_are_valid_with_unique_uids_and_panel_ids()
    {
        var all = GrafanaDashboards.All();
        Assert.Equal(["load-test.json", "profiles.json", "service.json"], all.Select(d => d.File));
        // Fixed uids: links such as /d/load-test?var-testid=… (the obs report tool writes them) stay valid.
        Assert.Equal(["load-test", "profiles", "service"], all.Select(d => d.Json["uid"]!.GetValue<string>()));
        foreach (var (file, json) in all)
        {
            Assert.Null(json["id"]?.GetValue<int?>());
            Assert.False(string.IsNullOrWhiteSpace(json["title"]?.GetValue<string>()), file);
            var panels = GrafanaDashboards.Panels(json).ToList();
            Assert.Equal(panels.Count, panels.Select(p => p["id"]!.GetValue<int>()).Distinct().Count());
            foreach (var panel in panels)
            {
                var grid = panel["gridPos"]!;
                var x = grid["x"]!.GetValue<int>();
                var w = grid["w"]!.GetValue<int>();
                Assert.True(x >= 0 && w >= 1 && x + w <= 24, $"{file}: panel '{panel["title"]}' is outside the 24-column grid");
            }
        }
    }

    [Fact]
    public void Every_datasource_uid_is_provisioned()
    {
        var provisioned = Yaml.LoadFile(StackPaths.GrafanaDatasources).Seq("datasources").Select(d => d.Str("uid") ?? "").ToHashSet();
        Assert.Equal(Provisioned.Keys.ToHashSet(), provisioned);
        foreach (var (file, json) in GrafanaDashboards.All())
        {
            var refs = GrafanaDashboards.DatasourceRefs(json).Where(r => r["uid"]?.GetValue<string>() != "-- Grafana --").ToList();
            Assert.NotEmpty(refs);
            foreach (var r in refs)
            {
                var uid = r["uid"]!.GetValue<string>();
                Assert.True(Provisioned.TryGetValue(uid, out var type), $"{file}: datasource uid '{uid}' is not provisioned");
                Assert.Equal(type, r["type"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public void Load_test_filters_every_server_and_K6_query_by_the_test_id()
    {
        var json = GrafanaDashboards.Load("load-test.json");
        var testid = GrafanaDashboards.Variables(json).Single(v => v["name"]!.GetValue<string>() == "testid");
        Assert.Equal("label_values(k6_http_reqs_total, testid)", testid["query"]!["query"]!.GetValue<string>());
        Assert.True(testid["multi"]!.GetValue<bool>());
        // "All" is the listed k6 runs: a custom all value such as ".*" would also draw testid="none" and "other".
        Assert.Null(testid["allValue"]);

        var prom = GrafanaDashboards.Queries("load-test.json", json).Where(q => q.DatasourceType == "prometheus" && !q.Where.StartsWith("variable", StringComparison.Ordinal)).ToList();
        Assert.True(prom.Count >= 8);
        // The one exception says whether runs were folded into "other": that counter has no test id to filter by.
        Assert.Single(prom, q => q.Text.Contains("observability_loadtest_label_overflow_total{label=\"testid\"}", StringComparison.Ordinal));
        Assert.All(prom.Where(q => !q.Text.Contains("observability_loadtest_label_overflow_total", StringComparison.Ordinal)),
            q => Assert.Contains("testid=~\"$testid\"", q.Text));

        var annotation = json["annotations"]!["list"]!.AsArray().OfType<JsonObject>().Single(a => a["expr"] is not null);
        Assert.Contains("k6_vus", annotation["expr"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("service.json", "{service_name=~\"$job\"}")]
    [InlineData("load-test.json", "{service_name=\"$service\"} | k6_testid!=\"\" | k6_testid=~\"$testid\"")]
    public void Logs_panels_select_the_service_by_its_loki_label_and_the_run_by_the_apps_field(string file, string expr)
    {
        // Loki's OTLP ingestion (v3.7.6, pkg/loghttp/push/otlp.go) indexes service.name as service_name and keeps
        // log attributes as structured metadata with label-safe names: the app's k6.testid becomes k6_testid.
        var logs = GrafanaDashboards.Queries(file, GrafanaDashboards.Load(file)).Where(q => q.DatasourceType == "loki").ToList();
        var query = Assert.Single(logs);
        Assert.Equal("loki", query.DatasourceUid);
        Assert.Equal(expr, query.Text);
        var panel = GrafanaDashboards.Panels(GrafanaDashboards.Load(file)).Single(p => p["datasource"]?["uid"]?.GetValue<string>() == "loki");
        Assert.Equal("logs", panel["type"]!.GetValue<string>());
    }

    // Loki (v3.7.6, pkg/logql/syntax, errAtleastOneEqualityMatcherRequired: "queries require at least one regexp or
    // equality matcher that does not have an empty-compatible value") refuses a selector whose every matcher matches
    // "": a variable's All value must not turn the only matcher into one.
    [Fact]
    public void Loki_selectors_keep_a_matcher_that_refuses_the_empty_string_with_every_variable_at_all()
    {
        foreach (var (file, dashboard) in GrafanaDashboards.All())
        {
            var allValues = (dashboard["templating"]?["list"]?.AsArray() ?? new JsonArray()).OfType<JsonObject>()
                .ToDictionary(v => v["name"]!.GetValue<string>(), v => v["includeAll"]?.GetValue<bool>() == true
                    ? v["allValue"]?.GetValue<string>() ?? "(a|b)"
                    : v["current"]?["value"]?.ToString() ?? "x");
            foreach (var query in GrafanaDashboards.Queries(file, dashboard).Where(q => q.DatasourceType == "loki"))
            {
                var expr = VariableReference().Replace(query.Text, m => allValues.GetValueOrDefault(m.Groups[1].Value, "x"));
                var selector = StreamSelector().Match(expr);
                Assert.True(selector.Success, $"{file}: no stream selector in {query.Text}");
                var matchers = LokiMatcher().Matches(selector.Groups[1].Value);
                Assert.True(matchers.Any(m => RefusesEmpty(m.Groups[2].Value, m.Groups[3].Value)),
                    $"{file}: every matcher of {expr} accepts the empty string; Loki refuses the query");
            }
        }

        static bool RefusesEmpty(string op, string value) => op switch
        {
            "=" => value.Length > 0,
            "=~" => !Regex.IsMatch("", $"^(?:{value})$"),
            _ => false,
        };
    }

    [GeneratedRegex(@"\$\{?(\w+)(?::\w+)?\}?")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"\{([^}]*)\}")]
    private static partial Regex StreamSelector();

    [GeneratedRegex(@"(\w+)\s*(=~|!~|!=|=)\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LokiMatcher();

    [Fact]
    public void Load_test_shows_client_and_server_P95_side_by_side()
    {
        var panel = GrafanaDashboards.Panels(GrafanaDashboards.Load("load-test.json")).Single(p => p["title"]!.GetValue<string>() == "p95: k6 client vs server");
        var exprs = panel["targets"]!.AsArray().Select(t => t!["expr"]!.GetValue<string>()).ToList();
        // k6's trend stats (k6_http_req_duration_p95) cover the whole run; the native histogram gives a windowed p95
        // per run and scenario (v1 then v2 in one run are two lines).
        Assert.DoesNotContain(exprs, e => e.Contains("k6_http_req_duration_p", StringComparison.Ordinal));
        Assert.Contains(exprs, e => e.StartsWith("histogram_quantile(0.95, sum by (testid, scenario) (rate(k6_http_req_duration_seconds{", StringComparison.Ordinal));
        Assert.Contains(exprs, e => e.Contains("histogram_quantile(0.95", StringComparison.Ordinal) && e.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal));
        Assert.Contains(panel["targets"]!.AsArray(), t => t!["exemplar"]?.GetValue<bool>() == true);
    }

    [Fact]
    public void Tempo_tables_find_the_slow_spans_of_the_selected_test_runs()
    {
        var tempo = GrafanaDashboards.Queries("load-test.json", GrafanaDashboards.Load("load-test.json")).Where(q => q.DatasourceType == "tempo").ToList();
        Assert.Equal(2, tempo.Count);
        Assert.All(tempo, q => Assert.Contains("span.k6.testid =~ \"${testid:pipe}\"", q.Text));
        Assert.Contains(tempo, q => q.Text.Contains(">> { (span.db.system != nil", StringComparison.Ordinal));
        // Tempo returns the first `limit` traces that match, not the slowest: a duration floor from a shared constant
        // and a large limit make the tables hold every slow span rather than an arbitrary sample.
        Assert.All(tempo, q => Assert.Matches(@"span:duration > \$\{(slow_ms|db_slow_ms)\}ms", q.Text));
        var tables = GrafanaDashboards.Panels(GrafanaDashboards.Load("load-test.json")).Where(p => p["type"]!.GetValue<string>() == "table").ToList();
        Assert.All(tables, t => Assert.True(t["targets"]![0]!["limit"]!.GetValue<int>() >= 500, $"{t["title"]}: limit below 500"));
        Assert.All(tables, t => Assert.Contains("ms", t["title"]!.GetValue<string>(), StringComparison.Ordinal));
        // TraceQL: balanced braces once the variable is filled in.
        foreach (var q in tempo)
        {
            var text = GrafanaVariables.Substitute(q.Text, "t1", "articles-api");
            Assert.Equal(text.Count(c => c == '{'), text.Count(c => c == '}'));
        }
    }

    [Fact]
    public void Flame_graphs_use_profile_types_and_labels_the_profiler_emits()
    {
        var types = TelemetryNames.ProfileTypeIds;
        var labels = TelemetryNames.ProfileLabels;
        Assert.Equal(3, types.Count);
        Assert.Contains("k6_testid", labels);
        Assert.Contains("service_name", labels);

        var flames = GrafanaDashboards.All().SelectMany(d => GrafanaDashboards.Queries(d.File, d.Json))
            .Where(q => q.DatasourceType == "grafana-pyroscope-datasource" && q.Where.StartsWith("panel", StringComparison.Ordinal)).ToList();
        Assert.True(flames.Count >= 10);
        foreach (var q in flames)
        {
            Assert.Contains(q.ProfileTypeId!, types);
            Assert.True(Selector().IsMatch(q.Text), $"{q}: not a label selector of the form {{name=\"value\", ...}}");
            var used = Matcher().Matches(q.Text).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(used);
            Assert.All(used, l => Assert.True(labels.Contains(l), $"{q}: label '{l}' is not one the profiler emits ({string.Join(", ", labels)})"));
        }

        // The Load test shows all three profile types, each filtered by the k6 test id.
        var load = flames.Where(q => q.Dashboard == "load-test.json").ToList();
        Assert.Equal(types, load.Select(q => q.ProfileTypeId!).ToHashSet());
        Assert.All(load, q => Assert.Contains("k6_testid=~\"${testid:pipe}\"", q.Text));
    }

    [Fact]
    public void Profiles_dashboard_compares_two_runs_and_two_time_ranges()
    {
        var json = GrafanaDashboards.Load("profiles.json");
        var flames = GrafanaDashboards.Panels(json).Where(p => p["type"]?.GetValue<string>() == "flamegraph").ToList();
        var selectors = flames.Select(p => p["targets"]![0]!["labelSelector"]!.GetValue<string>()).ToList();
        Assert.Contains(selectors, s => s.Contains("$baseline", StringComparison.Ordinal));
        Assert.Contains(selectors, s => s.Contains("$candidate", StringComparison.Ordinal));
        Assert.Contains(flames, p => p["timeShift"]?.GetValue<string>() == "1h");

        // Baseline and candidate offer only test ids that have profiles, and default to different runs.
        var vars = GrafanaDashboards.Variables(json).ToDictionary(v => v["name"]!.GetValue<string>());
        foreach (var name in new[] { "baseline", "candidate" })
        {
            Assert.Equal("grafana-pyroscope-datasource", vars[name]["datasource"]!["type"]!.GetValue<string>());
            Assert.Equal("labelValue", vars[name]["query"]!["type"]!.GetValue<string>());
            Assert.Equal("k6_testid", vars[name]["query"]!["labelName"]!.GetValue<string>());
            Assert.Contains(vars[name]["query"]!["profileTypeId"]!.GetValue<string>(), TelemetryNames.ProfileTypeIds);
        }

        // Grafana picks the first option of each: opposite sort orders give different runs when there are two.
        Assert.Equal(1, vars["baseline"]["sort"]!.GetValue<int>());
        Assert.Equal(2, vars["candidate"]["sort"]!.GetValue<int>());
    }

    // The profiler labels requests outside any run k6_testid="none" and ids over the cap "other": neither is a run to
    // compare, and "none" sorts before ids such as "v1". Grafana (grafana/scenes, query variable
    // metricNamesToVariableValues) keeps the values its regex matches, then sorts, then selects the first option.
    [Fact]
    public void Profiles_baseline_and_candidate_start_on_test_runs_not_on_none()
    {
        var vars = GrafanaDashboards.Variables(GrafanaDashboards.Load("profiles.json")).ToDictionary(v => v["name"]!.GetValue<string>());
        string[] values = ["other", "none", "v2", "v1"];
        Assert.Equal("v1", FirstOption(vars["baseline"], values));
        Assert.Equal("v2", FirstOption(vars["candidate"], values));

        static string FirstOption(JsonObject variable, string[] values)
        {
            var regex = variable["regex"]?.GetValue<string>() is { Length: > 0 } js
                ? new Regex(JsRegex().Match(js) is { Success: true } m ? m.Groups[1].Value : js)
                : null;
            var kept = values.Where(v => regex is null || regex.IsMatch(v)).Order(StringComparer.Ordinal);
            return (variable["sort"]!.GetValue<int>() == 2 ? kept.Reverse() : kept).First();
        }
    }

    [GeneratedRegex("^/(.*)/[gimsuy]*$")]
    private static partial Regex JsRegex();

    // The collector (0.159.0, exporter/exporterhelper/metadata.yaml) counts failed sends per signal; Loki (3.7.6,
    // pkg/validation/validate.go) counts what it discards. Each is on the Service dashboard and in an alert.
    [Theory]
    [InlineData("otelcol_exporter_send_failed_spans")]
    [InlineData("otelcol_exporter_send_failed_metric_points")]
    [InlineData("otelcol_exporter_send_failed_log_records")]
    [InlineData("loki_discarded_samples_total")]
    public void Every_lost_telemetry_counter_is_on_a_panel_and_in_an_alert(string metric)
    {
        var panels = GrafanaDashboards.Queries("service.json", GrafanaDashboards.Load("service.json"))
            .Where(q => q.DatasourceType == "prometheus" && PromQlNames.MetricNames(q.Text).Contains(metric)).ToList();
        Assert.True(panels.Count > 0, $"{metric} is on no panel of the Service dashboard");
        Assert.Contains(RuleExpressions.All(), r => r.IsAlert && PromQlNames.MetricNames(r.Expr).Contains(metric));
    }

    [Fact]
    public void Every_app_metric_in_dashboards_and_rules_is_in_the_telemetry_names()
    {
        var known = TelemetryNames.Metrics;
        Assert.Contains("http_server_request_duration_seconds", known);
        var expressions = GrafanaDashboards.All().SelectMany(d => GrafanaDashboards.Queries(d.File, d.Json))
            .Where(q => q.DatasourceType == "prometheus").Select(q => (Where: q.ToString(), Expr: q.Text))
            .Concat(RuleExpressions.All().Select(r => (Where: r.Where, Expr: r.Expr)))
            .ToList();
        var appMetrics = 0;
        foreach (var (where, expr) in expressions)
        {
            foreach (var name in PromQlNames.MetricNames(expr).Where(IsAppMetric))
            {
                appMetrics++;
                Assert.True(known.Contains(PromQlNames.BaseName(name)) || known.Contains(name), $"{where}: '{name}' is not in docs/telemetry-names.md");
            }
        }

        Assert.True(appMetrics > 30, $"only {appMetrics} app metric uses found: the name scan is broken");
    }

    private static bool IsAppMetric(string name) =>
        name.StartsWith("http_server_", StringComparison.Ordinal) || name.StartsWith("db_client_", StringComparison.Ordinal)
        || name.StartsWith("dotnet_", StringComparison.Ordinal) || name.StartsWith("observability_", StringComparison.Ordinal)
        || name.StartsWith("kestrel_", StringComparison.Ordinal) || name.StartsWith("aspnetcore_", StringComparison.Ordinal);

    [GeneratedRegex(@"^\{\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=)\s*""[^""]*""(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=)\s*""[^""]*"")*\s*\}$")]
    private static partial Regex Selector();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex Matcher();
}
