namespace Observability.Reports.Tests.RealApi;

/// <summary>A span as the service exported it over OTLP.</summary>
public sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, long StartUnixNano, long EndUnixNano,
    IReadOnlyDictionary<string, string> Attributes)
{
    public long DurationNanos => EndUnixNano - StartUnixNano;
}
