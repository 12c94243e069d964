using System.Net;
using Articles.Api.Tests.Infrastructure;
using Npgsql;

namespace Articles.Api.Tests;

/// <summary>
/// A bug rather than an outage (here: a table the query needs is gone) answers 500 problem details with no
/// stack trace, no exception text and no SQL. Own database on the shared server, since the test breaks it.
/// </summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class ServerErrorTests(ArticlesApiFixture fixture) : OwnInstanceTests
{
    private string _connectionString = "";

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        _connectionString = await fixture.Postgres.CreateDatabaseAsync();
        return ArticlesApiFactory.SmallSeed(_connectionString);
    }

    [Fact]
    public async Task Query_failure_is_500_problem_without_details()
    {
        var token = await ArticlesApiFixture.TokenAsync(Client);
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            // v1 counts likes itself; v2 reads the maintained counts.
            await using var drop = new NpgsqlCommand("DROP TABLE likes; DROP TABLE article_stats", connection);
            await drop.ExecuteNonQueryAsync();
        }

        foreach (var path in new[] { "/v1/articles", "/v2/articles/1" })
        {
            using var response = await Client.SendAsync(ArticlesApiFixture.Get(path, token));
            await ProblemAssert.BareAsync(response, path, HttpStatusCode.InternalServerError, "likes", "SELECT");
        }
    }
}
