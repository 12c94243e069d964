using Observability.Profiling;
using System.Diagnostics;
using Prometheus;

namespace Observability.Hosting.Implementation;

/// <summary>Exemplars that point at a span: only for sampled spans, since unsampled ones never reach a backend.</summary>
internal static class ExemplarFactory
{
    private static readonly Exemplar.LabelKey TraceIdKey = Exemplar.Key(TelemetryNames.TraceIdLabel);
    private static readonly Exemplar.LabelKey SpanIdKey = Exemplar.Key(TelemetryNames.SpanIdLabel);

    public static Exemplar For(Activity? activity)
    {
        if (activity is null || !activity.Recorded) return Exemplar.None;
        var traceId = TraceIdKey.WithValue(activity.TraceId.ToHexString());
        var spanId = SpanIdKey.WithValue(activity.SpanId.ToHexString());
        return Exemplar.From(traceId, spanId);
    }
}
