using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GenStats.Numerics;

/// <summary>
/// The checksummed container shared by GenStats model files (<c>.gsm</c>) and parameter files
/// (<c>.gsp</c>). Layout, all integers little-endian:
/// <code>
///  8 bytes  magic (ASCII, names the format: "GSMODEL\0", "GSPARAMS")
///  u32      format version
///  …        the format's body
///  32 bytes SHA-256 of every byte before it
/// </code>
/// Any change — one flipped byte, truncation, trailing bytes — fails <see cref="Open"/>. Nothing
/// here interprets the body; each format parses its own.
/// </summary>
internal static class ChecksummedContainer
{
    /// <summary>Length of the magic.</summary>
    public const int MagicLength = 8;

    /// <summary>Offset of the body: after the magic and the version.</summary>
    public const int BodyStart = MagicLength + 4;

    /// <summary>Length of the trailing SHA-256.</summary>
    public const int ChecksumLength = 32;

    /// <summary>Fills the body span it is given (exactly the declared body length).</summary>
    public delegate void BodyWriter(Span<byte> body);

    /// <summary>
    /// The file image: magic, version, the <paramref name="bodyLength"/> bytes that
    /// <paramref name="writeBody"/> fills in, and the checksum.
    /// </summary>
    /// <exception cref="ArgumentException">The image would exceed 2 GiB − 1.</exception>
    public static byte[] Seal(string magic, uint version, long bodyLength, BodyWriter writeBody)
    {
        if (magic.Length != MagicLength) throw new ArgumentException($"a container magic has {MagicLength} characters, not {magic.Length}.", nameof(magic));
        long total = BodyStart + bodyLength + ChecksumLength;
        if (bodyLength < 0 || total > int.MaxValue)
            throw new ArgumentException($"the content needs {total} bytes; at most {int.MaxValue} are supported.", nameof(bodyLength));
        var buf = new byte[total];
        Encoding.ASCII.GetBytes(magic, buf.AsSpan(0, MagicLength));
        BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(MagicLength), version);
        writeBody(buf.AsSpan(BodyStart, (int)bodyLength));
        int end = BodyStart + (int)bodyLength;
        SHA256.HashData(buf.AsSpan(0, end), buf.AsSpan(end, ChecksumLength));
        return buf;
    }

    /// <summary>
    /// Verifies magic, version and checksum of a file image and returns the end of its body (the
    /// body is <c>bytes[BodyStart..end]</c>); every failure is reported through
    /// <paramref name="bad"/>, which names the file and the format.
    /// </summary>
    public static int Open(byte[] bytes, string magic, uint version, Func<string, InvalidDataException> bad)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < MagicLength || Encoding.ASCII.GetString(bytes, 0, MagicLength) != magic)
            throw bad($"the first {MagicLength} bytes are not the magic \"{Printable(magic)}\".");
        if (bytes.Length < BodyStart + ChecksumLength)
            throw bad($"the file is truncated ({bytes.Length} bytes, fewer than the {BodyStart + ChecksumLength} of an empty container).");
        uint found = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(MagicLength));
        if (found != version)
            throw bad($"format version {found} is not supported; this build reads version {version}.");
        int end = bytes.Length - ChecksumLength;
        Span<byte> hash = stackalloc byte[ChecksumLength];
        SHA256.HashData(bytes.AsSpan(0, end), hash);
        if (!hash.SequenceEqual(bytes.AsSpan(end, ChecksumLength)))
            throw bad("the SHA-256 checksum does not match the content: the file is corrupt or truncated.");
        return end;
    }

    private static string Printable(string magic) => magic.Replace("\0", "\\0", StringComparison.Ordinal);
}
