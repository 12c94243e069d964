using BenchmarkDotNet.Attributes;
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
    private BenchApp? _app;

    [Params("off", "perf", "perf-untracked")]
    public string Profiler { get; set; } = "off";

    [GlobalSetup]
    public void Setup()
    {
        _app = BenchApp.Start(withKit: true, new Dictionary<string, string?>
        {
            ["Observability:Profiling:Mode"] = Profiler == "off" ? "off" : "auto",
            ["Observability:Profiling:CpuSampler"] = "perf",
            // EventPipe's wall bursts an hour apart: out of the measured seconds.
            ["Observability:Profiling:BurstPeriod"] = "01:00:00",
        });
        if (Profiler != "off" && PerfCpuSampling.Current is null) throw new InvalidOperationException("perf events refused here");
        if (Profiler == "perf-untracked") ThreadSpanTracker.AlwaysOn = false;
    }

    [Benchmark]
    public async Task<int> Request()
    {
        using var response = await _app!.Client.GetAsync("/items/42");
        return (int)response.StatusCode;
    }

    [GlobalCleanup]
    public void Cleanup() => _app?.Dispose();
}
