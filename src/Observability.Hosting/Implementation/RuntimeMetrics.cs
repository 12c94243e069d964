using Prometheus;

namespace Observability.Hosting.Implementation;

/// <summary>
/// What the runtime's own <c>System.Runtime</c> meter does not say (that meter is published by
/// <see cref="MeterBridge"/> as <c>dotnet_*</c>), read when Prometheus scrapes (no cost between scrapes):
/// thread-pool starvation, from <see cref="ThreadPoolStarvationListener"/>, and the thread-pool thread count,
/// whose semantic-convention name <c>dotnet_thread_pool_thread_count</c> a gauge cannot have in Prometheus.
/// </summary>
internal static class RuntimeMetrics
{
    public static void Register(IMetricFactory factory, CollectorRegistry registry)
    {
        var starvation = factory.CreateCounter(TelemetryNames.ThreadPoolStarvation,
            "Thread-pool thread injections the runtime made because of starvation.");

        var threads = factory.CreateGauge(TelemetryNames.ThreadPoolThreads, "Thread-pool threads.");

        ThreadPoolStarvationListener.EnsureStarted();
        registry.AddBeforeCollectCallback(() =>
        {
            starvation.IncTo(ThreadPoolStarvationListener.StarvationCount);
            threads.Set(ThreadPool.ThreadCount);
        });
    }
}
