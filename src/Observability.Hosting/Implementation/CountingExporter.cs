using System.Reflection;
using OpenTelemetry;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Wraps the OTLP exporter of one signal (spans, log records or metrics) to count every batch's outcome
/// (<see cref="ExportCounts"/>), tell the operator of an outage once (<see cref="ExportOutageLog"/>), leave the export to
/// the app's own exporter when <see cref="DuplicateExportGuard{T}"/> says so, and tell the queue in front of it that a
/// batch is done, whatever its outcome. Never throws from <see cref="Export"/>: it runs on an export thread.
/// </summary>
internal sealed class CountingExporter<T>(
    BaseExporter<T> inner, ExportCounts counts, ExportOutageLog? outage = null, DuplicateExportGuard<T>? duplicates = null,
    Action<int>? batchDone = null) : BaseExporter<T>
    where T : class
{
    // The OTLP exporter reads the resource (service.name, …) from its ParentProvider, whose setter the SDK keeps internal
    // and sets only on the exporter a processor or reader holds: this wrapper. It is handed on once, by reflection on the
    // pinned SDK; the export tests check service.name of every signal, so an SDK change cannot go unseen.
    private static readonly PropertyInfo? ParentProviderProperty =
        typeof(BaseExporter<T>).GetProperty(nameof(ParentProvider), BindingFlags.Instance | BindingFlags.Public);

    private bool _parentHandedOn;

    public override ExportResult Export(in Batch<T> batch)
    {
        var count = (int)batch.Count;
        try
        {
            // Decided before the first batch leaves; items queued before the decision are the app's exporter's to send.
            if (duplicates?.Decide() == true) return ExportResult.Success;
            ExportResult result;
            try
            {
                HandOnParentProvider();
                result = inner.Export(batch);
            }
            catch (Exception)
            {
                // An exporter must not throw, but a broken one must not stop the export thread either.
                result = ExportResult.Failure;
            }
            if (result == ExportResult.Success)
            {
                counts.Exported(count);
                outage?.Succeeded();
            }
            else
            {
                counts.Failed(count);
                outage?.Failed();
            }
            return result;
        }
        finally
        {
            batchDone?.Invoke(count);
        }
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
