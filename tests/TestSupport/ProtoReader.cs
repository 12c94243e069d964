namespace TestSupport;

/// <summary>
/// A minimal protobuf wire-format reader, written from the encoding specification: enough to walk OTLP, Pyroscope
/// push and pprof messages by field number without generated code. Unknown fields are skipped, as the wire format
/// allows; a truncated or malformed message throws <see cref="FormatException"/>.
/// </summary>
public static class ProtoReader
{
    /// <summary>Every field of <paramref name="message"/>, in order (repeated fields appear once per value).</summary>
    public static IEnumerable<ProtoField> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message.Span, ref position);
            var number = (int)(key >> 3);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case ProtoField.Varint:
                    yield return new ProtoField(number, wireType, ReadVarint(message.Span, ref position), default);
                    break;
                case ProtoField.Fixed64:
                    yield return new ProtoField(number, wireType, BitConverter.ToUInt64(Take(message, ref position, 8).Span), default);
                    break;
                case ProtoField.LengthDelimited:
                    var length = checked((int)ReadVarint(message.Span, ref position));
                    yield return new ProtoField(number, wireType, 0, Take(message, ref position, length));
                    break;
                case ProtoField.Fixed32:
                    yield return new ProtoField(number, wireType, BitConverter.ToUInt32(Take(message, ref position, 4).Span), default);
                    break;
                default:
                    throw new FormatException($"unsupported wire type {wireType} for field {number} before offset {position}");
            }
        }
    }

    /// <summary>The bytes of every length-delimited field <paramref name="number"/> (sub-messages, strings, bytes).</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> message, int number) =>
        Fields(message).Where(f => f.Number == number && f.WireType == ProtoField.LengthDelimited).Select(f => f.Bytes);

    /// <summary>Field <paramref name="number"/> as UTF-8 text (the last one wins, as for any non-repeated field), or null.</summary>
    public static string? String(ReadOnlyMemory<byte> message, int number) =>
        Fields(message).Where(f => f.Number == number && f.WireType == ProtoField.LengthDelimited)
            .Select(f => f.AsString()).LastOrDefault();

    /// <summary>Field <paramref name="number"/> as bytes (the last one wins), or empty.</summary>
    public static ReadOnlyMemory<byte> Bytes(ReadOnlyMemory<byte> message, int number) =>
        Messages(message, number).LastOrDefault();

    /// <summary>Varint field <paramref name="number"/> (the last one wins), or 0.</summary>
    public static ulong Varint(ReadOnlyMemory<byte> message, int number) =>
        Scalar(message, number, ProtoField.Varint);

    /// <summary>Fixed64 field <paramref name="number"/> (the last one wins), or 0.</summary>
    public static ulong Fixed64(ReadOnlyMemory<byte> message, int number) =>
        Scalar(message, number, ProtoField.Fixed64);

    private static ulong Scalar(ReadOnlyMemory<byte> message, int number, int wireType) =>
        Fields(message).Where(f => f.Number == number && f.WireType == wireType).Select(f => f.Scalar).LastOrDefault();

    private static ReadOnlyMemory<byte> Take(ReadOnlyMemory<byte> message, ref int position, int length)
    {
        if (length < 0 || position + length > message.Length)
        {
            throw new FormatException($"field of {length} bytes at offset {position} runs past the end ({message.Length})");
        }

        var slice = message.Slice(position, length);
        position += length;
        return slice;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw new FormatException("truncated varint");
            }

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
