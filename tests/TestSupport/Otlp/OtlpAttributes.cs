using System.Globalization;

namespace TestSupport.Otlp;

/// <summary>
/// Reads OTLP <c>KeyValue</c> lists (common/v1: KeyValue{1 key, 2 AnyValue}) into text, shared by every signal's
/// decoder. AnyValue{1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist, 7 bytes}: numbers invariant, bools
/// lower-case, arrays <c>[a, b]</c>, kvlists <c>{k=v, ...}</c>, bytes as UTF-8 (so a text search still sees them).
/// </summary>
public static class OtlpAttributes
{
    /// <summary>The KeyValue fields <paramref name="number"/> of <paramref name="message"/>, by key (the last one wins).</summary>
    public static Dictionary<string, string> Read(ReadOnlyMemory<byte> message, int number)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in ProtoReader.Messages(message, number))
        {
            attributes[ProtoReader.String(keyValue, 1) ?? ""] = AnyValue(ProtoReader.Bytes(keyValue, 2));
        }

        return attributes;
    }

    /// <summary>An AnyValue message as text; empty when no value is set.</summary>
    public static string AnyValue(ReadOnlyMemory<byte> anyValue)
    {
        var text = "";
        foreach (var field in ProtoReader.Fields(anyValue))
        {
            text = (field.Number, field.WireType) switch
            {
                (1, ProtoField.LengthDelimited) => field.AsString(),
                (2, ProtoField.Varint) => field.Scalar != 0 ? "true" : "false",
                (3, ProtoField.Varint) => ((long)field.Scalar).ToString(CultureInfo.InvariantCulture),
                (4, ProtoField.Fixed64) => BitConverter.UInt64BitsToDouble(field.Scalar).ToString(CultureInfo.InvariantCulture),
                // ArrayValue{1 repeated AnyValue values}
                (5, ProtoField.LengthDelimited) => "[" + string.Join(", ", ProtoReader.Messages(field.Bytes, 1).Select(AnyValue)) + "]",
                // KeyValueList{1 repeated KeyValue values}
                (6, ProtoField.LengthDelimited) => "{" + string.Join(", ", Read(field.Bytes, 1).Select(kv => $"{kv.Key}={kv.Value}")) + "}",
                (7, ProtoField.LengthDelimited) => field.AsString(),
                _ => text,
            };
        }

        return text;
    }
}
