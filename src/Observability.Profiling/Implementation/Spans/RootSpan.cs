using System.Diagnostics;

namespace Observability.Profiling.Implementation.Spans;

/// <summary>A local-root span as the sampler sees it: ids in hex and the load-test labels read lazily.</summary>
internal sealed class RootSpan
{
    public RootSpan(Activity activity)
    {
        Activity = activity;
        SpanId = activity.SpanId.ToHexString();
        TraceId = activity.TraceId.ToHexString();
    }

    public Activity Activity { get; }

    public string SpanId { get; }

    public string TraceId { get; }

    /// <summary>
    /// Stopwatch timestamp of the span's end, 0 while it runs. Threads that inherited the request's
    /// execution context (a thread started during it) keep the value after the end; samples taken
    /// after this instant no longer belong to the span.
    /// </summary>
    public long EndTimestamp
    {
        get => Volatile.Read(ref _endTimestamp);
        set => Volatile.Write(ref _endTimestamp, value);
    }

    private long _endTimestamp;

    public bool EndedBefore(long timestamp)
    {
        var end = Volatile.Read(ref _endTimestamp);
        return end != 0 && timestamp > end;
    }

    /// <summary>Set when a CPU sample of the perf sampler was attributed to this span (it then links to its profile).</summary>
    public bool Sampled
    {
        get => Volatile.Read(ref _sampled);
        set => Volatile.Write(ref _sampled, value);
    }

    private bool _sampled;

    /// <summary>The hosting package may attach the labels after the span started, so read them late.</summary>
    public LoadTestLabels? LoadTest => Activity.GetCustomProperty(LoadTestLabels.ActivityPropertyName) as LoadTestLabels;
}
