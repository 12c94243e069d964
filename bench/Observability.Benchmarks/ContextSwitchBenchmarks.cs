using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Observability.Profiling;
using Observability.Profiling.Implementation.Perf;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Benchmarks;

/// <summary>
/// What per-thread perf events cost a thread that blocks and wakes: two threads pass a token back and forth through
/// two eventfds, so each operation is two blocking reads and two wake-ups, the pattern of a lightly loaded server
/// (a request wakes an I/O thread, which wakes a pool thread). <c>off</c>: no perf events; <c>perf</c>: the real
/// sampler, both threads attached (each switch in and out of an attached thread also switches its perf context).
/// </summary>
public unsafe class ContextSwitchBenchmarks
{
    private ProfileHub? _hub;
    private int _ping = -1, _pong = -1;
    private Thread? _partner;
    private volatile int _partnerTid;
    private volatile bool _stop;

    [Params("off", "perf")]
    public string Variant { get; set; } = "off";

    [GlobalSetup]
    public void Setup()
    {
        _ping = PerfNative.eventfd(0, PerfNative.EfdCloexec);
        _pong = PerfNative.eventfd(0, PerfNative.EfdCloexec);
        if (_ping < 0 || _pong < 0) throw new InvalidOperationException("eventfd refused");
        _partner = new Thread(Partner) { IsBackground = true, Name = "ping-pong partner" };
        _partner.Start();
        SpinWait.SpinUntil(() => _partnerTid != 0);
        if (Variant != "perf") return;
        _hub = new ProfileHub(new ProfilingOptions(), new ProfilerMetrics(Prometheus.Metrics.NewCustomRegistry()));
        if (PerfCpuSampling.Attach(_hub, NullLogger.Instance, out _) is { } refusal) throw new InvalidOperationException(refusal);
        // The sampler attaches new threads on its next scan of /proc/self/task: wait for both of ours.
        var self = OsThread.CurrentId;
        if (!SpinWait.SpinUntil(() => PerfCpuSampling.Current is { } s && s.IsAttached(self) && s.IsAttached(_partnerTid), TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException("the sampler did not attach the benchmark's threads");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        Signal(_ping);
        _partner?.Join();
        if (_hub is not null) PerfCpuSampling.Detach(_hub);
        PerfNative.close(_ping);
        PerfNative.close(_pong);
    }

    [Benchmark]
    public void RoundTrip()
    {
        Signal(_ping);
        Wait(_pong);
    }

    private void Partner()
    {
        _partnerTid = OsThread.CurrentId;
        while (true)
        {
            Wait(_ping);
            if (_stop) return;
            Signal(_pong);
        }
    }

    private static void Signal(int fd)
    {
        ulong one = 1;
        if (PerfNative.write(fd, &one, sizeof(ulong)) != sizeof(ulong)) throw new InvalidOperationException("eventfd write failed");
    }

    private static void Wait(int fd)
    {
        ulong value;
        if (PerfNative.read(fd, &value, sizeof(ulong)) != sizeof(ulong)) throw new InvalidOperationException("eventfd read failed");
    }
}
