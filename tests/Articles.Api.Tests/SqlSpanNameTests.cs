using Articles.Api.Implementation;

namespace Articles.Api.Tests;

/// <summary>Database span names: operation and main table, nothing else from the SQL text.</summary>
public sealed class SqlSpanNameTests
{
    public static TheoryData<string?, string> Cases => new()
    {
        { ArticleSql.FindAllV1, "postgresql SELECT articles" },
        { ArticleSql.FindByIdV1, "postgresql SELECT articles" },
        { ArticleSql.FindAllV2, "postgresql SELECT articles" },
        { ArticleSql.FindByIdV2, "postgresql SELECT articles" },
        { ArticleSql.CountArticles, "postgresql SELECT articles" },
        { ArticleSql.InsertArticle, "postgresql INSERT articles" },
        { ArticleSql.UpsertTags, "postgresql INSERT tags" },
        { ArticleSql.BumpAuthorCounter, "postgresql UPDATE users" },
        { "select * from \"Quoted\" where name = 'FROM secret'", "postgresql SELECT Quoted" },
        { "/* FROM x */ DELETE FROM comments WHERE id = 1", "postgresql DELETE comments" },
        { "SELECT 'FROM secrets' AS x FROM t1", "postgresql SELECT t1" },
        { "SELECT 1", "postgresql SELECT" },
        { "", "postgresql" },
        { null, "postgresql" },
        { "   ", "postgresql" },
        { "-- only a comment", "postgresql other" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Span_name_is_operation_and_main_table(string? sql, string expected) =>
        Assert.Equal(expected, SqlSpanName.For(sql));
}
