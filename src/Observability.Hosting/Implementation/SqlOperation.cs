namespace Observability.Hosting.Implementation;

/// <summary>The operation label of a SQL statement: its first keyword from a fixed set, else <c>other</c>.</summary>
internal static class SqlOperation
{
    public const string Other = "other";

    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CALL", "WITH", "BEGIN", "COMMIT", "ROLLBACK",
        "CREATE", "ALTER", "DROP", "TRUNCATE", "COPY", "SET", "SHOW", "EXPLAIN", "VACUUM", "ANALYZE", "EXECUTE",
    };

    public static string Classify(string? statement)
    {
        if (string.IsNullOrEmpty(statement)) return Other;
        var span = statement.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            if (char.IsWhiteSpace(span[i]) || span[i] == '(') { i++; continue; }
            if (span[i..].StartsWith("--"))
            {
                var newline = span[i..].IndexOf('\n');
                if (newline < 0) return Other;
                i += newline + 1;
                continue;
            }
            if (span[i..].StartsWith("/*"))
            {
                var close = span[(i + 2)..].IndexOf("*/");
                if (close < 0) return Other;
                i += close + 4;
                continue;
            }
            break;
        }
        var start = i;
        while (i < span.Length && char.IsAsciiLetter(span[i]) && i - start < 16) i++;
        if (i == start) return Other;
        var word = span[start..i].ToString().ToUpperInvariant();
        return Known.Contains(word) ? word : Other;
    }
}
