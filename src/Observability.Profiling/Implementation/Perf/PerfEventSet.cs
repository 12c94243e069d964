using System.Runtime.InteropServices;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// The perf events of this process: for each allowed CPU one ring buffer, held by a disabled leader event, and for each
/// sampled thread one task-clock event per CPU whose output goes to that CPU's ring (<c>PERF_EVENT_IOC_SET_OUTPUT</c>,
/// as <c>perf record -p</c> does). Per-CPU rings keep locked memory independent of the thread count, and a CPU runs
/// one thread at a time, so a ring fills at most at the sampling rate whatever the thread count.
/// Not thread-safe: the sampler's one thread owns it.
/// </summary>
internal sealed class PerfEventSet : IDisposable
{
    /// <summary>What a sample carries: see <see cref="PerfSample"/>.</summary>
    public const ulong SampleType = PerfConstants.SampleIp | PerfConstants.SampleTid | PerfConstants.SampleTime |
        PerfConstants.SampleCallchain | PerfConstants.SampleRegsUser | PerfConstants.SampleStackUser;

    private readonly int[] _cpus;
    private readonly int[] _leaderFds;
    private readonly PerfRing[] _rings;
    private readonly Dictionary<int, int[]> _threads = new();
    private readonly PerfSettings _settings;

    private PerfEventSet(PerfSettings settings, int[] cpus, int[] leaderFds, PerfRing[] rings)
    {
        _settings = settings;
        _cpus = cpus;
        _leaderFds = leaderFds;
        _rings = rings;
    }

    public IReadOnlyList<PerfRing> Rings => _rings;

    public IReadOnlyList<int> LeaderFds => _leaderFds;

    /// <summary>Threads with events.</summary>
    public int ThreadCount => _threads.Count;

    public bool IsAttached(int tid) => _threads.ContainsKey(tid);

    public IEnumerable<int> AttachedThreads => _threads.Keys;

    /// <summary>
    /// Opens one ring per CPU, each held by a disabled event on <paramref name="holderTid"/> (the sampler's own thread,
    /// which is never sampled); with <see cref="PerfSettings.CpuWide"/>, by an enabled event of the whole CPU, which is
    /// all there is to open. Null with the failing step and errno when the kernel refuses.
    /// </summary>
    public static PerfEventSet? Open(PerfSettings settings, int holderTid, out PerfFailure? failure)
    {
        var cpus = PerfNative.AllowedCpus();
        var fds = new List<int>();
        var rings = new List<PerfRing>();
        foreach (var cpu in cpus)
        {
            var attr = settings.Attr(disabled: !settings.CpuWide);
            var fd = PerfNative.PerfEventOpen(ref attr, settings.CpuWide ? -1 : holderTid, cpu, PerfConstants.FlagFdCloexec);
            if (fd < 0)
            {
                failure = new PerfFailure(PerfStep.Open, Marshal.GetLastPInvokeError());
                Close(fds, rings);
                return null;
            }
            fds.Add(fd);
            var ring = PerfRing.Map(fd, settings.DataPages, out var errno);
            if (ring is null)
            {
                failure = new PerfFailure(PerfStep.Mmap, errno);
                Close(fds, rings);
                return null;
            }
            rings.Add(ring);
        }
        failure = null;
        return new PerfEventSet(settings, cpus, fds.ToArray(), rings.ToArray());
    }

    /// <summary>
    /// Starts sampling a thread on every CPU; the errno of the first refusal (a thread that just ended gives ESRCH). With
    /// CPU-wide events every thread is sampled already: the thread is only listed (its kernel time is read per thread).
    /// </summary>
    public int Attach(int tid)
    {
        if (_threads.ContainsKey(tid)) return 0;
        if (_settings.CpuWide)
        {
            _threads[tid] = [];
            return 0;
        }
        var fds = new int[_cpus.Length];
        for (var i = 0; i < _cpus.Length; i++)
        {
            var attr = _settings.Attr(disabled: false);
            var fd = PerfNative.PerfEventOpen(ref attr, tid, _cpus[i], PerfConstants.FlagFdCloexec);
            var errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (fd >= 0 && PerfNative.ioctl(fd, PerfConstants.IocSetOutput, (ulong)_leaderFds[i]) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                PerfNative.close(fd);
            }
            if (errno != 0)
            {
                for (var j = 0; j < i; j++) PerfNative.close(fds[j]);
                return errno;
            }
            fds[i] = fd;
        }
        _threads[tid] = fds;
        return 0;
    }

    /// <summary>Stops sampling a thread (it ended, or it is the profiler's own).</summary>
    public void Detach(int tid)
    {
        if (!_threads.Remove(tid, out var fds)) return;
        foreach (var fd in fds) PerfNative.close(fd);
    }

    public void Dispose()
    {
        foreach (var tid in _threads.Keys.ToArray()) Detach(tid);
        Close(_leaderFds, _rings);
    }

    private static void Close(IEnumerable<int> fds, IEnumerable<PerfRing> rings)
    {
        foreach (var ring in rings) ring.Dispose();
        foreach (var fd in fds) PerfNative.close(fd);
    }
}

/// <summary>How the events are set up: sampling period, ring size, how much of the user stack each sample copies.</summary>
/// <param name="PeriodNanos">CPU time between two samples.</param>
/// <param name="DataPages">Pages of each ring's data area.</param>
/// <param name="StackBytes">User stack copied with each sample.</param>
/// <param name="CpuWide">One cpu-clock event per CPU for every process (pid -1) instead of task-clock events per thread.</param>
internal sealed record PerfSettings(ulong PeriodNanos, int DataPages, uint StackBytes, bool CpuWide = false)
{
    public PerfEventAttr Attr(bool disabled) => new()
    {
        Type = PerfConstants.TypeSoftware,
        Size = PerfEventAttr.Size128,
        Config = CpuWide ? PerfConstants.CountSwCpuClock : PerfConstants.CountSwTaskClock,
        SamplePeriod = PeriodNanos,
        SampleType = PerfEventSet.SampleType,
        Flags = (disabled ? PerfConstants.FlagDisabled : 0) | PerfConstants.FlagExcludeKernel | PerfConstants.FlagExcludeHv |
            PerfConstants.FlagExcludeCallchainKernel | PerfConstants.FlagUseClockId | PerfConstants.FlagWatermark,
        // Wake the reader when a ring is a quarter full (three quarters stay for a reader that is slow to run); it also
        // drains on its own timer.
        WakeupWatermark = (uint)(DataPages * Environment.SystemPageSize / 4),
        ClockId = PerfConstants.ClockMonotonic,
        SampleRegsUser = PerfConstants.RegsMaskX64,
        SampleStackUser = StackBytes,
        // Zero: the kernel's own limit (kernel.perf_event_max_stack); a larger value would be refused.
        SampleMaxStack = 0,
    };
}

/// <summary>Which step of setting up perf events the kernel refused.</summary>
internal enum PerfStep
{
    Open,
    Mmap,
    SetOutput,
}

/// <summary>A refused step and its errno.</summary>
internal sealed record PerfFailure(PerfStep Step, int Errno);
