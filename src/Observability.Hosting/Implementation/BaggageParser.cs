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
        var bytes = 0;
        var members = 0;
        foreach (var header in headerValues)
        {
            if (string.IsNullOrEmpty(header)) continue;
            foreach (var range in header.AsSpan().Split(','))
            {
                var member = header.AsSpan(range);
                bytes += member.Length + 1;
                // Members past the byte or count limit are ignored, the ones before still count.
                if (bytes > MaxBytes + 1 || ++members > MaxMembers) return;
                TryReadMember(member, onEntry);
            }
        }
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
