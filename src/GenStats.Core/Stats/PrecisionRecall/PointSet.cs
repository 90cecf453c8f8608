namespace GenStats.Stats.PrecisionRecall;

/// <summary>
/// A checked, row-major copy of a multi-dimensional sample (events × dims). The copy makes the
/// distance kernels read contiguous memory and protects the caller's arrays from later edits.
/// </summary>
internal sealed class PointSet
{
    /// <summary>Row-major coordinates: event i occupies [i·Dim, (i+1)·Dim).</summary>
    public readonly double[] Data;

    /// <summary>Number of events.</summary>
    public readonly int Count;

    /// <summary>Number of dimensions.</summary>
    public readonly int Dim;

    private PointSet(double[] data, int count, int dim)
    {
        Data = data;
        Count = count;
        Dim = dim;
    }

    /// <summary>Wraps row-major data that is already checked (no copy).</summary>
    internal static PointSet Wrap(double[] data, int count, int dim) => new(data, count, dim);

    /// <summary>Coordinates of event <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> Row(int i) => new(Data, i * Dim, Dim);

    /// <summary>
    /// Validates a sample: not null, at least one event, every row non-null with the same
    /// (positive) number of dimensions, every value finite. Errors name the argument, the row and column.
    /// </summary>
    public static PointSet From(double[][]? sample, string paramName)
    {
        int dim = SampleChecks.RequireFiniteRows(sample, paramName);
        var data = new double[checked(sample!.Length * dim)];
        for (int i = 0; i < sample.Length; i++)
            Array.Copy(sample[i], 0, data, i * dim, dim);
        return new PointSet(data, sample.Length, dim);
    }

    /// <summary>Validates two samples and requires them to share one dimension.</summary>
    public static (PointSet A, PointSet B) Pair(double[][]? a, string nameA, double[][]? b, string nameB)
    {
        var pa = From(a, nameA);
        var pb = From(b, nameB);
        if (pa.Dim != pb.Dim)
            throw new ArgumentException(
                $"{nameB} has {pb.Dim} dimensions but {nameA} has {pa.Dim}; both samples need the same dimension.", nameB);
        return (pa, pb);
    }
}
