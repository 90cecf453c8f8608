namespace GenStats.Models.Files;

/// <summary>Element type of an array stored in a model file.</summary>
public enum ModelArrayType : byte
{
    /// <summary>IEEE-754 binary64, little-endian (statistical models, transforms).</summary>
    Float64 = 1,
    /// <summary>IEEE-754 binary32, little-endian (network parameters).</summary>
    Float32 = 2,
    /// <summary>Two's-complement 64-bit integer, little-endian (indices, counters).</summary>
    Int64 = 3,
}

/// <summary>
/// One named, typed, shaped array of a model file. Data are flat and row-major; the product of
/// <see cref="Shape"/> equals the number of elements. Create with <see cref="OfFloat64"/>,
/// <see cref="OfFloat32"/> or <see cref="OfInt64"/>; read back with <see cref="AsFloat64"/> etc.
/// </summary>
public sealed record ModelArray
{
    /// <summary>Unique name within the file (UTF-8, 1–1024 bytes), e.g. "kde.points".</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public ModelArrayType ElementType { get; }

    /// <summary>Dimensions (row-major); rank 0–8, each ≥ 0.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The flat data: a double[], float[] or long[] according to <see cref="ElementType"/>.</summary>
    public Array Data { get; }

    private ModelArray(string name, ModelArrayType type, long[] shape, Array data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > ModelFile.MaxNameBytes)
            throw new ArgumentException($"Array name '{name}' is longer than {ModelFile.MaxNameBytes} UTF-8 bytes.", nameof(name));
        if (shape.Length > ModelFile.MaxRank)
            throw new ArgumentException($"Array '{name}' has rank {shape.Length}; at most {ModelFile.MaxRank} is allowed.", nameof(shape));
        long count = 1;
        foreach (long s in shape)
        {
            if (s < 0) throw new ArgumentException($"Array '{name}' has a negative dimension {s}.", nameof(shape));
            count = checked(count * s);
        }
        if (count != data.Length)
            throw new ArgumentException(
                $"Array '{name}' has shape [{string.Join(", ", shape)}] ({count} elements) but {data.Length} values.", nameof(data));
        Name = name;
        ElementType = type;
        Shape = shape;
        Data = data;
    }

    /// <summary>A float64 array; <paramref name="shape"/> null means one dimension of data.Length.</summary>
    public static ModelArray OfFloat64(string name, double[] data, long[]? shape = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ModelArray(name, ModelArrayType.Float64, shape ?? [data.LongLength], data);
    }

    /// <summary>A float32 array; <paramref name="shape"/> null means one dimension of data.Length.</summary>
    public static ModelArray OfFloat32(string name, float[] data, long[]? shape = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ModelArray(name, ModelArrayType.Float32, shape ?? [data.LongLength], data);
    }

    /// <summary>An int64 array; <paramref name="shape"/> null means one dimension of data.Length.</summary>
    public static ModelArray OfInt64(string name, long[] data, long[]? shape = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ModelArray(name, ModelArrayType.Int64, shape ?? [data.LongLength], data);
    }

    /// <summary>A rectangular matrix (rows × columns) stored as a rank-2 float64 array.</summary>
    public static ModelArray OfMatrix(string name, double[][] rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var flat = new double[rows.Length * columns];
        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != columns)
                throw new ArgumentException($"Row {r} of '{name}' has {rows[r].Length} values; {columns} expected.", nameof(rows));
            Array.Copy(rows[r], 0, flat, r * columns, columns);
        }
        return new ModelArray(name, ModelArrayType.Float64, [rows.Length, columns], flat);
    }

    /// <summary>The data as float64; throws <see cref="InvalidDataException"/> for another type.</summary>
    public double[] AsFloat64() => Data as double[] ?? throw WrongType(ModelArrayType.Float64);

    /// <summary>The data as float32; throws <see cref="InvalidDataException"/> for another type.</summary>
    public float[] AsFloat32() => Data as float[] ?? throw WrongType(ModelArrayType.Float32);

    /// <summary>The data as int64; throws <see cref="InvalidDataException"/> for another type.</summary>
    public long[] AsInt64() => Data as long[] ?? throw WrongType(ModelArrayType.Int64);

    /// <summary>A rank-2 float64 array as jagged rows; checks the column count when given.</summary>
    public double[][] AsMatrix(int? expectedColumns = null)
    {
        var flat = AsFloat64();
        if (Shape.Count != 2)
            throw new InvalidDataException($"array '{Name}' has rank {Shape.Count}; a matrix (rank 2) is required.");
        int rows = checked((int)Shape[0]), cols = checked((int)Shape[1]);
        if (expectedColumns is int e && e != cols)
            throw new InvalidDataException($"array '{Name}' has {cols} columns; {e} expected.");
        var result = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            result[r] = new double[cols];
            Array.Copy(flat, r * cols, result[r], 0, cols);
        }
        return result;
    }

    private InvalidDataException WrongType(ModelArrayType wanted) =>
        new($"array '{Name}' holds {ElementType} values; {wanted} is required.");

    /// <summary>Equal when name, type, shape and every element (bitwise) agree.</summary>
    public bool Equals(ModelArray? other) =>
        other is not null && Name == other.Name && ElementType == other.ElementType
        && Shape.SequenceEqual(other.Shape) && BytesEqual(Data, other.Data);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, ElementType, Data.Length);

    private static bool BytesEqual(Array a, Array b) => (a, b) switch
    {
        (double[] x, double[] y) => x.AsSpan().SequenceEqual(y),
        (float[] x, float[] y) => x.AsSpan().SequenceEqual(y),
        (long[] x, long[] y) => x.AsSpan().SequenceEqual(y),
        _ => false,
    };
}
