using Articles.Api.Implementation;
using Observability.Sql;

namespace Articles.Api.Tests;

/// <summary>
/// The sample's statements get the DB span names that the dashboards and reports look for, from the kit's one SQL
/// classifier (the service adds no span-name provider of its own).
/// </summary>
public sealed class SqlSpanNameTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { ArticleSql.FindAllV1, "postgresql SELECT articles" },
        { ArticleSql.FindByIdV1, "postgresql SELECT articles" },
        { ArticleSql.FindAllV2, "postgresql SELECT articles" },
        { ArticleSql.FindByIdV2, "postgresql SELECT articles" },
        { ArticleSql.CountArticles, "postgresql SELECT articles" },
        { ArticleSql.InsertArticle, "postgresql INSERT articles" },
        { ArticleSql.UpsertTags, "postgresql INSERT tags" },
        { ArticleSql.BumpAuthorCounter, "postgresql UPDATE users" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Span_name_is_operation_and_main_table(string sql, string expected)
    {
        var (operation, table) = SqlStatement.Classify(sql);
        Assert.Equal(expected, SqlStatement.Name("postgresql", operation, table));
    }
}
