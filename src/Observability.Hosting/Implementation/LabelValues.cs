using Observability.Profiling;

namespace Observability.Hosting.Implementation;

/// <summary>Label value hygiene: only <c>[A-Za-z0-9._:/-]</c>, at most a given length.</summary>
internal static class LabelValues
{
    public const int MaxLength = 64;

    public static string Sanitize(string value, int maxLength = MaxLength)
    {
        // Most values are clean already: keep them as they are (no copy).
        if (value.Length <= maxLength && IsClean(value)) return value;
        Span<char> buffer = stackalloc char[Math.Min(value.Length, maxLength)];
        var length = 0;
        foreach (var c in value)
        {
            if (length == buffer.Length) break;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '/' or '-') buffer[length++] = c;
        }
        return new string(buffer[..length]);
    }

    private static bool IsClean(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '/' or '-')) return false;
        }
        return true;
    }

    /// <summary>Sanitised, and <c>none</c> (as for an absent k6 label) when nothing is left.</summary>
    public static string Bounded(string value, int maxLength) =>
        Sanitize(value, maxLength) is { Length: > 0 } clean ? clean : TelemetryNames.NoValue;
}
