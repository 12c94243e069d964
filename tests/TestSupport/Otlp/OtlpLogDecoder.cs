namespace TestSupport.Otlp;

/// <summary>
/// Decodes an OTLP <c>ExportLogsServiceRequest</c> with the field numbers of the OTLP protos
/// (opentelemetry-proto collector/logs/v1/logs_service.proto, logs/v1/logs.proto): request{1 resource_logs} →
/// ResourceLogs{1 resource, 2 scope_logs} → ScopeLogs{1 scope, 2 log_records} (<see cref="OtlpEnvelope"/>) →
/// LogRecord{1 time_unix_nano (fixed64), 2 severity_number, 3 severity_text, 5 body (AnyValue), 6 attributes, 8 flags,
/// 9 trace_id, 10 span_id, 11 observed_time_unix_nano}.
/// </summary>
public static class OtlpLogDecoder
{
    public static List<ReceivedLogRecord> Decode(ReadOnlyMemory<byte> request) =>
        OtlpEnvelope.Items(request).Select(item => new ReceivedLogRecord
        {
            TimeUnixNano = (long)ProtoReader.Fixed64(item.Item, 1),
            SeverityNumber = (int)ProtoReader.Varint(item.Item, 2),
            SeverityText = ProtoReader.String(item.Item, 3) ?? "",
            Body = OtlpAttributes.AnyValue(ProtoReader.Bytes(item.Item, 5)),
            Attributes = OtlpAttributes.Read(item.Item, 6),
            TraceId = Convert.ToHexStringLower(ProtoReader.Bytes(item.Item, 9).Span),
            SpanId = Convert.ToHexStringLower(ProtoReader.Bytes(item.Item, 10).Span),
            ScopeName = item.ScopeName,
            Resource = item.Resource,
        }).ToList();
}
