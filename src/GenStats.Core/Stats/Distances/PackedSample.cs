using System.Numerics;

namespace GenStats.Stats;

/// <summary>
/// A multi-dimensional sample copied into a structure-of-arrays layout (coordinate k of event i at
/// <c>Coords[k * Padded + i]</c>), with the event count padded to a multiple of the SIMD width so
/// that pairwise kernels vectorise over events. Padding events sit at the origin and always carry
/// weight 0, so they never contribute to a sum.
/// </summary>
internal sealed class PackedSample
{
    public int Count { get; }
    public int Dims { get; }
    public int Padded { get; }
    public double[] Coords { get; }

    private PackedSample(int count, int dims, int padded, double[] coords)
    {
        Count = count;
        Dims = dims;
        Padded = padded;
        Coords = coords;
    }

    public static int PadTo(int count, int multiple) => (count + multiple - 1) / multiple * multiple;

    /// <summary>Packs <paramref name="rows"/> (or the events at <paramref name="take"/>), each coordinate
    /// divided by <paramref name="scale"/>[k] when given.</summary>
    public static PackedSample Pack(double[][] rows, int[]? take = null, double[]? scale = null)
    {
        int count = take?.Length ?? rows.Length;
        int dims = rows[0].Length;
        int padded = PadTo(count, Vector<double>.Count);
        var coords = new double[dims * padded];
        for (int i = 0; i < count; i++)
        {
            var row = rows[take is null ? i : take[i]];
            for (int k = 0; k < dims; k++)
                coords[k * padded + i] = scale is null ? row[k] : row[k] / scale[k];
        }
        return new PackedSample(count, dims, padded, coords);
    }

    /// <summary>The coordinate k of every (real and padding) event.</summary>
    public ReadOnlySpan<double> Column(int k) => Coords.AsSpan(k * Padded, Padded);
}
