using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Tests;

public class BoundsTests
{
    [Fact]
    public void Aggregator_drops_span_labels_then_folds_stacks_beyond_its_cap()
    {
        var aggregator = new ProfileAggregator(ProfileKind.Cpu, maxStacks: 100, DateTimeOffset.UtcNow);
        for (var i = 0; i < 1000; i++)
        {
            aggregator.Add(new[] { "Main", "M" + (i % 10) }, new SampleLabels($"{i:x16}", $"{i:x32}", "t", null), 10);
        }
        for (var i = 0; i < 1000; i++)
        {
            aggregator.Add(new[] { "Main", "Distinct" + i }, SampleLabels.None, 1);
        }

        var entries = aggregator.Snapshot();
        Assert.InRange(entries.Count, 100, 126);
        Assert.Equal(10_000 + 1_000, entries.Sum(kv => kv.Value)); // nothing is lost, only merged
        Assert.Equal(10_000 + 1_000, aggregator.Total);
        Assert.Contains(entries, kv => kv.Key.Frames[0] == ProfileAggregator.OverflowFrame);
        Assert.Contains(entries, kv => kv.Key.Labels.SpanId is null && kv.Key.Labels.TestId == "t");
    }

    [Theory]
    [InlineData(5, 0L, null)]       // before the first transition: no span yet
    [InlineData(5, 100L, "a")]
    [InlineData(5, 150L, "a")]
    [InlineData(5, 200L, null)]
    [InlineData(5, 450L, "d")]
    [InlineData(3, 150L, null)]     // the ring forgot the early transitions: unknown is no span
    [InlineData(3, 350L, "c")]
    public void Thread_history_finds_the_span_at_a_timestamp(int capacity, long at, string? expected)
    {
        var history = new ThreadHistory(capacity);
        var names = new Dictionary<ulong, string>();
        TrackedSpan Span(string name)
        {
            var span = TrackedSpan.From(new System.Diagnostics.Activity(name).Start());
            names[span.SpanId] = name;
            return span;
        }
        history.Record(100, Span("a"));
        history.Record(200, default);
        history.Record(300, Span("c"));
        history.Record(400, Span("d"));

        var found = history.Find(at);
        Assert.Equal(expected, found is { } span ? names[span.SpanId] : null);
    }

    [Theory]
    [InlineData(null, "a", true)]
    [InlineData(null, null, true)] // The variable no longer gates the sampler: without it, bursts are shorter.
    [InlineData("{BD1A650D-AC5D-4896-B64F-D6FA25D6B26A}", "a", false)]
    [InlineData("{bd1a650d-ac5d-4896-b64f-d6fa25d6b26a}", null, false)]
    [InlineData("{00000000-0000-0000-0000-000000000000}", "a", true)]
    public void Sampler_gate_stops_only_for_the_native_agent(string? profiler, string? rate, bool starts)
    {
        var env = new Dictionary<string, string?> { ["CORECLR_PROFILER"] = profiler, [ProfilingOptions.SamplingRateVariable] = rate };
        var reason = SamplerGate.OffReason(k => env.GetValueOrDefault(k));
        Assert.Equal(starts, reason is null);
    }
}
