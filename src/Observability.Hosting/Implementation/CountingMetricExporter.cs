using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Wraps the OTLP metric exporter to count failed exports (<c>observability_export_failures_total{signal="metrics"}</c>)
/// and tell the operator of an outage once. Metrics have no queue to drop from: a failed cumulative export loses
/// nothing that the next one does not carry again.
/// </summary>
internal sealed class CountingMetricExporter(BaseExporter<Metric> inner, HostingMetrics metrics, ExportOutageLog? outage = null) : BaseExporter<Metric>
{
    // The OTLP exporter reads the resource (service.name, …) from its ParentProvider, whose setter the SDK keeps internal
    // and sets only on the exporter the reader holds: this wrapper. It is handed on once, by reflection on the pinned
    // SDK, as for log records; the metrics export test checks service.name, so an SDK change cannot go unseen.
    private static readonly PropertyInfo? ParentProviderProperty =
        typeof(BaseExporter<Metric>).GetProperty(nameof(ParentProvider), BindingFlags.Instance | BindingFlags.Public);

    private bool _parentHandedOn;

    public override ExportResult Export(in Batch<Metric> batch)
    {
        ExportResult result;
        try
        {
            HandOnParentProvider();
            result = inner.Export(batch);
        }
        catch (Exception)
        {
            // An exporter must not throw, but a broken one must not stop the reader's export thread either.
            result = ExportResult.Failure;
        }
        if (result == ExportResult.Success)
        {
            outage?.Succeeded();
        }
        else
        {
            metrics.MetricExportFailures.Inc();
            outage?.Failed();
        }
        return result;
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) => inner.ForceFlush(timeoutMilliseconds);

    protected override bool OnShutdown(int timeoutMilliseconds) => inner.Shutdown(timeoutMilliseconds);

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    private void HandOnParentProvider()
    {
        if (_parentHandedOn || ParentProvider is null) return;
        _parentHandedOn = true;
        if (inner.ParentProvider is null) ParentProviderProperty?.SetValue(inner, ParentProvider);
    }
}
