namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// When the sampler was on: the open window and the last <see cref="Capacity"/> closed ones (UTC). Spans ask whether a
/// window overlapped them (cheap without a lock in the common cases); the push asks which part of its window was sampled.
/// </summary>
internal sealed class SamplingWindows
{
    public const int Capacity = 256;
    private readonly (long Start, long End)[] _closed = new (long, long)[Capacity];
    private int _next;
    private int _count;
    private long _openSince; // UTC ticks; 0 while closed
    private long _lastEnd; // UTC ticks of the last close; 0 before any

    public bool IsOpen => Volatile.Read(ref _openSince) != 0;

    public void Open(DateTime now)
    {
        lock (_closed) Volatile.Write(ref _openSince, now.Ticks);
    }

    public void Close(DateTime now)
    {
        lock (_closed)
        {
            var since = Volatile.Read(ref _openSince);
            if (since == 0) return;
            _closed[_next] = (since, Math.Max(since, now.Ticks));
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
            Volatile.Write(ref _lastEnd, Math.Max(since, now.Ticks));
            Volatile.Write(ref _openSince, 0);
        }
    }

    /// <summary>Whether the sampler was on at some instant of [<paramref name="from"/>, <paramref name="until"/>].</summary>
    public bool Overlaps(DateTime from, DateTime until)
    {
        var open = Volatile.Read(ref _openSince);
        if (open != 0 && open <= until.Ticks) return true;
        // Most spans end between bursts and started after the last one ended: no lock needed.
        if (from.Ticks > Volatile.Read(ref _lastEnd)) return false;
        lock (_closed)
        {
            if (_openSince != 0 && _openSince <= until.Ticks) return true;
            for (var i = 0; i < _count; i++)
            {
                var (start, end) = _closed[i];
                if (start <= until.Ticks && end >= from.Ticks) return true;
            }
            return false;
        }
    }

    /// <summary>The sampled part of [<paramref name="from"/>, <paramref name="until"/>]: first sampled instant and total sampled time.</summary>
    public (DateTime First, TimeSpan Sampled)? Within(DateTime from, DateTime until)
    {
        lock (_closed)
        {
            long first = long.MaxValue, total = 0;
            void Add(long start, long end)
            {
                start = Math.Max(start, from.Ticks);
                end = Math.Min(end, until.Ticks);
                if (end <= start) return;
                first = Math.Min(first, start);
                total += end - start;
            }
            for (var i = 0; i < _count; i++) Add(_closed[i].Start, _closed[i].End);
            if (_openSince != 0) Add(_openSince, until.Ticks);
            return total == 0 ? null : (new DateTime(first, DateTimeKind.Utc), TimeSpan.FromTicks(total));
        }
    }
}
