using System.Globalization;
using Observability.Reports.Tests.Scenario;

namespace Observability.Reports.Tests;

/// <summary>The report's numbers against a real Prometheus that scraped the simulated runs.</summary>
[Collection(ReportScenarioCollection.Name)]
public sealed class RealPrometheusReportTests(ReportScenarioFixture fixture)
{
    [Theory]
    [InlineData(ReportScenarioFixture.V1)]
    [InlineData(ReportScenarioFixture.V2)]
    public async Task Request_count_and_p95_match_promql_for_the_same_window(string testId)
    {
        AssertRan("report-" + testId);
        var report = fixture.Data(testId);
        var sent = fixture.Recorded[testId];

        var promCount = await fixture.Prometheus.ScalarAsync($"sum(http_server_request_duration_seconds_count{{testid=\"{testId}\"}})", report.To);
        var promP95 = await fixture.Prometheus.ScalarAsync(
            $"histogram_quantile(0.95, sum by (le) (http_server_request_duration_seconds_bucket{{testid=\"{testId}\"}}))", report.To);
        var promP50 = await fixture.Prometheus.ScalarAsync(
            $"histogram_quantile(0.5, sum by (le) (http_server_request_duration_seconds_bucket{{testid=\"{testId}\"}}))", report.To);

        Assert.NotNull(report.Server);
        Assert.Equal(sent.Count, report.Server.Requests);
        Assert.Equal(promCount, report.Server.Requests);
        Assert.NotNull(promP95);
        Assert.Equal(promP95.Value * 1000, report.Server.P95Ms!.Value, 6);
        Assert.Equal(promP50!.Value * 1000, report.Server.P50Ms!.Value, 6);

        // And the quantile is where the data put it: between the true 90th and 99th percentile's bucket bounds.
        var sorted = sent.Select(r => r.Request.Seconds).Order().ToList();
        var bucketBelow = MetricsApp.Buckets.LastOrDefault(b => b < sorted[(int)(0.90 * sorted.Count)]);
        var bucketAbove = MetricsApp.Buckets.First(b => b >= sorted[(int)(0.99 * sorted.Count)]);
        Assert.InRange(report.Server.P95Ms.Value, bucketBelow * 1000, bucketAbove * 1000);

        Assert.Equal(sent.Count(r => r.Request.Status >= 500), report.Server.Errors);
    }

    [Theory]
    [InlineData(ReportScenarioFixture.V1)]
    [InlineData(ReportScenarioFixture.V2)]
    public void Window_is_found_from_the_data_and_holds_every_batch(string testId)
    {
        var report = fixture.Data(testId);
        var sent = fixture.Recorded[testId];

        Assert.StartsWith("found from k6_http_reqs_total", report.WindowSource);
        Assert.True(report.From < sent[0].Time, $"window starts {report.From:O}, first batch {sent[0].Time:O}");
        Assert.True(report.To >= sent[^1].Time.AddSeconds(-1), $"window ends {report.To:O}, last batch {sent[^1].Time:O}");
        Assert.InRange(report.WindowSeconds, 1, 120);
    }

    [Theory]
    [InlineData(ReportScenarioFixture.V1)]
    [InlineData(ReportScenarioFixture.V2)]
    public void Routes_and_k6_client_numbers_match_what_was_sent(string testId)
    {
        var report = fixture.Data(testId);
        var sent = fixture.Recorded[testId].Select(r => r.Request).ToList();

        var expected = sent.GroupBy(r => $"{r.Method} {r.Route}").ToDictionary(g => g.Key, g => (double)g.Count());
        Assert.Equal(expected, report.Endpoints.ToDictionary(e => e.Key, e => e.Requests));
        foreach (var endpoint in report.Endpoints)
        {
            var mine = sent.Where(r => $"{r.Method} {r.Route}" == endpoint.Key).ToList();
            Assert.Equal(mine.Average(r => r.Seconds) * 1000, endpoint.MeanMs!.Value, 3);
        }

        Assert.NotNull(report.Client);
        Assert.Equal(sent.Count, report.Client.Requests);
        Assert.Equal(sent.Count(r => r.Status >= 400) / (double)sent.Count, report.Client.ErrorRate!.Value, 9);
        // Trend stats: the highest p95 across request names, in milliseconds.
        var slowest = sent.Where(r => r.Status < 400).GroupBy(r => (r.Route, r.Method)).Max(g =>
        {
            var s = g.Select(r => r.Seconds).Order().ToList();
            return s[(int)Math.Ceiling(0.95 * s.Count) - 1];
        });
        Assert.Equal(slowest * 1000, report.Client.P95Ms!.Value, 6);
    }

    [Fact]
    public void Readme_has_the_summary_tables_and_links_and_every_file_is_written()
    {
        var dir = fixture.RunDir(ReportScenarioFixture.V1);
        var readme = File.ReadAllText(Path.Combine(dir, "README.md"));
        var report = fixture.Data(ReportScenarioFixture.V1);

        Assert.Contains("# Load test `v1-run`", readme);
        Assert.Contains($"| server | {report.Server!.Requests.ToString("#,0", CultureInfo.InvariantCulture)} |", readme);
        Assert.Contains("## Top endpoints", readme);
        Assert.Contains("`GET /v1/articles`", readme);
        Assert.Contains("## Top DB statements", readme);
        Assert.Contains("SELECT COUNT(*) FROM comments", readme);
        Assert.Contains("Top CPU frames", readme);
        Assert.Contains("`System.Security.Cryptography.RSAOpenSsl.VerifyHash`", readme);
        Assert.Contains($"http://localhost:3000/d/load-test?from={report.From.ToUnixTimeMilliseconds()}&to={report.To.ToUnixTimeMilliseconds()}&var-testid=v1-run", readme);
        Assert.Contains("http://localhost:3000/explore?", readme);
        Assert.DoesNotContain("Partial report", readme);
        foreach (var file in new[] { "latency.svg", "throughput.svg", "flamegraph-cpu.svg", "flamegraph-wall.svg", "flamegraph-request.svg", "data.json" })
        {
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
            Assert.Contains($"({file})", readme);
        }

        // The slowest DB statement by total time is v1's correlated COUNT query.
        Assert.Contains("(SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id)", report.DbStatements[0].Statement);
        Assert.Equal("System.Security.Cryptography.RSAOpenSsl.VerifyHash",
            Implementation.FrameStats.Compute(report.Profiles["cpu"])[0].Name);
    }

    [Fact]
    public void Unreachable_tempo_gives_a_partial_report_that_says_so()
    {
        var (exit, output, error) = fixture.Runs["partial"];
        Assert.True(exit == 0, output + error);
        var readme = File.ReadAllText(Path.Combine(fixture.PartialDir, ReportScenarioFixture.V1, "README.md"));

        Assert.Contains("> **Partial report.** Missing:", readme);
        Assert.Contains("Tempo part (all of it): unreachable at http://127.0.0.1:", readme);
        Assert.Contains("partial report, 1 part(s) missing", output);
        Assert.Contains("! Tempo: unreachable", error);
        // The rest is still there.
        Assert.Contains("| server | ", readme);
        Assert.True(File.Exists(Path.Combine(fixture.PartialDir, ReportScenarioFixture.V1, "flamegraph-cpu.svg")));
    }

    [Fact]
    public void Progress_goes_to_stderr_and_the_result_to_stdout()
    {
        var (_, output, error) = fixture.Runs["report-" + ReportScenarioFixture.V1];

        Assert.Contains("… Prometheus: finding the window of test v1-run", error);
        Assert.Contains("… Tempo: DB spans of the test run", error);
        Assert.Contains("… Pyroscope: request profile", error);
        Assert.StartsWith("wrote ", output);
        Assert.DoesNotContain("…", output);
    }

    [Fact]
    public void List_shows_both_saved_runs()
    {
        var (exit, output, _) = fixture.Runs["list"];

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("v1-run", lines[1]);
        Assert.StartsWith("v2-run", lines[2]);
    }

    private void AssertRan(string name)
    {
        var (exit, output, error) = fixture.Runs[name];
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
    }
}
