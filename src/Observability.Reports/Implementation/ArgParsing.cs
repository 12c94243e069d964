using System.Globalization;

namespace Observability.Reports.Implementation;

/// <summary>Parses the time and duration arguments; bad text is an <see cref="ArgumentException"/> naming the option.</summary>
internal static class ArgParsing
{
    /// <summary>ISO 8601 (UTC unless it says otherwise), or unix time in seconds or milliseconds (13 digits).</summary>
    public static DateTimeOffset? Time(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return text.Length >= 13 ? DateTimeOffset.FromUnixTimeMilliseconds(unix) : DateTimeOffset.FromUnixTimeSeconds(unix);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t;
        }

        throw new ArgumentException($"{option}: '{text}' is not a time; use ISO 8601 (2026-11-25T12:00:00Z) or unix seconds.");
    }

    /// <summary>A duration like <c>90s</c>, <c>30m</c>, <c>6h</c>, <c>2d</c>.</summary>
    public static TimeSpan Duration(string text, string option)
    {
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            TimeSpan? span = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            if (span is { } s && s <= TimeSpan.FromDays(400))
            {
                return s;
            }
        }

        throw new ArgumentException($"{option}: '{text}' is not a duration; use for example 90s, 30m, 6h or 2d.");
    }

    /// <summary>An absolute http(s) URL.</summary>
    public static string Url(string text, string option)
    {
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri.ToString().TrimEnd('/');
        }

        throw new ArgumentException($"{option}: '{text}' is not an http(s) URL.");
    }
}
