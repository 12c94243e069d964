using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Observability.Hosting.Implementation;
using Observability.Hosting.Tests.Infrastructure;
using OpenTelemetry.Metrics;
using TestSupport;
using TestSupport.Otlp;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

/// <summary>
/// <c>OTEL_METRICS_EXPORTER</c>: OTLP metrics decoded in the test (ASP.NET Core's request histogram with the route and
/// the bounded k6 test id, the application's meters, the DB histogram), what each value does to the push and to
/// <c>/metrics</c>, and that the pushed names become those of <c>/metrics</c> under the OpenTelemetry-to-Prometheus rules.
/// </summary>
public sealed class MetricsExportTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string RequestDuration = "http.server.request.duration";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(ExportSettings.Protocols), MemberType = typeof(ExportSettings))]
    public async Task Requests_and_application_meters_arrive_over_otlp_with_route_and_test_id(string protocol)
    {
        using var orders = new Meter(TestHost.ApplicationName + ".OtlpOrders." + protocol.Replace('/', '_'));
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(
            receiver.ExportingTo(protocol, (K.OtelMetricsExporter, "otlp"), (K.ServiceName, "metrics-export-test")));
        orders.CreateCounter<long>("orders.placed", unit: "{order}").Add(3, new KeyValuePair<string, object?>("order.kind", "express"));
        var traceId = TracedRequest.NewTraceId();
        using var request = TracedRequest.Get("/orders/1", traceId);
        request.Headers.Add("baggage", "k6.testid=run-otlp-1");
        (await host.Client.SendAsync(request)).EnsureSuccessStatusCode();
        (await host.Client.GetAsync("/health")).EnsureSuccessStatusCode();

        var points = await PushUntilAsync(host, receiver, all => all.Any(IsOrdersRequest) && all.Any(p => p.MetricName == "orders.placed"),
            "the /orders request and the application's counter");

        var duration = points.Last(IsOrdersRequest);
        Assert.Equal(ReceivedMetricPoint.KindHistogram, duration.Kind);
        Assert.Equal(ReceivedMetricPoint.Cumulative, duration.Temporality);
        Assert.Equal("s", duration.Unit);
        Assert.Equal(1ul, duration.Count);
        Assert.Equal("run-otlp-1", duration.Attribute(TestIdLabel));
        Assert.Equal("GET", duration.Attribute("http.request.method"));
        Assert.Equal("200", duration.Attribute("http.response.status_code"));
        Assert.Equal("http", duration.Attribute("url.scheme"));
        Assert.Equal(HostingMetrics.DurationBuckets, duration.ExplicitBounds);
        Assert.Contains(traceId, duration.ExemplarTraceIds);
        Assert.Equal("metrics-export-test", duration.Resource["service.name"]);
        // Health requests are measured nowhere, as on /metrics.
        Assert.DoesNotContain(points, p => p.MetricName == RequestDuration && p.Attribute("url.path") == "/health");
        Assert.All(points.Where(p => p.MetricName == RequestDuration), p => Assert.NotNull(p.Attribute(TestIdLabel)));

        var counter = points.Last(p => p.MetricName == "orders.placed");
        Assert.Equal(ReceivedMetricPoint.KindSum, counter.Kind);
        Assert.True(counter.IsMonotonic);
        Assert.Equal(ReceivedMetricPoint.Cumulative, counter.Temporality);
        Assert.Equal(3, counter.Value);
        Assert.Equal("express", counter.Attribute("order.kind"));

        // Without prometheus in the list, /metrics is not served.
        using var scrape = await host.Management!.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
    }

    public static TheoryData<string?, bool, bool> ExporterLists() => new()
    {
        // OTEL_METRICS_EXPORTER, pushed over OTLP, served on /metrics
        { null, false, true },
        { "prometheus", false, true },
        { "otlp", true, false },
        { "otlp,prometheus", true, true },
        { " Prometheus , OTLP ", true, true },
        { "none", false, false },
    };

    [Theory]
    [MemberData(nameof(ExporterLists))]
    public async Task Each_exporter_list_pushes_and_serves_what_it_names(string? exporters, bool pushed, bool served)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: (K.OtelMetricsExporter, exporters)));
        var traceId = await host.Client.GetTracedAsync("/orders/1");

        host.FlushTraces();
        // The span's export says the request has ended (its duration is recorded); then what would be pushed is pushed.
        await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == traceId), Wait, "the /orders span");
        if (pushed) await PushUntilAsync(host, receiver, all => all.Any(IsOrdersRequest), "the /orders request histogram");
        else host.FlushMetrics();

        Assert.Equal(pushed, receiver.Requests.Any(r => r.Path == "/v1/metrics"));
        // /metrics alone has a provider too, with no reader: an app's ConfigureOpenTelemetryMeterProvider runs there.
        Assert.Equal(pushed || served, host.App.Services.GetService<MeterProvider>() is not null);
        using var scrape = await host.Management!.GetAsync("metrics");
        Assert.Equal(served ? HttpStatusCode.OK : HttpStatusCode.NotFound, scrape.StatusCode);
        if (served) Assert.Contains("http_server_request_duration_seconds_bucket{", await scrape.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pushed_names_become_the_names_on_metrics_under_the_prometheus_rules()
    {
        using var own = new Meter(TestHost.ApplicationName + ".OtlpNames");
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: (K.OtelMetricsExporter, "otlp,prometheus")), postgres.ConnectionString);
        own.CreateHistogram<double>("names.work.duration", unit: "s").Record(0.2);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/7");
        request.Headers.Add("baggage", "k6.testid=run-names-1");
        (await host.Client.SendAsync(request)).EnsureSuccessStatusCode();
        (await host.Client.GetAsync("/outgoing")).EnsureSuccessStatusCode();

        host.FlushTraces();
        var points = await PushUntilAsync(host, receiver,
            all => all.Any(p => p.MetricName == HostingMetrics.OtelDbClientOperationDuration) && all.Any(p => p.MetricName == "names.work.duration"),
            "the DB histogram and the application's histogram");
        var text = await host.ScrapeAsync();

        Assert.Contains(points, p => p.MetricName == "dotnet.thread_pool.queue.length" && p.Kind == ReceivedMetricPoint.KindSum && p.IsMonotonic);
        var db = points.Last(p => p.MetricName == HostingMetrics.OtelDbClientOperationDuration);
        Assert.Equal(HostingMetrics.MeterName, db.ScopeName);
        Assert.Equal("postgresql", db.Attribute("db.system.name"));
        Assert.Equal("SELECT", db.Attribute("db.operation.name"));
        Assert.Contains(points, p => p.MetricName == RequestDuration && p.Attribute(TestIdLabel) == "run-names-1" && p.Attribute("http.route") == "/items/{id:int}");
        Assert.Contains("testid=\"run-names-1\"", text);

        // Every pushed metric's Prometheus name, and each of its attributes as a label, is on /metrics; but the documented
        // difference (the runtime declares the queue length a counter, /metrics corrects it to a gauge) and Npgsql's
        // prepared ratio, which Npgsql computes per reading, so the reader that reads first (here the flush) takes it.
        var missing = points.Where(p => p.MetricName is not "dotnet.thread_pool.queue.length" and not "db.client.operation.npgsql.prepared_ratio")
            .Select(p => (Name: PrometheusName(p), p.Attributes))
            .Where(p => !text.Contains("\n# TYPE " + p.Name + " ", StringComparison.Ordinal)
                || p.Attributes.Keys.Any(key => !text.Split('\n').Any(line => line.StartsWith(p.Name, StringComparison.Ordinal)
                    && line.Contains(MeterBridge.PrometheusName(key) + "=", StringComparison.Ordinal))))
            .Select(p => p.Name).Distinct().ToList();
        Assert.True(missing.Count == 0, "pushed but not on /metrics: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task A_meter_added_through_the_opentelemetry_builder_reaches_the_export()
    {
        using var extra = new Meter("Tests.Extra.OtlpBuilder");
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: (K.OtelMetricsExporter, "otlp")), services: services => services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(extra.Name)));
        extra.CreateCounter<long>("extra.events").Add(5);

        var points = await PushUntilAsync(host, receiver, all => all.Any(p => p.MetricName == "extra.events"), "the builder's meter");

        Assert.Equal(5, points.Last(p => p.MetricName == "extra.events").Value);
    }

    [Fact]
    public async Task A_refused_metrics_export_is_counted_under_its_signal()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            [K.OtelMetricsExporter] = "otlp,prometheus",
            [K.OtelExporterOtlpMetricsEndpoint] = $"http://127.0.0.1:{FreePort.Tcp()}/v1/metrics",
            [K.OtlpProtocol] = "http/protobuf",
            [K.OtelExporterOtlpTimeout] = "2000",
        });
        (await host.Client.GetAsync("/hello")).EnsureSuccessStatusCode();

        host.FlushMetrics();

        await Eventually.HoldsAsync(async () => (await host.ScrapeAsync()).Contains("observability_export_failures_total{signal=\"metrics\"} 1", StringComparison.Ordinal),
            Wait, "the failed metrics export counted");
    }

    private const string TestIdLabel = "testid";

    /// <summary>
    /// Forces pushes until the receiver has what <paramref name="done"/> wants. ASP.NET Core records a request's duration
    /// as the request ends, which can be just after the client has its response: a push forced at once may lack it, and
    /// the next periodic push is a minute away.
    /// </summary>
    private static async Task<IReadOnlyList<ReceivedMetricPoint>> PushUntilAsync(
        TestHost host, OtlpReceiver receiver, Func<IReadOnlyList<ReceivedMetricPoint>, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            host.FlushMetrics();
            try
            {
                return await receiver.WaitForMetricsAsync(done, TimeSpan.FromSeconds(2), what);
            }
            catch (TimeoutException) when (clock.Elapsed < Wait)
            {
            }
        }
    }

    private static bool IsOrdersRequest(ReceivedMetricPoint point) =>
        point.MetricName == RequestDuration && point.Attribute("http.route") == "/orders/{id:int}" && point.Attribute(TestIdLabel) is "run-otlp-1" or "none";

    // OpenTelemetry's Prometheus naming, as a collector's Prometheus exporters apply it: '.' to '_', the unit as a word,
    // '_total' on monotonic sums.
    private static string PrometheusName(ReceivedMetricPoint point)
    {
        var name = MeterBridge.PrometheusName(point.MetricName);
        var unit = point.Unit switch { "s" => "seconds", "ms" => "milliseconds", "By" => "bytes", _ => null };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal)) name += "_" + unit;
        return point.Kind == ReceivedMetricPoint.KindSum && point.IsMonotonic && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }
}
