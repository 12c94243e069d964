using System.Diagnostics;
using System.Net;
using Observability.Profiling.Implementation.Sampling;
using Observability.Profiling.Implementation.Spans;
using TestSupport;

namespace Observability.Profiling.Tests;

/// <summary><c>pyroscope.profile.id</c> only on local roots that a sampling window overlapped: Grafana never opens an empty profile.</summary>
public class SpanLinkTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("before the window", 0, 1, false)]
    [InlineData("ends as the window opens", 0, 10, true)]
    [InlineData("inside the window", 11, 12, true)]
    [InlineData("spans the whole window", 5, 30, true)]
    [InlineData("starts in the window, ends after", 15, 25, true)]
    [InlineData("after the window", 21, 25, false)]
    [InlineData("between two windows", 21, 39, false)]
    [InlineData("in the second window", 41, 42, true)]
    public void A_span_overlaps_a_window_only_if_the_sampler_was_on_during_it(string why, int fromSecond, int untilSecond, bool overlaps)
    {
        var windows = new SamplingWindows();
        windows.Open(T0.AddSeconds(10));
        windows.Close(T0.AddSeconds(20));
        windows.Open(T0.AddSeconds(40));
        windows.Close(T0.AddSeconds(45));
        Assert.True(overlaps == windows.Overlaps(T0.AddSeconds(fromSecond), T0.AddSeconds(untilSecond)), why);
    }

    [Fact]
    public void An_open_window_overlaps_spans_that_end_after_it_opened()
    {
        var windows = new SamplingWindows();
        windows.Open(T0.AddSeconds(10));
        Assert.True(windows.Overlaps(T0.AddSeconds(5), T0.AddSeconds(11)));
        Assert.False(windows.Overlaps(T0.AddSeconds(5), T0.AddSeconds(9)));
    }

    [Fact]
    public void The_sampled_part_of_a_push_window_is_the_union_of_its_bursts_clipped_to_it()
    {
        var windows = new SamplingWindows();
        windows.Open(T0.AddSeconds(10));
        windows.Close(T0.AddSeconds(11));
        windows.Open(T0.AddSeconds(14));
        windows.Close(T0.AddSeconds(17));
        Assert.Equal((T0.AddSeconds(10), TimeSpan.FromSeconds(3)), windows.Within(T0.AddSeconds(5), T0.AddSeconds(16)));
        Assert.Null(windows.Within(T0.AddSeconds(18), T0.AddSeconds(30)));
    }

    [Collection(EventPipeCollection.Name)]
    public class WithTheSampler
    {
        [Fact]
        public async Task A_root_span_gets_the_profile_id_inside_a_debug_window_and_not_between_bursts()
        {
            await using var host = await ProfiledHost.StartAsync(o =>
            {
                o.Mode = ProfilingMode.Auto;
                o.CpuSampler = CpuSamplerKind.EventPipe;
                o.BurstDuration = TimeSpan.FromMilliseconds(100);
                o.BurstPeriod = TimeSpan.FromHours(1);
            });
            await Eventually.HoldsAsync(() => !EventPipeSampler.Shared.SessionOpen, TimeSpan.FromSeconds(40), "the session closed");

            Activity between;
            using (between = ProfiledHost.Source.StartActivity("between bursts", ActivityKind.Server)!)
            {
            }
            Assert.Null(between.GetTagItem(SpanProfileProcessor.ProfileIdAttribute));

            var window = host.Client.GetAsync("/debug/pprof/profile?seconds=2&type=cpu");
            await Eventually.HoldsAsync(() => EventPipeSampler.Shared.SessionOpen, TimeSpan.FromSeconds(20), "the debug window open");
            Activity inside;
            using (inside = ProfiledHost.Source.StartActivity("inside the window", ActivityKind.Server)!)
            {
            }
            using var response = await window;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(inside.SpanId.ToHexString(), inside.GetTagItem(SpanProfileProcessor.ProfileIdAttribute));
        }
    }
}
