using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Perf;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Benchmarks;

/// <summary>
/// What the perf sampler costs one request through the real pipeline (in-memory test server): the kit with the
/// profiler off, with perf events sampling, and with perf events sampling but span tracking turned off (so the
/// difference between the last two is the tracking: the AsyncLocal's change handler on every execution-context switch
/// and the rings read at the span's end).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RequestPipelineBenchmarks.InProcessConfig))]
public class ProfilerPerRequestBenchmarks
{
    private WebApplication? _app;
    private HttpClient? _client;

    [Params("off", "perf", "perf-untracked")]
    public string Profiler { get; set; } = "off";

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Observability:ServiceName"] = "bench",
            ["Observability:Management:Port"] = "0",
            ["Observability:Profiling:Mode"] = Profiler == "off" ? "off" : "auto",
            ["Observability:Profiling:CpuSampler"] = "perf",
            // EventPipe's wall bursts an hour apart: out of the measured seconds.
            ["Observability:Profiling:BurstPeriod"] = "01:00:00",
        });
        builder.AddObservability();
        _app = builder.Build();
        _app.MapGet("/items/{id:int}", (int id) => Results.Text(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _app.StartAsync().GetAwaiter().GetResult();
        _client = _app.GetTestClient();
        if (Profiler != "off" && PerfCpuSampling.Current is null) throw new InvalidOperationException("perf events refused here");
        if (Profiler == "perf-untracked") ThreadSpanTracker.AlwaysOn = false;
    }

    [Benchmark]
    public async Task<int> Request()
    {
        using var response = await _client!.GetAsync("/items/42");
        return (int)response.StatusCode;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            _app.StopAsync().GetAwaiter().GetResult();
            _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
