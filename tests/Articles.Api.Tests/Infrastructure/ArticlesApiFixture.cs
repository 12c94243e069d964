using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using TestSupport;

namespace Articles.Api.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL and one running service (small seed) shared by the tests of the "Articles API" collection.
/// Tests in the collection run one after another, so writes of one test never race another test's reads.
/// </summary>
public sealed class ArticlesApiFixture : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private ArticlesApiFactory? _factory;

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("not started");

    public string ConnectionString { get; private set; } = "";

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync("articles");
        _factory = ArticlesApiFactory.Start(ArticlesApiFactory.SmallSeed(ConnectionString));
        Client = _factory.Client;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>A token from the service's own <c>POST /auth/token</c>.</summary>
    public Task<string> TokenAsync(string username = "user1") => TokenAsync(Client, username);

    public static async Task<string> TokenAsync(HttpClient client, string username = "user1")
    {
        using var response = await client.PostAsJsonAsync("/auth/token", new { username, password = "articles-demo" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
