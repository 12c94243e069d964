using System.Text;

namespace Stack.Tests.Implementation;

/// <summary>The few protobuf encodings a remote-write request needs (varint, zigzag, double, length-delimited).</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter UInt64(int field, ulong value)
    {
        Tag(field, 0);
        Varint(value);
        return this;
    }

    public ProtoWriter Int64(int field, long value) => UInt64(field, unchecked((ulong)value));

    public ProtoWriter SInt64(int field, long value) => UInt64(field, unchecked((ulong)((value << 1) ^ (value >> 63))));

    public ProtoWriter Double(int field, double value)
    {
        Tag(field, 1);
        _buffer.Write(BitConverter.GetBytes(value));
        return this;
    }

    private ProtoWriter Bytes(int field, byte[] bytes)
    {
        Tag(field, 2);
        Varint((ulong)bytes.Length);
        _buffer.Write(bytes);
        return this;
    }

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
