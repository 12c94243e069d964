using Observability.Profiling.Implementation;
using System.Collections.Concurrent;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Admits at most <c>cap</c> distinct label values for the life of the host; later values become
/// <c>other</c> (or the given overflow value; counted), empty ones <c>none</c>. Keeps metric and profile series
/// bounded whatever clients send.
/// </summary>
internal sealed class BoundedLabelSet(int cap, Action onOverflow, string overflowValue = TelemetryNames.OtherValue)
{
    public const string None = TelemetryNames.NoValue;
    public const string Other = TelemetryNames.OtherValue;

    private readonly ConcurrentDictionary<string, string> _admitted = new(StringComparer.Ordinal);
    private readonly Lock _admitLock = new();

    public string Map(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return None;
        var clean = LabelValues.Sanitize(raw);
        if (clean.Length == 0) return None;
        if (_admitted.TryGetValue(clean, out var known)) return known;
        lock (_admitLock)
        {
            if (_admitted.TryGetValue(clean, out known)) return known;
            if (_admitted.Count < cap && clean != None && clean != Other && clean != overflowValue)
            {
                _admitted[clean] = clean;
                return clean;
            }
        }
        onOverflow();
        return overflowValue;
    }
}
