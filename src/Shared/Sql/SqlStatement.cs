namespace Observability.Sql;

/// <summary>
/// What a SQL statement does, for the DB metric label, the DB span name and the request-time profile frame: its
/// operation (one word from a fixed set, so labels stay bounded) and its main table. Only keywords and identifiers
/// are read; literals, comments and parameter values are skipped and never returned.
/// </summary>
internal static class SqlStatement
{
    /// <summary>The operation of a statement that is not empty but starts with no known keyword.</summary>
    public const string OtherOperation = "other";

    private const int MaxScannedChars = 8_000;
    private const int MaxIdentifierLength = 63;

    private static readonly HashSet<string> Operations = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CALL", "BEGIN", "COMMIT", "ROLLBACK", "CREATE", "ALTER",
        "DROP", "TRUNCATE", "COPY", "SET", "SHOW", "EXPLAIN", "VACUUM", "ANALYZE", "EXECUTE",
    };

    // The verbs that can follow a WITH clause's common table expressions.
    private static readonly HashSet<string> MainVerbs = new(StringComparer.OrdinalIgnoreCase) { "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE" };

    /// <summary>
    /// The operation (upper case; <see cref="OtherOperation"/> when unknown; null for an empty statement) and the
    /// main table: the target of UPDATE, else the first table after FROM or INTO outside parentheses, else (for
    /// WITH) the source table of the first common table expression. Plain names are folded to lower case as
    /// PostgreSQL folds them; quoted names keep their case.
    /// </summary>
    public static (string? Operation, string? Table) Classify(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql)) return (null, null);
        var tokens = new SqlTokenizer(sql.Length > MaxScannedChars ? sql[..MaxScannedChars] : sql);
        string? operation = null;
        string? table = null;
        var isWith = false;
        var expectTable = false;
        while (tokens.Next() is { } token)
        {
            if (token.Kind is SqlTokenKind.Literal or SqlTokenKind.AmbiguousLiteral or SqlTokenKind.Comment) continue;
            if (token.Kind == SqlTokenKind.Open || token.Kind == SqlTokenKind.Close)
            {
                // A sub-select after FROM is not a table.
                expectTable = false;
                continue;
            }
            if (operation is null)
            {
                if (token.Kind != SqlTokenKind.Word) return (OtherOperation, null);
                if (token.Text.Equals("WITH", StringComparison.OrdinalIgnoreCase))
                {
                    // The operation is the verb after the common table expressions; empty until then.
                    isWith = true;
                    operation = "";
                    continue;
                }
                if (!Operations.Contains(token.Text)) return (OtherOperation, null);
                operation = token.Text.ToUpperInvariant();
                expectTable = operation == "UPDATE";
                continue;
            }
            if (isWith && operation.Length == 0 && tokens.Depth == 0 && token.Kind == SqlTokenKind.Word && MainVerbs.Contains(token.Text))
            {
                operation = token.Text.ToUpperInvariant();
                if (table is not null) break;
                expectTable = operation == "UPDATE";
                continue;
            }
            if (expectTable)
            {
                expectTable = false;
                if (token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedName && table is null && Fits(token.Text))
                {
                    table = token.Text;
                    if (!isWith || operation.Length > 0) break;
                }
                continue;
            }
            if (token.Kind == SqlTokenKind.Word && token.Text.ToUpperInvariant() is "FROM" or "INTO")
                expectTable = tokens.Depth == 0 || (isWith && table is null);
        }
        // Only comments, or a WITH whose main verb lies beyond the scanned text.
        if (operation is null) return (OtherOperation, null);
        return (operation.Length == 0 ? "SELECT" : operation, table);
    }

    /// <summary>An operation named by an instrumentation's tag, held to the same fixed set.</summary>
    public static string Operation(string name) =>
        Operations.Contains(name) || MainVerbs.Contains(name) ? name.ToUpperInvariant() : OtherOperation;

    /// <summary>The span and frame name of a DB command: <c>postgresql SELECT articles</c>.</summary>
    public static string Name(string system, string? operation, string? table) =>
        operation is null ? system : table is null ? $"{system} {operation}" : $"{system} {operation} {table}";

    private static bool Fits(string identifier) => identifier.Length is > 0 and <= MaxIdentifierLength;
}
