namespace TestSupport.Otlp;

/// <summary>
/// One span as an exporter sent it (decoded from an OTLP <c>ExportTraceServiceRequest</c> by
/// <see cref="OtlpTraceDecoder"/>). Ids are lower-case hex; the scope is the <c>ActivitySource</c>.
/// </summary>
public sealed record ReceivedSpan : ReceivedItem
{
    public const int KindServer = 2;
    public const int KindClient = 3;
    public const int StatusUnset = 0;
    public const int StatusOk = 1;
    public const int StatusError = 2;

    public required string TraceId { get; init; }

    public required string SpanId { get; init; }

    /// <summary>Empty for a root span.</summary>
    public required string ParentSpanId { get; init; }

    public required string Name { get; init; }

    /// <summary>The OTLP <c>SpanKind</c> number (see <see cref="KindServer"/>, <see cref="KindClient"/>).</summary>
    public required int Kind { get; init; }

    public required long StartUnixNano { get; init; }

    public required long EndUnixNano { get; init; }

    /// <summary>The OTLP <c>Status.code</c> (see <see cref="StatusError"/>).</summary>
    public required int StatusCode { get; init; }

    public required string StatusMessage { get; init; }

    public required IReadOnlyList<ReceivedSpanEvent> Events { get; init; }

    public long DurationNanos => EndUnixNano - StartUnixNano;
}
