using Microsoft.AspNetCore.Http;
using Observability.Reports.Implementation;
using Observability.Reports.Model;

namespace Observability.Reports.Tests;

public sealed class TempoSectionTests
{
    private static readonly DateTimeOffset From = DateTimeOffset.FromUnixTimeSeconds(1764064790);
    private static readonly DateTimeOffset To = DateTimeOffset.FromUnixTimeSeconds(1764064830);

    [Fact]
    public async Task Slowest_traces_are_sorted_by_duration_and_db_statements_by_total_time()
    {
        await using var tempo = await ServedBackend.JsonAsync(new Dictionary<string, Func<IQueryCollection, string>>
        {
            ["/api/search"] = q => q["q"].ToString().Contains(">>") ? Answers.TempoDbSpans : Answers.TempoTraces,
        });
        var report = new RunReport { TestId = "run-1", From = From, To = To };
        using var http = new HttpClient();

        await new TempoSection(new TempoClient(http, tempo.BaseUrl), new Progress(TextWriter.Null)).CollectAsync(report, CancellationToken.None);

        Assert.Equal(["a1b2c3d4e5f60718293a4b5c6d7e8f90", "2f3e0cee77ae5dc9c17ade3689eb2e54", "ffeeddccbbaa99887766554433221100"],
            report.SlowTraces.Select(t => t.TraceId));
        Assert.Equal([1200.0, 250.0, 40.0], report.SlowTraces.Select(t => t.DurationMs));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764064801000), report.SlowTraces[0].Start);

        // The multi-line and the one-line text of the same statement are one row; the newer attribute names count too.
        Assert.Equal(2, report.DbStatements.Count);
        var articles = report.DbStatements[0];
        Assert.Equal("SELECT a.id, (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id) FROM articles a", articles.Statement);
        Assert.Equal("postgresql", articles.System);
        Assert.Equal(2, articles.Count);
        Assert.Equal(1000, articles.TotalMs, 6);
        Assert.Equal(500, articles.MeanMs, 6);
        Assert.Equal(900, articles.MaxMs, 6);
        Assert.Equal("a1b2c3d4e5f60718293a4b5c6d7e8f90", articles.SlowestTraceId);
        Assert.Equal("SELECT name FROM users WHERE id = $1", report.DbStatements[1].Statement);
        Assert.Equal(20, report.DbStatements[1].TotalMs, 6);
        Assert.Empty(report.Missing);
    }

    [Fact]
    public async Task Search_is_asked_with_traceql_for_the_test_id_and_the_window_in_seconds()
    {
        await using var tempo = await ServedBackend.JsonAsync(new Dictionary<string, Func<IQueryCollection, string>>
        {
            ["/api/search"] = _ => """{"traces":[],"metrics":{}}""",
        });
        var report = new RunReport { TestId = "run \"7\"", From = From, To = To };
        using var http = new HttpClient();

        await new TempoSection(new TempoClient(http, tempo.BaseUrl), new Progress(TextWriter.Null), traceLimit: 50).CollectAsync(report, CancellationToken.None);

        var asked = tempo.Requests.ToList();
        Assert.Equal(2, asked.Count);
        Assert.All(asked, r =>
        {
            Assert.Equal("/api/search", r.Path);
            Assert.Equal("1764064790", r.Query["start"]);
            Assert.Equal("1764064831", r.Query["end"]);
            Assert.Equal("50", r.Query["limit"]);
        });
        Assert.Equal("{ span.k6.testid = \"run \\\"7\\\"\" }", asked[0].Query["q"]);
        Assert.StartsWith("{ span.k6.testid = \"run \\\"7\\\"\" } >> { span.db.system != nil", asked[1].Query["q"].ToString());
        Assert.Contains("select(span.db.statement", asked[1].Query["q"].ToString());
        Assert.Equal(2, report.Missing.Count);
        Assert.Contains(report.Missing, m => m.StartsWith("traces:", StringComparison.Ordinal));
        Assert.Contains(report.Missing, m => m.StartsWith("DB statements:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tempo_error_answer_is_a_backend_error_that_names_tempo()
    {
        await using var tempo = await ServedBackend.StartAsync(async c =>
        {
            c.Response.StatusCode = 400;
            await c.Response.WriteAsync("invalid TraceQL query: parse error at line 1");
        });
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<BackendException>(() =>
            new TempoClient(http, tempo.BaseUrl).SearchAsync("{", From, To, 10, 3, CancellationToken.None));

        Assert.Equal("Tempo", ex.Backend);
        Assert.Contains("HTTP 400", ex.Message);
        Assert.Contains("invalid TraceQL", ex.Message);
    }
}
