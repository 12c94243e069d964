namespace TestSupport;

/// <summary>
/// One field of a protobuf message: its number, its wire type, and either its scalar value (varint, fixed64 or
/// fixed32, as read) or its bytes (length-delimited: a string, bytes, a sub-message or a packed array).
/// </summary>
public readonly record struct ProtoField(int Number, int WireType, ulong Scalar, ReadOnlyMemory<byte> Bytes)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    public string AsString() => System.Text.Encoding.UTF8.GetString(Bytes.Span);
}
