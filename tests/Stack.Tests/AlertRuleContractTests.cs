using System.Text.RegularExpressions;
using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>
/// What every alert of prometheus/rules owes the person it reaches: numbers in the description, a runbook section
/// in docs/runbook.md, a dashboard link with real variables; a firing and a quiet unit test; and SLO rules that
/// count production traffic only.
/// </summary>
public sealed partial class AlertRuleContractTests
{
    // Always firing by design: it has no quiet case.
    private const string Watchdog = "Watchdog";

    private static readonly string[] RequiredAnnotations = ["summary", "description", "runbook_url", "dashboard"];

    [Fact]
    public void Every_alert_has_the_annotations_on_call_needs()
    {
        var alerts = AlertRules.All();
        Assert.True(alerts.Count >= 25, $"only {alerts.Count} alerts found");
        foreach (var alert in alerts)
        {
            Assert.Equal(RequiredAnnotations.Order(), alert.Annotations.Keys.Order());
            Assert.All(alert.Annotations.Values, v => Assert.False(string.IsNullOrWhiteSpace(v), alert.Name));
            // The description carries a number: the alert's value or a query, never only prose.
            if (alert.Name != Watchdog && !alert.Expr.StartsWith("up{", StringComparison.Ordinal))
            {
                Assert.True(alert.Annotations["description"].Contains("$value", StringComparison.Ordinal), $"{alert.Name}: no value in the description");
            }
        }
    }

    [Fact]
    public void Every_alert_links_to_its_own_runbook_section()
    {
        var runbook = File.ReadAllLines(RepoPaths.Combine("docs", "runbook.md"));
        var sections = runbook.Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim()).ToList();
        foreach (var alert in AlertRules.All())
        {
            Assert.Equal("{{ $externalLabels.runbook_base_url }}#" + alert.Name.ToLowerInvariant(), alert.Annotations["runbook_url"]);
            Assert.Contains(alert.Name, sections);
            var body = runbook.SkipWhile(l => l != "## " + alert.Name).Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).ToList();
            Assert.Contains(body, l => l.StartsWith("**What it means.**", StringComparison.Ordinal));
            Assert.True(body.Count(l => NumberedStep().IsMatch(l)) >= 3, $"{alert.Name}: fewer than three first checks");
            Assert.Contains(body, l => l.StartsWith("**During a planned load test.**", StringComparison.Ordinal));
        }

        // No section without an alert (renamed alerts leave none behind).
        var names = AlertRules.All().Select(a => a.Name).ToHashSet();
        Assert.All(sections.Where(s => !s.StartsWith("Before ", StringComparison.Ordinal)), s => Assert.Contains(s, names));
    }

    [Fact]
    public void Every_dashboard_link_opens_a_provisioned_dashboard_with_its_variables()
    {
        var dashboards = GrafanaDashboards.All().ToDictionary(d => d.Json["uid"]!.GetValue<string>(), d => d.Json);
        foreach (var alert in AlertRules.All())
        {
            var link = DashboardLink().Match(alert.Annotations["dashboard"]);
            Assert.True(link.Success, $"{alert.Name}: '{alert.Annotations["dashboard"]}' is not {{{{ $externalLabels.grafana_url }}}}/d/<uid>/<slug>?…");
            Assert.True(dashboards.TryGetValue(link.Groups["uid"].Value, out var dashboard), $"{alert.Name}: no dashboard with uid {link.Groups["uid"].Value}");
            var variables = GrafanaDashboards.Variables(dashboard).Select(v => v["name"]!.GetValue<string>()).ToHashSet();
            var used = VariableParameter().Matches(link.Groups["query"].Value).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(used);
            Assert.All(used, v => Assert.True(variables.Contains(v), $"{alert.Name}: dashboard {link.Groups["uid"].Value} has no variable '{v}'"));
        }
    }

    [Fact]
    public void The_prometheus_configuration_defines_the_link_bases()
    {
        var labels = Yaml.LoadFile(StackPaths.PrometheusConfig).Map("global").Map("external_labels");
        Assert.StartsWith("http", labels.Str("grafana_url"));
        Assert.EndsWith("runbook.md", labels.Str("runbook_base_url"));
    }

    [Fact]
    public void Every_alert_has_a_firing_and_a_quiet_unit_test()
    {
        var cases = Directory.GetFiles(StackPaths.PrometheusRuleTests, "*.test.yml")
            .SelectMany(f => Yaml.LoadFile(f).Seq("tests"))
            .SelectMany(t => t.Seq("alert_rule_test"))
            .Select(c => (Alert: c.Str("alertname")!, Fires: c.Seq("exp_alerts").Any()))
            .ToList();
        foreach (var alert in AlertRules.All().Select(a => a.Name))
        {
            Assert.True(cases.Contains((alert, true)), $"{alert}: no test case where it fires");
            if (alert != Watchdog)
            {
                Assert.True(cases.Contains((alert, false)), $"{alert}: no test case where it stays quiet");
            }
        }
    }

    [Fact]
    public void Slo_rules_count_only_traffic_without_a_test_id()
    {
        var slo = Yaml.LoadFile(Path.Combine(StackPaths.PrometheusRules, "slo.yml")).Seq("groups")
            .SelectMany(g => g.Seq("rules"))
            .Where(r => r.Str("record") is { } name && (name.StartsWith("job:slo_", StringComparison.Ordinal) || name.StartsWith("job_route:", StringComparison.Ordinal)))
            .ToList();
        Assert.True(slo.Count >= 17);
        foreach (var rule in slo)
        {
            foreach (Match selector in RequestSelector().Matches(rule.Str("expr")!))
            {
                Assert.Contains("testid=\"none\"", selector.Value);
            }
        }

        // The alerts on request traffic read only those production recordings.
        foreach (var alert in AlertRules.All().Where(a => a.File == "slo.yml"))
        {
            Assert.DoesNotContain(PromQlNames.MetricNames(alert.Expr), n => n.StartsWith("http_server_", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("otel-collector", "otel-collector:8888", "CollectorDown")]
    [InlineData("tempo", "tempo:3200", "TempoDown")]
    [InlineData("pyroscope", "pyroscope:4040", "PyroscopeDown")]
    [InlineData("alertmanager", "alertmanager:9093", "AlertmanagerDown")]
    [InlineData("loki", "loki:3100", "LokiDown")]
    public void Every_stack_component_is_scraped_and_has_a_down_alert(string job, string target, string alert)
    {
        var scrape = Yaml.LoadFile(StackPaths.PrometheusConfig).Seq("scrape_configs").Single(j => j.Str("job_name") == job);
        Assert.Equal([target], scrape.Seq("static_configs").SelectMany(c => c.Scalars("targets")));
        Assert.Equal($"up{{job=\"{job}\"}} == 0", AlertRules.All().Single(a => a.Name == alert).Expr);
        // ServiceDown is for the services: a stack component has its own alert, not a page.
        Assert.Contains(job, AlertRules.All().Single(a => a.Name == "ServiceDown").Expr.Split('"')[1].Split('|'));
    }

    [GeneratedRegex(@"^\d\. ")]
    private static partial Regex NumberedStep();

    [GeneratedRegex(@"^\{\{ \$externalLabels\.grafana_url \}\}/d/(?<uid>[a-z0-9-]+)/[a-z0-9-]+\?(?<query>.+)$")]
    private static partial Regex DashboardLink();

    [GeneratedRegex(@"var-([A-Za-z0-9_]+)=")]
    private static partial Regex VariableParameter();

    [GeneratedRegex(@"http_server_request_duration_seconds_(?:count|bucket)\{[^}]*\}")]
    private static partial Regex RequestSelector();
}
