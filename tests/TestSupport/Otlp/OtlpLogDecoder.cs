namespace TestSupport.Otlp;

/// <summary>
/// Decodes an OTLP <c>ExportLogsServiceRequest</c> with the field numbers of the OTLP protos
/// (opentelemetry-proto collector/logs/v1/logs_service.proto, logs/v1/logs.proto): request{1 resource_logs} →
/// ResourceLogs{1 resource, 2 scope_logs} → ScopeLogs{1 scope, 2 log_records} → LogRecord{1 time_unix_nano
/// (fixed64), 2 severity_number, 3 severity_text, 5 body (AnyValue), 6 attributes, 8 flags, 9 trace_id,
/// 10 span_id, 11 observed_time_unix_nano}.
/// </summary>
public static class OtlpLogDecoder
{
    public static List<ReceivedLogRecord> Decode(ReadOnlyMemory<byte> request)
    {
        var records = new List<ReceivedLogRecord>();
        foreach (var resourceLogs in ProtoReader.Messages(request, 1))
        {
            // Resource{1 attributes}
            var resource = OtlpAttributes.Read(ProtoReader.Bytes(resourceLogs, 1), 1);
            foreach (var scopeLogs in ProtoReader.Messages(resourceLogs, 2))
            {
                // InstrumentationScope{1 name}
                var scopeName = ProtoReader.String(ProtoReader.Bytes(scopeLogs, 1), 1) ?? "";
                foreach (var record in ProtoReader.Messages(scopeLogs, 2))
                {
                    records.Add(new ReceivedLogRecord
                    {
                        TimeUnixNano = (long)ProtoReader.Fixed64(record, 1),
                        SeverityNumber = (int)ProtoReader.Varint(record, 2),
                        SeverityText = ProtoReader.String(record, 3) ?? "",
                        Body = OtlpAttributes.AnyValue(ProtoReader.Bytes(record, 5)),
                        Attributes = OtlpAttributes.Read(record, 6),
                        TraceId = Convert.ToHexStringLower(ProtoReader.Bytes(record, 9).Span),
                        SpanId = Convert.ToHexStringLower(ProtoReader.Bytes(record, 10).Span),
                        ScopeName = scopeName,
                        Resource = resource,
                    });
                }
            }
        }

        return records;
    }
}
