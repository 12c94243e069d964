using System.Net;
using System.Net.Http.Json;
using Articles.Api.Caching;
using Articles.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestSupport;

namespace Articles.Api.Tests;

/// <summary>
/// v2 through HybridCache with a real Redis as its shared tier: hits, no stale answer after a write, and a Redis
/// that is down, black-holed or back again never costs v2 an error.
/// </summary>
public sealed class CacheTests : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private RedisServer? _redis;
    private ArticlesApiFactory? _factory;
    private readonly WarningLog _warnings = new();

    private HttpClient Client => _factory!.Client;

    private CacheMetrics Metrics => _factory!.Services.GetRequiredService<CacheMetrics>();

    private RedisServer Redis => _redis!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        var settings = ArticlesApiFactory.SmallSeed(await _postgres.CreateDatabaseAsync("articles"));
        settings["ConnectionStrings:Redis"] = _redis.ConnectionString;
        settings["Articles:Cache:RedisRetryAfterSeconds"] = "1";
        settings["Articles:Cache:RedisTimeoutMilliseconds"] = "200";
        _factory = ArticlesApiFactory.Start(settings, logging => logging.AddProvider(_warnings));
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_second_read_is_a_hit_and_the_answer_is_in_Redis()
    {
        var token = await ArticlesApiFixture.TokenAsync(Client);
        var misses = Metrics.Misses.Value;
        var first = await GetAsync("/v2/articles?page=2&size=5", token);
        Assert.Equal(misses + 1, Metrics.Misses.Value);
        var hits = Metrics.Hits.Value;
        Assert.Equal(first, await GetAsync("/v2/articles?page=2&size=5", token));
        Assert.Equal(hits + 1, Metrics.Hits.Value);
        Assert.Contains("articles:v2:articles:2:5", await Redis.CommandAsync("KEYS", "articles:*"));
    }

    [Fact]
    public async Task After_a_write_neither_tier_serves_the_old_page()
    {
        var token = await ArticlesApiFixture.TokenAsync(Client);
        var before = await GetAsync("/v2/articles?page=1&size=10", token);
        Assert.Equal(before, await GetAsync("/v2/articles?page=1&size=10", token)); // cached now

        using var created = await Client.SendAsync(Post("/v1/articles", token, new { title = "fresh article", tags = new[] { "zeta", "alpha-1" } }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var v2 = await GetAsync("/v2/articles?page=1&size=10", token);
        Assert.NotEqual(before, v2);
        Assert.Contains("fresh article", v2);
        Assert.Equal(await GetAsync("/v1/articles?page=1&size=10", token), v2);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(await GetAsync($"/v1/articles/{id}", token), await GetAsync($"/v2/articles/{id}", token));
    }

    [Fact]
    public async Task Redis_down_then_back_v2_answers_from_PostgreSQL_warns_once_and_uses_Redis_again()
    {
        var token = await ArticlesApiFixture.TokenAsync(Client);
        await Redis.StopAsync();
        var failures = Metrics.Failures.Value;
        for (var page = 1; page <= 5; page++)
        {
            var path = $"/v2/articles?page={page}&size=3";
            Assert.Equal(await GetAsync(path.Replace("/v2/", "/v1/", StringComparison.Ordinal), token), await GetAsync(path, token));
        }

        Assert.True(Metrics.Failures.Value > failures, "no Redis failure counted");
        Assert.Equal(1, _warnings.Count(nameof(GuardedDistributedCache)));

        await Redis.StartAgainAsync();
        // After the pause (1 s here), a new answer reaches Redis again.
        await Eventually.ReturnsAsync(
            async () =>
            {
                await GetAsync($"/v2/articles/{Random.Shared.Next(1, 60)}", token);
                return await Redis.CommandAsync("KEYS", "articles:v2:article:*");
            },
            keys => keys.Contains("articles:v2:article:", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "a v2 answer stored in Redis after it came back");
    }

    [Fact]
    public async Task A_black_holed_Redis_costs_v2_no_error_and_no_long_wait()
    {
        var token = await ArticlesApiFixture.TokenAsync(Client);
        Redis.Freeze();
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (var page = 6; page <= 10; page++) await GetAsync($"/v2/articles?page={page}&size=3", token);
            // One call waits for the Redis timeout (200 ms); the others skip Redis while it is paused.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"five requests took {watch.Elapsed.TotalMilliseconds} ms");
        }
        finally
        {
            Redis.Thaw();
        }
    }

    private async Task<string> GetAsync(string path, string token)
    {
        using var response = await Client.SendAsync(ArticlesApiFixture.Get(path, token));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static HttpRequestMessage Post(string path, string token, object body)
    {
        var request = ArticlesApiFixture.Get(path, token);
        request.Method = HttpMethod.Post;
        request.Content = JsonContent.Create(body);
        return request;
    }

    /// <summary>Counts warnings per logger category.</summary>
    private sealed class WarningLog : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new();

        public int Count(string categorySuffix) =>
            _counts.Where(kv => kv.Key.EndsWith(categorySuffix, StringComparison.Ordinal)).Sum(kv => kv.Value);

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(WarningLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Warning) log._counts.AddOrUpdate(category, 1, (_, n) => n + 1);
            }
        }
    }
}
