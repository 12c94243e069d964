using Microsoft.Extensions.Caching.Distributed;

namespace Articles.Api.Caching;

/// <summary>
/// Redis behind a guard: a failed or slow call counts, warns once per outage and reads as a miss, and for a while
/// after it Redis is not asked at all, so a down or black-holed Redis costs v2 neither errors nor latency. The
/// first call after that pause finds out whether Redis is back.
/// </summary>
public sealed class GuardedDistributedCache(
    IDistributedCache inner, CacheMetrics metrics, TimeSpan retryAfter, TimeProvider time, ILogger<GuardedDistributedCache> logger)
    : IDistributedCache
{
    private long _closedUntil;
    private int _failing;

    /// <summary>True while Redis is skipped after a failure.</summary>
    public bool Paused => time.GetTimestamp() < Volatile.Read(ref _closedUntil);

    public byte[]? Get(string key) => Guard(() => inner.Get(key), null);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GuardAsync(() => inner.GetAsync(key, token), null);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Guard(() => { inner.Set(key, value, options); return true; }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.SetAsync(key, value, options, token); return true; }, false);

    public void Refresh(string key) => Guard(() => { inner.Refresh(key); return true; }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.RefreshAsync(key, token); return true; }, false);

    public void Remove(string key) => Guard(() => { inner.Remove(key); return true; }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.RemoveAsync(key, token); return true; }, false);

    private T Guard<T>(Func<T> call, T fallback)
    {
        if (Paused) return fallback;
        try
        {
            var result = call();
            Recovered();
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(e);
            return fallback;
        }
    }

    private async Task<T> GuardAsync<T>(Func<Task<T>> call, T fallback)
    {
        if (Paused) return fallback;
        try
        {
            var result = await call().ConfigureAwait(false);
            Recovered();
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(e);
            return fallback;
        }
    }

    private void Failed(Exception e)
    {
        metrics.Failures.Inc();
        Volatile.Write(ref _closedUntil, time.GetTimestamp() + (long)(retryAfter.TotalSeconds * time.TimestampFrequency));
        // One warning per outage, not one per request.
        if (Interlocked.Exchange(ref _failing, 1) == 0)
            logger.LogWarning("Redis cache unavailable ({Reason}); v2 answers from PostgreSQL and asks Redis again in {Seconds} s",
                e.GetType().Name, retryAfter.TotalSeconds);
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _failing, 0) == 1) logger.LogInformation("Redis cache is back");
    }
}
