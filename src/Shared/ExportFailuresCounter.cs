using Prometheus;

namespace Observability;

/// <summary>
/// <c>observability_export_failures_total</c>, defined once for both assemblies: the trace exporter and the profile
/// push loop count into the same counter of the host's registry (prometheus-net returns the existing one).
/// </summary>
internal static class ExportFailuresCounter
{
    public static Counter Create(IMetricFactory factory) =>
        factory.CreateCounter(TelemetryNames.ExportFailures, "Failed export calls to a telemetry backend, by signal.", ["signal"]);
}
