using Observability.Reports.Tests.RealApi;

namespace Observability.Reports.Tests;

/// <summary>Reports on the real sample service: Prometheus scraped it, its spans and profiles are served back.</summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class ArticlesApiReportTests(ArticlesApiFixture fixture)
{
    [Theory]
    [InlineData(ArticlesApiFixture.V1)]
    [InlineData(ArticlesApiFixture.V2)]
    public async Task Request_count_and_p95_match_promql_for_the_same_window(string testId)
    {
        var (exit, output, error) = fixture.Runs["report-" + testId];
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}\n{fixture.ApiLog()}");
        var report = fixture.Data(testId);
        var selector = $"{{testid=\"{testId}\"}}";

        var count = await fixture.Prometheus.ScalarAsync($"sum(http_server_request_duration_seconds_count{selector})", report.To);
        var p95 = await fixture.Prometheus.ScalarAsync($"histogram_quantile(0.95, sum by (le) (http_server_request_duration_seconds_bucket{selector}))", report.To);

        Assert.Equal(fixture.Sent[testId], report.Server!.Requests);
        Assert.Equal(count, report.Server.Requests);
        Assert.Equal(p95!.Value * 1000, report.Server.P95Ms!.Value, 6);
        Assert.Equal(0, report.Server.Errors);
        Assert.Equal(fixture.Sent[testId], report.Endpoints.Sum(e => e.Requests));
        Assert.Equal(fixture.Sent[testId], report.Client!.Requests);
        Assert.Equal(0, report.Client.ErrorRate);
        Assert.True(report.From < fixture.LoadTimes[testId].First, $"{report.From:O} vs {fixture.LoadTimes[testId].First:O}");
        Assert.True(report.To > fixture.LoadTimes[testId].Last.AddSeconds(-2), $"{report.To:O} vs {fixture.LoadTimes[testId].Last:O}");
    }

    [Theory]
    [InlineData(ArticlesApiFixture.V1)]
    [InlineData(ArticlesApiFixture.V2)]
    public async Task Traces_db_statements_and_profiles_come_from_the_service(string testId)
    {
        var report = fixture.Data(testId);

        Assert.True(report.Missing.Count == 0, string.Join("\n", report.Missing));
        Assert.NotEmpty(report.SlowTraces);
        Assert.NotEmpty(report.DbStatements);
        Assert.Contains(report.DbStatements, s => s.Statement.Contains("FROM articles", StringComparison.OrdinalIgnoreCase));
        // The seed's wish: DB waits show up in a flame graph (the request-time profile built from spans).
        Assert.Contains(report.Profiles["request"].Stacks, s => s.Frames.Any(f => f.StartsWith("postgresql", StringComparison.Ordinal)));
        var received = fixture.Spans.Count(s => s.Attributes.GetValueOrDefault("k6.testid") == testId);
        var dropped = await fixture.Prometheus.ScalarAsync("sum(observability_spans_dropped_total)", DateTimeOffset.UtcNow) ?? 0;
        Assert.InRange(received, fixture.Sent[testId] - dropped, fixture.Sent[testId]);
    }

    [Fact]
    public void Comparison_shows_v2_faster_and_the_correlated_count_query_gone()
    {
        var (exit, output, error) = fixture.Runs["compare"];
        Assert.True(exit == 0, output + error);
        var v1 = fixture.Data(ArticlesApiFixture.V1);
        var v2 = fixture.Data(ArticlesApiFixture.V2);
        var readme = File.ReadAllText(Path.Combine(fixture.RunDir($"compare-{ArticlesApiFixture.V1}-vs-{ArticlesApiFixture.V2}"), "README.md"));

        Assert.True(v2.Server!.P95Ms < v1.Server!.P95Ms, $"v1 p95 {v1.Server.P95Ms} ms, v2 p95 {v2.Server.P95Ms} ms");
        Assert.Matches(@"\| server p95 \| [0-9.,]+ ms \| [0-9.,]+ ms \| ▼ -[0-9.]+ % \(better\) \|", readme);
        Assert.Matches("GET /v1/articles/? → /v2/articles/?", readme);
        var gone = readme[readme.IndexOf("## DB statements only in A", StringComparison.Ordinal)..];
        Assert.Contains("(SELECT count(*) FROM comments c WHERE c.article_id = a.id)", gone);
        Assert.Contains("![flamegraph-diff-request](flamegraph-diff-request.svg)", readme);
    }
}
