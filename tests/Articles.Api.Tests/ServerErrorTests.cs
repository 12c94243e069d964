using System.Net;
using System.Text.Json;
using Articles.Api.Tests.Infrastructure;
using Npgsql;

namespace Articles.Api.Tests;

/// <summary>
/// A bug rather than an outage (here: a table the query needs is gone) answers 500 problem details with no
/// stack trace, no exception text and no SQL. Own database on the shared server, since the test breaks it.
/// </summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class ServerErrorTests(ArticlesApiFixture fixture) : IAsyncLifetime
{
    private ArticlesApiFactory? _factory;
    private HttpClient _client = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _connectionString = await fixture.Postgres.CreateDatabaseAsync();
        _factory = new ArticlesApiFactory(ArticlesApiFactory.SmallSeed(_connectionString));
        _factory.StartServer();
        _client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Fact]
    public async Task Query_failure_is_500_problem_without_details()
    {
        var token = await ArticlesApiFixture.TokenAsync(_client);
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            // v1 counts likes itself; v2 reads the maintained counts.
            await using var drop = new NpgsqlCommand("DROP TABLE likes; DROP TABLE article_stats", connection);
            await drop.ExecuteNonQueryAsync();
        }

        foreach (var path in new[] { "/v1/articles", "/v2/articles/1" })
        {
            using var response = await _client.SendAsync(ArticlesApiFixture.Get(path, token));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{path}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(500, json.RootElement.GetProperty("status").GetInt32());
            Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("likes", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SELECT", body, StringComparison.OrdinalIgnoreCase);
        }
    }
}
