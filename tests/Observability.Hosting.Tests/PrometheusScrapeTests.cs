using System.Diagnostics;
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
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.OtlpEndpoint] = receiver.HttpEndpoint.ToString(),
            [ObservabilityConfigKeys.OtlpProtocol] = "http/protobuf",
        }, postgres.ConnectionString);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);

        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/items/7"))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
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
        var check = await ProcessRunner.RunAsync(Tools.Promtool, ["check", "metrics"], TimeSpan.FromSeconds(60), stdin: exposition);
        Assert.True(check.ExitCode == 0 && check.StdOut.Trim().Length == 0 && check.StdErr.Trim().Length == 0, check.Output);
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
