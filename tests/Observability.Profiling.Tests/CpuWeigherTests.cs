using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Tests;

/// <summary>CPU samples get their thread's measured CPU time (<see cref="CpuWeigher"/>), shared out exactly.</summary>
public class CpuWeigherTests
{
    private const long Period = 1_000_000;
    private static readonly DateTime At = new(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    // thread 1's samples, its CPU time before and after (-1: absent from that reading) → the values published
    [InlineData(4, 0, 10_000_000, new long[] { 2_500_000, 2_500_000, 2_500_000, 2_500_000 })]
    [InlineData(3, 5_000_000, 15_000_000, new long[] { 3_333_334, 3_333_333, 3_333_333 })] // the remainder goes to the first
    [InlineData(2, 7_000_000, 7_000_000, new long[0])] // sampled while runnable but never ran: no CPU time
    [InlineData(2, -1, 4_000_000, new long[] { 2_000_000, 2_000_000 })] // born during the interval: all its time is in it
    [InlineData(2, 1_000_000, -1, new long[0])] // ended before the read: CPU time unknown, samples dropped
    [InlineData(2, 9_000_000, 1_000_000, new long[0])] // id reused by a new thread: unknown as well
    public void A_threads_cpu_time_is_shared_among_its_samples(int samples, long before, long after, long[] expected)
    {
        var weigher = new CpuWeigher(Reading((1, before)), Period);
        for (var i = 0; i < samples; i++) weigher.Add(1, ["Main", "Work"], SampleLabels.None, At);

        var published = weigher.Flush(Reading((1, after)), _ => false).Samples.Select(s => s.Nanos);

        Assert.Equal(expected, published);
        Assert.Equal(0, weigher.Pending);
    }

    [Fact]
    public void Without_a_clock_every_sample_is_one_period()
    {
        var weigher = new CpuWeigher(null, Period);
        weigher.Add(1, ["A"], SampleLabels.None, At);
        weigher.Add(2, ["B"], SampleLabels.None, At);
        var weighed = weigher.Flush(null, _ => false);
        Assert.Equal(new[] { Period, Period }, weighed.Samples.Select(s => s.Nanos));
        Assert.Empty(weighed.Unsampled); // No clock, no unsampled time.
    }

    [Fact]
    public void At_the_sessions_end_threads_without_samples_go_to_the_profilers_share_or_to_their_own_frame()
    {
        // Thread 7 is the profiler's reader, 8 a GC thread, 9 idle, 1 sampled.
        var weigher = new CpuWeigher(Reading((1, 0), (7, 100), (8, 1_000), (9, 50)), Period);
        weigher.Add(1, ["Main"], SampleLabels.None, At);
        var weighed = weigher.Flush(Reading((1, 3_000_000), (7, 2_000_100), (8, 5_001_000), (9, 50)), tid => tid == 7, final: true);

        Assert.Equal(2_000_000, weigher.ProfilerNanos);
        Assert.Equal(new[] { (8, 5_000_000L) }, weighed.Unsampled);
        Assert.Equal(5_000_000, weigher.UnsampledNanos);
    }

    [Fact]
    public void The_profilers_own_work_on_a_shared_thread_counts_as_its_cost_not_in_the_profile()
    {
        var weigher = new CpuWeigher(Reading((3, 0)), Period);
        weigher.Add(3, ["ThreadPool", "App.Handle"], SampleLabels.None, At);
        weigher.Add(3, ["ThreadPool", "Microsoft.Diagnostics.Tracing.EventPipeEventSource.Process"], SampleLabels.None, At, profilers: true);
        var published = weigher.Flush(Reading((3, 4_000_000)), _ => false).Samples.Select(s => (s.Frames[^1], s.Nanos));

        Assert.Equal(new[] { ("App.Handle", 2_000_000L) }, published);
        Assert.Equal(2_000_000, weigher.ProfilerNanos);
    }

    [Fact]
    public void Each_flush_starts_from_the_last_reading_so_a_session_adds_up_to_the_threads_cpu_time()
    {
        var weigher = new CpuWeigher(Reading((1, 1_000)), Period);
        long total = 0;
        var readings = new long[] { 4_001_000, 4_001_000, 9_501_000, 12_000_000 };
        foreach (var cpu in readings)
        {
            weigher.Add(1, ["Main"], SampleLabels.None, At);
            weigher.Add(1, ["Main"], SampleLabels.None, At);
            total += weigher.Flush(Reading((1, cpu)), _ => false).Samples.Sum(s => s.Nanos);
        }
        Assert.Equal(12_000_000 - 1_000, total);
    }

    [Fact]
    public void A_workers_cpu_time_between_its_samples_waits_for_its_next_sample()
    {
        var weigher = new CpuWeigher(Reading((1, 0)), Period);
        // Interval 1: 3 ms of CPU, no CPU sample (a short request between ticks). Interval 2: 1 ms more, two samples.
        var first = weigher.Flush(Reading((1, 3_000_000)), _ => false);
        weigher.Add(1, ["Request"], SampleLabels.None, At);
        weigher.Add(1, ["Request"], SampleLabels.None, At);
        var second = weigher.Flush(Reading((1, 4_000_000)), _ => false);

        Assert.Empty(first.Samples);
        Assert.Equal(new long[] { 2_000_000, 2_000_000 }, second.Samples.Select(s => s.Nanos));
        Assert.Empty(first.Unsampled.Concat(second.Unsampled));
    }

    [Fact]
    public void Time_that_finds_no_sample_within_the_carry_limit_gets_the_threads_own_frame()
    {
        var weigher = new CpuWeigher(Reading((8, 0)), Period);
        var unsampled = new List<long>();
        for (var i = 1; i <= CpuWeigher.MaxCarry; i++)
        {
            var weighed = weigher.Flush(Reading((8, i * 1_000_000L)), _ => false);
            Assert.Empty(weighed.Samples);
            unsampled.AddRange(weighed.Unsampled.Select(u => u.Nanos));
        }
        Assert.Equal(new[] { CpuWeigher.MaxCarry * 1_000_000L }, unsampled);
        Assert.Equal(CpuWeigher.MaxCarry * 1_000_000L, weigher.UnsampledNanos);
    }

    private static Dictionary<int, long> Reading(params (int Tid, long Nanos)[] threads) =>
        threads.Where(t => t.Nanos >= 0).ToDictionary(t => t.Tid, t => t.Nanos);
}
