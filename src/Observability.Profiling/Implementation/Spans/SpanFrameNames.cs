using System.Diagnostics;

namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// The frame text of a span in the request-time profile: DB client spans become
/// <c>postgresql SELECT articles</c>, HTTP client spans <c>HTTP GET host</c>, others their display name.
/// Only identifiers are used, never SQL parameter values or URLs with query strings.
/// </summary>
internal static class SpanFrameNames
{
    private const int MaxLength = 120;

    public static string For(Activity activity)
    {
        var system = Tag(activity, "db.system.name") ?? Tag(activity, "db.system");
        if (system is not null) return Database(activity, system);

        if (activity.Kind == ActivityKind.Client)
        {
            var method = Tag(activity, "http.request.method") ?? Tag(activity, "http.method");
            if (method is not null)
            {
                var host = Tag(activity, "server.address") ?? Tag(activity, "net.peer.name");
                return Limit(host is null ? $"HTTP {method}" : $"HTTP {method} {host}");
            }
        }
        return Limit(string.IsNullOrEmpty(activity.DisplayName) ? activity.OperationName : activity.DisplayName);
    }

    private static string Database(Activity activity, string system)
    {
        // An instrumentation that already names its spans "<system> <OPERATION> <table>" knows the statement best.
        if (activity.DisplayName.StartsWith(system + " ", StringComparison.OrdinalIgnoreCase)) return Limit(activity.DisplayName);

        var query = Tag(activity, "db.query.text") ?? Tag(activity, "db.statement");
        var operation = Tag(activity, "db.operation.name") ?? Tag(activity, "db.operation") ?? FirstWord(query);
        var table = Tag(activity, "db.collection.name") ?? Tag(activity, "db.sql.table") ?? TableOf(query);
        var text = system;
        if (operation is not null) text += " " + operation.ToUpperInvariant();
        if (table is not null) text += " " + table;
        return Limit(text);
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name) switch
    {
        string s when s.Length > 0 => s,
        null => null,
        var other => other.ToString(),
    };

    private static string? FirstWord(string? sql)
    {
        if (sql is null) return null;
        var words = Words(sql);
        return words.Count == 0 ? null : words[0];
    }

    /// <summary>
    /// The table after FROM, INTO, UPDATE or JOIN at the outermost level (a correlated sub-query's table
    /// is not the statement's table), else at any level. Identifiers only.
    /// </summary>
    private static string? TableOf(string? sql)
    {
        if (sql is null) return null;
        string? nested = null;
        var depth = 0;
        string? previous = null;
        var i = 0;
        var limit = Math.Min(sql.Length, 4096);
        while (i < limit)
        {
            var c = sql[i];
            if (c == '(') { depth++; i++; previous = null; continue; }
            if (c == ')') { depth = Math.Max(0, depth - 1); i++; previous = null; continue; }
            if (char.IsWhiteSpace(c) || c is ',' or ';') { i++; continue; }
            var start = i;
            while (i < limit && !char.IsWhiteSpace(sql[i]) && sql[i] is not ('(' or ')' or ',' or ';')) i++;
            var word = sql[start..i];
            if (previous is not null && previous.ToUpperInvariant() is "FROM" or "INTO" or "UPDATE" or "JOIN" && IsIdentifier(word))
            {
                if (depth == 0) return word.Trim('"');
                nested ??= word.Trim('"');
            }
            previous = word;
        }
        return nested;
    }

    private static List<string> Words(string sql)
    {
        var words = new List<string>();
        foreach (var word in sql.Split(new[] { ' ', '\n', '\r', '\t', '(', ')', ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            words.Add(word);
            if (words.Count > 8) break;
        }
        return words;
    }

    private static bool IsIdentifier(string word) =>
        word.Length is > 0 and <= 64 && word.All(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '"');

    private static string Limit(string text) => text.Length <= MaxLength ? text : text[..MaxLength];
}
