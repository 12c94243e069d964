namespace Observability.Hosting.Tests.Otlp;

/// <summary>
/// A minimal protobuf wire-format reader (varint, fixed64, length-delimited, fixed32), enough to walk OTLP
/// messages field by field. Written from the protobuf encoding specification.
/// </summary>
internal ref struct ProtoWireReader(ReadOnlySpan<byte> _data)
{
    private readonly ReadOnlySpan<byte> _data = _data;
    private int _position;

    public bool TryReadTag(out int field, out int wireType)
    {
        if (_position >= _data.Length)
        {
            field = 0;
            wireType = 0;
            return false;
        }
        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length) throw new FormatException("truncated varint");
            var b = _data[_position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new FormatException("varint too long");
    }

    public ulong ReadFixed64()
    {
        var value = BitConverter.ToUInt64(Take(8));
        return value;
    }

    public uint ReadFixed32() => BitConverter.ToUInt32(Take(4));

    public ReadOnlySpan<byte> ReadBytes() => Take(checked((int)ReadVarint()));

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Take(8); break;
            case 2: ReadBytes(); break;
            case 5: Take(4); break;
            default: throw new FormatException($"unsupported wire type {wireType}");
        }
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || _position + length > _data.Length) throw new FormatException("truncated field");
        var slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }
}
