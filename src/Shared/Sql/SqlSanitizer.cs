using System.Text;

namespace Observability.Sql;

/// <summary>
/// Takes the values out of SQL text for spans and logs, with the same lexer that names DB spans: every string
/// literal becomes <c>'?'</c>; names, numbers, <c>$1</c> parameters and comments stay. A literal whose end the
/// dialects disagree on (a backslash in a plain string) takes the rest of the statement with it, so that no reading of
/// it can leave part of a value outside the quotes.
/// </summary>
internal static class SqlSanitizer
{
    public const string Placeholder = "'?'";

    public static string Sanitize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (sql.IndexOf('\'') < 0 && sql.IndexOf('$') < 0) return sql;
        var builder = new StringBuilder(sql.Length);
        var copied = 0;
        var tokens = new SqlTokenizer(sql);
        while (tokens.Next() is { } token)
        {
            if (token.Kind is not (SqlTokenKind.Literal or SqlTokenKind.AmbiguousLiteral)) continue;
            builder.Append(sql, copied, token.Start - copied).Append(Placeholder);
            copied = token.End;
            if (token.Kind == SqlTokenKind.AmbiguousLiteral) return builder.ToString();
        }
        return copied == 0 ? sql : builder.Append(sql, copied, sql.Length - copied).ToString();
    }
}
