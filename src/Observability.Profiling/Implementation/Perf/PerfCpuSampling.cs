using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Perf.Symbols;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// The process's perf sampler, shared by its hosts: started by the first host that wants it, stopped when the last one
/// leaves. Starting tries ring sizes from large to small (the locked-memory allowance may be partly used), and when
/// the kernel refuses perf events it keeps the reason, which the host logs once and answers with EventPipe bursts.
/// </summary>
internal static class PerfCpuSampling
{
    /// <summary>Ring and stack-copy sizes to try, largest first; the first fits the kernel's default per-CPU allowance (516 KiB).</summary>
    internal static readonly PerfSettings[] Ladder =
    {
        new(10_000_000, 128, 32 * 1024),
        new(10_000_000, 32, 8 * 1024),
        new(10_000_000, 8, 0),
    };

    private static readonly object Gate = new();
    private static PerfCpuSampler? _current;
    private static ProfileHub[] _hubs = Array.Empty<ProfileHub>();
    private static JitCodeNames? _jit;
    private static string? _jitProblem;
    private static bool _jitTried;
    private static (bool CpuWide, string Reason)? _refusal;

    /// <summary>The running sampler, or null (not started, refused, or no host left).</summary>
    public static PerfCpuSampler? Current => _current;

    /// <summary>Why managed frames have no names (the runtime's jitdump could not be had), or null.</summary>
    public static string? NamesProblem => _jitProblem;

    /// <summary>
    /// Adds a host's hub, starting the sampler if it does not run. Null when it runs, else why perf events cannot be
    /// used. <paramref name="open"/> replaces the kernel in tests (a refusal is simulated by returning a failure).
    /// </summary>
    public static string? Attach(ProfileHub hub, ILogger logger, out bool firstRefusal, PerfOpener? open = null)
    {
        lock (Gate)
        {
            firstRefusal = false;
            if (_current is null)
            {
                // The kernel's answer does not change while the process lives: ask it once (for each kind of event).
                var cpuWide = hub.Options.CpuSampler == CpuSamplerKind.PerfCpuWide;
                if (open is null && _refusal is { } known && known.CpuWide == cpuWide) return known.Reason;
                var refusal = Start(open ?? PerfEventSet.Open, logger, cpuWide);
                if (refusal is not null)
                {
                    firstRefusal = open is not null || _refusal is null;
                    if (open is null) _refusal = (cpuWide, refusal);
                    return refusal;
                }
            }
            _hubs = _hubs.Append(hub).ToArray();
            _current!.SetHubs(_hubs);
            return null;
        }
    }

    public static void Detach(ProfileHub hub)
    {
        PerfCpuSampler? stopped = null;
        lock (Gate)
        {
            if (Array.IndexOf(_hubs, hub) < 0) return;
            _hubs = _hubs.Where(h => !ReferenceEquals(h, hub)).ToArray();
            _current?.SetHubs(_hubs);
            if (_hubs.Length == 0)
            {
                stopped = _current;
                _current = null;
                ThreadSpanTracker.AlwaysOn = false;
            }
        }
        stopped?.Dispose();
    }

    private static string? Start(PerfOpener open, ILogger logger, bool cpuWide)
    {
        var paranoid = PerfRefusal.ReadParanoid();
        if (PerfRefusal.Platform(OperatingSystem.IsLinux(), RuntimeInformation.ProcessArchitecture, paranoid is not null || File.Exists(PerfRefusal.ParanoidFile)) is { } platform)
        {
            return platform;
        }
        string? refusal = null;
        PerfCpuSampler? started = null;
        using var ready = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            using var self = Sampling.ProfilerThreads.Enter();
            var tid = OsThread.CurrentId;
            PerfEventSet? events = null;
            PerfSettings? settings = null;
            PerfFailure? failure = null;
            foreach (var rung in Ladder)
            {
                settings = rung with { CpuWide = cpuWide };
                events = open(settings, tid, out failure);
                // Only a ring that could not be mapped is worth another size; a refused open stays refused.
                if (events is not null || failure?.Step != PerfStep.Mmap) break;
            }
            if (events is null)
            {
                refusal = PerfRefusal.Describe(failure ?? new PerfFailure(PerfStep.Open, 0), paranoid, cpuWide);
                ready.Set();
                return;
            }
            var sampler = Build(events, tid, settings!);
            started = sampler;
            ready.Set();
            sampler.Run();
        }) { IsBackground = true, Name = "Observability perf sampler" };
        thread.Start();
        if (!ready.Wait(TimeSpan.FromSeconds(10))) return "perf events did not start within 10 s";
        if (started is null) return refusal ?? "perf events could not be opened";
        _current = started;
        ThreadSpanTracker.AlwaysOn = true;
        var s = started.Settings;
        logger.LogInformation(
            "CPU profiles: perf events, {Hertz} samples a second of {Scope}, {Rings} ring(s) of {RingKiB} KiB, {StackKiB} KiB of stack per sample",
            1_000_000_000 / (long)s.PeriodNanos, s.CpuWide ? "each CPU's time (CPU-wide: this process's samples are kept, the others dropped)" : "each thread's CPU time",
            started.RingCount, s.DataPages * Environment.SystemPageSize / 1024, s.StackBytes / 1024);
        if (_jitProblem is not null) logger.LogWarning("CPU profiles will show managed frames as [unknown]: {Problem}", _jitProblem);
        return null;
    }

    private static PerfCpuSampler Build(PerfEventSet events, int tid, PerfSettings settings)
    {
        if (!_jitTried)
        {
            _jitTried = true;
            // The jitdump lives as long as the process: enabling it again would write every method again.
            _jit = JitCodeNames.Start(out _jitProblem);
        }
        var table = _jit?.Table ?? new CodeRangeTable();
        var native = new NativeSymbols();
        var code = new CodeAddresses(table, native);
        var walker = new StackWalker(code, maxDepth: 1024, kernelMaxStack: KernelMaxStack());
        var namer = new PerfFrameNamer(table, native);
        var processor = new PerfSampleProcessor(walker, namer, (long)settings.PeriodNanos);
        return new PerfCpuSampler(events, tid, Thread.CurrentThread, processor, namer, native, _jit, settings);
    }

    /// <summary>The kernel's callchain limit (<c>kernel.perf_event_max_stack</c>, 127 by default).</summary>
    private static int KernelMaxStack()
    {
        try
        {
            return int.TryParse(File.ReadAllText("/proc/sys/kernel/perf_event_max_stack").Trim(), out var value) ? value : 127;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 127;
        }
    }
}

/// <summary>Opens the process's perf events with the given settings, holding the rings on thread <c>holderTid</c>.</summary>
internal delegate PerfEventSet? PerfOpener(PerfSettings settings, int holderTid, out PerfFailure? failure);
