using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;
using TestSupport;

namespace Observability.Profiling.Tests;

/// <summary>
/// EventPipe session controls built by the test, beside the process's shared one: their failures, settings and
/// disposal stay theirs, and the shared control is never disposed by a host.
/// </summary>
[Collection(EventPipeCollection.Name)]
public class SessionControlTests
{
    [Fact]
    public async Task A_stop_that_hangs_past_the_stop_timeout_fails_that_control_with_its_reason_and_not_the_shared_one()
    {
        // The shared control samples for a host all along: another control's failure must not reach it.
        await using var host = await ProfiledHost.StartAsync(o => o.CpuSampler = CpuSamplerKind.EventPipe);
        await host.WaitForSamplerAsync();
        using var release = new ManualResetEventSlim();
        var log = new ErrorSignal();
        using var control = new EventPipeSessionControl(new EventPipeSessionSettings
        {
            StopTimeout = TimeSpan.FromMilliseconds(500),
            BeforeStop = () => release.Wait(TimeSpan.FromMinutes(2)),
        });
        var hub = NewHub(new ProfilingOptions
        {
            Mode = ProfilingMode.Auto,
            CpuSampler = CpuSamplerKind.EventPipe,
            // Steady bursts out of the way (100 ms an hour): the window is the only session.
            BurstDuration = TimeSpan.FromMilliseconds(100),
            BurstPeriod = TimeSpan.FromHours(1),
        });
        try
        {
            control.Attach(hub, log);
            // A one-second window opens a session; when it ends, the scheduler stops the session and the stop hangs.
            var window = control.SampleForAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
            var error = await log.First.WaitAsync(TimeSpan.FromSeconds(60));
            await window;

            Assert.Equal(SamplerState.Failed, control.State);
            Assert.Contains("stopping the EventPipe session did not return within 0.5 s", control.Reason);
            Assert.Contains(control.Reason!, error);
            Assert.Equal(1, control.SessionsStarted);
            Assert.False(control.SessionOpen);
            Assert.Equal(control.Reason, control.AsCpuSampler.Unavailable);
            Assert.Equal(1, hub.Metrics.Dropped.WithLabels("cpu", "sampler_failed").Value);
            // Failed is final: a later capture is refused at once instead of waiting for a session.
            Assert.False(await control.SampleForAsync(TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));

            Assert.Equal(SamplerState.Running, EventPipeSampler.Shared.State);
            Assert.Null(EventPipeSampler.Shared.Reason);
            Assert.Equal(0, host.Hub.Metrics.Dropped.WithLabels("cpu", "sampler_failed").Value);
            await host.WaitForSamplerAsync();
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void A_control_whose_environment_loads_the_native_agent_stays_off_and_says_why()
    {
        using var control = new EventPipeSessionControl(new EventPipeSessionSettings
        {
            Environment = name => name == "CORECLR_PROFILER" ? ProfilingOptions.NativeAgentClsid : null,
        });

        control.Attach(NewHub(new ProfilingOptions { Mode = ProfilingMode.Auto }), NullLogger.Instance);

        Assert.Equal(SamplerState.Off, control.State);
        Assert.Contains("CORECLR_PROFILER", control.Reason);
        Assert.Equal(control.Reason, control.AsCpuSampler.Unavailable);
        Assert.Equal(0, control.SessionsStarted);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_controls_rundown_override_decides_every_session_it_opens(bool rundown)
    {
        // Left to the policy, the first session runs the rundown and the next few do not.
        using var control = new EventPipeSessionControl(new EventPipeSessionSettings { RundownOverride = rundown });
        control.Attach(NewHub(new ProfilingOptions
        {
            Mode = ProfilingMode.Auto,
            CpuSampler = CpuSamplerKind.EventPipe,
            BurstDuration = TimeSpan.FromMilliseconds(100),
            BurstPeriod = TimeSpan.FromMilliseconds(300),
        }), NullLogger.Instance);
        await Eventually.HoldsAsync(() => control.SessionsStarted >= 3, TimeSpan.FromSeconds(60), "three bursts",
            () => $"{control.SessionsStarted} sessions, {control.State} {control.Reason}", TimeSpan.FromMilliseconds(50));

        // Disposed first: no session starts between the two counts.
        control.Dispose();

        Assert.Equal(rundown ? control.SessionsStarted : 0, control.Rundowns);
    }

    [Fact]
    public async Task One_controls_stop_leaves_span_tracking_on_while_another_controls_session_is_open()
    {
        using var longer = new EventPipeSessionControl(new EventPipeSessionSettings());
        using var shorter = new EventPipeSessionControl(new EventPipeSessionSettings());
        longer.Attach(NewHub(OnDemandOnly()), NullLogger.Instance);
        shorter.Attach(NewHub(OnDemandOnly()), NullLogger.Instance);

        var longWindow = longer.SampleForAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        await Eventually.HoldsAsync(() => longer.SessionOpen, TimeSpan.FromSeconds(30), "the longer window's session",
            () => $"{longer.State} {longer.Reason}", TimeSpan.FromMilliseconds(20));
        Assert.True(await shorter.SampleForAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None));
        await Eventually.HoldsAsync(() => !shorter.SessionOpen, TimeSpan.FromSeconds(30),
            "the shorter window's session stopped", () => $"{shorter.State} {shorter.Reason}", TimeSpan.FromMilliseconds(20));

        Assert.True(longer.SessionOpen, "the longer window outlives the shorter one");
        Assert.True(Implementation.Spans.ThreadSpanTracker.Tracking, "spans are tracked while a session is open");
        Assert.True(await longWindow);
    }

    [Fact]
    public async Task Dispose_stops_the_open_session_and_the_scheduler_and_a_second_dispose_is_harmless()
    {
        using var control = new EventPipeSessionControl(new EventPipeSessionSettings());
        // Continuous: a live scheduler keeps a session open for this hub, which stays attached throughout.
        control.Attach(NewHub(Continuous()), NullLogger.Instance);
        await Eventually.HoldsAsync(() => control.SessionOpen, TimeSpan.FromSeconds(30), "a session open",
            () => $"{control.State} {control.Reason}", TimeSpan.FromMilliseconds(50));

        control.Dispose();

        Assert.False(control.SessionOpen);
        // Stopped within Dispose, not abandoned: the stop was timed before Dispose returned.
        var timings = control.Timings.Snapshot();
        Assert.Equal(timings.Starts, timings.Stops);
        Assert.Equal(SamplerState.Off, control.State);
        Assert.Contains("disposed", control.Reason);
        var started = control.SessionsStarted;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(started, control.SessionsStarted);
        Assert.False(control.SessionOpen);

        control.Dispose();
        // A capture asked of a disposed control is refused at once instead of waiting for a session.
        Assert.False(await control.SampleForAsync(TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(started, control.SessionsStarted);
    }

    [Fact]
    public async Task A_control_disposed_before_a_host_attaches_never_samples()
    {
        using var control = new EventPipeSessionControl(new EventPipeSessionSettings());
        control.Dispose();

        control.Attach(NewHub(Continuous()), NullLogger.Instance);
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal(SamplerState.Off, control.State);
        Assert.Equal(0, control.SessionsStarted);
        Assert.Contains("disposed", control.AsCpuSampler.Unavailable);
    }

    [Fact]
    public void A_stopping_host_leaves_the_shared_control_to_the_other_hosts()
    {
        var services = new ServiceCollection().AddLogging().AddObservabilityProfiling();
        using (var provider = services.BuildServiceProvider())
        {
            Assert.Same(EventPipeSampler.Shared, provider.GetRequiredService<EventPipeSessionControl>());
        }

        Assert.NotEqual(SamplerState.Off, EventPipeSampler.Shared.State);
        Assert.Null(EventPipeSampler.Shared.Reason);
    }

    /// <summary>A live scheduler keeps a session open for a continuous hub while it stays attached.</summary>
    private static ProfilingOptions Continuous() => new() { Mode = ProfilingMode.Continuous, CpuSampler = CpuSamplerKind.EventPipe };

    /// <summary>Steady bursts out of the way (100 ms an hour): on-demand windows are the only sessions.</summary>
    private static ProfilingOptions OnDemandOnly() => new()
    {
        Mode = ProfilingMode.Auto,
        CpuSampler = CpuSamplerKind.EventPipe,
        BurstDuration = TimeSpan.FromMilliseconds(100),
        BurstPeriod = TimeSpan.FromHours(1),
    };

    private static ProfileHub NewHub(ProfilingOptions options) =>
        new(options, new ProfilerMetrics(Prometheus.Metrics.NewCustomRegistry()));

    /// <summary>A logger whose first error is a signal: the control logs one when it fails.</summary>
    private sealed class ErrorSignal : ILogger
    {
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> First => _first.Task;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error) _first.TrySetResult(formatter(state, exception));
        }
    }
}
