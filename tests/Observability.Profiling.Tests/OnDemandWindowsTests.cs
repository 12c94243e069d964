using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Tests;

/// <summary>Debug captures' windows: the schedule sees the latest end of those still open.</summary>
public class OnDemandWindowsTests
{
    [Fact]
    public void The_latest_open_window_ends_the_demand_and_closed_ones_do_not_count()
    {
        var windows = new OnDemandWindows();
        Assert.Null(windows.LatestEnd());
        var first = windows.Add(TimeSpan.FromSeconds(30));
        var second = windows.Add(TimeSpan.FromSeconds(25));
        Assert.Equal(TimeSpan.FromSeconds(30), windows.LatestEnd());

        // The first capture's session opened: its seconds count from now, shorter than the allowance it asked for.
        first.EndAt(TimeSpan.FromSeconds(12));
        Assert.Equal(TimeSpan.FromSeconds(25), windows.LatestEnd());
        second.Dispose();
        Assert.Equal(TimeSpan.FromSeconds(12), windows.LatestEnd());
        first.Dispose();
        first.Dispose();
        Assert.Null(windows.LatestEnd());
    }
}
