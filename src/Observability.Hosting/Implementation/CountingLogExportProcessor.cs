using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The bounded log export: the SDK's batch processor (which owns the pooled <see cref="LogRecord"/>s' lifetime
/// and exports on its own thread, off the request path) with the counts the SDK keeps internal. At most
/// <see cref="OtlpExportOptions.MaxQueueSize"/> records are queued or in flight; beyond that a record is
/// dropped and counted before it reaches the SDK's queue, so the SDK never drops uncounted. Each batch's outcome is
/// counted by <see cref="CountingExporter{T}"/>, as for spans and metrics.
/// </summary>
internal sealed class CountingLogExportProcessor : BatchLogRecordExportProcessor
{
    private readonly PendingCount _pending;
    private readonly ExportCounts _counts;
    private readonly DuplicateExportGuard<LogRecord>? _duplicates;

    public CountingLogExportProcessor(
        BaseExporter<LogRecord> exporter, ExportCounts counts, OtlpExportOptions options, ExportOutageLog? outage = null,
        DuplicateExportGuard<LogRecord>? duplicates = null)
        : this(new PendingCount(options.MaxQueueSize), exporter, counts, options, outage, duplicates)
    {
    }

    private CountingLogExportProcessor(
        PendingCount pending, BaseExporter<LogRecord> exporter, ExportCounts counts, OtlpExportOptions options, ExportOutageLog? outage,
        DuplicateExportGuard<LogRecord>? duplicates)
        : base(
            // The same counting exporter as spans and metrics; it also gives back the queue capacity of each finished batch.
            new CountingExporter<LogRecord>(exporter, counts, outage, duplicates, pending.Remove),
            options.MaxQueueSize,
            (int)options.ScheduledDelay.TotalMilliseconds,
            (int)options.ExportTimeout.TotalMilliseconds,
            options.MaxExportBatchSize)
    {
        _pending = pending;
        _counts = counts;
        _duplicates = duplicates;
    }

    public override void OnEnd(LogRecord data)
    {
        // The app's own exporter sends to the same URL: it exports every record, the kit none.
        if (_duplicates is { Stopped: true }) return;
        if (!_pending.TryAdd())
        {
            _counts.Dropped(1);
            return;
        }
        base.OnEnd(data);
    }

    /// <summary>Records accepted and not yet exported or failed (queued plus in flight).</summary>
    internal sealed class PendingCount(int capacity)
    {
        private int _count;

        public bool TryAdd()
        {
            if (Interlocked.Increment(ref _count) <= capacity) return true;
            Interlocked.Decrement(ref _count);
            return false;
        }

        public void Remove(int count) => Interlocked.Add(ref _count, -count);
    }
}
