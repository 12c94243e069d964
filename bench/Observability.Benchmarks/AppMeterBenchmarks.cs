using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Observability.Benchmarks;

/// <summary>
/// One measurement of an application's own counter with three tags (what an app records per request or per job),
/// as the kit publishes it on /metrics: <c>unpublished</c> is a meter the kit does not select (nobody listens),
/// <c>published</c> one named after the application, which the kit's meter bridge turns into a Prometheus series.
/// The difference is the bridge's cost per measurement, allocations included.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RequestPipelineBenchmarks.InProcessConfig))]
public class AppMeterBenchmarks
{
    private IHost? _host;
    private Meter? _meter;
    private Counter<long>? _counter;

    [Params("unpublished", "published")]
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
        _host = builder.Build();
        _host.StartAsync().GetAwaiter().GetResult();
        _meter = new Meter(Meter == "published" ? "BenchApp.Orders" : "Elsewhere.Orders");
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
