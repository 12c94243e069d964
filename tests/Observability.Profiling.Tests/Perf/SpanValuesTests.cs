using System.Diagnostics;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Tests.Perf;

/// <summary>The values the span tracker keeps instead of request objects: ids as numbers, ends and sample marks in fixed tables.</summary>
public sealed class SpanValuesTests
{
    [Fact]
    public void A_tracked_span_prints_the_ids_of_its_activity()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var span = TrackedSpan.From(activity);
        Assert.Equal(activity.SpanId.ToHexString(), span.SpanIdHex());
        Assert.Equal(activity.TraceId.ToHexString(), span.TraceIdHex());
        Assert.Equal(span.SpanId, TrackedSpan.SpanKey(activity));
    }

    [Fact]
    public void An_end_and_a_sample_mark_are_found_by_span_id_and_a_colliding_span_replaces_them()
    {
        var id = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        RecentSpans.Ended(id, 1_000);
        Assert.True(RecentSpans.EndedBefore(id, 1_001));
        Assert.False(RecentSpans.EndedBefore(id, 999));
        Assert.False(RecentSpans.IsSampled(id));
        RecentSpans.MarkSampled(id);
        Assert.True(RecentSpans.IsSampled(id));

        // Same slot (low 14 bits after folding), another span: the table is lossy, never wrong about which span.
        var other = id ^ (1UL << 20);
        RecentSpans.MarkSampled(other);
        RecentSpans.Ended(other, 5_000);
        Assert.False(RecentSpans.IsSampled(id));
        Assert.False(RecentSpans.EndedBefore(id, 1_001));
        Assert.False(RecentSpans.IsSampled(0));
    }
}
