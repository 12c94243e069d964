namespace Observability.Reports.Implementation;

/// <summary>A trace from Tempo's search answer, with the spans of its matching span sets.</summary>
internal sealed record TempoTrace(
    string TraceId, string RootServiceName, string RootTraceName, long StartTimeUnixNano, double DurationMs, IReadOnlyList<TempoSpan> Spans);

/// <summary>A span from a search answer: only what the search returns (name, times, selected attributes).</summary>
internal sealed record TempoSpan(string SpanId, string Name, long StartTimeUnixNano, long DurationNanos, IReadOnlyDictionary<string, string> Attributes);
