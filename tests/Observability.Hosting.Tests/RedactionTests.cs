using Observability.Hosting.Implementation;

namespace Observability.Hosting.Tests;

/// <summary>What spans and log records keep and lose: query values, URL user info, SQL literals.</summary>
public sealed class RedactionTests
{
    [Theory]
    [MemberData(nameof(QueryRedactionTable.Rows), MemberType = typeof(QueryRedactionTable))]
    public void Every_query_value_is_redacted_by_default(string query, string expected)
    {
        Assert.Equal(expected, Redaction.RedactQuery(query, QueryAllowList.None));
        // Idempotent: the span processor re-applies it to what the enricher already wrote.
        Assert.Equal(expected, Redaction.RedactQuery(expected, QueryAllowList.None));
        Assert.DoesNotContain(QueryRedactionTable.Marker, Redaction.RedactQuery(query, QueryAllowList.None));
    }

    [Theory]
    [MemberData(nameof(QueryRedactionTable.AllowListedRows), MemberType = typeof(QueryRedactionTable))]
    public void Allow_listed_keys_keep_their_values_and_only_they(string query, string expected) =>
        Assert.Equal(expected, Redaction.RedactQuery(query, new QueryAllowList(QueryRedactionTable.AllowList)));

    [Theory]
    [InlineData("a=1&secret=2", "a=REDACTED&secret=REDACTED")]
    [InlineData("?%zz=1&token", "?%zz=REDACTED&token")]
    [InlineData("?", "?")]
    [InlineData("?&&", "?&&")]
    [InlineData("?=", "?=REDACTED")]
    public void Odd_queries_are_redacted_without_throwing(string query, string expected) =>
        Assert.Equal(expected, Redaction.RedactQuery(query, QueryAllowList.None));

    [Fact]
    public void Long_queries_are_cut()
    {
        Assert.Equal(2048, Redaction.RedactQuery("?q=" + new string('a', 10_000), new QueryAllowList(["q"])).Length);
        Assert.Equal(2048, Redaction.RedactQuery("?" + string.Concat(Enumerable.Repeat("k=v&", 5000)), QueryAllowList.None).Length);
    }

    [Theory]
    [InlineData("http://user:pw@example.test/a?token=t&x=1#frag", "http://example.test/a?token=REDACTED&x=REDACTED")]
    [InlineData("https://example.test/", "https://example.test/")]
    [InlineData("https://example.test/s?X-Amz-Signature=abc&X-Amz-Date=1", "https://example.test/s?X-Amz-Signature=REDACTED&X-Amz-Date=REDACTED")]
    public void Urls_lose_user_info_fragment_and_query_values(string url, string expected)
    {
        Assert.Equal(expected, Redaction.RedactUrl(new Uri(url), QueryAllowList.None));
        Assert.Equal(expected, Redaction.RedactUrlText(url, QueryAllowList.None));
    }

    [Theory]
    [InlineData("Request starting HTTP/1.1 GET http://h/p?code=abc&q=x - - -", "Request starting HTTP/1.1 GET http://h/p?code=REDACTED&q=REDACTED - - -")]
    [InlineData("Is it done? yes", "Is it done? yes")]
    [InlineData("\"/a?x=1\" and '/b?y=2'", "\"/a?x=REDACTED\" and '/b?y=REDACTED'")]
    [InlineData("two?a=1 three?b=2#c=3", "two?a=REDACTED three?b=REDACTED#c=3")]
    [InlineData("no query", "no query")]
    public void Queries_inside_text_are_redacted(string text, string expected) =>
        Assert.Equal(expected, Redaction.RedactQueriesInText(text, QueryAllowList.None));

    [Theory]
    [InlineData("SELECT * FROM t WHERE id = $1", "SELECT * FROM t WHERE id = $1")]
    [InlineData("SELECT * FROM t WHERE name = 'bob' AND id = $1", "SELECT * FROM t WHERE name = '?' AND id = $1")]
    [InlineData("SELECT 'it''s', E'a\\'b', 3", "SELECT '?', E'?', 3")]
    [InlineData("ALTER USER x PASSWORD 'hunter2'", "ALTER USER x PASSWORD '?'")]
    [InlineData("SELECT $$secret body$$", "SELECT '?'")]
    [InlineData("SELECT 'unterminated", "SELECT '?'")]
    [InlineData("SELECT $fn$ secret body $fn$, $1", "SELECT '?', $1")]
    [InlineData("SELECT $a$ has $$ inside $a$ FROM t", "SELECT '?' FROM t")]
    [InlineData("SELECT $body$ never closed", "SELECT '?'")]
    [InlineData("SELECT col$x FROM t WHERE id = $2", "SELECT col$x FROM t WHERE id = $2")]
    public void Sql_string_literals_are_replaced(string sql, string expected) => Assert.Equal(expected, Redaction.SanitizeSql(sql));

    // Statements that put a quote where a naive scan loses track of literals: in a comment, in a quoted name, after
    // a backslash (an escape in E'' strings and in MySQL, an ordinary character in PostgreSQL's plain strings).
    [Theory]
    [InlineData("SELECT 1 -- don't\nFROM t WHERE a = 'secret'", "SELECT 1 -- don't\nFROM t WHERE a = '?'")]
    [InlineData("/* it's */ SELECT * FROM t WHERE p = 'secret'", "/* it's */ SELECT * FROM t WHERE p = '?'")]
    [InlineData("/* a /* nested */ it's */ SELECT 'secret'", "/* a /* nested */ it's */ SELECT '?'")]
    [InlineData("SELECT \"we're\" FROM t WHERE x = 'secret'", "SELECT \"we're\" FROM t WHERE x = '?'")]
    [InlineData("SELECT E'it\\'s', 'secret'", "SELECT E'?', '?'")]
    [InlineData("SELECT 'a\\', 'secret' FROM t", "SELECT '?'")]
    [InlineData("SELECT $q$ it's $q$, 'secret'", "SELECT '?', '?'")]
    [InlineData("SELECT 'x''y', 'secret''s'", "SELECT '?', '?'")]
    [InlineData("SELECT 1 -- trailing 'note'", "SELECT 1 -- trailing 'note'")]
    [InlineData("SELECT 'secret", "SELECT '?'")]
    [InlineData("SELECT $1, $2 FROM t -- it's $$", "SELECT $1, $2 FROM t -- it's $$")]
    public void Hostile_sql_keeps_no_literal(string sql, string expected)
    {
        var sanitized = Redaction.SanitizeSql(sql);
        Assert.Equal(expected, sanitized);
        Assert.DoesNotContain("secret", sanitized, StringComparison.Ordinal);
    }
}
