using System.Text;
using Observability.Sql;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Removes secrets from what spans and log records carry: every query-string value (unless its key is
/// allow-listed), user info in URLs, and string literals in SQL statements (parameter values are never recorded
/// in the first place). Never throws on hostile input: it runs in the request path.
/// </summary>
internal static class Redaction
{
    public const string Redacted = "REDACTED";
    private const int MaxQueryLength = 2048;

    // Credential-like names: refused in the allow-list, and attribute names whose values are dropped from logs.
    // Matched case-insensitively as whole names or as a suffix after '_', '-' or '.'.
    private static readonly string[] SecretNames =
    [
        "password", "passwd", "pwd", "pass", "token", "secret", "key", "apikey", "api_key", "api-key", "access_token",
        "refresh_token", "id_token", "auth", "authorization", "cookie", "set-cookie", "code", "sig", "signature",
        "session", "sessionid", "client_secret", "credential", "credentials", "jwt", "otp",
    ];

    public static bool IsSecretName(string name)
    {
        foreach (var secret in SecretNames)
        {
            if (name.Equals(secret, StringComparison.OrdinalIgnoreCase)) return true;
            if (name.Length > secret.Length && name.EndsWith(secret, StringComparison.OrdinalIgnoreCase))
            {
                var before = name[name.Length - secret.Length - 1];
                if (before is '_' or '-' or '.') return true;
            }
        }
        return name.Contains("password", StringComparison.OrdinalIgnoreCase)
            || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || name.Contains("token", StringComparison.OrdinalIgnoreCase)
            || name.Contains("signature", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Replaces the value of every member of a query string (with or without the leading '?') by
    /// <see cref="Redacted"/>, keeping the keys as written; a key in <paramref name="allowList"/> (compared
    /// percent-decoded, ordinal) keeps its value. A key without '=' has no value and stays. Idempotent.
    /// </summary>
    public static string RedactQuery(string query, QueryAllowList allowList)
    {
        if (query.Length == 0) return query;
        var leading = query[0] == '?';
        var body = leading ? query.AsSpan(1) : query.AsSpan();
        var builder = new StringBuilder(Math.Min(body.Length, MaxQueryLength) + 1);
        if (leading) builder.Append('?');
        var first = true;
        while (builder.Length <= MaxQueryLength)
        {
            var end = body.IndexOf('&');
            var member = end < 0 ? body : body[..end];
            if (!first) builder.Append('&');
            first = false;
            var equals = member.IndexOf('=');
            if (equals < 0 || allowList.Allows(DecodeName(member[..equals])))
                builder.Append(member);
            else
                builder.Append(member[..equals]).Append('=').Append(Redacted);
            if (end < 0) break;
            body = body[(end + 1)..];
        }
        return builder.Length > MaxQueryLength ? builder.ToString(0, MaxQueryLength) : builder.ToString();
    }

    /// <summary>A URL without user info or fragment, every query value redacted unless allow-listed.</summary>
    public static string RedactUrl(Uri uri, QueryAllowList allowList)
    {
        if (!uri.IsAbsoluteUri) return RedactUrlText(uri.OriginalString, allowList);
        var builder = new UriBuilder(uri) { UserName = "", Password = "", Fragment = "" };
        var query = uri.Query;
        builder.Query = query.Length > 1 ? RedactQuery(query[1..], allowList) : "";
        return builder.Uri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped);
    }

    /// <summary>
    /// A URL attribute as text (<c>url.full</c>, <c>http.url</c>, <c>http.target</c>): the query part redacted;
    /// user info dropped when the text parses as an absolute URL.
    /// </summary>
    public static string RedactUrlText(string url, QueryAllowList allowList)
    {
        var fragment = url.IndexOf('#');
        if (fragment >= 0) url = url[..fragment];
        var mark = url.IndexOf('?');
        var withoutQuery = mark < 0 ? url : url[..mark];
        var at = withoutQuery.IndexOf('@');
        var scheme = withoutQuery.IndexOf("://", StringComparison.Ordinal);
        if (at > scheme && scheme > 0) withoutQuery = withoutQuery[..(scheme + 3)] + withoutQuery[(at + 1)..];
        return mark < 0 ? withoutQuery : withoutQuery + RedactQuery(url[mark..], allowList);
    }

    /// <summary>
    /// Redacts every query string embedded in free text (a log message, an exception message): from each '?' to
    /// the next white space, quote or angle bracket. Text without '?' is returned as is.
    /// </summary>
    public static string RedactQueriesInText(string text, QueryAllowList allowList)
    {
        var mark = text.IndexOf('?');
        if (mark < 0) return text;
        var builder = new StringBuilder(text.Length + 16);
        var position = 0;
        while (mark >= 0)
        {
            var end = mark + 1;
            while (end < text.Length && !IsQueryEnd(text[end])) end++;
            builder.Append(text, position, mark - position);
            builder.Append(RedactQuery(text[mark..end], allowList));
            position = end;
            mark = end < text.Length ? text.IndexOf('?', end) : -1;
        }
        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }

    private static bool IsQueryEnd(char c) => char.IsWhiteSpace(c) || c is '"' or '\'' or '<' or '>' or '#' or '`';

    private static string DecodeName(ReadOnlySpan<char> rawName)
    {
        var name = rawName.ToString().Replace('+', ' ');
        // UnescapeDataString leaves invalid escapes (%zz) as they are; it does not throw.
        return Uri.UnescapeDataString(name).Trim();
    }

    /// <summary>
    /// Replaces SQL string literals (<c>'…'</c>, <c>E'…'</c>, <c>$$…$$</c>, <c>$tag$…$tag$</c>) with <c>'?'</c>; keeps
    /// <c>$1</c> parameters, numbers and comments. The lexer is the one that names DB spans, so a quote inside a comment
    /// cannot shift what counts as a literal.
    /// </summary>
    public static string SanitizeSql(string sql) => SqlSanitizer.Sanitize(sql);
}
