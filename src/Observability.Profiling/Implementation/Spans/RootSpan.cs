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

    /// <summary>The hosting package may attach the labels after the span started, so read them late.</summary>
    public LoadTestLabels? LoadTest => Activity.GetCustomProperty(LoadTestLabels.ActivityPropertyName) as LoadTestLabels;
}
