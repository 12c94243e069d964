using System.Buffers;
using System.Text;

namespace Observability.Profiling.Implementation.Protobuf;

/// <summary>
/// A minimal protobuf wire-format writer (varints and length-delimited fields), enough for pprof and
/// Pyroscope's PushRequest. Nested messages are written into their own writer and copied in.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public ProtoWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void Clear() => _buffer.Clear();

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _buffer.Advance(i);
    }

    private void WriteTag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    /// <summary>An int64/uint64 field (wire type 0); zero is skipped as proto3 does.</summary>
    public void WriteInt64(int field, long value)
    {
        if (value == 0) return;
        WriteTag(field, 0);
        WriteVarint((ulong)value);
    }

    public void WriteUInt64(int field, ulong value)
    {
        if (value == 0) return;
        WriteTag(field, 0);
        WriteVarint(value);
    }

    public void WriteBool(int field, bool value)
    {
        if (!value) return;
        WriteTag(field, 0);
        WriteVarint(1);
    }

    /// <summary>A packed repeated varint field.</summary>
    public void WritePacked(int field, ReadOnlySpan<ulong> values)
    {
        if (values.IsEmpty) return;
        var size = 0;
        foreach (var v in values) size += VarintSize(v);
        WriteTag(field, 2);
        WriteVarint((ulong)size);
        foreach (var v in values) WriteVarint(v);
    }

    public void WritePacked(int field, ReadOnlySpan<long> values)
    {
        if (values.IsEmpty) return;
        var size = 0;
        foreach (var v in values) size += VarintSize((ulong)v);
        WriteTag(field, 2);
        WriteVarint((ulong)size);
        foreach (var v in values) WriteVarint((ulong)v);
    }

    /// <summary>A string field; always written (repeated string tables need empty entries).</summary>
    public void WriteString(int field, string value)
    {
        WriteTag(field, 2);
        var count = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)count);
        var span = _buffer.GetSpan(count);
        Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(count);
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, 2);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A nested message already encoded in <paramref name="message"/>.</summary>
    public void WriteMessage(int field, ProtoWriter message) => WriteBytes(field, message.WrittenSpan);

    private static int VarintSize(ulong v)
    {
        var n = 1;
        while (v >= 0x80)
        {
            v >>= 7;
            n++;
        }
        return n;
    }
}
