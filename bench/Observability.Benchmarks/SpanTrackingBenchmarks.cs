using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Observability.Profiling.Implementation.Perf;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Benchmarks;

/// <summary>
/// What span tracking costs a request when perf events sample continuously: a local root that starts, hops across
/// two awaits (each a thread-pool continuation, where the AsyncLocal's change handler records the thread's span), and
/// ends, reading the rings for samples that fell in it. <c>off</c>: no tracking (EventPipe between bursts);
/// <c>tracked</c>: the tracker on, no sampler; <c>perf</c>: the real perf sampler running, rings read at the end.
/// The difference to <c>off</c> is the cost per request.
/// </summary>
[MemoryDiagnoser]
public class SpanTrackingBenchmarks
{
    private RunningPerfSampler? _sampler;

    [Params("off", "tracked", "perf")]
    public string Variant { get; set; } = "off";

    [GlobalSetup]
    public void Setup()
    {
        ThreadSpanTracker.AlwaysOn = Variant != "off";
        if (Variant != "perf") return;
        _sampler = RunningPerfSampler.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sampler?.Dispose();
        ThreadSpanTracker.AlwaysOn = false;
    }

    [Benchmark]
    public async Task Request()
    {
        var root = new Activity("GET /items/{id}").Start();
        ThreadSpanTracker.Enter(root);
        await Task.Yield();
        await Task.Yield();
        root.Stop();
        var tracked = ThreadSpanTracker.Exit(root);
        if (Variant == "perf") PerfCpuSampling.Current?.MarkSampledSpans();
        GC.KeepAlive(tracked);
    }
}
