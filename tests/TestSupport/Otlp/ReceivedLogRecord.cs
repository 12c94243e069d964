namespace TestSupport.Otlp;

/// <summary>
/// One log record as an exporter sent it (decoded from an OTLP <c>ExportLogsServiceRequest</c> by
/// <see cref="OtlpLogDecoder"/>). Ids are lower-case hex (empty when the record has none); the body and the
/// attribute values are rendered as text by <see cref="OtlpAttributes"/>.
/// </summary>
public sealed record ReceivedLogRecord
{
    public required string TraceId { get; init; }

    public required string SpanId { get; init; }

    /// <summary>The OTLP <c>SeverityNumber</c> (9 = INFO, 13 = WARN, 17 = ERROR).</summary>
    public required int SeverityNumber { get; init; }

    public required string SeverityText { get; init; }

    public required string Body { get; init; }

    public required long TimeUnixNano { get; init; }

    public required IReadOnlyDictionary<string, string> Attributes { get; init; }

    /// <summary>The instrumentation scope: for .NET <c>ILogger</c> records, the logger category.</summary>
    public required string ScopeName { get; init; }

    public required IReadOnlyDictionary<string, string> Resource { get; init; }

    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}
