using System.Buffers.Binary;
using System.Text;

namespace GenStats.Models;

/// <summary>
/// A minimal protocol-buffers wire-format writer (varints, 32-bit floats and length-delimited
/// fields, https://protobuf.dev/programming-guides/encoding/): enough to write an ONNX ModelProto
/// without generated classes. Nested messages are written to their own writer and embedded as bytes.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream stream = new();

    public byte[] ToArray() => stream.ToArray();

    private void Varint(ulong v)
    {
        while (v >= 0x80) { stream.WriteByte((byte)(v | 0x80)); v >>= 7; }
        stream.WriteByte((byte)v);
    }

    // Wire types: 0 varint, 2 length-delimited, 5 32-bit.
    private void Tag(int field, int wire) => Varint((ulong)((field << 3) | wire));

    /// <summary>An int64/int32/enum field (negative values as ten-byte two's complement, as protobuf does).</summary>
    public ProtoWriter Int(int field, long value)
    {
        Tag(field, 0);
        Varint(unchecked((ulong)value));
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        stream.Write(b);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        stream.Write(value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());
}
