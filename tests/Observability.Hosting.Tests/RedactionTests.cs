using Observability.Hosting.Implementation;

namespace Observability.Hosting.Tests;

/// <summary>What span attributes keep and lose: query secrets, URL user info, SQL literals, operation names.</summary>
public sealed class RedactionTests
{
    [Theory]
    [InlineData("?page=2", "?page=2")]
    [InlineData("?password=hunter2&page=2", "?password=REDACTED&page=2")]
    [InlineData("?PassWord=hunter2", "?PassWord=REDACTED")]
    [InlineData("?api_key=k&apikey=k&x-api-key=k", "?api_key=REDACTED&apikey=REDACTED&x-api-key=REDACTED")]
    [InlineData("?access_token=t&refresh_token=t&id_token=t", "?access_token=REDACTED&refresh_token=REDACTED&id_token=REDACTED")]
    [InlineData("?client_secret=s&mySecretValue=s", "?client_secret=REDACTED&mySecretValue=REDACTED")]
    [InlineData("?user.password=p&db_pwd=p", "?user.password=REDACTED&db_pwd=REDACTED")]
    [InlineData("?sig=abc&code=xyz&jwt=e.y.j", "?sig=REDACTED&code=REDACTED&jwt=REDACTED")]
    [InlineData("?api%5Fkey=secret", "?api%5Fkey=REDACTED")]
    [InlineData("?monkey=banana&keyboard=qwerty", "?monkey=banana&keyboard=qwerty")]
    [InlineData("?token", "?token")]
    [InlineData("?%zz=1&token=2", "?%zz=1&token=REDACTED")]
    [InlineData("a=1&secret=2", "a=1&secret=REDACTED")]
    public void Query_secrets_are_redacted(string query, string expected) => Assert.Equal(expected, Redaction.RedactQuery(query));

    [Fact]
    public void Long_queries_are_cut()
    {
        Assert.Equal(2048, Redaction.RedactQuery("?q=" + new string('a', 10_000)).Length);
    }

    [Theory]
    [InlineData("http://user:pw@example.test/a?token=t&x=1", "http://example.test/a?token=REDACTED&x=1")]
    [InlineData("https://example.test/", "https://example.test/")]
    public void Urls_lose_user_info_and_query_secrets(string url, string expected) =>
        Assert.Equal(expected, Redaction.RedactUrl(new Uri(url)));

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
}
