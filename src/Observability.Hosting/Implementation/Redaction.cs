using System.Text;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Removes secrets from what spans record: values of secret-looking query parameters, user info in URLs,
/// and string literals in SQL statements (parameter values are never recorded in the first place).
/// </summary>
internal static class Redaction
{
    public const string Redacted = "REDACTED";
    private const int MaxQueryLength = 2048;

    // Matched case-insensitively as whole names or as a suffix after '_', '-' or '.'.
    private static readonly string[] SecretNames =
    [
        "password", "passwd", "pwd", "pass", "token", "secret", "key", "apikey", "api_key", "api-key", "access_token",
        "refresh_token", "id_token", "auth", "authorization", "code", "sig", "signature", "session", "sessionid",
        "client_secret", "credential", "credentials", "jwt", "otp",
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
            || name.Contains("token", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Redacts values of secret parameters in a query string (with or without the leading '?').</summary>
    public static string RedactQuery(string query)
    {
        if (query.Length == 0) return query;
        var leading = query[0] == '?';
        var body = leading ? query[1..] : query;
        var builder = new StringBuilder(body.Length + 1);
        if (leading) builder.Append('?');
        var first = true;
        foreach (var member in body.Split('&'))
        {
            if (!first) builder.Append('&');
            first = false;
            var equals = member.IndexOf('=');
            var rawName = equals < 0 ? member : member[..equals];
            string name;
            try { name = Uri.UnescapeDataString(rawName.Replace('+', ' ')); }
            catch (UriFormatException) { name = rawName; }
            if (equals >= 0 && IsSecretName(name.Trim()))
                builder.Append(rawName).Append('=').Append(Redacted);
            else
                builder.Append(member);
            if (builder.Length > MaxQueryLength) break;
        }
        return builder.Length > MaxQueryLength ? builder.ToString(0, MaxQueryLength) : builder.ToString();
    }

    /// <summary>A URL without user info and with secret query values redacted.</summary>
    public static string RedactUrl(Uri uri)
    {
        if (!uri.IsAbsoluteUri) return RedactQuery(uri.OriginalString);
        var builder = new UriBuilder(uri) { UserName = "", Password = "" };
        var query = uri.Query;
        builder.Query = query.Length > 1 ? RedactQuery(query[1..]) : "";
        return builder.Uri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped);
    }

    /// <summary>
    /// Replaces SQL string literals (<c>'…'</c>, <c>E'…'</c>, <c>$$…$$</c>, <c>$tag$…$tag$</c>) with <c>'?'</c>; keeps
    /// <c>$1</c> parameters, numbers and comments.
    /// </summary>
    public static string SanitizeSql(string sql)
    {
        if (sql.IndexOf('\'') < 0 && sql.IndexOf('$') < 0) return sql;
        var builder = new StringBuilder(sql.Length);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\'')
            {
                i++;
                while (i < sql.Length)
                {
                    if (sql[i] == '\'' && i + 1 < sql.Length && sql[i + 1] == '\'') { i += 2; continue; }
                    if (sql[i] == '\\' && i + 1 < sql.Length) { i += 2; continue; }
                    if (sql[i] == '\'') { i++; break; }
                    i++;
                }
                builder.Append("'?'");
                continue;
            }
            if (c == '$' && DollarQuoteTag(sql, i) is { } tag)
            {
                // The body ends at the same tag; an unterminated body runs to the end and is dropped whole.
                var end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                builder.Append("'?'");
                i = end < 0 ? sql.Length : end + tag.Length;
                continue;
            }
            builder.Append(c);
            i++;
        }
        return builder.ToString();
    }

    // "$$" or "$name$" opening a dollar-quoted string; "$1" is a parameter, a tag cannot start with a digit, and a
    // '$' inside a name (a$b) opens nothing.
    private static string? DollarQuoteTag(string sql, int start)
    {
        if (start > 0 && (char.IsAsciiLetterOrDigit(sql[start - 1]) || sql[start - 1] == '_')) return null;
        var end = start + 1;
        if (end < sql.Length && char.IsAsciiDigit(sql[end])) return null;
        while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] == '_')) end++;
        return end < sql.Length && sql[end] == '$' ? sql[start..(end + 1)] : null;
    }
}
