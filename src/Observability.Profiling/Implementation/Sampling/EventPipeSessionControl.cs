using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Profiles;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// Controls EventPipe sampling sessions. One scheduler thread owns the session's lifetime: it asks
/// <see cref="SamplingSchedule.Decide"/> whether a session should be open, opens one (<see cref="SamplingSession"/>,
/// a TraceLog of its own) or stops it under a watchdog, and sleeps until the decision's deadline or a signal (a host
/// attached or left, a load test started, a debug request wants a window). Hosts attach and detach their hubs.
/// Samples go through <see cref="Router"/>; debug windows are <see cref="OnDemandWindows"/>; the rundown choice is
/// <see cref="RundownPolicy"/>'s. Production has one, <see cref="EventPipeSampler.Shared"/>.
/// </summary>
internal sealed partial class EventPipeSessionControl : IDisposable
{
    /// <summary>An on-demand request waits at most this long for its session to open.</summary>
    internal static readonly TimeSpan StartAllowance = TimeSpan.FromSeconds(20);

    private readonly EventPipeSessionSettings _settings;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly object _gate = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly OnDemandWindows _onDemand = new();
    private readonly RundownPolicy _rundown;
    private volatile ProfileHub[] _hubs = Array.Empty<ProfileHub>();
    private volatile SamplerState _state;
    private volatile string? _reason;
    private long _sessionsStarted;
    private long _lastLoadTest; // scheduler clock ticks; 0 = never
    private int _tracksSpans; // 1 while this control holds span tracking on (TrackSpans)
    private volatile bool _exiting;
    private bool _warnedContinuous; // under _gate
    private volatile TaskCompletionSource<bool> _sessionOn = NewSignal();
    private ILogger? _logger;

    public EventPipeSessionControl(EventPipeSessionSettings settings)
    {
        _settings = settings;
        _rundown = new RundownPolicy(settings.RundownOverride);
        Router = new EventPipeSampleRouter(() => _hubs, settings.PeriodNanos, settings.OnSample);
        AsCpuSampler = new EventPipeCpuSampler(this);
    }

    /// <summary>Sampling interval in ns: the value of one wall sample.</summary>
    public long PeriodNanos => _settings.PeriodNanos;

    /// <summary>Where the sessions' samples go.</summary>
    public EventPipeSampleRouter Router { get; }

    /// <summary>This control as the CPU sampler of the profiles, when perf events are not used.</summary>
    public ICpuSampler AsCpuSampler { get; }

    public SamplerState State => _state;

    /// <summary>Why the sampler is not running, for logs and the debug endpoints.</summary>
    public string? Reason => _reason;

    public long SamplesSeen => Router.SamplesSeen;

    /// <summary>Sessions opened since this control was built (bursts, windows, the continuous one).</summary>
    public long SessionsStarted => Interlocked.Read(ref _sessionsStarted);

    /// <summary>Sessions that ran TraceEvent's rundown.</summary>
    public long Rundowns => _rundown.Rundowns;

    /// <summary>When the sampler was on, for span links and the pushed profiles' sampled range.</summary>
    public SamplingWindows Windows { get; } = new();

    /// <summary>Whether a session is open now.</summary>
    public bool SessionOpen => Windows.IsOpen;

    /// <summary>Start (session + rundown) and stop durations, for tests and the README's measurements.</summary>
    public SessionTimings Timings { get; } = new();

    private TimeSpan Clock => Stopwatch.GetElapsedTime(_origin);

    public void Attach(ProfileHub hub, ILogger logger)
    {
        lock (_gate)
        {
            _hubs = _hubs.Append(hub).ToArray();
            // A host that attaches after the sampler stopped still shows why its profiles are missing.
            if (_state is SamplerState.Off or SamplerState.Failed) CountDropped(hub, _state == SamplerState.Off ? "sampler_off" : "sampler_failed", 0);
            if (hub.Options.Mode == ProfilingMode.Continuous && !_settings.RateVariableSet && !_warnedContinuous)
            {
                _warnedContinuous = true;
                logger.LogWarning(
                    "Profiling mode is continuous without {Variable}: the runtime samples every thread each 1 ms, a cost production should not keep. " +
                    "Use the auto mode, or start the process with {Variable}={Rate}",
                    ProfilingOptions.SamplingRateVariable, ProfilingOptions.SamplingRateVariable, ProfilingOptions.RecommendedSamplingRate);
            }
            if (_state != SamplerState.NotStarted)
            {
                _wake.Set();
                return;
            }

            if (SamplerGate.OffReason(_settings.Environment) is { } reason)
            {
                _state = SamplerState.Off;
                _reason = reason;
                foreach (var h in _hubs) CountDropped(h, "sampler_off", 0);
                logger.LogWarning("CPU and wall profiles are off: {Reason}", reason);
                return;
            }

            _logger = logger;
            // NotStarted is left once: the exit hook and the scheduler thread are this control's only ones.
            _state = SamplerState.Running;
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
            _scheduler = new Thread(Schedule) { IsBackground = true, Name = "Observability profiler" };
            _scheduler.Start();
        }
    }

    public void Detach(ProfileHub hub)
    {
        lock (_gate) _hubs = _hubs.Where(h => !ReferenceEquals(h, hub)).ToArray();
        _wake.Set();
    }

    /// <summary>
    /// Called when a local-root span that carried a k6 test id ends: a cheap timestamp, and a wake-up of the scheduler
    /// only when a test starts (no such request in the last <see cref="ScheduleSettings.LoadTestLinger"/>).
    /// </summary>
    public void NoteLoadTestRequest()
    {
        var now = Clock.Ticks;
        var last = Volatile.Read(ref _lastLoadTest);
        if (last != 0 && now - last < TimeSpan.TicksPerMillisecond * 100) return;
        Volatile.Write(ref _lastLoadTest, now);
        if (last == 0 || now - last >= ScheduleSettings.LoadTestLinger.Ticks) _wake.Set();
    }

    /// <summary>
    /// Holds a session open for <paramref name="duration"/> of sampling, whatever the schedule; concurrent callers share
    /// it. False when the sampler is failed or no session opened within <see cref="StartAllowance"/>.
    /// </summary>
    public async Task<bool> SampleForAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var window = _onDemand.Add(Clock + StartAllowance + duration);
        _wake.Set();
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
            _wake.Set();
            await Task.Delay(duration, cancellationToken);
            return _state == SamplerState.Running;
        }
        finally
        {
            window.Dispose();
            _wake.Set();
        }
    }

    private static void CountDropped(ProfileHub hub, string reason, int count)
    {
        hub.Metrics.Dropped.WithLabels(ProfileKind.Cpu.Id(), reason).Inc(count);
        hub.Metrics.Dropped.WithLabels(ProfileKind.Wall.Id(), reason).Inc(count);
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
