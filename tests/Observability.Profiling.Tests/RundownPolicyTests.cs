using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Tests;

/// <summary>Which EventPipe sessions pay for TraceEvent's rundown: a sequence of sessions and what each one got.</summary>
public class RundownPolicyTests
{
    [Fact]
    public void The_first_session_and_every_tenth_after_a_rundown_run_it()
    {
        var policy = new RundownPolicy(null);
        var ran = new List<bool>();
        for (var i = 0; i < 21; i++)
        {
            var rundown = policy.Next(onDemand: false);
            ran.Add(rundown);
            policy.Started(rundown);
            policy.Stopped(rundown, unnamed: 0, share: 0);
        }
        Assert.Equal([0, 10, 20], ran.Select((r, i) => (r, i)).Where(x => x.r).Select(x => x.i));
        Assert.Equal(3, policy.Rundowns);
    }

    [Theory]
    // unnamed frames, their share after a rundown session left 5 % unnamed → does the next session run it
    [InlineData(500, 0.071, true)]   // more than 2 points worse, on enough frames
    [InlineData(500, 0.069, false)]  // within 2 points
    [InlineData(49, 0.5, false)]     // too few unnamed frames to judge
    [InlineData(50, 0.5, true)]
    public void A_session_that_left_more_frames_unnamed_asks_for_the_next_rundown(long unnamed, double share, bool expected)
    {
        var policy = new RundownPolicy(null);
        policy.Started(policy.Next(onDemand: false));
        policy.Stopped(withRundown: true, unnamed: 1000, share: 0.05);
        Assert.False(policy.Next(onDemand: false));
        policy.Started(false);
        policy.Stopped(withRundown: false, unnamed, share);
        Assert.Equal(expected, policy.Next(onDemand: false));
    }

    [Theory]
    [InlineData(null, true, true)]
    [InlineData(false, true, false)]
    [InlineData(true, false, true)]
    public void A_debug_window_runs_it_unless_forced_otherwise(bool? forced, bool onDemand, bool expected)
    {
        var policy = new RundownPolicy(forced);
        policy.Started(true);
        policy.Stopped(withRundown: true, unnamed: 0, share: 0);
        Assert.Equal(expected, policy.Next(onDemand));
    }
}
