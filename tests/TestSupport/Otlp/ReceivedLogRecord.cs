namespace TestSupport.Otlp;

/// <summary>
/// One log record as an exporter sent it (decoded from an OTLP <c>ExportLogsServiceRequest</c> by
/// <see cref="OtlpLogDecoder"/>). Ids are lower-case hex (empty when the record has none); the body is rendered as
/// text by <see cref="OtlpAttributes"/>; for .NET <c>ILogger</c> records, the scope is the logger category.
/// </summary>
public sealed record ReceivedLogRecord : ReceivedItem
{
    public required string TraceId { get; init; }

    public required string SpanId { get; init; }

    /// <summary>The OTLP <c>SeverityNumber</c> (9 = INFO, 13 = WARN, 17 = ERROR).</summary>
    public required int SeverityNumber { get; init; }

    public required string SeverityText { get; init; }

    public required string Body { get; init; }

    public required long TimeUnixNano { get; init; }
}
