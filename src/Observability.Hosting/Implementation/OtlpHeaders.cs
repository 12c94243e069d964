using Microsoft.Extensions.Configuration;
using P = Observability.Hosting.Implementation.ConfigValueParser;

namespace Observability.Hosting.Implementation;

/// <summary>
/// OTLP request headers (<c>OTEL_EXPORTER_OTLP_HEADERS</c> and the per-signal variables): read as the specification
/// writes them (<c>k1=v1,k2=v2</c>, each name and value percent-decoded on its own), checked, and written back in the one
/// form OpenTelemetry's exporter reads without changing them. Header values are credentials: no message names one.
/// </summary>
internal static class OtlpHeaders
{
    // RFC 9110 token characters besides letters and digits: what a header name may hold.
    private const string NameSymbols = "!#$%&'*+-.^_`|~";

    /// <summary>
    /// The headers of <paramref name="key"/>, decoded; null when it is not set. A member without '=' names the key;
    /// names and values are checked once, by <see cref="Check"/>, after the code callback (as values set in code are).
    /// </summary>
    public static Dictionary<string, string>? Read(IConfiguration config, string key)
    {
        if (P.Text(config, key) is not { } text) return null;
        var headers = New();
        var position = 0;
        foreach (var member in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            position++;
            var separator = member.IndexOf('=');
            // Only the position: a member without '=' may be a bare credential.
            if (separator < 0) throw Invalid(key, $"pair {position} has no '=' (expected name=value pairs separated by commas)");
            headers[Uri.UnescapeDataString(member[..separator].Trim())] = Uri.UnescapeDataString(member[(separator + 1)..].Trim());
        }
        return headers;
    }

    /// <summary>Checks names and decoded values (also those set in code); an error names the key and the header, never its value.</summary>
    public static void Check(IDictionary<string, string>? headers, string key)
    {
        if (headers is null) return;
        var position = 0;
        foreach (var (name, value) in headers)
        {
            position++;
            if (!IsName(name)) throw Invalid(key, $"header {position} has no valid name (letters, digits and {NameSymbols})");
            if (value is null || !value.All(c => c is '\t' || (c >= ' ' && c <= '~')))
                throw Invalid(key, $"the value of header '{name}' must be printable ASCII once decoded");
            // The exporter decodes the whole list before it splits it, so a decoded comma would cut the value in two.
            if (value.Contains(','))
                throw Invalid(key, $"the value of header '{name}' contains a comma once decoded (%2C), which OpenTelemetry's exporter cannot send");
        }
    }

    /// <summary>
    /// The list for <c>OtlpExporterOptions.Headers</c>, or null for none. The exporter percent-decodes the whole text once
    /// and then splits it at commas and the first '=', so names and values are encoded here once: they arrive as given.
    /// </summary>
    public static string? ForExporter(IReadOnlyDictionary<string, string> headers) =>
        headers.Count == 0 ? null
            : string.Join(",", headers.Select(h => Uri.EscapeDataString(h.Key) + "=" + Uri.EscapeDataString(h.Value)));

    /// <summary>A header list as the kit keeps it: names compared as HTTP compares them.</summary>
    public static Dictionary<string, string> New() => new(StringComparer.OrdinalIgnoreCase);

    private static bool IsName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || NameSymbols.Contains(c));

    private static InvalidOperationException Invalid(string key, string problem) =>
        new($"Observability configuration: invalid value for '{key}': {problem}. (Header values are not repeated here.)");
}
