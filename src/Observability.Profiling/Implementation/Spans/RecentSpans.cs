namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// What the sampler learns about recent local roots, in fixed tables of numbers (no per-request objects): which ended
/// when (a thread started during a request keeps the request's context after it ended: its later samples are not the
/// request's), and which got CPU samples (they link to their profile). Lossy by design: an entry lives until a span
/// whose id hashes to the same slot replaces it, thousands of requests later; a lost "sampled" mark costs a span its
/// link, a lost end lets a thread that outlived its request keep the request's label.
/// </summary>
internal static class RecentSpans
{
    private const int Slots = 1 << 14;
    private static readonly ulong[] EndedIds = new ulong[Slots];
    private static readonly long[] EndedAt = new long[Slots];
    private static readonly ulong[] SampledIds = new ulong[Slots];

    public static void Ended(ulong spanId, long timestamp)
    {
        var slot = Slot(spanId);
        // The time first, then the id that makes it valid; a reader checks the id again after reading the time.
        Volatile.Write(ref EndedIds[slot], 0);
        Volatile.Write(ref EndedAt[slot], timestamp);
        Volatile.Write(ref EndedIds[slot], spanId);
    }

    /// <summary>Whether the span is known to have ended before <paramref name="timestamp"/>.</summary>
    public static bool EndedBefore(ulong spanId, long timestamp)
    {
        var slot = Slot(spanId);
        if (Volatile.Read(ref EndedIds[slot]) != spanId) return false;
        var end = Volatile.Read(ref EndedAt[slot]);
        return Volatile.Read(ref EndedIds[slot]) == spanId && timestamp > end;
    }

    public static void MarkSampled(ulong spanId) => Volatile.Write(ref SampledIds[Slot(spanId)], spanId);

    public static bool IsSampled(ulong spanId) => spanId != 0 && Volatile.Read(ref SampledIds[Slot(spanId)]) == spanId;

    // Span ids are random: their low bits spread well.
    private static int Slot(ulong spanId) => (int)(spanId ^ (spanId >> 32)) & (Slots - 1);
}
