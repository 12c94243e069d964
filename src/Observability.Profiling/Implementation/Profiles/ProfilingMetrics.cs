using Prometheus;

namespace Observability.Profiling.Implementation.Profiles;

/// <summary>The profiler's own counters (names from docs/telemetry-names.md); prometheus-net returns the existing ones on re-creation.</summary>
internal static class ProfilingMetrics
{
    public static readonly Counter Pushed = Metrics.CreateCounter(
        "observability_profiles_pushed_total", "Profiles accepted by the profile server.",
        new CounterConfiguration { LabelNames = new[] { "type" } });

    public static readonly Counter Dropped = Metrics.CreateCounter(
        "observability_profiles_dropped_total", "Profiles or profiler output lost, by reason.",
        new CounterConfiguration { LabelNames = new[] { "type", "reason" } });

    public static readonly Counter ExportFailures = Metrics.CreateCounter(
        "observability_export_failures_total", "Failed exports to a telemetry backend.",
        new CounterConfiguration { LabelNames = new[] { "signal" } });
}
