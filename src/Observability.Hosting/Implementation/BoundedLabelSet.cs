using Observability.Profiling;

namespace Observability.Hosting.Implementation;

/// <summary>
/// A window over the most recent label values: at most <c>cap</c> distinct values at a time, each kept while it
/// keeps arriving. A new value takes a free place, or the place of the value seen least recently if that one has
/// been idle for <c>idleTimeout</c> (its series are then removed through <c>onRetire</c>); otherwise it becomes
/// <c>other</c> (or the given overflow value) and is counted. So the newest k6 runs get their own label once older runs have gone quiet, and the
/// series count stays bounded whatever clients send. Empty values are <c>none</c>.
/// </summary>
internal sealed class BoundedLabelSet
{
    public const string None = TelemetryNames.NoValue;
    public const string Other = TelemetryNames.OtherValue;

    private readonly int _cap;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private readonly Action _onOverflow;
    private readonly Action<string> _onRetire;
    private readonly string _overflowValue;
    private readonly Dictionary<string, Entry> _admitted = new(StringComparer.Ordinal);
    private readonly Lock _admitLock = new();
    // Read without the lock on the hot path; replaced (never mutated) under the lock.
    private volatile IReadOnlyDictionary<string, Entry> _snapshot = new Dictionary<string, Entry>(StringComparer.Ordinal);

    public BoundedLabelSet(
        int cap, Action onOverflow, TimeSpan? idleTimeout = null, TimeProvider? time = null, Action<string>? onRetire = null,
        string overflowValue = TelemetryNames.OtherValue)
    {
        _overflowValue = overflowValue;
        _cap = cap;
        _onOverflow = onOverflow;
        _idleTimeout = idleTimeout ?? LoadTestOptions.DefaultLabelIdleTimeout;
        _time = time ?? TimeProvider.System;
        _onRetire = onRetire ?? (_ => { });
    }

    public string Map(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return None;
        var clean = LabelValues.Sanitize(raw);
        if (clean.Length == 0) return None;
        var now = _time.GetTimestamp();
        if (_snapshot.TryGetValue(clean, out var known))
        {
            Volatile.Write(ref known.LastSeen, now);
            return clean;
        }
        if (clean == None || clean == Other || clean == _overflowValue) return Overflow();
        string? retired = null;
        lock (_admitLock)
        {
            if (_admitted.TryGetValue(clean, out known))
            {
                Volatile.Write(ref known.LastSeen, now);
                return clean;
            }
            if (_admitted.Count >= _cap)
            {
                var oldest = _admitted.MinBy(pair => Volatile.Read(ref pair.Value.LastSeen));
                if (_time.GetElapsedTime(Volatile.Read(ref oldest.Value.LastSeen), now) < _idleTimeout)
                    return Overflow();
                _admitted.Remove(oldest.Key);
                retired = oldest.Key;
            }
            _admitted[clean] = new Entry { LastSeen = now };
            _snapshot = new Dictionary<string, Entry>(_admitted, StringComparer.Ordinal);
        }
        // Outside the lock: removing series takes the metric's own locks.
        if (retired is not null) _onRetire(retired);
        return clean;
    }

    private string Overflow()
    {
        _onOverflow();
        return _overflowValue;
    }

    private sealed class Entry
    {
        public long LastSeen;
    }
}
