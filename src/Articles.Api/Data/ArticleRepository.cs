using System.Diagnostics;
using Articles.Api.Configuration;
using Articles.Api.Implementation;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Articles.Api.Data;

/// <summary>
/// Reads and writes articles. Method names (FindAllV1, FindAllV2, ...) are kept readable because they show up
/// in CPU profiles; each call also opens a span (ArticleRepository.FindAll, ...) for the request-time profile.
/// </summary>
public sealed class ArticleRepository(NpgsqlDataSource dataSource, IOptions<ArticlesOptions> options)
{
    private int CommandTimeout => options.Value.Database.CommandTimeoutSeconds;

    public Task<ArticlePage> FindAllV1(PageRequest page, CancellationToken ct) =>
        FindAll("v1", ArticleSql.FindAllV1, page, ct);

    public Task<ArticlePage> FindAllV2(PageRequest page, CancellationToken ct) =>
        FindAll("v2", ArticleSql.FindAllV2, page, ct);

    public Task<ArticleSummary?> FindByIdV1(long id, CancellationToken ct) => FindById("v1", ArticleSql.FindByIdV1, id, ct);

    public Task<ArticleSummary?> FindByIdV2(long id, CancellationToken ct) => FindById("v2", ArticleSql.FindByIdV2, id, ct);

    /// <summary>
    /// Writes the article, its tags (created on first use), the links and the author's counter in one transaction.
    /// Returns null when the author does not exist.
    /// </summary>
    public async Task<long?> Create(int authorId, string title, string body, IReadOnlyList<string> tags, CancellationToken ct)
    {
        using var activity = ArticlesTelemetry.ActivitySource.StartActivity("ArticleRepository.Create");
        var names = tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await Scalar(connection, ArticleSql.BumpAuthorCounter, ct, ("author", authorId)) is null)
        {
            await transaction.RollbackAsync(ct);
            return null;
        }

        var id = (long)(await Scalar(connection, ArticleSql.InsertArticle, ct, ("author", authorId), ("title", title), ("body", body)))!;
        if (names.Length > 0)
        {
            await Execute(connection, ArticleSql.UpsertTags, ct, ("names", names));
            await Execute(connection, ArticleSql.LinkTags, ct, ("article", id), ("names", names));
        }

        // v2's counts change in the same transaction as the rows they count.
        await Execute(connection, ArticleSql.InsertArticleStats, ct, ("article", id), ("names", names));

        await transaction.CommitAsync(ct);
        return id;
    }

    private async Task<ArticlePage> FindAll(string version, string sql, PageRequest page, CancellationToken ct)
    {
        using var activity = StartQuery("ArticleRepository.FindAll", version);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var total = (long)(await Scalar(connection, ArticleSql.CountArticles, ct))!;
        if (page.Offset >= total)
        {
            // Beyond the end: nothing to show, and v1 would otherwise run its subqueries for every skipped row.
            return new ArticlePage(page.Page, page.Size, total, []);
        }

        await using var command = Command(connection, sql, ("size", page.Size), ("offset", page.Offset));
        var items = await ReadSummaries(command, ct);
        return new ArticlePage(page.Page, page.Size, total, items);
    }

    private async Task<ArticleSummary?> FindById(string version, string sql, long id, CancellationToken ct)
    {
        using var activity = StartQuery("ArticleRepository.FindById", version);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = Command(connection, sql, ("id", id));
        var items = await ReadSummaries(command, ct);
        return items.Count == 0 ? null : items[0];
    }

    private static Activity? StartQuery(string name, string version)
    {
        var activity = ArticlesTelemetry.ActivitySource.StartActivity(name);
        activity?.SetTag(ArticlesTelemetry.QueryVersionAttribute, version);
        return activity;
    }

    private static async Task<List<ArticleSummary>> ReadSummaries(NpgsqlCommand command, CancellationToken ct)
    {
        var items = new List<ArticleSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new ArticleSummary(
                Id: reader.GetInt64(0),
                Title: reader.GetString(1),
                AuthorId: reader.GetInt32(2),
                AuthorUsername: reader.GetString(3),
                CreatedAt: reader.GetDateTime(4),
                CommentCount: reader.GetInt64(5),
                LikeCount: reader.GetInt64(6),
                TagCount: reader.GetInt64(7),
                AuthorArticleCount: reader.GetInt64(8),
                Tags: reader.GetFieldValue<string[]>(9)));
        }

        return items;
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = CommandTimeout };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken ct, params (string, object)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(ct);
    }

    private async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct, params (string, object)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(ct);
    }
}
