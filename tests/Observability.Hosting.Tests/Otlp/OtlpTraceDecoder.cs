using System.Globalization;

namespace Observability.Hosting.Tests.Otlp;

/// <summary>
/// Decodes <c>ExportTraceServiceRequest</c> with field numbers from the OTLP protos
/// (opentelemetry/proto/collector/trace/v1, trace/v1, common/v1, resource/v1). Attribute values are
/// rendered as strings (ints and doubles invariant, bools lower-case).
/// </summary>
internal static class OtlpTraceDecoder
{
    public static List<ReceivedSpan> Decode(ReadOnlySpan<byte> request)
    {
        var spans = new List<ReceivedSpan>();
        var reader = new ProtoWireReader(request);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == 2) ReadResourceSpans(reader.ReadBytes(), spans); // resource_spans
            else reader.Skip(wire);
        }
        return spans;
    }

    private static void ReadResourceSpans(ReadOnlySpan<byte> data, List<ReceivedSpan> spans)
    {
        var resource = new Dictionary<string, string>();
        var scopeSpans = new List<byte[]>();
        var reader = new ProtoWireReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == 2) ReadResource(reader.ReadBytes(), resource); // resource
            else if (field == 2 && wire == 2) scopeSpans.Add(reader.ReadBytes().ToArray()); // scope_spans
            else reader.Skip(wire);
        }
        foreach (var scope in scopeSpans) ReadScopeSpans(scope, resource, spans);
    }

    private static void ReadResource(ReadOnlySpan<byte> data, Dictionary<string, string> resource)
    {
        var reader = new ProtoWireReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == 2) AddKeyValue(reader.ReadBytes(), resource); // attributes
            else reader.Skip(wire);
        }
    }

    private static void ReadScopeSpans(ReadOnlySpan<byte> data, Dictionary<string, string> resource, List<ReceivedSpan> spans)
    {
        var scopeName = "";
        var spanMessages = new List<byte[]>();
        var reader = new ProtoWireReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == 2) scopeName = ReadScopeName(reader.ReadBytes()); // scope
            else if (field == 2 && wire == 2) spanMessages.Add(reader.ReadBytes().ToArray()); // spans
            else reader.Skip(wire);
        }
        foreach (var span in spanMessages) spans.Add(ReadSpan(span, scopeName, resource));
    }

    private static string ReadScopeName(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoWireReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == 2) return reader.ReadString();
            reader.Skip(wire);
        }
        return "";
    }

    private static ReceivedSpan ReadSpan(ReadOnlySpan<byte> data, string scopeName, Dictionary<string, string> resource)
    {
        string traceId = "", spanId = "", parentId = "", name = "";
        var kind = 0;
        var attributes = new Dictionary<string, string>();
        var reader = new ProtoWireReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2: traceId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 2 when wire == 2: spanId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 4 when wire == 2: parentId = Convert.ToHexStringLower(reader.ReadBytes()); break;
                case 5 when wire == 2: name = reader.ReadString(); break;
                case 6 when wire == 0: kind = (int)reader.ReadVarint(); break;
                case 9 when wire == 2: AddKeyValue(reader.ReadBytes(), attributes); break;
                default: reader.Skip(wire); break;
            }
        }
        return new ReceivedSpan(traceId, spanId, parentId, name, kind, scopeName, attributes, resource);
    }

    private static void AddKeyValue(ReadOnlySpan<byte> data, Dictionary<string, string> target)
    {
        string key = "", value = "";
        var reader = new ProtoWireReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == 2) key = reader.ReadString();
            else if (field == 2 && wire == 2) value = ReadAnyValue(reader.ReadBytes());
            else reader.Skip(wire);
        }
        target[key] = value;
    }

    private static string ReadAnyValue(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoWireReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2: return reader.ReadString();
                case 2 when wire == 0: return reader.ReadVarint() != 0 ? "true" : "false";
                case 3 when wire == 0: return ((long)reader.ReadVarint()).ToString(CultureInfo.InvariantCulture);
                case 4 when wire == 1: return BitConverter.UInt64BitsToDouble(reader.ReadFixed64()).ToString(CultureInfo.InvariantCulture);
                default: reader.Skip(wire); break;
            }
        }
        return "";
    }
}
