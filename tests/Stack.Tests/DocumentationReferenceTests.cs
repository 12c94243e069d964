using System.Text.RegularExpressions;
using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>
/// What the READMEs and the runbook name exists: every alert they mention is a rule of prometheus/rules, and
/// every Prometheus page they send on-call to is a page of the pinned Prometheus's web UI.
/// </summary>
public sealed partial class DocumentationReferenceTests
{
    // The Status menu of Prometheus v3.14.0 (web/ui/mantine-ui/src/App.tsx: monitoringStatusPages and
    // serverStatusPages). Notification queues and drops are on no page: they are the metrics
    // prometheus_notifications_* (notifier/metric.go).
    private static readonly HashSet<string> PrometheusStatusPages = new(StringComparer.Ordinal)
    {
        "Target health", "Rule health", "Service discovery", "Runtime & build information", "TSDB status",
        "Command-line flags", "Configuration", "Alertmanager discovery",
    };

    // The last words of our alert names; a backticked PascalCase name ending in one of them is read as an alert.
    private static readonly string[] AlertEndings =
        ["Down", "Failing", "Failed", "Failures", "Dropped", "Full", "Spans", "Logs", "Fast", "Slow", "Steady", "Ratio", "P95", "Starvation", "Backlog", "Overflow", "Watchdog"];

    public static TheoryData<string> MarkdownFiles() => new(Files());

    private static List<string> Files() =>
        [.. Directory.EnumerateFiles(StackPaths.Root, "*.md", SearchOption.AllDirectories)
            .Where(f => !Excluded().IsMatch(Path.GetRelativePath(StackPaths.Root, f)))
            .Select(f => Path.GetRelativePath(StackPaths.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_alert_a_document_names_exists(string file)
    {
        var alerts = AlertRules.All().Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var named = BacktickedName().Matches(File.ReadAllText(Path.Combine(StackPaths.Root, file)))
            .Select(m => m.Groups[1].Value)
            .Where(n => !n.EndsWith("Tests", StringComparison.Ordinal) && AlertEndings.Any(e => n.EndsWith(e, StringComparison.Ordinal)));
        Assert.All(named, n => Assert.True(alerts.Contains(n), $"{file} names the alert `{n}`, which no rule file defines"));
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_Prometheus_page_a_document_names_exists_in_v3_14(string file)
    {
        foreach (Match m in StatusPage().Matches(File.ReadAllText(Path.Combine(StackPaths.Root, file))))
        {
            var page = m.Groups[1].Value;
            Assert.True(PrometheusStatusPages.Any(p => page.StartsWith(p, StringComparison.Ordinal)),
                $"{file}: 'Prometheus > Status > {page}' is no page of Prometheus 3.14 ({string.Join(", ", PrometheusStatusPages)})");
        }
    }

    [Fact]
    public void The_scan_finds_the_runbook_and_its_alerts()
    {
        Assert.Contains("docs/runbook.md", Files());
        Assert.Contains("otel-collector/README.md", Files());
        var runbook = File.ReadAllText(Path.Combine(StackPaths.Root, "docs", "runbook.md"));
        Assert.True(BacktickedName().Matches(runbook).Count >= 10);
        Assert.True(StatusPage().Matches(runbook).Count >= 3);
    }

    [GeneratedRegex(@"`([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)`")]
    private static partial Regex BacktickedName();

    // "Status > Rules", "Prometheus > Status > Runtime": the name after "Status > ", up to punctuation that ends it.
    [GeneratedRegex(@"Status > ([A-Z][A-Za-z &-]*[a-z])")]
    private static partial Regex StatusPage();

    // Build output, and the benchmarks' write-ups (they name code, not alerts).
    [GeneratedRegex(@"(^|/)(bin|obj|node_modules|artifacts|\.git)(/|$)|^bench/")]
    private static partial Regex Excluded();
}
