namespace GenStats.Tensors;

/// <summary>
/// The immutable shape of a <see cref="Tensor"/>: up to <see cref="MaxRank"/> non-negative
/// dimensions, row-major (the last dimension is contiguous). A rank-0 shape is a scalar.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    /// <summary>The largest rank a tensor may have.</summary>
    public const int MaxRank = 4;

    private readonly int[] dims;

    /// <summary>Creates a shape from its dimensions (copied).</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxRank"/> dimensions or a negative dimension.</exception>
    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length > MaxRank)
            throw new ArgumentException($"dims has rank {dims.Length}; at most {MaxRank} dimensions are allowed.", nameof(dims));
        long size = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0)
                throw new ArgumentException($"dims[{i}] is {dims[i]}; dimensions must be non-negative.", nameof(dims));
            size *= dims[i];
            if (size > int.MaxValue)
                throw new ArgumentException($"the shape [{string.Join(", ", dims)}] has more than {int.MaxValue} elements.", nameof(dims));
        }
        this.dims = (int[])dims.Clone();
        Size = (int)size;
    }

    /// <summary>The scalar (rank-0) shape.</summary>
    public static Shape Scalar { get; } = new();

    /// <summary>Number of dimensions.</summary>
    public int Rank => dims.Length;

    /// <summary>Total number of elements (1 for a scalar).</summary>
    public int Size { get; }

    /// <summary>The dimension at <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => dims[NormalizeAxis(axis)];

    /// <summary>A copy of the dimensions.</summary>
    public int[] ToArray() => (int[])dims.Clone();

    internal ReadOnlySpan<int> Dims => dims;

    /// <summary>Maps a possibly negative axis to 0..Rank−1.</summary>
    /// <exception cref="ArgumentException">The axis is out of range.</exception>
    public int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank)
            throw new ArgumentException($"axis {axis} is out of range for a tensor of rank {Rank}; allowed: {-Rank}..{Rank - 1}.", nameof(axis));
        return a;
    }

    /// <summary>Row-major strides (in elements).</summary>
    public int[] Strides()
    {
        var s = new int[Rank];
        int acc = 1;
        for (int i = Rank - 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]; }
        return s;
    }

    /// <summary>
    /// The numpy broadcast of two shapes: align on the right; each pair of dimensions must be
    /// equal or one of them 1.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Shape Broadcast(Shape a, Shape b)
    {
        if (a.Equals(b)) return a;
        int rank = Math.Max(a.Rank, b.Rank);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"shapes {a} and {b} cannot be broadcast: dimension {i} is {da} vs {db} (must be equal or 1).");
            r[i] = da == 1 ? db : da;
        }
        return new Shape(r);
    }

    /// <inheritdoc />
    public bool Equals(Shape? other) => other is not null && dims.AsSpan().SequenceEqual(other.dims);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Shapes are equal when their dimensions are.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Shapes differ when their dimensions do.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>Formats as <c>[d0, d1, …]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", dims) + "]";
}
