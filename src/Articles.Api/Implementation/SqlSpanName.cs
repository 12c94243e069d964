using System.Text.RegularExpressions;

namespace Articles.Api.Implementation;

/// <summary>
/// Names database spans <c>postgresql {OPERATION} {table}</c> (for example <c>postgresql SELECT articles</c>)
/// instead of Npgsql's default (the database name), so traces and request-time flame graphs say which statement
/// ran. Only keywords and identifiers are taken from the SQL text, never literals or parameter values.
/// </summary>
internal static partial class SqlSpanName
{
    private const int MaxScannedChars = 8_000;
    private const int MaxIdentifierLength = 63;

    public static string For(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            return "postgresql";
        }

        var text = sql.Length > MaxScannedChars ? sql[..MaxScannedChars] : sql;
        string? verb = null;
        string? table = null;
        var depth = 0;
        var expectTable = false;
        foreach (Match token in TokenPattern().Matches(text))
        {
            var value = token.Value;
            if (value == "(") { depth++; continue; }
            if (value == ")") { depth = Math.Max(0, depth - 1); continue; }
            if (value[0] == '\'' || value[0] == '-' || value[0] == '/') { expectTable = false; continue; }

            if (verb is null)
            {
                verb = value.ToUpperInvariant();
                expectTable = verb == "UPDATE";
                continue;
            }

            if (expectTable)
            {
                // A quoted identifier keeps its case; a plain one is folded as PostgreSQL folds it.
                table = value[0] == '"' ? value[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : value.ToLowerInvariant();
                break;
            }

            if (value[0] == '"')
            {
                continue;
            }

            // The table of the main statement sits at depth 0 (subqueries are in parentheses); for a WITH
            // statement the first CTE's source table says more than the CTE name the main SELECT reads.
            expectTable = (depth == 0 || verb == "WITH") && value.ToUpperInvariant() is "FROM" or "INTO" or "UPDATE";
        }

        verb = verb switch
        {
            null => "other",
            "WITH" => "SELECT",
            _ => verb.Length <= MaxIdentifierLength ? verb : "other",
        };
        return table is not null && table.Length <= MaxIdentifierLength ? $"postgresql {verb} {table}" : $"postgresql {verb}";
    }

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/|\(|\)|'(?:[^']|'')*'|""(?:[^""]|"""")*""|[A-Za-z_][A-Za-z0-9_]*", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex TokenPattern();
}
