namespace Articles.Api.Configuration;

/// <summary>
/// <c>Articles:Cache:*</c>: v2's cache. In process always (when enabled); Redis as its shared tier when
/// <c>ConnectionStrings:Redis</c> is set.
/// </summary>
public sealed class CacheOptions
{
    public const string RedisConnectionStringName = "Redis";
    public const string RedisConnectionStringKey = "ConnectionStrings:" + RedisConnectionStringName;

    /// <summary>Cache v2's answers (default true). v1 is never cached: it stays the slow shape.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long an answer is kept (in process and in Redis); every write invalidates them all anyway.</summary>
    public int ExpirationSeconds { get; set; } = 60;

    /// <summary>Upper bound of one Redis call; a slower Redis costs a cache miss, never a slow answer.</summary>
    public int RedisTimeoutMilliseconds { get; set; } = 250;

    /// <summary>After a Redis failure, how long v2 reads PostgreSQL without asking Redis before it tries again.</summary>
    public int RedisRetryAfterSeconds { get; set; } = 5;
}
