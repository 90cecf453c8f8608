using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace GenStats.Models.Files;

/// <summary>
/// The one GenStats model file format (".gsm"), shared by every model type: a
/// <see cref="ChecksummedContainer"/> (the container of parameter files too) with magic "GSMODEL\0".
/// Layout, all integers little-endian:
/// <code>
///  8 bytes  magic "GSMODEL\0"
///  u32      format version (1)
///  u32      n = byte length of the JSON header, then n bytes of UTF-8 JSON:
///           {"modelType": "...", "featureNames": [...], "conditionNames": [...], "metadata": {...}}
///  u32      number of arrays, then for each array:
///             u16 name length + UTF-8 name, u8 element type (1 float64, 2 float32, 3 int64),
///             u8 rank, rank × i64 dimensions, then the elements (row-major, little-endian)
///  32 bytes SHA-256 of every byte before it
/// </code>
/// Nothing in a file is executed: the model type only selects a loader registered in
/// <see cref="ModelRegistry"/>. Files are written atomically (<see cref="AtomicFile"/>); a corrupt,
/// truncated or unknown file raises <see cref="InvalidDataException"/> naming the file and the fault.
/// </summary>
public static class ModelFile
{
    /// <summary>The 8 magic bytes every model file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "GSMODEL\0"u8;

    /// <summary>The format version this build writes and reads.</summary>
    public const uint FormatVersion = 1;

    /// <summary>Longest array name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>Highest array rank.</summary>
    public const int MaxRank = 8;

    private const string MagicText = "GSMODEL\0";

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, ModelFileContent content)
    {
        var bytes = ToBytes(content);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>Saves any generator in its own model-file representation.</summary>
    public static void Save(string path, IConditionalGenerator model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Write(path, model.ToModelFile());
    }

    /// <summary>Reads and verifies a model file (magic, version, checksum, structure).</summary>
    public static ModelFileContent Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        return FromBytes(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Loads a model of any registered type: reads the file, then hands it to the loader that
    /// <see cref="ModelRegistry"/> holds for its model type.
    /// </summary>
    public static IConditionalGenerator Load(string path)
    {
        var content = Read(path);
        try
        {
            return ModelRegistry.Loader(content.ModelType)(content);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The file bytes of <paramref name="content"/> (deterministic: same content, same bytes).</summary>
    public static byte[] ToBytes(ModelFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Metadata.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"Metadata must be a JSON object, not {content.Metadata.ValueKind}.", nameof(content));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in content.Arrays)
            if (!names.Add(a.Name))
                throw new ArgumentException($"Array name '{a.Name}' appears twice; names must be unique.", nameof(content));

        using var ms = new MemoryStream();
        var json = HeaderJson(content);
        WriteU32(ms, (uint)json.Length);
        ms.Write(json);
        WriteU32(ms, (uint)content.Arrays.Count);
        Span<byte> u16 = stackalloc byte[2];
        Span<byte> i64 = stackalloc byte[8];
        foreach (var a in content.Arrays)
        {
            var name = Encoding.UTF8.GetBytes(a.Name);
            BinaryPrimitives.WriteUInt16LittleEndian(u16, (ushort)name.Length);
            ms.Write(u16);
            ms.Write(name);
            ms.WriteByte((byte)a.ElementType);
            ms.WriteByte((byte)a.Shape.Count);
            foreach (long d in a.Shape)
            {
                BinaryPrimitives.WriteInt64LittleEndian(i64, d);
                ms.Write(i64);
            }
            WriteElements(ms, a.Data);
        }
        return ChecksummedContainer.Seal(MagicText, FormatVersion, ms.Length, body => ms.GetBuffer().AsSpan(0, body.Length).CopyTo(body));
    }

    /// <summary>A model's parameters must be finite: a NaN or ∞ (a diverged training saved anyway, or an edited file) is refused at load, not sampled.</summary>
    private static T[] Finite<T>(T[] values, string name, Func<string, InvalidDataException> bad) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
            if (!T.IsFinite(values[i]))
                throw bad($"array '{name}' holds {values[i]} at index {i}; a model's parameters must be finite (retrain the model).");
        return values;
    }

    /// <summary>Parses and verifies file bytes; <paramref name="source"/> names the file in errors.</summary>
    public static ModelFileContent FromBytes(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        InvalidDataException Bad(string what) => new($"{source}: {what}");

        int bodyLength = ChecksummedContainer.Open(bytes, MagicText, FormatVersion, Bad);
        var body = bytes.AsSpan(0, bodyLength);
        int pos = ChecksummedContainer.BodyStart;
        int jsonLength = checked((int)ReadU32(body, ref pos, "JSON header length"));
        Need(body, pos, jsonLength, "JSON header");
        JsonElement header;
        try
        {
            using var doc = JsonDocument.Parse(bytes.AsMemory(pos, jsonLength));
            header = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Bad($"the JSON header is not valid JSON ({e.Message}).");
        }
        pos += jsonLength;
        if (header.ValueKind != JsonValueKind.Object)
            throw Bad("the JSON header is not an object.");
        string modelType = header.TryGetProperty("modelType", out var mt) && mt.ValueKind == JsonValueKind.String
            ? mt.GetString()! : throw Bad("the JSON header has no string 'modelType'.");
        string[] features = StringArray(header, "featureNames");
        string[] conditions = StringArray(header, "conditionNames");
        var metadata = header.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object
            ? md : throw Bad("the JSON header has no object 'metadata'.");

        uint count = ReadU32(body, ref pos, "array count");
        var arrays = new List<ModelArray>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (uint i = 0; i < count; i++)
        {
            Need(body, pos, 2, $"array {i} name length");
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(body[pos..]);
            pos += 2;
            if (nameLength == 0 || nameLength > MaxNameBytes) throw Bad($"array {i} has an invalid name length {nameLength}.");
            Need(body, pos, nameLength, $"array {i} name");
            string name = Encoding.UTF8.GetString(body.Slice(pos, nameLength));
            pos += nameLength;
            if (!names.Add(name)) throw Bad($"array '{name}' appears twice.");
            Need(body, pos, 2, $"array '{name}' type and rank");
            byte type = body[pos++];
            int rank = body[pos++];
            if (type is < 1 or > 3) throw Bad($"array '{name}' has unknown element type {type}.");
            if (rank > MaxRank) throw Bad($"array '{name}' has rank {rank}; at most {MaxRank} is allowed.");
            var shape = new long[rank];
            long elements = 1;
            for (int r = 0; r < rank; r++)
            {
                Need(body, pos, 8, $"array '{name}' shape");
                shape[r] = BinaryPrimitives.ReadInt64LittleEndian(body[pos..]);
                pos += 8;
                if (shape[r] < 0 || shape[r] > int.MaxValue) throw Bad($"array '{name}' has an invalid dimension {shape[r]}.");
                elements *= shape[r];
                if (elements > int.MaxValue) throw Bad($"array '{name}' is too large ({elements}+ elements).");
            }
            int size = type == 2 ? 4 : 8;
            long byteCount = elements * size;
            if (byteCount > body.Length - pos) throw Bad($"array '{name}' needs {byteCount} bytes but only {body.Length - pos} remain.");
            var data = body.Slice(pos, (int)byteCount);
            pos += (int)byteCount;
            arrays.Add((ModelArrayType)type switch
            {
                ModelArrayType.Float64 => ModelArray.OfFloat64(name, Finite(ReadDoubles(data), name, Bad), shape),
                ModelArrayType.Float32 => ModelArray.OfFloat32(name, Finite(ReadFloats(data), name, Bad), shape),
                _ => ModelArray.OfInt64(name, ReadLongs(data), shape),
            });
        }
        if (pos != body.Length) throw Bad($"{body.Length - pos} unexpected bytes after the last array.");
        return new ModelFileContent(modelType, features, conditions, metadata, arrays);

        string[] StringArray(JsonElement h, string property)
        {
            if (!h.TryGetProperty(property, out var e) || e.ValueKind != JsonValueKind.Array)
                throw Bad($"the JSON header has no array '{property}'.");
            return e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw Bad($"'{property}' holds a non-string.")).ToArray();
        }

        uint ReadU32(ReadOnlySpan<byte> b, ref int p, string what)
        {
            Need(b, p, 4, what);
            uint v = BinaryPrimitives.ReadUInt32LittleEndian(b[p..]);
            p += 4;
            return v;
        }

        void Need(ReadOnlySpan<byte> b, int p, int n, string what)
        {
            if (n < 0 || p + (long)n > b.Length) throw Bad($"the file ends inside the {what}.");
        }
    }

    private static byte[] HeaderJson(ModelFileContent content)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("modelType", content.ModelType);
            w.WriteStartArray("featureNames");
            foreach (var f in content.FeatureNames) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteStartArray("conditionNames");
            foreach (var c in content.ConditionNames) w.WriteStringValue(c);
            w.WriteEndArray();
            w.WritePropertyName("metadata");
            content.Metadata.WriteTo(w);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    private static void WriteU32(Stream s, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        s.Write(b);
    }

    private static void WriteElements(Stream s, Array data)
    {
        var buffer = new byte[8];
        switch (data)
        {
            case double[] d:
                foreach (double v in d) { BinaryPrimitives.WriteDoubleLittleEndian(buffer, v); s.Write(buffer, 0, 8); }
                break;
            case float[] f:
                foreach (float v in f) { BinaryPrimitives.WriteSingleLittleEndian(buffer, v); s.Write(buffer, 0, 4); }
                break;
            case long[] l:
                foreach (long v in l) { BinaryPrimitives.WriteInt64LittleEndian(buffer, v); s.Write(buffer, 0, 8); }
                break;
            default:
                throw new ArgumentException($"Unsupported array data type {data.GetType()}.", nameof(data));
        }
    }

    private static double[] ReadDoubles(ReadOnlySpan<byte> b)
    {
        var r = new double[b.Length / 8];
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadDoubleLittleEndian(b[(8 * i)..]);
        return r;
    }

    private static float[] ReadFloats(ReadOnlySpan<byte> b)
    {
        var r = new float[b.Length / 4];
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadSingleLittleEndian(b[(4 * i)..]);
        return r;
    }

    private static long[] ReadLongs(ReadOnlySpan<byte> b)
    {
        var r = new long[b.Length / 8];
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt64LittleEndian(b[(8 * i)..]);
        return r;
    }
}
