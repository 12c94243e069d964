namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// A bounded ring of (timestamp, local-root span) transitions of one OS thread. Written by its own thread on every
/// execution-context switch that changes the span (a hot path: no lock), read by the sampler's thread. The writer
/// fills a slot, then publishes it by moving the count; a reader works on the published part. A slot can only be
/// overwritten under a reader after a thousand transitions of its thread during one lookup, far beyond what a thread
/// does in the microseconds a lookup takes. Entries are values (<see cref="TrackedSpan"/>): the ring keeps no request alive.
/// </summary>
internal sealed class ThreadHistory
{
    private readonly long[] _timestamps;
    private readonly TrackedSpan[] _spans;
    private long _written; // transitions ever written; slot = written % capacity

    public ThreadHistory(int capacity)
    {
        _timestamps = new long[capacity];
        _spans = new TrackedSpan[capacity];
    }

    /// <summary>Stopwatch timestamp of the last write, to retire histories of dead threads.</summary>
    public long LastWrite { get; private set; }

    /// <summary>Records that from <paramref name="timestamp"/> on the thread runs <paramref name="span"/> (SpanId 0: none).</summary>
    public void Record(long timestamp, TrackedSpan span)
    {
        var written = _written;
        var slot = (int)(written % _timestamps.Length);
        _timestamps[slot] = timestamp;
        _spans[slot] = span;
        LastWrite = timestamp;
        Volatile.Write(ref _written, written + 1);
    }

    /// <summary>The span the thread ran at <paramref name="timestamp"/>, or null (none, or older than the ring).</summary>
    public TrackedSpan? Find(long timestamp)
    {
        var written = Volatile.Read(ref _written);
        if (written == 0) return null;
        var capacity = _timestamps.Length;
        var count = (int)Math.Min(written, capacity);
        var oldest = written - count;
        // Binary search for the last transition at or before the timestamp (logical order oldest..newest).
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_timestamps[(int)((oldest + mid) % capacity)] <= timestamp)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        // Before the oldest entry: with a full ring the state is unknown, otherwise there was no span yet.
        if (found < 0) return null;
        var span = _spans[(int)((oldest + found) % capacity)];
        return span.SpanId == 0 ? null : span;
    }
}
