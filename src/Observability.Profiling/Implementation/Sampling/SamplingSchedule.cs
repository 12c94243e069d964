namespace Observability.Profiling.Implementation.Sampling;

/// <summary>What the scheduler knows at one instant. Times are offsets on one monotonic clock (the scheduler's).</summary>
/// <param name="Now">The current instant.</param>
/// <param name="Mode">The effective mode of the hosts attached (<see cref="ProfilingMode.Off"/> when none is).</param>
/// <param name="RateVariableSet">Whether the process started with <see cref="ProfilingOptions.SamplingRateVariable"/>.</param>
/// <param name="LastLoadTestRequest">When the last request carrying a k6 test id ended, if any did.</param>
/// <param name="OnDemandUntil">The latest end of the pending <c>/debug/pprof</c> windows, if any is pending.</param>
/// <param name="WatchdogFired">A session failed to stop (or to start) in time: the sampler is failed for good.</param>
internal readonly record struct ScheduleInput(
    TimeSpan Now,
    ProfilingMode Mode,
    bool RateVariableSet,
    TimeSpan? LastLoadTestRequest,
    TimeSpan? OnDemandUntil,
    bool WatchdogFired);

/// <summary>The schedule's constants: steady bursts, load-test bursts (without the variable) and how long a test lingers.</summary>
/// <param name="Burst">Length of a steady burst.</param>
/// <param name="Period">Start-to-start time of steady bursts.</param>
/// <param name="Phase">Random offset of this process's bursts within <paramref name="Period"/>, so a fleet does not sample in step.</param>
internal sealed record ScheduleSettings(TimeSpan Burst, TimeSpan Period, TimeSpan Phase)
{
    /// <summary>Without the variable, a load test gets one burst every this long (a burst of <see cref="Burst"/>, at most 1 s).</summary>
    public static readonly TimeSpan LoadTestPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Dense sampling goes on this long after the last request that carried a test id.</summary>
    public static readonly TimeSpan LoadTestLinger = TimeSpan.FromSeconds(10);

    /// <summary>The burst length during a load test without the variable: the steady burst, capped at 1 s (20 % duty).</summary>
    public TimeSpan LoadTestBurst => Burst < TimeSpan.FromSeconds(1) ? Burst : TimeSpan.FromSeconds(1);
}

/// <summary>The scheduler's decision: whether the EventPipe session should be open now, and until when that holds.</summary>
/// <param name="On">The session should be open.</param>
/// <param name="Until">When to decide again at the latest (<see cref="TimeSpan.MaxValue"/>: not before something changes).</param>
/// <param name="Why">Short reason, for logs and tests.</param>
internal readonly record struct SessionDecision(bool On, TimeSpan Until, string Why);

/// <summary>
/// When the sampler runs, as a pure function of the clock and of what the process asked for. The scheduler thread
/// applies the decision (starts or stops a session) and sleeps until <see cref="SessionDecision.Until"/> or a signal.
/// </summary>
internal static class SamplingSchedule
{
    public static SessionDecision Decide(in ScheduleInput input, ScheduleSettings settings)
    {
        if (input.WatchdogFired) return new SessionDecision(false, TimeSpan.MaxValue, "failed");
        switch (input.Mode)
        {
            case ProfilingMode.Off:
                return new SessionDecision(false, TimeSpan.MaxValue, "off");
            case ProfilingMode.Continuous:
                return new SessionDecision(true, TimeSpan.MaxValue, "continuous");
        }

        var now = input.Now;
        var scheduled = Scheduled(input, settings);
        if (input.OnDemandUntil is { } demanded && demanded > now)
        {
            // An on-demand window holds the session open; a burst that runs longer keeps it open to its own end.
            var until = scheduled.On && scheduled.Until > demanded ? scheduled.Until : demanded;
            return new SessionDecision(true, until, "on demand");
        }
        return scheduled;
    }

    private static SessionDecision Scheduled(in ScheduleInput input, ScheduleSettings settings)
    {
        var now = input.Now;
        if (input.LastLoadTestRequest is { } last && now - last < ScheduleSettings.LoadTestLinger)
        {
            var testEnds = last + ScheduleSettings.LoadTestLinger;
            if (input.RateVariableSet) return new SessionDecision(true, testEnds, "load test");
            var dense = Burst(now, settings.LoadTestBurst, ScheduleSettings.LoadTestPeriod, settings.Phase, "load test burst");
            // Decide again when the test's linger ends, if that comes first: steady bursts take over.
            return dense.Until > testEnds ? dense with { Until = testEnds } : dense;
        }
        return Burst(now, settings.Burst, settings.Period, settings.Phase, "burst");
    }

    private static SessionDecision Burst(TimeSpan now, TimeSpan burst, TimeSpan period, TimeSpan phase, string why)
    {
        if (period <= TimeSpan.Zero || burst >= period) return new SessionDecision(true, TimeSpan.MaxValue, why);
        var position = TimeSpan.FromTicks(((now + phase).Ticks % period.Ticks + period.Ticks) % period.Ticks);
        return position < burst
            ? new SessionDecision(true, now + (burst - position), why)
            : new SessionDecision(false, now + (period - position), "between bursts");
    }
}
