using Observability.Profiling.Implementation;
using System.Collections.Concurrent;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Admits at most <c>cap</c> distinct label values for the life of the host; later values become
/// <c>other</c> (and are counted), empty ones <c>none</c>. Keeps metric and profile series bounded whatever
/// clients send.
/// </summary>
internal sealed class BoundedLabelSet(int cap, Action onOverflow)
{
    public const string None = TelemetryNames.NoValue;
    public const string Other = TelemetryNames.OtherValue;

    private readonly ConcurrentDictionary<string, string> admitted = new(StringComparer.Ordinal);
    private readonly Lock admitLock = new();

    public string Map(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return None;
        var clean = LabelValues.Sanitize(raw);
        if (clean.Length == 0) return None;
        if (admitted.TryGetValue(clean, out var known)) return known;
        lock (admitLock)
        {
            if (admitted.TryGetValue(clean, out known)) return known;
            if (admitted.Count < cap && clean is not (None or Other))
            {
                admitted[clean] = clean;
                return clean;
            }
        }
        onOverflow();
        return Other;
    }
}
