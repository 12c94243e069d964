using Microsoft.AspNetCore.Http;
using Observability.Reports.Implementation;
using Observability.Reports.Model;

namespace Observability.Reports.Tests;

/// <summary>Which k6 series the client numbers come from (served Prometheus answers, by query text).</summary>
public sealed class PrometheusSectionTests
{
    private static readonly DateTimeOffset From = DateTimeOffset.FromUnixTimeSeconds(1795608000);
    private static readonly DateTimeOffset To = From.AddMinutes(5);

    [Fact]
    public async Task Client_quantiles_come_from_k6_native_histogram_when_k6_sends_one()
    {
        var report = await CollectAsync(query => query switch
        {
            _ when query.Contains("histogram_quantile(0.95, sum(increase(k6_http_req_duration_seconds{", StringComparison.Ordinal) => 0.8,
            _ when query.Contains("histogram_quantile(0.5, sum(increase(k6_http_req_duration_seconds{", StringComparison.Ordinal) => 0.2,
            _ when query.Contains("k6_http_req_duration_p95", StringComparison.Ordinal) => 9,
            _ when query.Contains("expected_response=\"false\"", StringComparison.Ordinal) => 3,
            _ when query.Contains("k6_http_reqs_total", StringComparison.Ordinal) => 300,
            _ => null,
        });

        Assert.Equal(300, report.Client!.Requests);
        Assert.Equal(0.01, report.Client.ErrorRate!.Value, 9);
        Assert.Equal(800, report.Client.P95Ms!.Value, 9);
        Assert.Equal(200, report.Client.P50Ms!.Value, 9);
        Assert.Null(report.Client.P99Ms);
        Assert.Equal(1.0, report.Client.RequestsPerSecond!.Value, 9);
        Assert.Contains("native histogram", report.Client.Note);
    }

    [Fact]
    public async Task Client_quantiles_fall_back_to_the_highest_trend_stat()
    {
        var report = await CollectAsync(query => query switch
        {
            _ when query.StartsWith("max(last_over_time(k6_http_req_duration_p95{testid=\"t\"}[300s]))", StringComparison.Ordinal) => 0.9,
            _ when query.StartsWith("max(last_over_time(k6_http_req_duration_p99{testid=\"t\"}[300s]))", StringComparison.Ordinal) => 1.2,
            _ when query.StartsWith("max(last_over_time(k6_http_req_duration_med{testid=\"t\"}[300s]))", StringComparison.Ordinal) => 0.1,
            _ when query.Contains("k6_http_reqs_total", StringComparison.Ordinal) && !query.Contains("expected_response", StringComparison.Ordinal) => 50,
            _ => null,
        });

        Assert.Equal(50, report.Client!.Requests);
        Assert.Equal(0, report.Client.Errors);
        Assert.Equal(900, report.Client.P95Ms!.Value, 9);
        Assert.Equal(1200, report.Client.P99Ms!.Value, 9);
        Assert.Equal(100, report.Client.P50Ms!.Value, 9);
        Assert.Contains("trend stats", report.Client.Note);
        // No server histogram for this id: said so, and no routes asked for.
        Assert.Null(report.Server);
        Assert.Contains(report.Missing, m => m.StartsWith("server metrics: no http_server_request_duration_seconds_count", StringComparison.Ordinal));
    }

    private static async Task<RunReport> CollectAsync(Func<string, double?> valueFor)
    {
        await using var prometheus = await ServedBackend.JsonAsync(new Dictionary<string, Func<IQueryCollection, string>>
        {
            ["/api/v1/query"] = q => valueFor(q["query"].ToString()) is { } v
                ? $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[{{{To.ToUnixTimeSeconds()}}},"{{{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}"]}]}}"""
                : """{"status":"success","data":{"resultType":"vector","result":[]}}""",
            ["/api/v1/query_range"] = _ => """{"status":"success","data":{"resultType":"matrix","result":[]}}""",
        });
        var report = new RunReport { TestId = "t", From = From, To = To };
        using var http = new HttpClient();

        await new PrometheusSection(new PrometheusClient(http, prometheus.BaseUrl), new Progress(TextWriter.Null), TimeSpan.FromSeconds(5))
            .CollectAsync(report, CancellationToken.None);
        return report;
    }
}
