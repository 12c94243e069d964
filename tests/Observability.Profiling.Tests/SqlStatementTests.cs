using Observability.Sql;

namespace Observability.Profiling.Tests;

/// <summary>
/// The one SQL classifier behind the DB metric label, the DB span name and the request-time frame: operation from a
/// fixed set and main table, never a literal.
/// </summary>
public sealed class SqlStatementTests
{
    public static TheoryData<string?, string?, string?> Cases => new()
    {
        // sql, operation, table
        { "SELECT * FROM articles WHERE id = $1", "SELECT", "articles" },
        { "  select * from t", "SELECT", "t" },
        { "select a.id, (select count(*) from comments c where c.article_id = a.id) from articles a", "SELECT", "articles" },
        { "INSERT INTO comments (body) VALUES ('secret value')", "INSERT", "comments" },
        { "-- comment\nINSERT INTO t VALUES ($1)", "INSERT", "t" },
        { "/* FROM x */ DELETE FROM comments WHERE id = 1", "DELETE", "comments" },
        { "/* hint */ UPDATE t SET a = 1", "UPDATE", "t" },
        { "UPDATE \"users\" SET name = 'x'", "UPDATE", "users" },
        { "select * from \"Quoted\" where name = 'FROM secret'", "SELECT", "Quoted" },
        { "SELECT 'FROM secrets' AS x FROM t1", "SELECT", "t1" },
        { "SELECT $tag$ FROM secrets $tag$ AS x FROM t2", "SELECT", "t2" },
        { "SELECT * FROM Public.Articles", "SELECT", "public.articles" },
        { "(SELECT 1) UNION (SELECT 2)", "SELECT", null },
        { "SELECT 1 FROM (SELECT 2) t", "SELECT", null },
        { "SELECT pg_sleep(0.3)", "SELECT", null },
        { "WITH x AS (SELECT 1) SELECT * FROM x", "SELECT", "x" },
        { "WITH page AS (SELECT id FROM articles LIMIT 5) SELECT * FROM page", "SELECT", "articles" },
        { "WITH moved AS (DELETE FROM queue RETURNING *) INSERT INTO done SELECT * FROM moved", "INSERT", "queue" },
        { "delete from t", "DELETE", "t" },
        { "SELECT 1 -- don't\nFROM users WHERE a = 'x'", "SELECT", "users" },
        { "/* a /* nested */ FROM x */ SELECT * FROM t3", "SELECT", "t3" },
        { "SELECT \"we're\" FROM t4 WHERE b = 'it''s'", "SELECT", "t4" },
        { "SELECT E'\\' FROM x', 1 FROM t5", "SELECT", "t5" },
        { "LISTEN channel", "other", null },
        { "12345", "other", null },
        { "-- only a comment", "other", null },
        { "/* never closed", "other", null },
        { "", null, null },
        { "   ", null, null },
        { null, null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Statements_give_operation_and_main_table(string? sql, string? operation, string? table) =>
        Assert.Equal((operation, table), SqlStatement.Classify(sql));

    [Theory]
    [InlineData("select", "SELECT")]
    [InlineData("Insert", "INSERT")]
    [InlineData("anything-else", "other")]
    public void Operations_named_by_an_instrumentation_stay_in_the_fixed_set(string named, string expected) =>
        Assert.Equal(expected, SqlStatement.Operation(named));

    [Theory]
    [InlineData("SELECT", "articles", "postgresql SELECT articles")]
    [InlineData("SELECT", null, "postgresql SELECT")]
    [InlineData(null, null, "postgresql")]
    public void Names_are_system_operation_and_table(string? operation, string? table, string expected) =>
        Assert.Equal(expected, SqlStatement.Name("postgresql", operation, table));
}
