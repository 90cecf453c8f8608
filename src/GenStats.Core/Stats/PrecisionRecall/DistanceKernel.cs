using System.Numerics;
using System.Runtime.InteropServices;

namespace GenStats.Stats.PrecisionRecall;

/// <summary>
/// Exact squared Euclidean distances Σ(x − y)² with SIMD, computed from coordinate differences
/// (never from ‖x‖² + ‖y‖² − 2x·y, which loses digits and makes d(x, x) ≠ 0). The summation
/// order depends only on the dimension, so results are bit-identical for any thread count.
/// </summary>
internal static class DistanceKernel
{
    /// <summary>Squared distance between two rows of equal length.</summary>
    public static double Squared(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
        var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
        var acc = Vector<double>.Zero;
        for (int c = 0; c < xv.Length; c++)
        {
            var d = xv[c] - yv[c];
            acc = Vector.FusedMultiplyAdd(d, d, acc);
        }
        double s = Vector.Sum(acc);
        for (int c = xv.Length * Vector<double>.Count; c < x.Length; c++)
        {
            double d = x[c] - y[c];
            s += d * d;
        }
        return s;
    }

    /// <summary>
    /// Squared distances from rows [i0, i1) of <paramref name="a"/> to rows [j0, j1) of
    /// <paramref name="b"/> into <paramref name="tile"/> (row-major, (i1 − i0) × (j1 − j0)).
    /// Four columns share each load of the row of <paramref name="a"/>; every distance is summed
    /// exactly as <see cref="Squared"/> sums it.
    /// </summary>
    public static void Tile(PointSet a, int i0, int i1, PointSet b, int j0, int j1, Span<double> tile)
    {
        int width = j1 - j0;
        int dim = a.Dim;
        int vec = dim / Vector<double>.Count;
        int tailStart = vec * Vector<double>.Count;
        for (int i = i0; i < i1; i++)
        {
            var x = a.Row(i);
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var outRow = tile.Slice((i - i0) * width, width);
            int j = j0;
            for (; j + 4 <= j1; j += 4)
            {
                var y0 = b.Row(j);
                var y1 = b.Row(j + 1);
                var y2 = b.Row(j + 2);
                var y3 = b.Row(j + 3);
                var v0 = MemoryMarshal.Cast<double, Vector<double>>(y0);
                var v1 = MemoryMarshal.Cast<double, Vector<double>>(y1);
                var v2 = MemoryMarshal.Cast<double, Vector<double>>(y2);
                var v3 = MemoryMarshal.Cast<double, Vector<double>>(y3);
                Vector<double> a0 = Vector<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
                for (int c = 0; c < vec; c++)
                {
                    var xc = xv[c];
                    var d0 = xc - v0[c];
                    var d1 = xc - v1[c];
                    var d2 = xc - v2[c];
                    var d3 = xc - v3[c];
                    a0 = Vector.FusedMultiplyAdd(d0, d0, a0);
                    a1 = Vector.FusedMultiplyAdd(d1, d1, a1);
                    a2 = Vector.FusedMultiplyAdd(d2, d2, a2);
                    a3 = Vector.FusedMultiplyAdd(d3, d3, a3);
                }
                double s0 = Vector.Sum(a0), s1 = Vector.Sum(a1), s2 = Vector.Sum(a2), s3 = Vector.Sum(a3);
                for (int c = tailStart; c < dim; c++)
                {
                    double xs = x[c];
                    double e0 = xs - y0[c], e1 = xs - y1[c], e2 = xs - y2[c], e3 = xs - y3[c];
                    s0 += e0 * e0;
                    s1 += e1 * e1;
                    s2 += e2 * e2;
                    s3 += e3 * e3;
                }
                outRow[j - j0] = s0;
                outRow[j - j0 + 1] = s1;
                outRow[j - j0 + 2] = s2;
                outRow[j - j0 + 3] = s3;
            }
            for (; j < j1; j++) outRow[j - j0] = Squared(x, b.Row(j));
        }
    }
}
