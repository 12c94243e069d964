using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;
using TestSupport;

namespace Observability.Profiling.Tests;

/// <summary>Disposing a session control: its session and scheduler stop; the process's shared control is never disposed.</summary>
[Collection(EventPipeCollection.Name)]
public class SessionControlDisposeTests
{
    [Fact]
    public async Task Dispose_stops_the_open_session_and_the_scheduler_and_a_second_dispose_is_harmless()
    {
        using var control = new EventPipeSessionControl(new EventPipeSessionSettings());
        // Continuous: a live scheduler keeps a session open for this hub, which stays attached throughout.
        control.Attach(NewHub(ProfilingMode.Continuous), NullLogger.Instance);
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

        control.Attach(NewHub(ProfilingMode.Continuous), NullLogger.Instance);
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

    private static ProfileHub NewHub(ProfilingMode mode) =>
        new(new ProfilingOptions { Mode = mode, CpuSampler = CpuSamplerKind.EventPipe }, new ProfilerMetrics(Prometheus.Metrics.NewCustomRegistry()));
}
