using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Tests;

/// <summary>The scheduler's decisions as a table: inputs at one instant, whether a session is open and until when.</summary>
public class SamplingScheduleTests
{
    private const double Never = double.PositiveInfinity;

    [Theory]
    // why                               now    mode                        var    last k6  on demand  watchdog  on     until   reason
    // Steady production: the default bursts (1 s, 2 s with the variable) on a 20 s period to keep the table short.
    [InlineData("steady, in a burst", 20.5, ProfilingMode.Auto, false, null, null, false, true, 21.0, "burst")]
    [InlineData("steady, between bursts", 25.0, ProfilingMode.Auto, false, null, null, false, false, 40.0, "between bursts")]
    [InlineData("steady, burst edge is exclusive", 21.0, ProfilingMode.Auto, false, null, null, false, false, 40.0, "between bursts")]
    [InlineData("steady with the variable (2 s burst)", 41.0, ProfilingMode.Auto, true, null, null, false, true, 42.0, "burst")]
    [InlineData("steady with the variable, after its burst", 42.5, ProfilingMode.Auto, true, null, null, false, false, 60.0, "between bursts")]
    // A k6 test starts: with the variable, continuous while it lasts; without, 1 s bursts every 5 s.
    [InlineData("test starts, variable set", 100.05, ProfilingMode.Auto, true, 100.0, null, false, true, 110.0, "load test")]
    [InlineData("test running, variable set", 109.0, ProfilingMode.Auto, true, 108.5, null, false, true, 118.5, "load test")]
    [InlineData("test starts, no variable, in a dense burst", 100.5, ProfilingMode.Auto, false, 100.0, null, false, true, 101.0, "load test burst")]
    [InlineData("test running, no variable, between dense bursts", 102.0, ProfilingMode.Auto, false, 100.0, null, false, false, 105.0, "between bursts")]
    [InlineData("test lingers, no variable: decide again when it ends", 106.0, ProfilingMode.Auto, false, 98.0, null, false, false, 108.0, "between bursts")]
    // The test ended (no test request for 10 s): back to steady bursts.
    [InlineData("test ended", 111.0, ProfilingMode.Auto, true, 100.0, null, false, false, 120.0, "between bursts")]
    [InlineData("test ended, in a steady burst", 120.2, ProfilingMode.Auto, false, 100.0, null, false, true, 121.0, "burst")]
    // On demand: a debug request holds the session open whatever the schedule.
    [InlineData("on demand between bursts", 25.0, ProfilingMode.Auto, false, null, 27.0, false, true, 27.0, "on demand")]
    [InlineData("on demand during a burst, longer than it", 20.5, ProfilingMode.Auto, false, null, 30.0, false, true, 30.0, "on demand")]
    [InlineData("on demand during a burst, shorter than it", 40.5, ProfilingMode.Auto, true, null, 41.0, false, true, 42.0, "on demand")]
    [InlineData("on demand during a test, no variable", 102.0, ProfilingMode.Auto, false, 100.0, 104.0, false, true, 104.0, "on demand")]
    [InlineData("on demand expired", 28.0, ProfilingMode.Auto, false, null, 27.0, false, false, 40.0, "between bursts")]
    // Continuous and off.
    [InlineData("continuous", 25.0, ProfilingMode.Continuous, true, null, null, false, true, Never, "continuous")]
    [InlineData("continuous without the variable", 25.0, ProfilingMode.Continuous, false, null, null, false, true, Never, "continuous")]
    [InlineData("off ignores tests and debug requests", 20.5, ProfilingMode.Off, true, 20.0, 30.0, false, false, Never, "off")]
    // The watchdog fired: nothing opens a session again.
    [InlineData("watchdog fired, auto", 20.5, ProfilingMode.Auto, false, null, null, true, false, Never, "failed")]
    [InlineData("watchdog fired, on demand", 25.0, ProfilingMode.Auto, false, null, 27.0, true, false, Never, "failed")]
    [InlineData("watchdog fired, continuous", 25.0, ProfilingMode.Continuous, true, null, null, true, false, Never, "failed")]
    public void Decides_when_the_session_is_open(
        string why, double now, ProfilingMode mode, bool variable, double? lastTestRequest, double? onDemandUntil, bool watchdog,
        bool on, double until, string reason)
    {
        var burst = variable ? ProfilingOptions.DefaultBurstWithVariable : ProfilingOptions.DefaultBurstWithoutVariable;
        var settings = new ScheduleSettings(burst, TimeSpan.FromSeconds(20), Phase: TimeSpan.Zero);
        var input = new ScheduleInput(S(now), mode, variable, lastTestRequest is { } t ? S(t) : null, onDemandUntil is { } d ? S(d) : null, watchdog);

        var decision = SamplingSchedule.Decide(input, settings);

        Assert.True(on == decision.On, $"{why}: expected on={on}, got {decision}");
        Assert.True((double.IsInfinity(until) ? TimeSpan.MaxValue : S(until)) == decision.Until, $"{why}: expected until {until}, got {decision}");
        Assert.Equal(reason, decision.Why);
    }

    [Fact]
    public void The_phase_shifts_bursts_and_the_duty_cycle_is_the_burst_over_the_period()
    {
        var settings = new ScheduleSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20), Phase: TimeSpan.FromSeconds(7));
        // Walk 10 minutes in 10 ms steps: the session is open 1/20 of the time, starting at 13 s, 33 s, …
        var open = 0;
        var firstOpen = (double?)null;
        for (var ms = 0; ms < 600_000; ms += 10)
        {
            var decision = SamplingSchedule.Decide(new ScheduleInput(TimeSpan.FromMilliseconds(ms), ProfilingMode.Auto, false, null, null, false), settings);
            if (!decision.On) continue;
            open++;
            firstOpen ??= ms / 1000.0;
        }
        Assert.Equal(13.0, firstOpen);
        Assert.Equal(60_000 / 20, open);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Steady_production_at_the_defaults_samples_under_one_percent_of_the_time(bool variable)
    {
        // Under 1 % of requests in bursts, bursts can move the p99 only within the unsampled tail (Profiling README,
        // "Choosing B and P"); above it, the p99 reads the bursts.
        var burst = variable ? ProfilingOptions.DefaultBurstWithVariable : ProfilingOptions.DefaultBurstWithoutVariable;
        var settings = new ScheduleSettings(burst, new ProfilingOptions().BurstPeriod, Phase: TimeSpan.FromSeconds(123));
        var open = TimeSpan.Zero;
        var hour = TimeSpan.FromHours(1);
        for (var now = TimeSpan.Zero; now < hour;)
        {
            var decision = SamplingSchedule.Decide(new ScheduleInput(now, ProfilingMode.Auto, variable, null, null, false), settings);
            var next = decision.Until < hour ? decision.Until : hour;
            if (decision.On) open += next - now;
            now = next;
        }
        Assert.InRange(open / hour, 0.001, 0.0099);
    }

    private static TimeSpan S(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
