namespace Observability.Hosting.Tests.Otlp;

/// <summary>One span as decoded from an OTLP ExportTraceServiceRequest.</summary>
internal sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    string ScopeName,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> Resource)
{
    public const int KindServer = 2;
    public const int KindClient = 3;

    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}
