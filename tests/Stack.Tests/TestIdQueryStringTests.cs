using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>
/// Every TraceQL query and Pyroscope selector that filters by k6 test id, filled in as Grafana fills it for ids
/// holding '.' and '/', parses by the rules of the backend that receives it and selects exactly the chosen runs.
/// </summary>
public sealed class TestIdQueryStringTests
{
    private static readonly string[] TestIdLabels = ["k6_testid", "span.k6.testid"];

    public static TheoryData<string[]> Selections => new()
    {
        { new[] { "v1.2/run-3" } },
        { new[] { "v1.2/run-3", "v2.0/run-4" } }, // several runs, or "All" of the listed ones
        { new[] { "local-1" } },
    };

    private static IEnumerable<GrafanaQuery> FilteringQueries() =>
        GrafanaDashboards.All().SelectMany(d => GrafanaDashboards.Queries(d.File, d.Json))
            .Where(q => q.DatasourceType is "tempo" or "grafana-pyroscope-datasource" && q.Where.StartsWith("panel", StringComparison.Ordinal))
            .Where(q => q.Text.Contains("$testid", StringComparison.Ordinal) || q.Text.Contains("${testid", StringComparison.Ordinal)
                || q.Text.Contains("$baseline", StringComparison.Ordinal) || q.Text.Contains("$candidate", StringComparison.Ordinal));

    [Fact]
    public void No_regex_formatted_variable_stands_inside_a_double_quoted_string()
    {
        var queries = FilteringQueries().ToList();
        Assert.True(queries.Count >= 12, $"only {queries.Count} queries filter by test id");
        // `${x:regex}` escapes '.' and '/' as \. and \/, which neither Tempo's nor Pyroscope's string syntax accepts.
        Assert.All(queries, q => Assert.DoesNotMatch(@"""[^""]*\$\{[A-Za-z0-9_]+:regex\}[^""]*""", q.Text));
    }

    [Theory]
    [MemberData(nameof(Selections))]
    public void Every_filtering_query_parses_and_selects_exactly_the_chosen_runs(string[] selected)
    {
        foreach (var q in FilteringQueries())
        {
            var text = GrafanaVariables.Substitute(q.Text, selected, "articles-api", q.DatasourceType);
            try
            {
                _ = QueryStringLiterals.Strings(text);
            }
            catch (FormatException e)
            {
                Assert.Fail($"{q}\n  as sent: {text}\n  {e.Message}");
            }

            var matchers = QueryStringLiterals.Matchers(text).Where(m => TestIdLabels.Contains(m.Label)).ToList();
            Assert.True(matchers.Count > 0, $"{q}: no test id matcher");
            var chosen = q.Text.Contains("$baseline", StringComparison.Ordinal) ? [selected[0]]
                : q.Text.Contains("$candidate", StringComparison.Ordinal) ? [selected[^1]]
                : selected;
            foreach (var id in chosen)
            {
                Assert.True(matchers.All(m => m.Matches(id)), $"{q}\n  as sent: {text}\n  does not select '{id}'");
            }

            // Not traffic outside k6 runs, not folded ids, not a longer or shorter id (matchers are anchored). The
            // pipe format leaves '.' unescaped, so `v1.2` would also select a run named `v1x2`: accepted, as no
            // format Grafana has escapes a regex for these string syntaxes (see docs/quickstart.md).
            foreach (var other in new[] { "none", "other", "v1.2/run-30", "v1.2/run", "x" + selected[0] }.Except(chosen))
            {
                Assert.False(matchers.All(m => m.Matches(other)), $"{q}\n  as sent: {text}\n  also selects '{other}'");
            }
        }
    }

    [Fact]
    public void With_no_runs_no_flame_graph_matches_unlabelled_background_samples()
    {
        // A variable with no values is empty: k6_testid="" or =~"" alone would match every sample without the label.
        foreach (var q in FilteringQueries().Where(q => q.DatasourceType == "grafana-pyroscope-datasource"))
        {
            var text = GrafanaVariables.Substitute(q.Text, [], "articles-api", q.DatasourceType);
            var matchers = QueryStringLiterals.Matchers(text).Where(m => m.Label == "k6_testid").ToList();
            Assert.False(matchers.All(m => m.Matches("")), $"{q}\n  as sent: {text}\n  matches samples without k6_testid");
        }
    }
}
