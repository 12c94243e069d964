using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Observability.Hosting.Implementation;

/// <summary>Typed reads of single configuration values; every failure names the key it came from.</summary>
internal static class ConfigValueParser
{
    public static string? Text(IConfiguration config, string key)
    {
        var value = config[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static bool? Bool(IConfiguration config, string key)
    {
        var text = Text(config, key);
        if (text is null) return null;
        if (bool.TryParse(text, out var value)) return value;
        throw Invalid(key, text, "expected true or false");
    }

    public static int? Int(IConfiguration config, string key, int min, int max)
    {
        var text = Text(config, key);
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        throw Invalid(key, text, IntRange(min, max));
    }

    public static double? Ratio(IConfiguration config, string key)
    {
        var text = Text(config, key);
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= 1)
            return value;
        throw Invalid(key, text, "expected a number from 0 to 1");
    }

    /// <summary>A duration as <c>hh:mm:ss</c> (the configuration binder's format) or a number of seconds.</summary>
    public static TimeSpan? Duration(IConfiguration config, string key, TimeSpan min, TimeSpan max)
    {
        var text = Text(config, key);
        if (text is null) return null;
        TimeSpan value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
            && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds)
            value = TimeSpan.FromSeconds(seconds);
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
            throw Invalid(key, text, DurationRange(min, max) + " (hh:mm:ss or seconds)");
        if (value >= min && value <= max) return value;
        throw Invalid(key, text, DurationRange(min, max));
    }

    /// <summary>What a bounded integer must be: the one wording of loading and of the check after the code callback.</summary>
    public static string IntRange(int min, int max) => $"expected an integer from {min} to {max}";

    /// <summary>What a bounded duration must be (see <see cref="IntRange"/>).</summary>
    public static string DurationRange(TimeSpan min, TimeSpan max) => $"expected a duration from {min:c} to {max:c}";

    public static Uri? HttpUri(IConfiguration config, string key)
    {
        var text = Text(config, key);
        if (text is null) return null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        throw Invalid(key, text, "expected an absolute http:// or https:// URL");
    }

    /// <summary>Parses <c>k1=v1,k2=v2</c> (also <c>k1:v1</c> when <paramref name="allowColon"/>), percent-decoded.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(IConfiguration config, string key, bool allowColon)
    {
        var text = Text(config, key);
        var result = new List<KeyValuePair<string, string>>();
        if (text is null) return result;
        foreach (var member in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = member.IndexOf('=');
            if (separator < 0 && allowColon) separator = member.IndexOf(':');
            if (separator <= 0)
                throw Invalid(key, Shorten(text), "expected key=value pairs separated by commas");
            var name = Uri.UnescapeDataString(member[..separator].Trim());
            var value = Uri.UnescapeDataString(member[(separator + 1)..].Trim());
            if (name.Length == 0)
                throw Invalid(key, Shorten(text), "a pair has an empty key");
            result.Add(new(name, value));
        }
        return result;
    }

    public static InvalidOperationException Invalid(string key, string value, string expected) =>
        new($"Observability configuration: invalid value '{Shorten(value)}' for '{key}': {expected}.");

    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "...";
}
