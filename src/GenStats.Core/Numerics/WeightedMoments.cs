using System.Numerics;
using System.Runtime.InteropServices;

namespace GenStats.Numerics;

/// <summary>Weighted mean vector and covariance matrix of a multi-dimensional sample.</summary>
internal static class WeightedMoments
{
    private const int Chunks = 16; // fixed partition: the sums do not depend on the thread count

    /// <summary>
    /// Mean Σwx/Σw and covariance Σw(x − μ)(x − μ)ᵀ / (V₁ − V₂/V₁), V₁ = Σw, V₂ = Σw² — the
    /// reliability-weight correction of <see cref="WeightedStatistics.Variance"/> and numpy's
    /// <c>np.cov(aweights=w)</c>; with unit weights it is <c>np.cov(rowvar=False)</c> (ddof = 1).
    /// Uses the events <paramref name="take"/> of <paramref name="rows"/> (all when null), each
    /// coordinate divided by <paramref name="scale"/>[k] when given; <paramref name="weights"/> is
    /// indexed like the used events. Two passes (mean, then centred products), so there is no
    /// cancellation. Returns false when the effective size is ≤ 1 (no covariance exists).
    /// </summary>
    public static bool TryCompute(
        double[][] rows, int[]? take, double[]? scale, double[] weights, out double[] mean, out double[,] cov)
    {
        int n = take?.Length ?? rows.Length;
        int d = rows[0].Length;
        mean = new double[d];
        cov = new double[d, d];
        var v1s = new CompensatedSum();
        var v2s = new CompensatedSum();
        for (int i = 0; i < n; i++) { v1s.Add(weights[i]); v2s.Add(weights[i] * weights[i]); }
        double v1 = v1s.Value, denominator = v1 - v2s.Value / v1;
        if (!(v1 > 0) || !(denominator > 0)) return false;

        int width = Vector<double>.Count;
        int dPad = PadTo(d, width);
        int chunkSize = PadTo((n + Chunks - 1) / Chunks, 4);
        int chunks = (n + chunkSize - 1) / chunkSize;

        // Pass 1: weighted sums per chunk, combined in chunk order.
        var partialMeans = new double[chunks][];
        Parallel.For(0, chunks, c =>
        {
            var s = new double[d];
            for (int i = c * chunkSize; i < Math.Min(n, (c + 1) * chunkSize); i++)
            {
                var row = rows[take is null ? i : take[i]];
                double w = weights[i];
                for (int k = 0; k < d; k++) s[k] += w * (scale is null ? row[k] : row[k] / scale[k]);
            }
            partialMeans[c] = s;
        });
        for (int k = 0; k < d; k++)
        {
            var s = new CompensatedSum();
            for (int c = 0; c < chunks; c++) s.Add(partialMeans[c][k]);
            mean[k] = s.Value / v1;
        }

        // Pass 2: Σ w (x − μ)(x − μ)ᵀ, upper triangle, four events per sweep over each output row.
        var mu = mean;
        var partials = new double[chunks][];
        Parallel.For(0, chunks, c =>
        {
            var acc = new double[d * dPad];
            var quad = new double[4 * dPad];
            Span<double> s = stackalloc double[4];
            int end = Math.Min(n, (c + 1) * chunkSize);
            for (int i0 = c * chunkSize; i0 < end; i0 += 4)
            {
                quad.AsSpan().Clear();
                for (int q = 0; q < 4; q++)
                {
                    int i = i0 + q;
                    if (i >= end) continue;
                    var row = rows[take is null ? i : take[i]];
                    for (int k = 0; k < d; k++)
                        quad[q * dPad + k] = (scale is null ? row[k] : row[k] / scale[k]) - mu[k];
                }
                var x0 = MemoryMarshal.Cast<double, Vector<double>>(quad.AsSpan(0, dPad));
                var x1 = MemoryMarshal.Cast<double, Vector<double>>(quad.AsSpan(dPad, dPad));
                var x2 = MemoryMarshal.Cast<double, Vector<double>>(quad.AsSpan(2 * dPad, dPad));
                var x3 = MemoryMarshal.Cast<double, Vector<double>>(quad.AsSpan(3 * dPad, dPad));
                for (int q = 0; q < 4; q++) s[q] = i0 + q < end ? weights[i0 + q] : 0.0;
                for (int a = 0; a < d; a++)
                {
                    var s0 = new Vector<double>(s[0] * quad[a]);
                    var s1 = new Vector<double>(s[1] * quad[dPad + a]);
                    var s2 = new Vector<double>(s[2] * quad[2 * dPad + a]);
                    var s3 = new Vector<double>(s[3] * quad[3 * dPad + a]);
                    var target = MemoryMarshal.Cast<double, Vector<double>>(acc.AsSpan(a * dPad, dPad));
                    for (int v = a / width; v < target.Length; v++)
                        target[v] += s0 * x0[v] + s1 * x1[v] + s2 * x2[v] + s3 * x3[v];
                }
            }
            partials[c] = acc;
        });
        for (int a = 0; a < d; a++)
            for (int b = a; b < d; b++)
            {
                var s = new CompensatedSum();
                for (int c = 0; c < chunks; c++) s.Add(partials[c][a * dPad + b]);
                cov[a, b] = cov[b, a] = s.Value / denominator;
            }
        return true;
    }

    private static int PadTo(int count, int multiple) => (count + multiple - 1) / multiple * multiple;
}
