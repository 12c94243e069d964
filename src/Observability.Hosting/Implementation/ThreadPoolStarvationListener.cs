using System.Diagnostics.Tracing;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Counts the runtime's thread-pool adjustments made for starvation (event ThreadPoolWorkerThreadAdjustment-
/// Adjustment, reason 6 = Starvation): the .NET counterpart of an event-loop delay. One listener per process,
/// since starvation is a process-wide fact; only the low-volume Threading keyword is enabled.
/// </summary>
internal sealed class ThreadPoolStarvationListener : EventListener
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords ThreadingKeyword = (EventKeywords)0x10000;
    private const int AdjustmentEventId = 55;
    private const uint StarvationReason = 6;

    private static readonly Lock StartLock = new();
    private static ThreadPoolStarvationListener? _instance;
    private static long _starvationCount;

    public static long StarvationCount => Interlocked.Read(ref _starvationCount);

    public static void EnsureStarted()
    {
        lock (StartLock)
        {
            _instance ??= new ThreadPoolStarvationListener();
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider)
            EnableEvents(eventSource, EventLevel.Informational, ThreadingKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AdjustmentEventId || eventData.Payload is null || eventData.PayloadNames is null)
            return;
        var index = eventData.PayloadNames.IndexOf("Reason");
        if (index >= 0 && index < eventData.Payload.Count && Convert.ToUInt32(eventData.Payload[index], System.Globalization.CultureInfo.InvariantCulture) == StarvationReason)
            Interlocked.Increment(ref _starvationCount);
    }
}
