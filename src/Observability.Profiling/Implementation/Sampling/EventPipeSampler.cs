using System.Diagnostics;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// The process's sampler. One scheduler thread owns the EventPipe session's lifetime: it asks
/// <see cref="SamplingSchedule.Decide"/> whether a session should be open, opens one (<see cref="SamplingSession"/>,
/// a TraceLog of its own) or stops it under a watchdog, and sleeps until the decision's deadline or a signal (a host
/// attached or left, a load test started, a debug request wants a window). Hosts attach and detach their hubs.
/// </summary>
internal static class EventPipeSampler
{
    private static readonly Guid SampleProfilerProvider = new("3c530d44-97ae-513a-1e6d-783e8f8e03a9");
    private const int ThreadSampleManaged = 2;
    private const int MaxInternedCallStacks = 30_000;

    /// <summary>How long CPU samples wait for their weights (<see cref="CpuWeigher"/>); also bounds a debug capture's extra wait.</summary>
    internal static readonly TimeSpan CpuFlushInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>A held CPU sample buffer is handed on early past this many samples.</summary>
    private const int MaxPendingCpuSamples = 50_000;

    /// <summary>An on-demand request waits at most this long for its session to open.</summary>
    internal static readonly TimeSpan StartAllowance = TimeSpan.FromSeconds(20);

    private static readonly long Origin = Stopwatch.GetTimestamp();
    private static readonly object Gate = new();
    private static readonly AutoResetEvent Wake = new(false);
    private static readonly List<OnDemandWindow> OnDemand = new();
    private static volatile ProfileHub[] _hubs = Array.Empty<ProfileHub>();
    private static volatile SamplerState _state;
    private static volatile string? _reason;
    private static long _samplesSeen;
    private static long _sessionsStarted;
    private static long _lastLoadTest; // scheduler clock ticks; 0 = never
    private static volatile bool _exiting;
    private static volatile bool _exitHooked;
    private static volatile bool _warnedContinuous;
    private static volatile TaskCompletionSource<bool> _sessionOn = NewSignal();
    private static volatile TaskCompletionSource<bool> _cpuFlushed = NewSignal();
    private static long _cpuFlushedUpTo; // Stopwatch ticks: CPU samples taken up to here have reached the hubs
    private static volatile bool _sessionLive; // from a session's start until its reader ended
    private static Thread? _scheduler;
    private static ILogger? _logger;

    public static SamplerState State => _state;

    /// <summary>Set while the perf sampler takes the CPU samples: sessions then feed the wall profile only.</summary>
    public static volatile bool CpuFromPerf;

    /// <summary>Why the sampler is not running, for logs and the debug endpoints.</summary>
    public static string? Reason => _reason;

    /// <summary>Sampling interval in ns: the value of the runtime variable, or the runtime's default.</summary>
    public static long PeriodNanos { get; } =
        SamplingRate.FromVariable(Environment.GetEnvironmentVariable(ProfilingOptions.SamplingRateVariable)) ?? SamplingRate.RuntimeDefaultNanos;

    /// <summary>Whether the process started with <see cref="ProfilingOptions.SamplingRateVariable"/>.</summary>
    public static bool RateVariableSet { get; } =
        SamplingRate.FromVariable(Environment.GetEnvironmentVariable(ProfilingOptions.SamplingRateVariable)) is not null;

    public static long SamplesSeen => Interlocked.Read(ref _samplesSeen);

    /// <summary>Sessions opened since the process started (bursts, windows, the continuous one).</summary>
    public static long SessionsStarted => Interlocked.Read(ref _sessionsStarted);

    /// <summary>When the sampler was on, for span links and the pushed profiles' sampled range.</summary>
    public static SamplingWindows Windows { get; } = new();

    /// <summary>Whether a session is open now.</summary>
    public static bool SessionOpen => Windows.IsOpen;

    /// <summary>How long <c>Stop()</c> (and the reader's end after it) may take before the sampler declares itself failed.</summary>
    internal static TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Runs on the stopping thread before <c>Stop()</c>: lets a test simulate a hung stop.</summary>
    internal static Action? BeforeStopForTests { get; set; }

    /// <summary>Runs on the reader thread for each sample, before it is handled.</summary>
    internal static Action? OnSampleForTests { get; set; }

    /// <summary>Start (session + rundown) and stop durations since the process started, for tests and the README's measurements.</summary>
    public static SessionTimings Timings { get; } = new();

    private static TimeSpan Clock => Stopwatch.GetElapsedTime(Origin);

    /// <summary>
    /// Waits until CPU samples taken up to now have been handed to the hubs (they wait up to
    /// <see cref="CpuFlushInterval"/> for their weights), at most <paramref name="limit"/>.
    /// </summary>
    public static async Task WaitForCpuSamplesAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var upTo = Stopwatch.GetTimestamp();
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _cpuFlushedUpTo) < upTo && _sessionLive && _state == SamplerState.Running)
        {
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0) return;
            try
            {
                await _cpuFlushed.Task.WaitAsync(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency), cancellationToken);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    public static void Attach(ProfileHub hub, ILogger logger)
    {
        lock (Gate)
        {
            _hubs = _hubs.Append(hub).ToArray();
            // A host that attaches after the sampler stopped still shows why its profiles are missing.
            if (_state is SamplerState.Off or SamplerState.Failed) CountDropped(hub, _state == SamplerState.Off ? "sampler_off" : "sampler_failed", 0);
            if (hub.Options.Mode == ProfilingMode.Continuous && !RateVariableSet && !_warnedContinuous)
            {
                _warnedContinuous = true;
                logger.LogWarning(
                    "Profiling mode is continuous without {Variable}: the runtime samples every thread each 1 ms, a cost production should not keep. " +
                    "Use the auto mode, or start the process with {Variable}={Rate}",
                    ProfilingOptions.SamplingRateVariable, ProfilingOptions.SamplingRateVariable, ProfilingOptions.RecommendedSamplingRate);
            }
            if (_state != SamplerState.NotStarted)
            {
                Wake.Set();
                return;
            }

            if (SamplerGate.OffReason(Environment.GetEnvironmentVariable) is { } reason)
            {
                _state = SamplerState.Off;
                _reason = reason;
                foreach (var h in _hubs) CountDropped(h, "sampler_off", 0);
                logger.LogWarning("CPU and wall profiles are off: {Reason}", reason);
                return;
            }

            _logger = logger;
            _state = SamplerState.Running;
            if (!_exitHooked)
            {
                _exitHooked = true;
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    _exiting = true;
                    Wake.Set();
                };
            }
            _scheduler = new Thread(Schedule) { IsBackground = true, Name = "Observability profiler" };
            _scheduler.Start();
        }
    }

    public static void Detach(ProfileHub hub)
    {
        lock (Gate) _hubs = _hubs.Where(h => !ReferenceEquals(h, hub)).ToArray();
        Wake.Set();
    }

    /// <summary>
    /// Called when a local-root span that carried a k6 test id ends: a cheap timestamp, and a wake-up of the scheduler
    /// only when a test starts (no such request in the last <see cref="ScheduleSettings.LoadTestLinger"/>).
    /// </summary>
    public static void NoteLoadTestRequest()
    {
        var now = Clock.Ticks;
        var last = Volatile.Read(ref _lastLoadTest);
        if (last != 0 && now - last < TimeSpan.TicksPerMillisecond * 100) return;
        Volatile.Write(ref _lastLoadTest, now);
        if (last == 0 || now - last >= ScheduleSettings.LoadTestLinger.Ticks) Wake.Set();
    }

    /// <summary>
    /// Holds a session open for <paramref name="duration"/> of sampling, whatever the schedule; concurrent callers share
    /// it. False when the sampler is failed or no session opened within <see cref="StartAllowance"/>.
    /// </summary>
    public static async Task<bool> SampleForAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var window = new OnDemandWindow { Until = Clock + StartAllowance + duration };
        lock (OnDemand) OnDemand.Add(window);
        Wake.Set();
        try
        {
            bool on;
            try
            {
                on = await _sessionOn.Task.WaitAsync(StartAllowance, cancellationToken);
            }
            catch (TimeoutException)
            {
                return false;
            }
            if (!on) return false;
            lock (OnDemand) window.Until = Clock + duration;
            Wake.Set();
            await Task.Delay(duration, cancellationToken);
            return _state == SamplerState.Running;
        }
        finally
        {
            lock (OnDemand) OnDemand.Remove(window);
            Wake.Set();
        }
    }

    /// <summary>Lets a test start from a clean state after it made the sampler fail on purpose.</summary>
    internal static void ResetAfterFailureForTests()
    {
        lock (Gate)
        {
            if (_state != SamplerState.Failed) return;
            _scheduler?.Join();
            _state = SamplerState.NotStarted;
            _reason = null;
            _sessionOn = NewSignal();
        }
    }

    private static void Schedule()
    {
        using var self = ProfilerThreads.Enter();
        var phaseFraction = Random.Shared.NextDouble();
        SamplingSession? session = null;
        while (!_exiting)
        {
            var hubs = _hubs;
            var (mode, burst, period) = Effective(hubs);
            var settings = new ScheduleSettings(burst, period, period * phaseFraction);
            var last = Volatile.Read(ref _lastLoadTest);
            var input = new ScheduleInput(Clock, mode, RateVariableSet, last == 0 ? null : TimeSpan.FromTicks(last), OnDemandUntil(), WatchdogFired: _state == SamplerState.Failed);
            var decision = SamplingSchedule.Decide(input, settings);

            if (session is { EndedUnexpectedly: true })
            {
                Windows.Close(DateTime.UtcNow);
                var lost = session.EventsLost;
                session.Dispose();
                Fail(null, $"the runtime ended the EventPipe session after {SamplesSeen} samples ({lost} events lost)");
                return;
            }
            if (decision.On && session is null)
            {
                session = StartBounded();
                if (session is null) return;
            }
            else if (!decision.On && session is not null)
            {
                if (!StopBounded(session)) return;
                session = null;
            }

            var wait = decision.Until == TimeSpan.MaxValue ? Timeout.InfiniteTimeSpan : decision.Until - Clock;
            if (wait != Timeout.InfiniteTimeSpan)
            {
                if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
                if (wait > TimeSpan.FromHours(1)) wait = TimeSpan.FromHours(1);
            }
            if (session is null) Wake.WaitOne(wait);
            else WaitHandle.WaitAny(new[] { Wake, session.Ended }, wait);
        }
        // Process exit: the runtime ends the session itself.
    }

    private static (ProfilingMode Mode, TimeSpan Burst, TimeSpan Period) Effective(ProfileHub[] hubs)
    {
        if (hubs.Length == 0) return (ProfilingMode.Off, TimeSpan.Zero, TimeSpan.Zero);
        var options = hubs[0].Options;
        var mode = hubs.Any(h => h.Options.Mode == ProfilingMode.Continuous) ? ProfilingMode.Continuous : ProfilingMode.Auto;
        var burst = options.BurstDuration ?? (RateVariableSet ? ProfilingOptions.DefaultBurstWithVariable : ProfilingOptions.DefaultBurstWithoutVariable);
        return (mode, burst, options.BurstPeriod);
    }

    private static TimeSpan? OnDemandUntil()
    {
        lock (OnDemand)
        {
            TimeSpan? latest = null;
            foreach (var w in OnDemand)
            {
                if (latest is null || w.Until > latest) latest = w.Until;
            }
            return latest;
        }
    }

    /// <summary>
    /// TraceEvent's rundown names code jitted before a session, at ~0.2 s of CPU per session (measured, README). It runs
    /// for the first session, for debug windows (asked for by a person), every <see cref="RundownEvery"/>th session, and
    /// after a session that left 2 points more of its frames unnamed than the last session with rundown (some frames,
    /// such as stubs, have no name even then); other bursts name such code from earlier sessions.
    /// </summary>
    private const int RundownEvery = 10;

    private static int _sessionsSinceRundown = int.MaxValue;
    private static double _lastUnresolvedShare;
    private static double _rundownUnresolvedShare;
    private static long _rundowns;

    /// <summary>Sessions that ran TraceEvent's rundown.</summary>
    public static long Rundowns => Interlocked.Read(ref _rundowns);

    private static bool NeedsRundown() =>
        SamplingSession.RundownOverride
        ?? (_sessionsSinceRundown >= RundownEvery - 1 || _lastUnresolvedShare > _rundownUnresolvedShare + 0.02 || OnDemandUntil() is not null);

    private static bool _warmedUp;

    /// <summary>
    /// Creates, outside any session, the EventSources that code on the reader thread would otherwise create on first
    /// use (ConcurrentDictionary's, on any call that takes all its locks; the array pools'). Creating an EventSource
    /// waits for the runtime's EventPipe lock, which a stopping session holds while it writes its last events to the
    /// stream only the reader drains: a reader that waits for it then never returns, nor does the stop. Found by the
    /// soak of 2,000 start/stop cycles (issue 11).
    /// </summary>
    private static void WarmUpOffTheReader()
    {
        if (_warmedUp) return;
        _ = new System.Collections.Concurrent.ConcurrentDictionary<int, int>().Count;
        System.Buffers.ArrayPool<byte>.Shared.Return(System.Buffers.ArrayPool<byte>.Shared.Rent(16));
        System.Buffers.ArrayPool<char>.Shared.Return(System.Buffers.ArrayPool<char>.Shared.Rent(16));
        _warmedUp = true;
    }

    private static SamplingSession? StartBounded()
    {
        WarmUpOffTheReader();
        var watch = Stopwatch.StartNew();
        // The runtime samples from the moment the session starts, before TraceEvent's rundown returns.
        var openedAt = DateTime.UtcNow;
        // Spans pay for thread tracking only while a session is open: between bursts a request costs nothing more.
        // (A request that started before a burst is not attributed to its span in that burst.)
        ThreadSpanTracker.Active = true;
        var rundown = NeedsRundown();
        SamplingSession? started = null;
        Exception? error = null;
        var starter = new Thread(() =>
        {
            try
            {
                using var self = ProfilerThreads.Enter(selfTimed: true);
                var before = ThreadCpuClock.ReadOne(OsThread.CurrentId);
                started = SamplingSession.Start(OnEvent, s => FlushCpu(s, final: true), rundown, PeriodNanos);
                CountOwnCpu(before);
            }
            catch (Exception e)
            {
                error = e;
            }
        }) { IsBackground = true, Name = "Observability profiler start" };
        starter.Start();
        if (!starter.Join(StopTimeout))
        {
            Fail(null, $"opening an EventPipe session did not return within {StopTimeout.TotalSeconds:0.#} s");
            return null;
        }
        if (started is null)
        {
            Fail(error, "the EventPipe session could not be started");
            return null;
        }
        Timings.AddStart(watch.Elapsed);
        if (rundown) Interlocked.Increment(ref _rundowns);
        _sessionsSinceRundown = rundown ? 0 : _sessionsSinceRundown == int.MaxValue ? int.MaxValue : _sessionsSinceRundown + 1;
        Interlocked.Increment(ref _sessionsStarted);
        _sessionLive = true;
        Windows.Open(openedAt);
        _sessionOn.TrySetResult(true);
        _logger?.LogDebug("Profiler session opened in {Milliseconds} ms", watch.Elapsed.TotalMilliseconds);
        return started;
    }

    /// <summary>Stops the session under the watchdog; false (and the sampler failed) when Stop() or the reader hangs.</summary>
    private static bool StopBounded(SamplingSession session)
    {
        _sessionOn = NewSignal();
        var watch = Stopwatch.StartNew();
        var stopper = new Thread(() =>
        {
            using var self = ProfilerThreads.Enter(selfTimed: true);
            var before = ThreadCpuClock.ReadOne(OsThread.CurrentId);
            try
            {
                BeforeStopForTests?.Invoke();
                session.Stop();
                CountOwnCpu(before);
            }
            catch (Exception)
            {
                // The session may have ended on its own; the reader's end below is what counts.
            }
        }) { IsBackground = true, Name = "Observability profiler stop" };
        stopper.Start();
        if (!stopper.Join(StopTimeout))
        {
            session.Abandon();
            Fail(null, $"stopping the EventPipe session did not return within {StopTimeout.TotalSeconds:0.#} s; sampling stays off until the process restarts");
            return false;
        }
        // The runtime samples until Stop() returns: the window closes then.
        Windows.Close(DateTime.UtcNow);
        ThreadSpanTracker.Active = false;
        var left = StopTimeout - watch.Elapsed;
        if (!session.Ended.WaitOne(left > TimeSpan.Zero ? left : TimeSpan.Zero))
        {
            session.Abandon();
            Fail(null, $"the EventPipe session's reader did not finish within {StopTimeout.TotalSeconds:0.#} s of the stop; sampling stays off until the process restarts");
            return false;
        }
        Timings.AddStop(watch.Elapsed);
        _sessionLive = false;
        _cpuFlushed.TrySetResult(true);
        // A handful of frames says nothing: only a share measured on 50 unnamed frames or more asks for a rundown.
        _lastUnresolvedShare = session.Resolver.Unresolved >= 50 ? session.Resolver.UnresolvedShare : 0;
        if (session.WithRundown) _rundownUnresolvedShare = session.Resolver.UnresolvedShare;
        session.Dispose();
        _logger?.LogDebug("Profiler session stopped in {Milliseconds} ms", watch.Elapsed.TotalMilliseconds);
        return true;
    }

    private static void Fail(Exception? error, string reason)
    {
        _reason = reason;
        _state = SamplerState.Failed;
        ThreadSpanTracker.Active = false;
        Windows.Close(DateTime.UtcNow);
        _sessionOn.TrySetResult(false);
        foreach (var hub in _hubs) CountDropped(hub, "sampler_failed", 1);
        _logger?.LogError(error, "CPU and wall profiles are off: {Reason}; the application keeps running", reason);
    }

    private static void OnEvent(TraceEvent e, SamplingSession session)
    {
        if (e.ProviderGuid != SampleProfilerProvider) return;
        var hubs = _hubs;
        if (hubs.Length == 0) return;
        OnSampleForTests?.Invoke();
        Interlocked.Increment(ref _samplesSeen);
#pragma warning disable CS0618 // The raw QPC value is what matches Stopwatch timestamps.
        session.LastEventTimestamp = e.TimeStampQPC;
#pragma warning restore CS0618
        if (Stopwatch.GetTimestamp() >= session.NextCpuFlush || session.Cpu.Pending >= MaxPendingCpuSamples) FlushCpu(session, final: false);
        // The profiler's own threads (this reader above all) are its cost, not the application's: left out, counted apart.
        if (ProfilerThreads.Contains(e.ThreadID)) return;
        var resolver = session.Resolver;

        try
        {
            var managed = ReadSampleType(e) == ThreadSampleManaged;
#pragma warning disable CS0618 // Discouraged, not obsolete: the raw QPC value is what matches Stopwatch timestamps.
            var root = ThreadSpanTracker.Find(e.ThreadID, e.TimeStampQPC);
#pragma warning restore CS0618
            // Most samples are of idle threads outside any request: skip them before resolving a stack. With perf events
            // taking the CPU samples, only request threads (the wall profile) matter here.
            if (root is null && (!managed || CpuFromPerf)) return;

            var frames = resolver.Resolve(e, hubs[0].Options.MaxStackDepth);
            if (frames.Length == 0) return;
            // CPU: threads in managed code (not in a wait method), and request threads outside managed code
            // unless their stack shows them blocked: native work done for a request (RS256 signature
            // checks run in OpenSSL) is CPU time. Other threads outside managed code are idle as a rule.
            var cpu = !CpuFromPerf && (managed
                ? !FrameNames.IsWait(frames[^1])
                : root is not null && !FrameNames.IsBlockedOutsideManagedCode(frames));
            var labels = root is { } span
                ? new SampleLabels(span.SpanIdHex(), span.TraceIdHex(), span.Labels?.TestId, span.Labels?.Scenario)
                : SampleLabels.None;
            var takenAt = e.TimeStamp.ToUniversalTime();
            // CPU samples wait for their thread's measured CPU time (CpuWeigher); wall samples count one period each.
            if (cpu) session.Cpu.Add(e.ThreadID, frames, labels, takenAt, profilers: root is null && FrameNames.IsProfilerWork(frames));
            if (root is not null)
            {
                foreach (var hub in hubs) hub.Publish(ProfileKind.Wall, frames, labels, PeriodNanos, takenAt);
            }

            // A session's TraceLog interns every distinct stack while it lives; release them now and then.
            if (resolver.Log.CallStacks.Count > MaxInternedCallStacks) resolver.Log.TrimLiveSessionState();
        }
        catch (Exception) when (!Debugger.IsAttached)
        {
            // A malformed event must not end the session; the sample is lost.
            foreach (var hub in hubs) hub.Metrics.Dropped.WithLabels(ProfileKind.Cpu.Id(), "bad_sample").Inc();
        }
    }

    /// <summary>Hands the session's held CPU samples to the hubs with their weights; on the reader thread only. <paramref name="final"/>: the reader ended, nothing is held back.</summary>
    private static void FlushCpu(SamplingSession session, bool final)
    {
        // What the reader has read so far: under load it runs behind the clock, and a debug capture must wait for the
        // samples taken before its end, not for a flush that happened after it. At the session's end, everything.
        var upTo = final ? Stopwatch.GetTimestamp() : session.LastEventTimestamp;
        session.NextCpuFlush = Stopwatch.GetTimestamp() + (long)(CpuFlushInterval.TotalSeconds * Stopwatch.Frequency);
        var hubs = CpuFromPerf ? Array.Empty<ProfileHub>() : _hubs; // Perf events count CPU time, this session's threads included.
        var profilerBefore = session.Cpu.ProfilerNanos;
        session.Cpu.Flush(
            ThreadCpuClock.ReadAll(),
            tid => ProfilerThreads.CountedBySession(tid) || ProfilerThreads.IsRuntimeProfilerThread(ThreadName(session, tid)),
            (frames, labels, value, takenAt) =>
            {
                foreach (var hub in hubs) hub.Publish(ProfileKind.Cpu, frames, labels, value, takenAt);
            },
            (tid, nanos) =>
            {
                // Native threads (the GC's, the JIT's) are never sampled in managed code: their CPU time shows as one
                // frame named after the thread, so the profile adds up to the process's CPU time.
                var frames = new[] { FrameNames.Thread(ThreadName(session, tid)) };
                var at = DateTime.UtcNow;
                foreach (var hub in hubs) hub.Publish(ProfileKind.Cpu, frames, SampleLabels.None, nanos, at);
            },
            final);
        var profilerNanos = session.Cpu.ProfilerNanos - profilerBefore;
        if (profilerNanos > 0)
        {
            foreach (var hub in hubs) hub.Metrics.ProfilerCpu.Inc(profilerNanos / 1e9);
        }
        Interlocked.Exchange(ref _cpuFlushedUpTo, upTo);
        var flushed = _cpuFlushed;
        _cpuFlushed = NewSignal();
        flushed.TrySetResult(true);
    }

    private static string ThreadName(SamplingSession session, int tid)
    {
        if (!session.ThreadNames.TryGetValue(tid, out var name))
        {
            name = ProfilerThreads.NameOf(tid);
            // Bounded by the process's thread count; the session (and this table) ends with the burst.
            session.ThreadNames[tid] = name;
        }
        return name;
    }

    /// <summary>Adds what the calling (self-timed) profiler thread used since <paramref name="before"/> to the profiler's CPU counter.</summary>
    private static void CountOwnCpu(long? before)
    {
        // With perf events on, these threads' samples are already counted as the profiler's.
        if (CpuFromPerf || before is not { } start || ThreadCpuClock.ReadOne(OsThread.CurrentId) is not { } end || end <= start) return;
        foreach (var hub in _hubs) hub.Metrics.ProfilerCpu.Inc((end - start) / 1e9);
    }

    private static void CountDropped(ProfileHub hub, string reason, int count)
    {
        hub.Metrics.Dropped.WithLabels(ProfileKind.Cpu.Id(), reason).Inc(count);
        hub.Metrics.Dropped.WithLabels(ProfileKind.Wall.Id(), reason).Inc(count);
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static unsafe int ReadSampleType(TraceEvent e) =>
        e.EventDataLength >= 4 ? *(int*)e.DataStart : 0;

    private sealed class OnDemandWindow
    {
        public TimeSpan Until;
    }
}

/// <summary>How long sessions took to open and to stop: count, total and maximum of each.</summary>
internal sealed class SessionTimings
{
    private readonly object _gate = new();
    private TimeSpan _startTotal, _startMax, _stopTotal, _stopMax;
    private int _starts, _stops;

    public void AddStart(TimeSpan elapsed)
    {
        lock (_gate) (_starts, _startTotal, _startMax) = (_starts + 1, _startTotal + elapsed, elapsed > _startMax ? elapsed : _startMax);
    }

    public void AddStop(TimeSpan elapsed)
    {
        lock (_gate) (_stops, _stopTotal, _stopMax) = (_stops + 1, _stopTotal + elapsed, elapsed > _stopMax ? elapsed : _stopMax);
    }

    public (int Starts, TimeSpan StartTotal, TimeSpan StartMax, int Stops, TimeSpan StopTotal, TimeSpan StopMax) Snapshot()
    {
        lock (_gate) return (_starts, _startTotal, _startMax, _stops, _stopTotal, _stopMax);
    }
}

/// <summary>Lifecycle of the process-wide sampler.</summary>
internal enum SamplerState
{
    NotStarted,

    /// <summary>The scheduler runs (a session may or may not be open: see <see cref="EventPipeSampler.SessionOpen"/>).</summary>
    Running,
    Off,
    Failed,
}
