using System.Buffers.Binary;
using System.Text.Json;
using GenStats.Tensors;

namespace GenStats.Nn;

/// <summary>One tensor read from a parameter file.</summary>
/// <param name="Name">Its name (dotted module path).</param>
/// <param name="Shape">Its dimensions.</param>
/// <param name="Values">Row-major float32 values.</param>
public sealed record StoredTensor(string Name, int[] Shape, float[] Values);

/// <summary>The content of a parameter file.</summary>
/// <param name="Tensors">The tensors in file order.</param>
/// <param name="Metadata">Free-form string metadata saved with them.</param>
public sealed record ParameterFileContent(IReadOnlyList<StoredTensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// GenStats parameter files (<c>.gsp</c>): named float32 tensors with metadata and a checksum; a
/// plain data format that never executes code on load. The file is a <see cref="ChecksummedContainer"/>
/// (the container of model files too) with magic <c>GSPARAMS</c>.
/// <para>Layout (all integers little-endian):</para>
/// <list type="table">
/// <item><term>0, 8 bytes</term><description>magic <c>GSPARAMS</c> (ASCII)</description></item>
/// <item><term>8, uint32</term><description>format version, currently 1</description></item>
/// <item><term>12, uint32</term><description>header length H in bytes</description></item>
/// <item><term>16, H bytes</term><description>UTF-8 JSON header
///   <c>{"tensors":[{"name":"0.weight","shape":[3,128]},…],"metadata":{"key":"value",…}}</c></description></item>
/// <item><term>16+H</term><description>the tensors' values in header order: float32 little-endian,
///   row-major, no padding (4·Σ size bytes)</description></item>
/// <item><term>last 32 bytes</term><description>SHA-256 of every preceding byte</description></item>
/// </list>
/// <para>Any change to the file — one flipped byte anywhere, truncation, trailing bytes — makes
/// <see cref="Load"/> throw <see cref="InvalidDataException"/> with the reason. Files are written
/// to a temporary file in the same folder and renamed over the target, so a crash never leaves a
/// half-written file (<see cref="AtomicFile"/>).</para>
/// </summary>
public static class ParameterFile
{
    /// <summary>The 8 magic bytes at the start of every file.</summary>
    public const string Magic = "GSPARAMS";

    /// <summary>The format version this code writes and reads.</summary>
    public const int Version = 1;

    // Magic, version (the container's) and the header length.
    private const int PrefixLength = ChecksummedContainer.BodyStart + 4;

    private sealed class HeaderTensor
    {
        public string Name { get; set; } = "";
        public int[] Shape { get; set; } = [];
    }

    private sealed class Header
    {
        public List<HeaderTensor> Tensors { get; set; } = new();
        public Dictionary<string, string> Metadata { get; set; } = new();
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes named tensors (and optional metadata) atomically to <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">Duplicate or empty names.</exception>
    public static void Save(string path, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(tensors, metadata);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The file image of named tensors and metadata.</summary>
    public static byte[] ToBytes(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>();
        var header = new Header { Metadata = metadata?.ToDictionary(kv => kv.Key, kv => kv.Value) ?? new() };
        long dataBytes = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (string.IsNullOrEmpty(t.Name)) throw new ArgumentException($"tensors[{i}] has an empty name.", nameof(tensors));
            if (!names.Add(t.Name)) throw new ArgumentException($"tensors[{i}] repeats the name '{t.Name}'.", nameof(tensors));
            header.Tensors.Add(new HeaderTensor { Name = t.Name, Shape = t.Tensor.Shape.ToArray() });
            dataBytes += 4L * t.Tensor.Size;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        return ChecksummedContainer.Seal(Magic, Version, 4 + json.Length + dataBytes, body =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)json.Length);
            json.CopyTo(body[4..]);
            int pos = 4 + json.Length;
            foreach (var t in tensors)
            {
                foreach (var v in t.Tensor.ToArray())
                {
                    BinaryPrimitives.WriteSingleLittleEndian(body[pos..], v);
                    pos += 4;
                }
            }
        });
    }

    /// <summary>Reads and verifies a parameter file.</summary>
    /// <exception cref="InvalidDataException">Not a parameter file, unsupported version, corrupt or truncated.</exception>
    public static ParameterFileContent Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FromBytes(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses and verifies a file image; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid parameter file.</exception>
    public static ParameterFileContent FromBytes(byte[] bytes, string source = "parameter data")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        InvalidDataException Bad(string why) => new($"{source} is not a valid GenStats parameter file: {why}");
        int body = ChecksummedContainer.Open(bytes, Magic, Version, Bad);
        if (body < PrefixLength) throw Bad("the file ends inside the header length.");
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        if (headerLength > (uint)(body - PrefixLength))
            throw Bad($"the header length {headerLength} exceeds the file.");
        Header? header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(bytes.AsSpan(PrefixLength, (int)headerLength), Json);
        }
        catch (JsonException e)
        {
            throw Bad($"the JSON header cannot be parsed ({e.Message}).");
        }
        if (header is null) throw Bad("the JSON header is empty.");
        int pos = PrefixLength + (int)headerLength;
        var tensors = new List<StoredTensor>();
        var names = new HashSet<string>();
        foreach (var h in header.Tensors)
        {
            if (string.IsNullOrEmpty(h.Name) || !names.Add(h.Name)) throw Bad($"tensor name '{h.Name}' is empty or repeated.");
            if (h.Shape is null || h.Shape.Length > Shape.MaxRank || h.Shape.Any(d => d < 0))
                throw Bad($"tensor '{h.Name}' has an invalid shape.");
            long size = h.Shape.Aggregate(1L, (a, d) => a * d);
            if (size * 4 > body - pos) throw Bad($"tensor '{h.Name}' needs {size * 4} bytes but only {body - pos} remain.");
            var values = new float[size];
            for (int i = 0; i < values.Length; i++, pos += 4) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(pos));
            tensors.Add(new StoredTensor(h.Name, h.Shape, values));
        }
        if (pos != body) throw Bad($"{body - pos} bytes follow the last tensor.");
        return new ParameterFileContent(tensors, header.Metadata ?? new());
    }
}
