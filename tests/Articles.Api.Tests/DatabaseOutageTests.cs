using System.Net;
using System.Net.Http.Json;
using Articles.Api.Tests.Infrastructure;
using TestSupport;

namespace Articles.Api.Tests;

/// <summary>
/// The database goes away and comes back. Own PostgreSQL and service (stopping the shared one would break the
/// other tests).
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(60);
    private PostgresServer _postgres = null!;
    private ArticlesApiFactory _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        var connectionString = await _postgres.CreateDatabaseAsync("articles");
        _factory = ArticlesApiFactory.Start(ArticlesApiFactory.SmallSeed(connectionString));
        _client = _factory.Client;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Outage_answers_503_problem_without_stack_trace_and_recovers()
    {
        var token = await ArticlesApiFixture.TokenAsync(_client);
        using (var before = await _client.SendAsync(ArticlesApiFixture.Get("/v2/articles?size=4", token)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _postgres.StopAsync();

        // An answer v2 has cached is still served (until it expires); everything else needs the database.
        using (var cached = await _client.SendAsync(ArticlesApiFixture.Get("/v2/articles?size=4", token)))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        foreach (var path in new[] { "/v1/articles?size=3", "/v2/articles?size=3", "/v1/articles/1", "/v2/articles/1" })
        {
            using var response = await _client.SendAsync(ArticlesApiFixture.Get(path, token));
            await AssertUnavailableProblemAsync(response, path);
        }

        using (var tokenResponse = await _client.PostAsJsonAsync("/auth/token", new { username = "user1", password = "articles-demo" }))
        {
            await AssertUnavailableProblemAsync(tokenResponse, "/auth/token");
        }

        using (var ready = await _client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using (var live = await _client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await _postgres.StartAgainAsync();
        // Broken pooled connections are dropped as they are found, so a few requests may still fail.
        await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await _client.SendAsync(ArticlesApiFixture.Get("/v2/articles?size=3", token));
                return response.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            RecoveryDeadline,
            "/v2/articles answering 200 after PostgreSQL restarted",
            interval: TimeSpan.FromMilliseconds(200));
    }

    private static async Task AssertUnavailableProblemAsync(HttpResponseMessage response, string path)
    {
        // No stack trace, no exception type, no connection details.
        await ProblemAssert.BareAsync(response, path, HttpStatusCode.ServiceUnavailable, "Npgsql", "127.0.0.1");
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
