using Observability.Profiling.Implementation.Profiles;
using Prometheus;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The profiler keeps its counters in prometheus-net's process-wide default registry; this copies their
/// values into the host's registry at scrape time, so one <c>/metrics</c> shows both without serving the
/// default registry (which would also publish every .NET Meter under clashing names).
/// </summary>
internal static class ProfilerMetricsMirror
{
    public static void Register(IMetricFactory factory, CollectorRegistry registry, Counter exportFailures)
    {
        var pushed = factory.CreateCounter("observability_profiles_pushed_total", "Profiles accepted by the profile server.", ["type"]);
        var dropped = factory.CreateCounter("observability_profiles_dropped_total", "Profiles or profiler output lost, by reason.", ["type", "reason"]);
        exportFailures.WithLabels("profiles");
        registry.AddBeforeCollectCallback(() =>
        {
            Copy(ProfilingMetrics.Pushed, pushed);
            Copy(ProfilingMetrics.Dropped, dropped);
            exportFailures.WithLabels("profiles").IncTo(ProfilingMetrics.ExportFailures.WithLabels("profiles").Value);
        });
    }

    private static void Copy(Counter source, Counter target)
    {
        foreach (var labels in source.GetAllLabelValues())
            target.WithLabels(labels).IncTo(source.WithLabels(labels).Value);
    }
}
