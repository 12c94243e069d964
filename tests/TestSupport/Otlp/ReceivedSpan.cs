namespace TestSupport.Otlp;

/// <summary>
/// One span as an exporter sent it (decoded from an OTLP <c>ExportTraceServiceRequest</c> by
/// <see cref="OtlpTraceDecoder"/>). Ids are lower-case hex; attribute values are rendered as text by
/// <see cref="OtlpAttributes"/>.
/// </summary>
public sealed record ReceivedSpan
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

    /// <summary>The instrumentation scope (the <c>ActivitySource</c> name).</summary>
    public required string ScopeName { get; init; }

    public required IReadOnlyDictionary<string, string> Attributes { get; init; }

    public required IReadOnlyList<ReceivedSpanEvent> Events { get; init; }

    /// <summary>The attributes of the resource the span was exported under (service.name, ...).</summary>
    public required IReadOnlyDictionary<string, string> Resource { get; init; }

    public long DurationNanos => EndUnixNano - StartUnixNano;

    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}
