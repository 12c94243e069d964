using Articles.Api.Configuration;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Prometheus;
using StackExchange.Redis;

namespace Articles.Api.Caching;

/// <summary>
/// Registers v2's cache: HybridCache in process, and Redis as its distributed tier when
/// <c>ConnectionStrings:Redis</c> is set (guarded, so an outage is a miss), with Redis spans in the traces.
/// </summary>
internal static class CacheSetup
{
    public static void AddArticlesCache(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => new CacheMetrics(sp.GetService<CollectorRegistry>()));
        services.AddHybridCache();
        services.AddSingleton<ArticleCache>();

        var connectionString = builder.Configuration.GetConnectionString(CacheOptions.RedisConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString)) return;

        var cacheSection = builder.Configuration.GetSection(ArticlesOptions.SectionName).GetSection("Cache");
        var timeout = cacheSection.GetValue(nameof(CacheOptions.RedisTimeoutMilliseconds), new CacheOptions().RedisTimeoutMilliseconds);
        var redis = RedisOptions(connectionString, timeout);

        // Connects in the background: an unreachable Redis at start is an outage like any other, not a startup failure.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
        services.AddSingleton<IDistributedCache>(sp =>
        {
            var multiplexer = sp.GetRequiredService<IConnectionMultiplexer>();
            var redisCache = new RedisCache(Options.Create(new RedisCacheOptions
            {
                InstanceName = "articles:",
                ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer),
            }));
            var settings = sp.GetRequiredService<IOptions<ArticlesOptions>>().Value.Cache;
            return new GuardedDistributedCache(redisCache, sp.GetRequiredService<CacheMetrics>(),
                TimeSpan.FromSeconds(settings.RedisRetryAfterSeconds), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<GuardedDistributedCache>>());
        });
        // Redis commands as client spans under the request (the kit traces what the app adds to its provider).
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddRedisInstrumentation());
    }

    /// <summary>Parses the connection string (a bad one names its key, never its value) and bounds every wait.</summary>
    internal static ConfigurationOptions RedisOptions(string connectionString, int timeoutMilliseconds)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{CacheOptions.RedisConnectionStringKey} is not a valid Redis connection string: {e.Message}", e);
        }

        if (options.EndPoints.Count == 0)
            throw new InvalidOperationException($"{CacheOptions.RedisConnectionStringKey} names no Redis endpoint (e.g. redis:6379).");
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Max(timeoutMilliseconds, 1000);
        options.SyncTimeout = timeoutMilliseconds;
        options.AsyncTimeout = timeoutMilliseconds;
        options.ConnectRetry = 1;
        return options;
    }
}
