using Prometheus;

namespace Articles.Api.Caching;

/// <summary>
/// Cache outcomes on the kit's <c>/metrics</c> (its <see cref="CollectorRegistry"/> is in DI when
/// <c>AddObservability()</c> ran; otherwise a private registry keeps the counters countable in tests).
/// </summary>
public sealed class CacheMetrics
{
    public CacheMetrics(CollectorRegistry? registry)
    {
        var factory = Metrics.WithCustomRegistry(registry ?? Metrics.NewCustomRegistry());
        Requests = factory.CreateCounter("articles_cache_requests_total", "v2 cache lookups by result (hit or miss).", ["result"]);
        Failures = factory.CreateCounter("articles_cache_failures_total", "Redis calls that failed or timed out; v2 answered from PostgreSQL.");
        Hits = Requests.WithLabels("hit");
        Misses = Requests.WithLabels("miss");
    }

    public Counter Requests { get; }

    public Counter.Child Hits { get; }

    public Counter.Child Misses { get; }

    public Counter Failures { get; }
}
