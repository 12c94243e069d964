namespace TestSupport.Otlp;

/// <summary>
/// Decodes an OTLP <c>ExportTraceServiceRequest</c> with the field numbers of the OTLP protos
/// (collector/trace/v1, trace/v1, common/v1, resource/v1): request{1 resource_spans} →
/// ResourceSpans{1 resource, 2 scope_spans} → ScopeSpans{1 scope, 2 spans} (<see cref="OtlpEnvelope"/>) →
/// Span{1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 7 start, 8 end, 9 attributes, 11 events, 15 status}.
/// </summary>
public static class OtlpTraceDecoder
{
    public static List<ReceivedSpan> Decode(ReadOnlyMemory<byte> request) =>
        OtlpEnvelope.Items(request).Select(item => DecodeSpan(item.Item, item.ScopeName, item.Resource)).ToList();

    private static ReceivedSpan DecodeSpan(ReadOnlyMemory<byte> span, string scopeName, IReadOnlyDictionary<string, string> resource)
    {
        // Status{2 message, 3 code}
        var status = ProtoReader.Bytes(span, 15);
        return new ReceivedSpan
        {
            TraceId = Hex(ProtoReader.Bytes(span, 1)),
            SpanId = Hex(ProtoReader.Bytes(span, 2)),
            ParentSpanId = Hex(ProtoReader.Bytes(span, 4)),
            Name = ProtoReader.String(span, 5) ?? "",
            Kind = (int)ProtoReader.Varint(span, 6),
            StartUnixNano = (long)ProtoReader.Fixed64(span, 7),
            EndUnixNano = (long)ProtoReader.Fixed64(span, 8),
            Attributes = OtlpAttributes.Read(span, 9),
            // Event{1 time, 2 name, 3 attributes}
            Events = ProtoReader.Messages(span, 11)
                .Select(e => new ReceivedSpanEvent(ProtoReader.String(e, 2) ?? "", OtlpAttributes.Read(e, 3)))
                .ToList(),
            StatusCode = (int)ProtoReader.Varint(status, 3),
            StatusMessage = ProtoReader.String(status, 2) ?? "",
            ScopeName = scopeName,
            Resource = resource,
        };
    }

    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);
}
