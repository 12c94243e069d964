using System.Text.Json;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport.Otlp;
using TestSupport;

namespace Observability.Hosting.Tests;

/// <summary>
/// A real Prometheus (exemplar storage on) scrapes the management port of a real app: the request histogram
/// has its series, its exemplar carries the trace id of the span the app exported, and promtool finds no
/// problem in the exposition.
/// </summary>
public sealed class PrometheusScrapeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Prometheus_scrapes_histograms_with_exemplars_that_match_exported_spans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(), postgres.ConnectionString);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);

        var traceId = TracedRequest.NewTraceId();
        using (var request = TracedRequest.Get("/items/7", traceId))
        {
            request.Headers.Add("baggage", "k6.testid=scrape-run");
            using var response = await host.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer),
            TimeSpan.FromSeconds(30), "server span");
        var serverSpan = spans.Single(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer);

        var config = PrometheusServer.ScrapeConfig(TimeSpan.FromSeconds(1), ("app", $"127.0.0.1:{host.ManagementPort}"));
        await using var prometheus = await PrometheusServer.StartAsync(config);
        await prometheus.WaitForTargetsUpAsync(TimeSpan.FromSeconds(60));

        const string selector = "http_server_request_duration_seconds_bucket{http_route=\"/items/{id:int}\",http_request_method=\"GET\",http_response_status_code=\"200\",testid=\"scrape-run\"}";
        using (var series = await prometheus.WaitForSeriesAsync(selector, TimeSpan.FromSeconds(60)))
            Assert.True(series.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() >= 11);
        using (var db = await prometheus.WaitForSeriesAsync("db_client_operation_duration_seconds_count{db_system_name=\"postgresql\",db_operation_name=\"SELECT\"}", TimeSpan.FromSeconds(60)))
            Assert.True(db.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() >= 1);

        var exemplarTraceIds = await WaitForExemplarTraceIdsAsync(prometheus, selector, start, TimeSpan.FromSeconds(60));
        Assert.Contains(serverSpan.TraceId, exemplarTraceIds);

        var exposition = await host.ScrapeAsync();
        // Npgsql's pool gauge, under its semantic-convention name: promtool's one documented lint warning.
        Assert.Contains("\n# TYPE db_client_connection_count gauge\n", exposition);
        Assert.Contains("db_client_connection_state=\"idle\"", exposition);
        await AssertOnlyThePoolGaugeLintAsync(exposition);
    }

    [Fact]
    public async Task The_runtimes_count_gauges_stay_off_metrics()
    {
        await using var host = await TestHost.StartAsync();
        (await host.Client.GetAsync("/hello")).EnsureSuccessStatusCode();

        var exposition = await host.ScrapeAsync();

        Assert.Contains("\n# TYPE dotnet_gc_collections_total counter\n", exposition);
        Assert.DoesNotContain("dotnet_assembly_count", exposition);
        Assert.DoesNotContain("dotnet_thread_pool_thread_count", exposition);
        await AssertOnlyThePoolGaugeLintAsync(exposition);
    }

    // promtool warns of a gauge ending in _count; Npgsql's pool gauge keeps its semantic-convention name all the same
    // (docs/telemetry-names.md). Anything else it finds fails the test, and so does any other exit code.
    private static async Task AssertOnlyThePoolGaugeLintAsync(string exposition)
    {
        const string poolGauge = "db_client_connection_count non-histogram and non-summary metrics should not have \"_count\" suffix";
        var check = await ProcessRunner.RunAsync(Tools.Promtool, ["check", "metrics"], TimeSpan.FromSeconds(60), stdin: exposition);
        var lint = (check.StdOut + check.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(check.ExitCode == (lint.Length == 0 ? 0 : 3) && lint.All(line => line == poolGauge), check.Output);
    }

    private static async Task<List<string>> WaitForExemplarTraceIdsAsync(PrometheusServer prometheus, string selector, DateTimeOffset start, TimeSpan timeout)
    {
        var found = await Eventually.ReturnsAsync(
            async () =>
            {
                using var answer = await prometheus.QueryExemplarsAsync(selector, start, DateTimeOffset.UtcNow.AddMinutes(1));
                var ids = new List<string>();
                foreach (var series in answer.RootElement.GetProperty("data").EnumerateArray())
                    foreach (var exemplar in series.GetProperty("exemplars").EnumerateArray())
                        if (exemplar.GetProperty("labels").TryGetProperty("trace_id", out var id)) ids.Add(id.GetString()!);
                return (Ids: ids, Answer: answer.RootElement.GetRawText());
            },
            result => result.Ids.Count > 0,
            timeout,
            "exemplars with a trace_id",
            result => result.Answer);
        return found.Ids;
    }
}
