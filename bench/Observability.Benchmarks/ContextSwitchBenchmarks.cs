using BenchmarkDotNet.Attributes;
using Observability.Profiling.Implementation.Perf;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Benchmarks;

/// <summary>
/// What per-thread perf events cost a thread that blocks and wakes: two threads pass a token back and forth through
/// two eventfds, so each operation is two blocking reads and two wake-ups, the pattern of a lightly loaded server
/// (a request wakes an I/O thread, which wakes a pool thread). <c>off</c>: no perf events; <c>perf</c>: the real
/// sampler, both threads attached (each switch in and out of an attached thread also switches its perf context);
/// <c>events</c>: the same events (one per thread and CPU, output to per-CPU rings) without the sampler's thread;
/// <c>events-anycpu</c>: one event per thread on any CPU with its own ring, the layout per-CPU rings replaced;
/// <c>counting</c>: one task-clock event per thread that only counts (no sampling period, so no timer to arm);
/// <c>cpu-wide</c>: one sampling cpu-clock event per CPU for every process (pid -1: CAP_PERFMON or root), whose timer
/// runs whatever the CPU runs, so a switch has no event of the thread's to move.
/// The threads run for microseconds between waits, so samples (one per 10 ms of a thread's CPU) are rare here: the
/// difference is what a switch costs.
/// </summary>
public unsafe class ContextSwitchBenchmarks
{
    private RunningPerfSampler? _sampler;
    private PerfEventSet? _events;
    private readonly List<(int Fd, PerfRing Ring)> _anyCpu = new();
    private readonly List<int> _counters = new();
    private int _ping = -1, _pong = -1;
    private Thread? _partner;
    private volatile int _partnerTid;
    private volatile bool _stop;

    [Params("off", "perf", "events", "events-anycpu", "counting", "cpu-wide")]
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
        if (Variant == "events")
        {
            _events = PerfEventSet.Open(PerfCpuSampling.Ladder[0], OsThread.CurrentId, out var failure) ?? throw new InvalidOperationException($"perf refused: {failure}");
            if (_events.Attach(OsThread.CurrentId) != 0 || _events.Attach(_partnerTid) != 0) throw new InvalidOperationException("attach refused");
            return;
        }
        if (Variant == "counting")
        {
            foreach (var tid in new[] { OsThread.CurrentId, _partnerTid })
            {
                var attr = new PerfEventAttr
                {
                    Type = PerfConstants.TypeSoftware,
                    Size = PerfEventAttr.Size128,
                    Config = PerfConstants.CountSwTaskClock,
                    Flags = PerfConstants.FlagExcludeKernel | PerfConstants.FlagExcludeHv,
                };
                var fd = PerfNative.PerfEventOpen(ref attr, tid, -1, PerfConstants.FlagFdCloexec);
                if (fd < 0) throw new InvalidOperationException("perf refused");
                _counters.Add(fd);
            }
            return;
        }
        if (Variant == "cpu-wide")
        {
            for (var cpu = 0; cpu < Environment.ProcessorCount; cpu++)
            {
                var attr = PerfCpuSampling.Ladder[0].Attr(disabled: false);
                attr.Config = 0; // PERF_COUNT_SW_CPU_CLOCK: a CPU's time, not a task's
                var fd = PerfNative.PerfEventOpen(ref attr, -1, cpu, PerfConstants.FlagFdCloexec);
                if (fd < 0) throw new InvalidOperationException("perf refused a CPU-wide event (needs CAP_PERFMON or root)");
                _anyCpu.Add((fd, PerfRing.Map(fd, 8, out _) ?? throw new InvalidOperationException("mmap refused")));
            }
            return;
        }
        if (Variant == "events-anycpu")
        {
            foreach (var tid in new[] { OsThread.CurrentId, _partnerTid })
            {
                var attr = PerfCpuSampling.Ladder[0].Attr(disabled: false);
                var fd = PerfNative.PerfEventOpen(ref attr, tid, -1, PerfConstants.FlagFdCloexec);
                if (fd < 0) throw new InvalidOperationException("perf refused");
                _anyCpu.Add((fd, PerfRing.Map(fd, 8, out _) ?? throw new InvalidOperationException("mmap refused")));
            }
            return;
        }
        if (Variant != "perf") return;
        _sampler = RunningPerfSampler.Start();
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
        _sampler?.Dispose();
        _events?.Dispose();
        foreach (var fd in _counters) PerfNative.close(fd);
        foreach (var (fd, ring) in _anyCpu)
        {
            ring.Dispose();
            PerfNative.close(fd);
        }
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
