using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Wraps the OTLP log exporter to count exported records and failed exports, and to release queue capacity
/// (<see cref="CountingLogExportProcessor.PendingCount"/>) once a batch is done, whatever its outcome.
/// </summary>
internal sealed class CountingLogExporter(
    BaseExporter<LogRecord> inner, CountingLogExportProcessor.PendingCount pending, HostingMetrics metrics, ExportOutageLog? outage = null,
    DuplicateExportGuard<LogRecord>? duplicates = null) : BaseExporter<LogRecord>
{
    // The OTLP exporter reads the resource (service.name, …) from its ParentProvider, whose setter the SDK keeps
    // internal and sets only on the exporter a processor holds: this wrapper. It is handed on once, by
    // reflection on the pinned SDK; the exported-logs test checks service.name, so an SDK change cannot go unseen.
    private static readonly PropertyInfo? ParentProviderProperty =
        typeof(BaseExporter<LogRecord>).GetProperty(nameof(ParentProvider), BindingFlags.Instance | BindingFlags.Public);

    private bool _parentHandedOn;

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        var count = (int)batch.Count;
        // Decided before the first batch leaves; records queued before the decision are the app's exporter's to send.
        if (duplicates?.Decide() == true)
        {
            pending.Remove(count);
            return ExportResult.Success;
        }
        ExportResult result;
        try
        {
            HandOnParentProvider();
            result = inner.Export(batch);
        }
        catch (Exception)
        {
            // An exporter must not throw, but a broken one must not stop the SDK's export thread either.
            result = ExportResult.Failure;
        }
        finally
        {
            pending.Remove(count);
        }
        if (result == ExportResult.Success)
        {
            metrics.LogsExported.Inc(count);
            outage?.Succeeded();
        }
        else
        {
            metrics.LogExportFailures.Inc();
            metrics.LogsDropped.Inc(count);
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
