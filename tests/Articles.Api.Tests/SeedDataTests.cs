using Articles.Api.Configuration;
using Articles.Api.Data;
using Articles.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Articles.Api.Tests;

/// <summary>The seed is deterministic, and concurrent startups seed a database once.</summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class SeedDataTests(ArticlesApiFixture fixture)
{
    private static readonly string[] Fingerprints =
    [
        "SELECT md5(string_agg(concat_ws(',', id, username, article_count, created_at), ';' ORDER BY id)) FROM users",
        "SELECT md5(string_agg(concat_ws(',', id, author_id, title, body, created_at), ';' ORDER BY id)) FROM articles",
        "SELECT md5(string_agg(concat_ws(',', id, article_id, user_id, body, created_at), ';' ORDER BY id)) FROM comments",
        "SELECT md5(string_agg(concat_ws(',', id, article_id, user_id, created_at), ';' ORDER BY id)) FROM likes",
        "SELECT md5(string_agg(concat_ws(',', id, name), ';' ORDER BY id)) FROM tags",
        "SELECT md5(string_agg(concat_ws(',', article_id, tag_id), ';' ORDER BY article_id, tag_id)) FROM article_tags",
    ];

    [Fact]
    public async Task Same_options_give_the_same_rows_and_concurrent_starts_seed_once()
    {
        var first = await fixture.Postgres.CreateDatabaseAsync();
        var second = await fixture.Postgres.CreateDatabaseAsync();

        // Three instances start together on the first database: the advisory lock lets exactly one seed it.
        var created = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => InitializeAsync(first, Seed())));
        Assert.Equal(1, created.Count(c => c));
        Assert.True(await InitializeAsync(second, Seed()));
        Assert.False(await InitializeAsync(second, Seed()));

        Assert.Equal(await FingerprintAsync(first), await FingerprintAsync(second));
        Assert.Equal(300, await CountAsync(first, "SELECT count(*) FROM comments"));
    }

    [Fact]
    public async Task Another_random_seed_gives_other_rows()
    {
        var a = await fixture.Postgres.CreateDatabaseAsync();
        var b = await fixture.Postgres.CreateDatabaseAsync();
        await InitializeAsync(a, Seed());
        var other = Seed();
        other.RandomSeed = 7;
        await InitializeAsync(b, other);
        Assert.NotEqual((await FingerprintAsync(a))[1], (await FingerprintAsync(b))[1]);
    }

    private static SeedOptions Seed() => new() { Users = 10, Articles = 40, Comments = 300, Likes = 500, Tags = 12, MaxTagsPerArticle = 3 };

    private static async Task<bool> InitializeAsync(string connectionString, SeedOptions seed)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var initializer = new DatabaseInitializer(
            dataSource, Options.Create(new ArticlesOptions { Seed = seed }), NullLogger<DatabaseInitializer>.Instance);
        return await initializer.InitializeAsync(CancellationToken.None);
    }

    private static async Task<string[]> FingerprintAsync(string connectionString)
    {
        var result = new List<string>();
        foreach (var sql in Fingerprints)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            result.Add((string)(await command.ExecuteScalarAsync())!);
        }

        return [.. result];
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
