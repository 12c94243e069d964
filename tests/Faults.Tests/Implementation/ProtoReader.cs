namespace Faults.Tests.Implementation;

/// <summary>
/// A minimal protobuf wire-format reader: enough to walk OTLP, Pyroscope push and pprof messages by field number
/// without generated code. Unknown fields are skipped, as the wire format allows.
/// </summary>
internal static class ProtoReader
{
    /// <summary>One field of a message: its number, wire type and either a varint value or a byte slice.</summary>
    public readonly record struct Field(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Bytes);

    public static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message.Span, ref position);
            var number = (int)(key >> 3);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    yield return new Field(number, wireType, ReadVarint(message.Span, ref position), default);
                    break;
                case 1:
                    yield return new Field(number, wireType, BitConverter.ToUInt64(message.Span.Slice(position, 8)), default);
                    position += 8;
                    break;
                case 2:
                    var length = checked((int)ReadVarint(message.Span, ref position));
                    yield return new Field(number, wireType, 0, message.Slice(position, length));
                    position += length;
                    break;
                case 5:
                    yield return new Field(number, wireType, BitConverter.ToUInt32(message.Span.Slice(position, 4)), default);
                    position += 4;
                    break;
                default:
                    throw new FormatException($"unsupported wire type {wireType} for field {number} at {position}");
            }
        }
    }

    public static IEnumerable<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> message, int number) =>
        Fields(message).Where(f => f.Number == number && f.WireType == 2).Select(f => f.Bytes);

    public static string? String(ReadOnlyMemory<byte> message, int number) =>
        Fields(message).Where(f => f.Number == number && f.WireType == 2)
            .Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes.Span)).LastOrDefault();

    public static ulong Varint(ReadOnlyMemory<byte> message, int number) =>
        Fields(message).Where(f => f.Number == number && f.WireType == 0).Select(f => f.Varint).LastOrDefault();

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = span[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("varint longer than 10 bytes");
    }
}
