namespace Observability.Profiling.Implementation.Profiles;

/// <summary>
/// Sums sample values per (stack, labels) for one profile kind over one window. Bounded: beyond
/// <c>maxStacks</c> distinct entries new samples lose their span labels, beyond 1.25x that they fold
/// into a single "[other stacks]" entry.
/// Thread-safe; callers are the sampler thread, span ends and the push loop. <see cref="Pprof.PprofBuilder.EncodeWindow"/>
/// encodes it.
/// </summary>
internal sealed class ProfileAggregator
{
    internal const string OverflowFrame = "[other stacks]";
    private static readonly string[] OverflowStack = { OverflowFrame };

    private readonly Dictionary<StackKey, long> _values = new();
    private readonly int _maxStacks;
    private long _total;
    private DateTime? _firstSample;
    private DateTime _lastSample;

    public ProfileAggregator(ProfileKind kind, int maxStacks, DateTimeOffset start)
    {
        Kind = kind;
        _maxStacks = Math.Max(16, maxStacks);
        Start = start;
    }

    public ProfileKind Kind { get; }

    public DateTimeOffset Start { get; }

    public long Total
    {
        get { lock (_values) return _total; }
    }

    /// <summary>Time of the first and of the last sample added with a time (sampler samples), if any.</summary>
    public (DateTime First, DateTime Last)? SampleTimes
    {
        get { lock (_values) return _firstSample is { } first ? (first, _lastSample) : null; }
    }

    public void Add(string[] frames, SampleLabels labels, long value, DateTime? takenAt = null)
    {
        if (value <= 0) return;
        var key = new StackKey(frames, labels);
        lock (_values)
        {
            _total += value;
            if (takenAt is { } at)
            {
                if (_firstSample is null || at < _firstSample) _firstSample = at;
                if (at > _lastSample) _lastSample = at;
            }
            if (_values.TryGetValue(key, out var current))
            {
                _values[key] = current + value;
                return;
            }
            if (_values.Count >= _maxStacks)
            {
                // Full: keep the stack but drop the per-span labels (the high-cardinality part) first;
                // only far beyond the cap fold whole stacks into one entry.
                key = new StackKey(frames, labels with { SpanId = null, TraceId = null });
                if (!_values.ContainsKey(key) && _values.Count >= _maxStacks + _maxStacks / 4)
                {
                    key = new StackKey(OverflowStack, SampleLabels.None);
                }
            }
            _values[key] = _values.GetValueOrDefault(key) + value;
        }
    }

    public List<KeyValuePair<StackKey, long>> Snapshot()
    {
        lock (_values) return _values.ToList();
    }

    /// <summary>Stacks without labels, for flame graphs.</summary>
    public IEnumerable<KeyValuePair<IReadOnlyList<string>, long>> Stacks() =>
        Snapshot().Select(kv => new KeyValuePair<IReadOnlyList<string>, long>(kv.Key.Frames, kv.Value));
}
