using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// The process's EventPipe sampler: session control. One scheduler thread owns the session's lifetime: it asks
/// <see cref="SamplingSchedule.Decide"/> whether a session should be open, opens one (<see cref="SamplingSession"/>,
/// a TraceLog of its own) or stops it under a watchdog, and sleeps until the decision's deadline or a signal (a host
/// attached or left, a load test started, a debug request wants a window). Hosts attach and detach their hubs.
/// Samples go through <see cref="Router"/>; debug windows are <see cref="OnDemand"/>; the rundown choice is
/// <see cref="RundownPolicy"/>'s.
/// </summary>
internal static class EventPipeSampler
{
    /// <summary>An on-demand request waits at most this long for its session to open.</summary>
    internal static readonly TimeSpan StartAllowance = TimeSpan.FromSeconds(20);

    private static readonly long Origin = Stopwatch.GetTimestamp();
    private static readonly object Gate = new();
    private static readonly AutoResetEvent Wake = new(false);
    private static readonly OnDemandWindows OnDemand = new();
    private static readonly RundownPolicy Rundown = new(() => SamplingSession.RundownOverride);
    private static volatile ProfileHub[] _hubs = Array.Empty<ProfileHub>();
    private static volatile SamplerState _state;
    private static volatile string? _reason;
    private static long _sessionsStarted;
    private static long _lastLoadTest; // scheduler clock ticks; 0 = never
    private static volatile bool _exiting;
    private static volatile bool _exitHooked;
    private static volatile bool _warnedContinuous;
    private static volatile TaskCompletionSource<bool> _sessionOn = NewSignal();
    private static Thread? _scheduler;
    private static ILogger? _logger;

    /// <summary>Sampling interval in ns: the value of the runtime variable, or the runtime's default.</summary>
    public static long PeriodNanos { get; } =
        SamplingRate.FromVariable(Environment.GetEnvironmentVariable(ProfilingOptions.SamplingRateVariable)) ?? SamplingRate.RuntimeDefaultNanos;

    /// <summary>Whether the process started with <see cref="ProfilingOptions.SamplingRateVariable"/>.</summary>
    public static bool RateVariableSet { get; } =
        SamplingRate.FromVariable(Environment.GetEnvironmentVariable(ProfilingOptions.SamplingRateVariable)) is not null;

    /// <summary>Where the sessions' samples go.</summary>
    public static EventPipeSampleRouter Router { get; } = new(() => _hubs, PeriodNanos);

    /// <summary>This sampler as the CPU sampler of the profiles, when perf events are not used.</summary>
    public static ICpuSampler AsCpuSampler { get; } = new EventPipeCpuSampler();

    public static SamplerState State => _state;

    /// <summary>Why the sampler is not running, for logs and the debug endpoints.</summary>
    public static string? Reason => _reason;

    public static long SamplesSeen => Router.SamplesSeen;

    /// <summary>Sessions opened since the process started (bursts, windows, the continuous one).</summary>
    public static long SessionsStarted => Interlocked.Read(ref _sessionsStarted);

    /// <summary>Sessions that ran TraceEvent's rundown.</summary>
    public static long Rundowns => Rundown.Rundowns;

    /// <summary>When the sampler was on, for span links and the pushed profiles' sampled range.</summary>
    public static SamplingWindows Windows { get; } = new();

    /// <summary>Whether a session is open now.</summary>
    public static bool SessionOpen => Windows.IsOpen;

    /// <summary>How long <c>Stop()</c> (and the reader's end after it) may take before the sampler declares itself failed.</summary>
    internal static TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Runs on the stopping thread before <c>Stop()</c>: lets a test simulate a hung stop.</summary>
    internal static Action? BeforeStopForTests { get; set; }

    /// <summary>Runs on the reader thread for each sample, before it is handled.</summary>
    internal static Action? OnSampleForTests
    {
        get => Router.OnSampleForTests;
        set => Router.OnSampleForTests = value;
    }

    /// <summary>Start (session + rundown) and stop durations since the process started, for tests and the README's measurements.</summary>
    public static SessionTimings Timings { get; } = new();

    private static TimeSpan Clock => Stopwatch.GetElapsedTime(Origin);

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
        var window = OnDemand.Add(Clock + StartAllowance + duration);
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
            window.EndAt(Clock + duration);
            Wake.Set();
            await Task.Delay(duration, cancellationToken);
            return _state == SamplerState.Running;
        }
        finally
        {
            window.Dispose();
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
            var input = new ScheduleInput(Clock, mode, RateVariableSet, last == 0 ? null : TimeSpan.FromTicks(last), OnDemand.LatestEnd(), WatchdogFired: _state == SamplerState.Failed);
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
        return (mode, options.EffectiveBurstDurationFor(RateVariableSet), options.BurstPeriod);
    }

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

    /// <summary>
    /// Runs <paramref name="work"/> on a profiler thread of its own (its CPU time counted as the profiler's); false when
    /// it did not return within <see cref="StopTimeout"/> (the thread is left behind: the runtime call it is in may never return).
    /// </summary>
    private static bool RunBounded(string threadName, Action work)
    {
        var thread = new Thread(() =>
        {
            using var self = ProfilerThreads.Enter(selfTimed: true);
            var before = ThreadCpuClock.ReadOne(OsThread.CurrentId);
            work();
            Router.CountOwnCpu(before);
        }) { IsBackground = true, Name = threadName };
        thread.Start();
        return thread.Join(StopTimeout);
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
        var rundown = Rundown.Next(onDemand: OnDemand.LatestEnd() is not null);
        SamplingSession? started = null;
        Exception? error = null;
        var returned = RunBounded("Observability profiler start", () =>
        {
            try
            {
                started = SamplingSession.Start(Router.OnEvent, s => Router.FlushCpu(s, final: true), rundown, PeriodNanos);
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        if (!returned)
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
        Rundown.Started(rundown);
        Interlocked.Increment(ref _sessionsStarted);
        Router.SessionStarted();
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
        var returned = RunBounded("Observability profiler stop", () =>
        {
            try
            {
                BeforeStopForTests?.Invoke();
                session.Stop();
            }
            catch (Exception)
            {
                // The session may have ended on its own; the reader's end below is what counts.
            }
        });
        if (!returned)
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
        Router.SessionEnded();
        Rundown.Stopped(session.WithRundown, session.Resolver.Unresolved, session.Resolver.UnresolvedShare);
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
        Router.SessionEnded();
        _sessionOn.TrySetResult(false);
        foreach (var hub in _hubs) CountDropped(hub, "sampler_failed", 1);
        _logger?.LogError(error, "CPU and wall profiles are off: {Reason}; the application keeps running", reason);
    }

    private static void CountDropped(ProfileHub hub, string reason, int count)
    {
        hub.Metrics.Dropped.WithLabels(ProfileKind.Cpu.Id(), reason).Inc(count);
        hub.Metrics.Dropped.WithLabels(ProfileKind.Wall.Id(), reason).Inc(count);
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
