using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Observability.Hosting.Implementation;

/// <summary>
/// A bounded batching export processor that counts what happens to every span: exported, dropped because
/// the queue was full, dropped because the export failed. The SDK's batch processor keeps those counts
/// internal, and a backend outage must be visible in the app's own metrics. Export runs on one background
/// thread; <see cref="OnEnd"/> never blocks.
/// </summary>
internal sealed class CountingBatchExportProcessor : BaseExportProcessor<Activity>
{
    private readonly HostingMetrics metrics;
    private readonly int maxQueueSize;
    private readonly int maxBatchSize;
    private readonly TimeSpan delay;
    private readonly ConcurrentQueue<Activity> queue = new();
    private readonly AutoResetEvent wake = new(false);
    private readonly object progressLock = new();
    private readonly Thread worker;
    private int queued;
    private long enqueuedTotal;
    private long handledTotal;
    private volatile bool stopping;

    public CountingBatchExportProcessor(BaseExporter<Activity> exporter, HostingMetrics metrics, OtlpExportOptions options)
        : base(exporter)
    {
        this.metrics = metrics;
        maxQueueSize = options.MaxQueueSize;
        maxBatchSize = options.MaxExportBatchSize;
        delay = options.ScheduledDelay;
        worker = new Thread(Run) { IsBackground = true, Name = "Observability span export" };
        worker.Start();
    }

    public override void OnEnd(Activity data)
    {
        if (!data.Recorded) return;
        OnExport(data);
    }

    protected override void OnExport(Activity data)
    {
        if (stopping || Interlocked.Increment(ref queued) > maxQueueSize)
        {
            if (!stopping) Interlocked.Decrement(ref queued);
            metrics.SpansDropped.Inc();
            return;
        }
        Interlocked.Increment(ref enqueuedTotal);
        queue.Enqueue(data);
        if (Volatile.Read(ref queued) >= maxBatchSize) wake.Set();
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        var target = Interlocked.Read(ref enqueuedTotal);
        wake.Set();
        var deadline = timeoutMilliseconds == Timeout.Infinite ? long.MaxValue : Environment.TickCount64 + timeoutMilliseconds;
        lock (progressLock)
        {
            while (Interlocked.Read(ref handledTotal) < target)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0) return false;
                Monitor.Wait(progressLock, (int)Math.Min(left, 1000));
            }
        }
        return exporter.ForceFlush(timeoutMilliseconds);
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var flushed = OnForceFlush(timeoutMilliseconds == Timeout.Infinite ? 5000 : Math.Min(timeoutMilliseconds, 5000));
        stopping = true;
        wake.Set();
        worker.Join(TimeSpan.FromSeconds(1));
        return exporter.Shutdown(timeoutMilliseconds) && flushed;
    }

    private void Run()
    {
        var batch = new Activity[maxBatchSize];
        while (!stopping)
        {
            wake.WaitOne(delay);
            while (!stopping || !queue.IsEmpty)
            {
                var count = 0;
                while (count < batch.Length && queue.TryDequeue(out var item)) batch[count++] = item;
                if (count == 0) break;
                Interlocked.Add(ref queued, -count);
                Export(batch, count);
                Array.Clear(batch, 0, count);
                lock (progressLock)
                {
                    Interlocked.Add(ref handledTotal, count);
                    Monitor.PulseAll(progressLock);
                }
                if (stopping) break;
            }
        }
    }

    private void Export(Activity[] items, int count)
    {
        ExportResult result;
        try
        {
            result = exporter.Export(new Batch<Activity>(items, count));
        }
        catch (Exception)
        {
            // An exporter must not throw, but a broken one must not stop the export thread either.
            result = ExportResult.Failure;
        }
        if (result == ExportResult.Success)
        {
            metrics.SpansExported.Inc(count);
        }
        else
        {
            metrics.TraceExportFailures.Inc();
            metrics.SpansDropped.Inc(count);
        }
    }
}
