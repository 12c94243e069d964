using Prometheus;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Runtime and thread-pool metrics, read from the runtime's own counters when Prometheus scrapes (no cost
/// between scrapes); thread-pool starvation comes from <see cref="ThreadPoolStarvationListener"/>. Garbage
/// collections by generation are prometheus-net's own <c>dotnet_collection_count_total</c> (DotNetStats).
/// </summary>
internal static class RuntimeMetrics
{
    public static void Register(IMetricFactory factory, CollectorRegistry registry)
    {
        var queueLength = factory.CreateGauge("dotnet_threadpool_queue_length", "Work items queued to the thread pool.");
        var threads = factory.CreateGauge("dotnet_threadpool_threads", "Thread-pool threads.");
        var completed = factory.CreateCounter("dotnet_threadpool_completed_items_total", "Work items completed by the thread pool.");
        var starvation = factory.CreateCounter("dotnet_threadpool_starvation_total",
            "Thread-pool thread injections the runtime made because of starvation.");
        var contention = factory.CreateCounter("dotnet_monitor_lock_contention_total", "Contended Monitor lock acquisitions.");
        var gcPause = factory.CreateCounter("dotnet_gc_pause_seconds_total", "Time the runtime was paused for garbage collection.");

        ThreadPoolStarvationListener.EnsureStarted();
        registry.AddBeforeCollectCallback(() =>
        {
            queueLength.Set(ThreadPool.PendingWorkItemCount);
            threads.Set(ThreadPool.ThreadCount);
            completed.IncTo(ThreadPool.CompletedWorkItemCount);
            starvation.IncTo(ThreadPoolStarvationListener.StarvationCount);
            contention.IncTo(Monitor.LockContentionCount);
            gcPause.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
        });
    }
}
