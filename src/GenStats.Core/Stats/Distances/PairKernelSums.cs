using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace GenStats.Stats;

/// <summary>The pair kernels the blocked engine evaluates.</summary>
internal enum PairKernelKind
{
    /// <summary>Euclidean distance ‖x − y‖ (energy distance).</summary>
    Distance,
    /// <summary>exp(−γ‖x − y‖²) (Gaussian MMD), γ = <see cref="PairKernel.Parameter"/>.</summary>
    Gaussian,
    /// <summary>(c·x·y + 1)⁴ (KPD), c = <see cref="PairKernel.Parameter"/> = 1/d.</summary>
    Polynomial4,
}

/// <summary>A kernel and its parameter.</summary>
internal readonly record struct PairKernel(PairKernelKind Kind, double Parameter);

/// <summary>
/// Weighted sums of a pair kernel over all pairs of one or two samples, for several weight
/// vectors at once (the nominal weights and the bootstrap replicas), without ever holding an
/// N × N matrix. The pairs are visited in tiles of <see cref="RowBlock"/> × <see cref="ColumnTile"/>:
/// a tile of kernel values is computed with SIMD over events, then contracted with every weight
/// vector (T[i, r] = Σⱼ K[i, j] u_r[j]), so the bootstrap costs one extra dot product per tile row
/// and replica, not another pass. Row blocks run in parallel; each row's partial sums are formed in
/// a fixed order and the final sum over rows is a compensated sum in row order, so the result does
/// not depend on the thread schedule.
/// </summary>
internal static class PairKernelSums
{
    public const int RowBlock = 32;
    public const int ColumnTile = 256;

    /// <summary>S_r = Σ_{i≠j} u_r[i] u_r[j] K(x_i, x_j) for every weight vector u_r (padded length).</summary>
    public static double[] Within(PackedSample x, double[][] weights, PairKernel kernel, CancellationToken ct = default)
    {
        var rowSums = RowSums(x, x, weights, kernel, triangle: true, ct);
        var result = Contract(x.Count, weights, rowSums);
        for (int r = 0; r < result.Length; r++) result[r] *= 2; // both (i, j) and (j, i)
        return result;
    }

    /// <summary>S_r = Σ_{i,j} u_r[i] v_r[j] K(x_i, y_j) for every pair of weight vectors.</summary>
    public static double[] Cross(
        PackedSample x, double[][] weightsX, PackedSample y, double[][] weightsY, PairKernel kernel,
        CancellationToken ct = default)
    {
        var rowSums = RowSums(x, y, weightsY, kernel, triangle: false, ct);
        return Contract(x.Count, weightsX, rowSums);
    }

    private static double[] Contract(int count, double[][] weights, double[] rowSums)
    {
        int replicas = weights.Length;
        var result = new double[replicas];
        for (int r = 0; r < replicas; r++)
        {
            var s = new CompensatedSum();
            var u = weights[r];
            for (int i = 0; i < count; i++) s.Add(u[i] * rowSums[i * replicas + r]);
            result[r] = s.Value;
        }
        return result;
    }

    // T[i, r] = Σ_j K(x_i, y_j) v_r[j]  (over j > i when triangle).
    private static double[] RowSums(
        PackedSample x, PackedSample y, double[][] weightsY, PairKernel kernel, bool triangle, CancellationToken ct)
    {
        int replicas = weightsY.Length;
        var rowSums = new double[x.Count * replicas];
        int blocks = (x.Count + RowBlock - 1) / RowBlock;
        var po = new ParallelOptions { CancellationToken = ct };
        Parallel.For(0, blocks, po, () => new double[RowBlock * ColumnTile], (block, _, tile) =>
        {
            int i0 = block * RowBlock;
            int i1 = Math.Min(x.Count, i0 + RowBlock);
            int firstTile = triangle ? i0 / ColumnTile * ColumnTile : 0;
            for (int jt = firstTile; jt < y.Padded; jt += ColumnTile)
            {
                int jn = Math.Min(ColumnTile, y.Padded - jt);
                for (int i = i0; i < i1; i++)
                {
                    var row = tile.AsSpan((i - i0) * ColumnTile, jn);
                    KernelRow(x, i, y, jt, row, kernel);
                    if (triangle)
                    {
                        int skip = Math.Clamp(i + 1 - jt, 0, jn);
                        row[..skip].Clear();
                    }
                    ContractRow(row, weightsY, jt, rowSums.AsSpan(i * replicas, replicas));
                }
            }
            return tile;
        }, _ => { });
        return rowSums;
    }

    // K(x_i, y_j) for j = jt … jt + row.Length − 1, vectorised over y's events: the coordinate
    // loop runs inside the event loop so that each kernel value is written once.
    private static void KernelRow(PackedSample x, int i, PackedSample y, int jt, Span<double> row, PairKernel kernel)
    {
        int dims = x.Dims;
        Span<double> xi = dims <= 256 ? stackalloc double[dims] : new double[dims];
        for (int k = 0; k < dims; k++) xi[k] = x.Coords[k * x.Padded + i];
        var output = MemoryMarshal.Cast<double, Vector<double>>(row);
        var coords = y.Coords;
        int stride = y.Padded;
        int width = Vector<double>.Count;
        bool dot = kernel.Kind == PairKernelKind.Polynomial4;
        for (int v = 0; v < output.Length; v++)
        {
            int j = jt + v * width;
            var acc = Vector<double>.Zero;
            for (int k = 0; k < dims; k++)
            {
                var yk = new Vector<double>(coords, k * stride + j);
                if (dot) acc += yk * new Vector<double>(xi[k]);
                else
                {
                    var d = yk - new Vector<double>(xi[k]);
                    acc += d * d;
                }
            }
            output[v] = kernel.Kind == PairKernelKind.Distance ? Vector.SquareRoot(acc) : acc;
        }
        switch (kernel.Kind)
        {
            case PairKernelKind.Gaussian:
                TensorPrimitives.Multiply<double>(row, -kernel.Parameter, row);
                TensorPrimitives.Exp<double>(row, row);
                break;
            case PairKernelKind.Polynomial4:
                TensorPrimitives.Multiply<double>(row, kernel.Parameter, row);
                TensorPrimitives.Add<double>(row, 1.0, row);
                TensorPrimitives.Multiply<double>(row, row, row);
                TensorPrimitives.Multiply<double>(row, row, row);
                break;
        }
    }

    // sums[r] += Σ_j row[j] · weights[r][jt + j], four weight vectors per sweep over the row so
    // that each kernel value is loaded once per four replicas.
    private static void ContractRow(ReadOnlySpan<double> row, double[][] weights, int jt, Span<double> sums)
    {
        var k = MemoryMarshal.Cast<double, Vector<double>>(row);
        int r = 0;
        for (; r + 4 <= weights.Length; r += 4)
        {
            var u0 = MemoryMarshal.Cast<double, Vector<double>>(weights[r].AsSpan(jt, row.Length));
            var u1 = MemoryMarshal.Cast<double, Vector<double>>(weights[r + 1].AsSpan(jt, row.Length));
            var u2 = MemoryMarshal.Cast<double, Vector<double>>(weights[r + 2].AsSpan(jt, row.Length));
            var u3 = MemoryMarshal.Cast<double, Vector<double>>(weights[r + 3].AsSpan(jt, row.Length));
            Vector<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int v = 0; v < k.Length; v++)
            {
                var kv = k[v];
                a0 += kv * u0[v];
                a1 += kv * u1[v];
                a2 += kv * u2[v];
                a3 += kv * u3[v];
            }
            sums[r] += Vector.Sum(a0);
            sums[r + 1] += Vector.Sum(a1);
            sums[r + 2] += Vector.Sum(a2);
            sums[r + 3] += Vector.Sum(a3);
        }
        for (; r < weights.Length; r++)
            sums[r] += TensorPrimitives.Dot<double>(row, weights[r].AsSpan(jt, row.Length));
    }

    /// <summary>
    /// The nominal weights (row 0: the given weights, or 1) followed by <paramref name="replicas"/>
    /// Poisson-bootstrap replicas from <see cref="Bootstrap.ReplicaWeights"/> on stream
    /// 2r + <paramref name="streamOffset"/> (0 for the first sample, 1 for the second, as
    /// <see cref="Bootstrap.TwoSample"/> does); every row zero-padded to <paramref name="padded"/>.
    /// </summary>
    public static double[][] WeightRows(int count, int padded, double[]? weights, int replicas, int seed, int streamOffset)
    {
        var rows = new double[replicas + 1][];
        rows[0] = new double[padded];
        for (int i = 0; i < count; i++) rows[0][i] = weights?[i] ?? 1.0;
        for (int r = 0; r < replicas; r++)
        {
            var w = Bootstrap.ReplicaWeights(count, weights, seed, 2 * r + streamOffset);
            var row = new double[padded];
            Array.Copy(w, row, count);
            rows[r + 1] = row;
        }
        return rows;
    }

    /// <summary>Σw and Σw² of every weight row.</summary>
    public static (double[] Sum, double[] SumOfSquares) Totals(double[][] rows, int count)
    {
        var s = new double[rows.Length];
        var s2 = new double[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            var a = new CompensatedSum();
            var b = new CompensatedSum();
            for (int i = 0; i < count; i++) { a.Add(rows[r][i]); b.Add(rows[r][i] * rows[r][i]); }
            s[r] = a.Value;
            s2[r] = b.Value;
        }
        return (s, s2);
    }
}
