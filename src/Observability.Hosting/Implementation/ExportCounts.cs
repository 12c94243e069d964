using Prometheus;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The kit's counts of one signal's OTLP export (docs/telemetry-names.md): items exported, failed export calls
/// (<c>observability_export_failures_total{signal}</c>) and items dropped, whether the queue was full or their export
/// failed. Metrics have a failure count only: a failed cumulative export loses nothing the next one does not carry again.
/// </summary>
internal sealed class ExportCounts(Counter.Child failures, Counter? exported = null, Counter? dropped = null)
{
    /// <summary>A batch of <paramref name="items"/> went through.</summary>
    public void Exported(int items) => exported?.Inc(items);

    /// <summary>A batch of <paramref name="items"/> failed: one failure, and its items are dropped.</summary>
    public void Failed(int items)
    {
        failures.Inc();
        dropped?.Inc(items);
    }

    /// <summary>Items dropped before export (the queue was full).</summary>
    public void Dropped(int items) => dropped?.Inc(items);
}
