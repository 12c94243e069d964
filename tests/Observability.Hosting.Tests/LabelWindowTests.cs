using Observability.Hosting.Implementation;

namespace Observability.Hosting.Tests;

/// <summary>
/// The test-id cap is a window over recent runs: the newest run gets its own label once an older one has gone quiet,
/// and the retired run's series are removed, so run 21 of a long-lived process is not folded into <c>other</c>.
/// </summary>
public sealed class LabelWindowTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    [Fact]
    public void A_new_run_takes_the_place_of_the_run_idle_longest_once_it_has_been_idle_long_enough()
    {
        var time = new ManualTime();
        var retired = new List<string>();
        var overflows = 0;
        var set = new BoundedLabelSet(2, () => overflows++, Idle, time, retired.Add);

        Assert.Equal("run-1", set.Map("run-1"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("run-2", set.Map("run-2"));
        // Both still recent: a third run is folded and counted.
        Assert.Equal("other", set.Map("run-3"));
        Assert.Equal(1, overflows);

        time.Advance(Idle);
        // run-1 was seen longest ago and is idle past the timeout: run-3 takes its place.
        Assert.Equal("run-3", set.Map("run-3"));
        Assert.Equal(["run-1"], retired);
        Assert.Equal("run-2", set.Map("run-2"));
        Assert.Equal("other", set.Map("run-4"));
    }

    [Fact]
    public void A_run_that_keeps_arriving_keeps_its_label()
    {
        var time = new ManualTime();
        var retired = new List<string>();
        var set = new BoundedLabelSet(1, () => { }, Idle, time, retired.Add);
        for (var minute = 0; minute < 60; minute++)
        {
            Assert.Equal("long-run", set.Map("long-run"));
            Assert.Equal("other", set.Map($"newcomer-{minute}"));
            time.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Empty(retired);
    }

    [Fact]
    public void Ten_thousand_runs_one_after_another_each_get_their_label_and_the_set_stays_at_the_cap()
    {
        var time = new ManualTime();
        var live = new HashSet<string>();
        var set = new BoundedLabelSet(20, () => { }, Idle, time, id => Assert.True(live.Remove(id)));
        for (var run = 0; run < 10_000; run++)
        {
            var label = set.Map($"run-{run}");
            Assert.Equal($"run-{run}", label);
            live.Add(label);
            Assert.InRange(live.Count, 1, 20);
            time.Advance(Idle);
        }
    }

    [Fact]
    public async Task A_retired_run_leaves_the_scrape_and_the_newest_run_is_in_it()
    {
        await using var host = await Infrastructure.TestHost.StartAsync(new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.LoadTestMaxTestIds] = "1",
            [ObservabilityConfigKeys.LoadTestLabelIdleTimeout] = "1",
        });
        await SendAsync(host, "first-run");
        Assert.Contains("testid=\"first-run\"", await host.ScrapeAsync());

        // Past the idle timeout (1 s) the next run takes the only place.
        await TestSupport.Eventually.ReturnsAsync(
            async () =>
            {
                await SendAsync(host, "second-run");
                return await host.ScrapeAsync();
            },
            text => text.Contains("testid=\"second-run\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "second-run admitted once first-run was idle", interval: TimeSpan.FromMilliseconds(250));
        Assert.DoesNotContain("testid=\"first-run\"", await host.ScrapeAsync());
    }

    private static async Task SendAsync(Infrastructure.TestHost host, string testId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("baggage", $"k6.testid={testId}");
        using var response = await host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
