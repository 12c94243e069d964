using Microsoft.AspNetCore.Http;
using TestSupport;

namespace Observability.Reports.Tests;

/// <summary>What <c>obs report</c> says and returns when it cannot make a report.</summary>
public sealed class ReportCommandErrorTests
{
    private const string EmptyVector = """{"status":"success","data":{"resultType":"vector","result":[]}}""";
    private const string EmptyMatrix = """{"status":"success","data":{"resultType":"matrix","result":[]}}""";

    [Fact]
    public async Task Unknown_test_id_is_no_data_and_names_the_test_ids_prometheus_knows()
    {
        await using var prometheus = await ServedBackend.JsonAsync(new Dictionary<string, Func<IQueryCollection, string>>
        {
            ["/api/v1/query_range"] = _ => EmptyMatrix,
            ["/api/v1/query"] = _ => EmptyVector,
            ["/api/v1/label/testid/values"] = _ => """{"status":"success","data":["none","run-a","run-b"]}""",
        });
        var error = new StringWriter();

        var exit = await ObsCli.RunAsync(["report", "--testid", "typo", "--prometheus", prometheus.BaseUrl, "--lookback", "2h"], TextWriter.Null, error);

        Assert.Equal(ObsCli.NoData, exit);
        Assert.Contains("no data for test id \"typo\" in Prometheus over the last 2 h", error.ToString());
        Assert.Contains("Test ids seen: run-a, run-b.", error.ToString());
        // Both counters were scanned, over the look-back.
        var scans = prometheus.Requests.Where(r => r.Path == "/api/v1/query_range").ToList();
        Assert.Contains(scans, r => r.Query["query"] == "sum(k6_http_reqs_total{testid=\"typo\"})");
        Assert.Contains(scans, r => r.Query["query"] == "sum(http_server_request_duration_seconds_count{testid=\"typo\"})");
    }

    [Fact]
    public async Task Unreachable_prometheus_without_a_window_is_a_backend_error_that_says_what_to_do()
    {
        var closed = "http://127.0.0.1:" + FreePort.Tcp();
        var error = new StringWriter();

        var exit = await ObsCli.RunAsync(["report", "--testid", "x", "--prometheus", closed], TextWriter.Null, error);

        Assert.Equal(ObsCli.BackendFailed, exit);
        Assert.Contains($"Prometheus: unreachable at {closed}", error.ToString());
        Assert.Contains("pass --from and --to", error.ToString());
    }

    [Fact]
    public async Task Every_backend_down_is_a_backend_error_listing_each()
    {
        var closed = "http://127.0.0.1:" + FreePort.Tcp();
        var error = new StringWriter();

        var exit = await ObsCli.RunAsync(
            ["report", "--testid", "x", "--from", "2026-11-25T10:00:00Z", "--to", "2026-11-25T10:05:00Z",
             "--prometheus", closed, "--tempo", closed, "--pyroscope", closed],
            TextWriter.Null, error);

        Assert.Equal(ObsCli.BackendFailed, exit);
        var text = error.ToString();
        Assert.Contains("no backend answered", text);
        Assert.Contains("- Prometheus: unreachable", text);
        Assert.Contains("- Tempo: unreachable", text);
        Assert.Contains("- Pyroscope: unreachable", text);
    }

    [Theory]
    [InlineData("--from", "yesterday", "--from: 'yesterday' is not a time")]
    [InlineData("--lookback", "6 hours", "--lookback: '6 hours' is not a duration")]
    [InlineData("--prometheus", "localhost:9090", "--prometheus: 'localhost:9090' is not an http(s) URL")]
    [InlineData("--to", "2020-01-01T00:00:00Z", "must be after --from")]
    public async Task Bad_arguments_are_named(string option, string value, string message)
    {
        var error = new StringWriter();
        string[] from = option == "--to" ? ["--from", "2021-01-01T00:00:00Z"] : [];

        string[] prometheus = option == "--prometheus" ? [] : ["--prometheus", "http://127.0.0.1:1"];

        var exit = await ObsCli.RunAsync(["report", "--testid", "x", option, value, .. from, .. prometheus], TextWriter.Null, error);

        Assert.Equal(ObsCli.BadInput, exit);
        Assert.Contains(message, error.ToString());
    }

    [Theory]
    [InlineData("""{"status":"success","data":{"result":[]}}""", "unexpected answer shape")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1]}]}}""", "unexpected answer shape")]
    [InlineData("not json at all", "is not JSON")]
    public async Task Odd_prometheus_answers_are_backend_errors_not_crashes(string answer, string message)
    {
        await using var prometheus = await ServedBackend.StartAsync(async c =>
        {
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync(answer);
        });
        var error = new StringWriter();

        var exit = await ObsCli.RunAsync(["report", "--testid", "x", "--prometheus", prometheus.BaseUrl], TextWriter.Null, error);

        Assert.Equal(ObsCli.BackendFailed, exit);
        Assert.Contains(message, error.ToString());
    }

    [Fact]
    public async Task Missing_test_id_is_a_usage_error()
    {
        var error = new StringWriter();

        var exit = await ObsCli.RunAsync(["report"], TextWriter.Null, error);

        Assert.Equal(ObsCli.BadInput, exit);
        Assert.Contains("--testid", error.ToString());
    }

    [Fact]
    public async Task Prometheus_query_error_is_reported_with_its_message()
    {
        await using var prometheus = await ServedBackend.StartAsync(async c =>
        {
            c.Response.StatusCode = 400;
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("""{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": parse error"}""");
        });
        var error = new StringWriter();

        var exit = await ObsCli.RunAsync(["report", "--testid", "x", "--prometheus", prometheus.BaseUrl], TextWriter.Null, error);

        Assert.Equal(ObsCli.BackendFailed, exit);
        Assert.Contains("HTTP 400", error.ToString());
        Assert.Contains("parse error", error.ToString());
    }
}
