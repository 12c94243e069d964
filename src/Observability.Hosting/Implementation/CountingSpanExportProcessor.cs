using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Observability.Hosting.Implementation;

/// <summary>
/// A bounded batching export processor for spans: at most <see cref="OtlpExportOptions.MaxQueueSize"/> spans are queued
/// or in flight; beyond that a span is dropped and counted. The SDK's batch processor keeps its drops internal, and a
/// backend outage must be visible in the app's own metrics. Export runs on one background thread, through a
/// <see cref="CountingExporter{T}"/> that counts each batch's outcome; <see cref="OnEnd"/> never blocks.
/// </summary>
internal sealed class CountingSpanExportProcessor : BaseExportProcessor<Activity>
{
    private readonly ExportCounts _counts;
    private readonly DuplicateExportGuard<Activity>? _duplicates;
    private readonly int _maxQueueSize;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _delay;
    private readonly ConcurrentQueue<Activity> _queue = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly object _progressLock = new();
    private readonly Thread _worker;
    private int _queued;
    private long _enqueuedTotal;
    private long _handledTotal;
    private volatile bool _stopping;

    public CountingSpanExportProcessor(
        BaseExporter<Activity> exporter, ExportCounts counts, OtlpExportOptions options, ExportOutageLog? outage = null,
        DuplicateExportGuard<Activity>? duplicates = null)
        : base(new CountingExporter<Activity>(exporter, counts, outage, duplicates))
    {
        _counts = counts;
        _duplicates = duplicates;
        _maxQueueSize = options.MaxQueueSize;
        _maxBatchSize = options.MaxExportBatchSize;
        _delay = options.ScheduledDelay;
        _worker = new Thread(Run) { IsBackground = true, Name = "Observability span export" };
        _worker.Start();
    }

    public override void OnEnd(Activity data)
    {
        // The app's own exporter sends to the same URL: it exports every span, the kit none.
        if (!data.Recorded || _duplicates is { Stopped: true }) return;
        OnExport(data);
    }

    protected override void OnExport(Activity data)
    {
        if (_stopping || Interlocked.Increment(ref _queued) > _maxQueueSize)
        {
            if (!_stopping) Interlocked.Decrement(ref _queued);
            _counts.Dropped(1);
            return;
        }
        Interlocked.Increment(ref _enqueuedTotal);
        _queue.Enqueue(data);
        if (Volatile.Read(ref _queued) >= _maxBatchSize) _wake.Set();
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        var target = Interlocked.Read(ref _enqueuedTotal);
        _wake.Set();
        var deadline = timeoutMilliseconds == Timeout.Infinite ? long.MaxValue : Environment.TickCount64 + timeoutMilliseconds;
        lock (_progressLock)
        {
            while (Interlocked.Read(ref _handledTotal) < target)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0) return false;
                Monitor.Wait(_progressLock, (int)Math.Min(left, 1000));
            }
        }
        return exporter.ForceFlush(timeoutMilliseconds);
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var flushed = OnForceFlush(timeoutMilliseconds == Timeout.Infinite ? 5000 : Math.Min(timeoutMilliseconds, 5000));
        _stopping = true;
        _wake.Set();
        _worker.Join(TimeSpan.FromSeconds(1));
        return exporter.Shutdown(timeoutMilliseconds) && flushed;
    }

    private void Run()
    {
        var batch = new Activity[_maxBatchSize];
        while (!_stopping)
        {
            _wake.WaitOne(_delay);
            while (!_stopping || !_queue.IsEmpty)
            {
                var count = 0;
                while (count < batch.Length && _queue.TryDequeue(out var item)) batch[count++] = item;
                if (count == 0) break;
                Interlocked.Add(ref _queued, -count);
                Export(batch, count);
                Array.Clear(batch, 0, count);
                lock (_progressLock)
                {
                    Interlocked.Add(ref _handledTotal, count);
                    Monitor.PulseAll(_progressLock);
                }
                if (_stopping) break;
            }
        }
    }

    // The counting exporter counts the outcome, never throws, and skips the batch when the app's exporter sends it.
    private void Export(Activity[] items, int count) => exporter.Export(new Batch<Activity>(items, count));
}
