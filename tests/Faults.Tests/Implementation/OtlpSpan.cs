namespace Faults.Tests.Implementation;

/// <summary>A span as decoded from an OTLP ExportTraceServiceRequest (only what the tests look at).</summary>
internal sealed record OtlpSpan(string TraceId, string SpanId, string Name, int Kind, int StatusCode, string StatusMessage,
    IReadOnlyDictionary<string, string> Attributes)
{
    public const int StatusError = 2;

    /// <summary>
    /// Decodes every span of a request: ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) →
    /// ScopeSpans.spans(2) → Span{trace_id 1, span_id 2, name 5, kind 6, attributes 9, events 11, status 15}.
    /// Event attributes are merged into the span's attributes under "event.{name}.{key}".
    /// </summary>
    public static IEnumerable<OtlpSpan> Decode(ReadOnlyMemory<byte> request)
    {
        foreach (var resourceSpans in ProtoReader.Messages(request, 1))
        foreach (var scopeSpans in ProtoReader.Messages(resourceSpans, 2))
        foreach (var span in ProtoReader.Messages(scopeSpans, 2))
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var kv in ProtoReader.Messages(span, 9))
            {
                attributes[ProtoReader.String(kv, 1) ?? ""] = AnyValue(kv);
            }

            foreach (var spanEvent in ProtoReader.Messages(span, 11))
            {
                var eventName = ProtoReader.String(spanEvent, 2) ?? "";
                foreach (var kv in ProtoReader.Messages(spanEvent, 3))
                {
                    attributes[$"event.{eventName}.{ProtoReader.String(kv, 1)}"] = AnyValue(kv);
                }
            }

            var status = ProtoReader.Messages(span, 15).LastOrDefault();
            yield return new OtlpSpan(
                Hex(ProtoReader.Messages(span, 1).FirstOrDefault()),
                Hex(ProtoReader.Messages(span, 2).FirstOrDefault()),
                ProtoReader.String(span, 5) ?? "",
                (int)ProtoReader.Varint(span, 6),
                status.IsEmpty ? 0 : (int)ProtoReader.Varint(status, 3),
                status.IsEmpty ? "" : ProtoReader.String(status, 2) ?? "",
                attributes);
        }
    }

    // AnyValue: string 1, bool 2, int 3, double 4 (fixed64), array 5, kvlist 6, bytes 7.
    private static string AnyValue(ReadOnlyMemory<byte> keyValue)
    {
        var value = ProtoReader.Messages(keyValue, 2).FirstOrDefault();
        foreach (var field in ProtoReader.Fields(value))
        {
            return field.Number switch
            {
                1 => System.Text.Encoding.UTF8.GetString(field.Bytes.Span),
                2 => (field.Varint != 0).ToString(),
                3 => ((long)field.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture),
                4 => BitConverter.UInt64BitsToDouble(field.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => System.Text.Encoding.UTF8.GetString(field.Bytes.Span),
            };
        }

        return "";
    }

    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);
}
