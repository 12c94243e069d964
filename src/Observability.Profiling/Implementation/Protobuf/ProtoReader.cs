using System.Text;

namespace Observability.Profiling.Implementation.Protobuf;

/// <summary>A minimal protobuf wire-format reader over a byte span; throws <see cref="FormatException"/> on malformed input.</summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public bool End => _position >= _data.Length;

    /// <summary>Reads the next tag; returns false at the end of the message.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        if (End)
        {
            field = 0;
            wireType = 0;
            return false;
        }
        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field <= 0) throw new FormatException("protobuf: field number 0");
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length) throw new FormatException("protobuf: truncated varint");
            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new FormatException("protobuf: varint too long");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position)) throw new FormatException("protobuf: length beyond the buffer");
        var slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Reads a repeated varint field that may be packed (wire type 2) or not (wire type 0).</summary>
    public void ReadRepeatedVarint(int wireType, List<ulong> into)
    {
        if (wireType == 0)
        {
            into.Add(ReadVarint());
            return;
        }
        var inner = new ProtoReader(ReadBytes());
        while (!inner.End) into.Add(inner.ReadVarint());
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Advance(8); break;
            case 2: ReadBytes(); break;
            case 5: Advance(4); break;
            default: throw new FormatException($"protobuf: unsupported wire type {wireType}");
        }
    }

    private void Advance(int count)
    {
        if (_position + count > _data.Length) throw new FormatException("protobuf: truncated field");
        _position += count;
    }
}
