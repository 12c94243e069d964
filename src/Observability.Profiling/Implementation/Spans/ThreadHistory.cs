namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// A bounded ring of (timestamp, local-root span) transitions of one OS thread. Written by its own
/// thread on every execution-context switch that changes the span, read by the sampler thread.
/// </summary>
internal sealed class ThreadHistory
{
    private readonly long[] _timestamps;
    private readonly RootSpan?[] _spans;
    private int _next;
    private int _count;

    public ThreadHistory(int capacity)
    {
        _timestamps = new long[capacity];
        _spans = new RootSpan?[capacity];
    }

    /// <summary>Stopwatch timestamp of the last write, to retire histories of dead threads.</summary>
    public long LastWrite { get; private set; }

    public void Record(long timestamp, RootSpan? span)
    {
        lock (this)
        {
            _timestamps[_next] = timestamp;
            _spans[_next] = span;
            _next = (_next + 1) % _timestamps.Length;
            if (_count < _timestamps.Length) _count++;
            LastWrite = timestamp;
        }
    }

    /// <summary>The span the thread ran at <paramref name="timestamp"/>, or null (none, or older than the ring).</summary>
    public RootSpan? Find(long timestamp)
    {
        lock (this)
        {
            if (_count == 0) return null;
            var capacity = _timestamps.Length;
            var oldest = (_next - _count + capacity) % capacity;
            // Binary search for the last transition at or before the timestamp (logical order oldest..newest).
            int lo = 0, hi = _count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_timestamps[(oldest + mid) % capacity] <= timestamp)
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
            return found < 0 ? null : _spans[(oldest + found) % capacity];
        }
    }
}
