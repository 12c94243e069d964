namespace Observability.Hosting.Implementation;

/// <summary>
/// Reads the <c>k6.*</c> entries of a W3C <c>baggage</c> header within the W3C limits: at most 8192 bytes and
/// 64 list members are considered (members beyond are ignored), malformed members are skipped, values are
/// percent-decoded. Never throws.
/// </summary>
internal static class BaggageParser
{
    public const int MaxBytes = 8192;
    public const int MaxMembers = 64;
    private const int MaxValueLength = 256;

    /// <summary>Calls <paramref name="onEntry"/> for every well-formed member whose key starts with <c>k6.</c>.</summary>
    public static void ReadK6Entries(IEnumerable<string?> headerValues, Action<string, string> onEntry)
    {
        // Several baggage headers count together, as one comma-separated list.
        string? joined = null;
        foreach (var header in headerValues)
        {
            if (string.IsNullOrEmpty(header)) continue;
            joined = joined is null ? header : joined + "," + header;
        }

        var bounded = WithinLimits(joined);
        if (bounded is null) return;
        foreach (var range in bounded.AsSpan().Split(','))
            TryReadMember(bounded.AsSpan(range), onEntry);
    }

    /// <summary>
    /// The longest prefix of whole members within the limits: the value itself when it is within them (no copy),
    /// else cut before the 65th member or before the member that crosses 8192 bytes.
    /// </summary>
    public static string? WithinLimits(string? value)
    {
        if (value is null) return null;
        var members = 1;
        for (var i = 0; i < value.Length; i++)
        {
            if (i >= MaxBytes)
            {
                var comma = value.LastIndexOf(',', i - 1);
                return comma < 0 ? "" : value[..comma];
            }

            if (value[i] == ',' && ++members > MaxMembers) return value[..i];
        }

        return value;
    }

    private static void TryReadMember(ReadOnlySpan<char> member, Action<string, string> onEntry)
    {
        // member = key OWS "=" OWS value *( OWS ";" property ); properties are ignored.
        var semicolon = member.IndexOf(';');
        if (semicolon >= 0) member = member[..semicolon];
        var equals = member.IndexOf('=');
        if (equals <= 0) return;
        var key = member[..equals].Trim(" \t");
        var rawValue = member[(equals + 1)..].Trim(" \t");
        if (key.Length == 0 || !IsToken(key) || !key.StartsWith("k6.")) return;
        if (!IsBaggageOctets(rawValue)) return;
        string value;
        try
        {
            value = Uri.UnescapeDataString(rawValue.ToString());
        }
        catch (UriFormatException)
        {
            return;
        }
        if (value.Length > MaxValueLength) value = value[..MaxValueLength];
        onEntry(key.ToString(), StripControl(value));
    }

    // RFC 7230 token characters.
    private static bool IsToken(ReadOnlySpan<char> key)
    {
        foreach (var c in key)
        {
            if (c > 0x7e || c <= 0x20) return false;
            if ("\"(),/:;<=>?@[\\]{}".Contains(c)) return false;
        }
        return true;
    }

    // baggage-octet: printable ASCII except space, '"', ',', ';' and '\'.
    private static bool IsBaggageOctets(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
            if (c < 0x21 || c > 0x7e || c is '"' or ',' or ';' or '\\') return false;
        return true;
    }

    private static string StripControl(string value)
    {
        foreach (var c in value)
            if (char.IsControl(c)) return string.Concat(value.Where(ch => !char.IsControl(ch)));
        return value;
    }
}
