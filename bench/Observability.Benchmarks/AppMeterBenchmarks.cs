using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Observability.Benchmarks;

/// <summary>
/// One measurement of an application's own counter with three tags (what an app records per request or per job),
/// as the kit publishes it on /metrics: <c>unpublished</c> is a meter the kit does not select (nobody listens),
/// <c>published</c> one named after the application, which the kit's meter bridge turns into a Prometheus series,
/// <c>provider</c> one the app adds with <c>ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(…))</c>, which the
/// bridge's second listener publishes (the SDK's provider, built with no reader, takes no measurement of its own).
/// The difference from <c>unpublished</c> is the bridge's cost per measurement, allocations included.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RequestPipelineBenchmarks.InProcessConfig))]
public class AppMeterBenchmarks
{
    private IHost? _host;
    private Meter? _meter;
    private Counter<long>? _counter;

    [Params("unpublished", "published", "provider")]
    public string Meter { get; set; } = "unpublished";

    [GlobalSetup]
    public void Setup()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "BenchApp", EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Observability:ServiceName"] = "bench",
            ["Observability:Management:Port"] = "0",
            ["Observability:Profiling:Enabled"] = "false",
        });
        builder.AddObservability();
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter("Vendor.Orders"));
        _host = builder.Build();
        _host.StartAsync().GetAwaiter().GetResult();
        _meter = new Meter(Meter switch
        {
            "published" => "BenchApp.Orders",
            "provider" => "Vendor.Orders",
            _ => "Elsewhere.Orders",
        });
        _counter = _meter.CreateCounter<long>("orders.placed", "{order}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _meter?.Dispose();
        _host?.StopAsync().GetAwaiter().GetResult();
        _host?.Dispose();
    }

    [Benchmark]
    public void Add() => _counter!.Add(1,
        new KeyValuePair<string, object?>("order.kind", "express"),
        new KeyValuePair<string, object?>("region", "eu-west"),
        new KeyValuePair<string, object?>("attempt", 2));
}
