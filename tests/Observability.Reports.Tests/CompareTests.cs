using Observability.Reports.Implementation;

namespace Observability.Reports.Tests;

public sealed class CompareTests
{
    [Theory]
    // metric, A, B, arrow, verdict, relative change
    [InlineData("server p95", 200.0, 100.0, "▼", "better", -0.5)]
    [InlineData("server p50", 50.0, 60.0, "▲", "worse", 0.2)]
    [InlineData("server p99", 400.0, 400.0, "=", "same", 0.0)]
    [InlineData("server error rate", 0.02, 0.01, "▼", "better", -0.5)]
    [InlineData("server requests", 100.0, 100.0, "=", "", 0.0)]
    public void Summary_deltas_have_the_right_direction_and_verdict(string metric, double a, double b, string arrow, string verdict, double relative)
    {
        var c = Comparison.Of(KnownRuns.A(), KnownRuns.B());

        var m = Assert.Single(c.Metrics, m => m.Name == metric);
        Assert.Equal(a, m.A);
        Assert.Equal(b, m.B);
        Assert.Equal(b - a, m.Change!.Value, 9);
        Assert.Equal(relative, m.Relative!.Value, 9);
        Assert.Equal(arrow, m.Arrow);
        Assert.Equal(verdict, m.Verdict);
    }

    [Fact]
    public void Higher_throughput_is_better()
    {
        var m = new MetricDelta("server requests/s", 10, 12, Direction.Higher, "/s");

        Assert.Equal("▲ +20.0 % (better)", m.ChangeText());
    }

    [Fact]
    public void Db_statements_are_sorted_into_faster_slower_new_and_gone()
    {
        var c = Comparison.Of(KnownRuns.A(), KnownRuns.B());

        var kinds = c.Statements.ToDictionary(s => s.Statement, s => (s.Kind, s.ChangeMs));
        Assert.Equal(("faster", -5.0), kinds["SELECT x"]);
        Assert.Equal(("slower", 2.0), kinds["SELECT y"]);
        Assert.Equal(("new", (double?)null), kinds["SELECT new"]);
        Assert.Equal(("gone", (double?)null), kinds["SELECT gone"]);
    }

    [Fact]
    public void Diff_flame_graph_colours_slower_frames_red_faster_blue_and_unchanged_grey()
    {
        var c = Comparison.Of(KnownRuns.A(), KnownRuns.B());
        var diff = c.Diffs["cpu"];
        var nodes = diff.GraphB.Nodes().ToDictionary(n => n.Name);

        // Per request (both runs 100 requests); the larger whole is B's 3.5 per request.
        Assert.Equal(1.0 / 3.5, diff.Change(nodes["slow"]), 9);
        Assert.Equal(-0.5 / 3.5, diff.Change(nodes["fast"]), 9);
        Assert.Equal(0, diff.Change(nodes["same"]), 9);
        Assert.Equal("#ff1e1e", diff.Fill(nodes["slow"]));
        Assert.Equal("#1e1eff", diff.Fill(nodes["fast"]));
        Assert.Equal(DiffFlameGraph.Unchanged, diff.Fill(nodes["same"]));
        Assert.Equal("#ff1e1e", diff.Fill(nodes["main"]));
    }

    [Theory]
    [InlineData(0.001, "#d0d0d0")]
    [InlineData(-0.004, "#d0d0d0")]
    [InlineData(0.05, "#ff7373")]
    [InlineData(-0.05, "#7373ff")]
    [InlineData(0.5, "#ff1e1e")]
    public void Colour_scale_is_grey_under_noise_and_deepens_with_the_change(double change, string colour)
    {
        Assert.Equal(colour, DiffFlameGraph.Colour(change));
    }

    [Fact]
    public void A_longer_run_with_the_same_cost_per_request_is_not_slower()
    {
        var a = KnownRuns.A();
        var b = KnownRuns.A();
        b.TestId = "twice";
        b.Server = a.Server! with { Requests = 200 };
        b.Profiles["cpu"] = KnownRuns.Profile(("main;slow", 200), ("main;fast", 200), ("main;same", 200));

        var diff = Comparison.Of(a, b).Diffs["cpu"];

        Assert.All(diff.GraphB.Nodes(), n => Assert.Equal(DiffFlameGraph.Unchanged, diff.Fill(n)));
    }

    [Fact]
    public void V1_and_v2_routes_are_compared_as_one_endpoint()
    {
        var c = Comparison.Of(KnownRuns.A(), KnownRuns.B());

        Assert.True(c.VersionsAliased);
        var (endpoint, p95, mean) = Assert.Single(c.Endpoints);
        Assert.Equal("GET /v1/articles → /v2/articles", endpoint);
        Assert.Equal("▼ -25.0 % (better)", p95.ChangeText());
        Assert.Equal("▼ -50.0 % (better)", mean.ChangeText());
    }

    [Fact]
    public async Task Compare_command_writes_readme_and_diff_svg_from_saved_reports_only()
    {
        var root = Path.Combine(Path.GetTempPath(), "obs-compare-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            ReportFiles.Write(KnownRuns.A(), Path.Combine(root, "before"));
            ReportFiles.Write(KnownRuns.B(), Path.Combine(root, "after"));
            var output = new StringWriter();
            var error = new StringWriter();

            var exit = await ObsCli.RunAsync(["compare", "before", "after", "--out", root], output, error);

            Assert.True(exit == 0, error.ToString());
            var dir = Path.Combine(root, "compare-before-vs-after");
            var readme = await File.ReadAllTextAsync(Path.Combine(dir, "README.md"));
            Assert.Contains("| server p95 | 200 ms | 100 ms | ▼ -50.0 % (better) |", readme);
            Assert.Contains("| server p50 | 50.0 ms | 60.0 ms | ▲ +20.0 % (worse) |", readme);
            Assert.Contains("## DB statements that got slower", readme);
            Assert.Contains("| `SELECT y` | 1.00 ms | 3.00 ms | ▲ +200.0 % (worse) | 2 | 2 |", readme);
            Assert.Contains("## DB statements that got faster", readme);
            Assert.Contains("![flamegraph-diff-cpu](flamegraph-diff-cpu.svg)", readme);
            var svg = await File.ReadAllTextAsync(Path.Combine(dir, "flamegraph-diff-cpu.svg"));
            Assert.Contains("fill=\"#ff1e1e\"", svg);
            Assert.Contains("fill=\"#1e1eff\"", svg);
            Assert.Contains("fill=\"#d0d0d0\"", svg);
            Assert.Contains("server p95: 200 ms → 100 ms ▼ -50.0 % (better)", output.ToString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Compare_with_an_unknown_run_is_a_clear_error()
    {
        var root = Path.Combine(Path.GetTempPath(), "obs-compare-" + Guid.NewGuid().ToString("N")[..8]);
        var error = new StringWriter();

        var exit = await ObsCli.RunAsync(["compare", "nope-a", "nope-b", "--out", root], TextWriter.Null, error);

        Assert.Equal(ObsCli.BadInput, exit);
        Assert.Contains("no saved report for 'nope-a'", error.ToString());
        Assert.Contains("obs list", error.ToString());
    }
}
