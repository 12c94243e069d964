using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Observability.Reports.Tests.Scenario;

/// <summary>
/// A real scrape target on 127.0.0.1: prometheus-net metrics with the names and labels of docs/telemetry-names.md
/// (the service's request histogram) and k6's remote-write names (scraped here instead of pushed, same series).
/// </summary>
public sealed class MetricsApp : IAsyncDisposable
{
    // Buckets of the service's request histogram (docs/telemetry-names.md).
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly WebApplication _app;
    private readonly Histogram _server;
    private readonly Counter _k6Requests;
    private readonly Gauge _k6P95;
    private readonly Gauge _k6P99;
    private readonly Gauge _k6Med;

    private MetricsApp(WebApplication app, CollectorRegistry registry)
    {
        _app = app;
        var factory = Metrics.WithCustomRegistry(registry);
        _server = factory.CreateHistogram("http_server_request_duration_seconds", "Server request duration",
            new HistogramConfiguration { LabelNames = ["http_route", "http_request_method", "http_response_status_code", "testid"], Buckets = Buckets });
        _k6Requests = factory.CreateCounter("k6_http_reqs_total", "k6 requests",
            new CounterConfiguration { LabelNames = ["testid", "name", "method", "status", "expected_response", "scenario"] });
        string[] trendLabels = ["testid", "name", "method", "status", "expected_response", "scenario"];
        _k6P95 = factory.CreateGauge("k6_http_req_duration_p95", "k6 trend stat", new GaugeConfiguration { LabelNames = trendLabels });
        _k6P99 = factory.CreateGauge("k6_http_req_duration_p99", "k6 trend stat", new GaugeConfiguration { LabelNames = trendLabels });
        _k6Med = factory.CreateGauge("k6_http_req_duration_med", "k6 trend stat", new GaugeConfiguration { LabelNames = trendLabels });
    }

    public string Target { get; private set; } = "";

    public static async Task<MetricsApp> StartAsync()
    {
        var registry = Metrics.NewCustomRegistry();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        var metrics = new MetricsApp(app, registry);
        await app.StartAsync();
        metrics.Target = new Uri(app.Urls.First()).Authority;
        return metrics;
    }

    /// <summary>Records one request as the service and k6 would both see it.</summary>
    public void Record(string testId, SimulatedRequest r)
    {
        _server.WithLabels(r.Route, r.Method, r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), testId).Observe(r.Seconds);
        RecordClient(testId, $"{r.Method} {r.Route}", r.Method, r.Status);
    }

    /// <summary>Counts one request as k6 would (k6_http_reqs_total with its usual tags).</summary>
    public void RecordClient(string testId, string name, string method, int status, string scenario = "default")
    {
        var expected = status < 400 ? "true" : "false";
        _k6Requests.WithLabels(testId, name, method, status.ToString(System.Globalization.CultureInfo.InvariantCulture), expected, scenario).Inc();
    }

    /// <summary>Sets k6's trend stats of one request name (k6 reports them per series, in seconds).</summary>
    public void SetTrend(string testId, string route, string method, double med, double p95, double p99, string scenario = "default")
    {
        string[] labels = [testId, $"{method} {route}", method, "200", "true", scenario];
        _k6Med.WithLabels(labels).Set(med);
        _k6P95.WithLabels(labels).Set(p95);
        _k6P99.WithLabels(labels).Set(p99);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
