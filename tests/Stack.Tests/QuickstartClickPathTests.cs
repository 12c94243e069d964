using System.Text.RegularExpressions;
using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>docs/quickstart.md names the buttons, links and panels Grafana shows from our provisioning.</summary>
public sealed partial class QuickstartClickPathTests
{
    private static readonly HashSet<string> Bold = BoldText().Matches(File.ReadAllText(Path.Combine(StackPaths.Root, "docs", "quickstart.md")))
        .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Span_links_are_named_as_the_datasource_names_them()
    {
        // Grafana labels each trace-to-metrics link with its query's name (there is no "Metrics for this span").
        var tempo = Yaml.LoadFile(StackPaths.GrafanaDatasources).Seq("datasources").Single(d => d.Str("uid") == "tempo");
        var names = tempo.Map("jsonData").Map("tracesToMetrics").Seq("queries").Select(q => q.Str("name")!).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Contains(n, Bold));
        Assert.DoesNotContain("Metrics for this span", Bold);
    }

    [Fact]
    public void The_exemplar_button_is_the_datasources_label()
    {
        var prometheus = Yaml.LoadFile(StackPaths.GrafanaDatasources).Seq("datasources").Single(d => d.Str("uid") == "prometheus");
        var label = prometheus.Map("jsonData").Seq("exemplarTraceIdDestinations").Single(d => d.Str("name") == "trace_id").Str("urlDisplayLabel")!;
        Assert.Contains(label, Bold);
    }

    [Fact]
    public void Every_load_test_table_it_names_exists_with_its_threshold()
    {
        var constants = GrafanaDashboards.Constants().ToDictionary(c => c.Name, c => c.Value);
        var tables = GrafanaDashboards.Panels(GrafanaDashboards.Load("load-test.json"))
            .Where(p => p["type"]!.GetValue<string>() == "table")
            .Select(p => Constant().Replace(p["title"]!.GetValue<string>(), m => constants[m.Groups[1].Value]))
            .ToList();
        Assert.NotEmpty(tables);
        Assert.All(tables, title => Assert.Contains(Bold, b => b.Length > 10 && title.StartsWith(b, StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex BoldText();

    [GeneratedRegex(@"\$\{([a-z_]+)\}")]
    private static partial Regex Constant();
}
