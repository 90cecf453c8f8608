using System.Numerics.Tensors;

namespace GenStats.Stats;

/// <summary>Weighted mean vector and covariance matrix of a multi-dimensional sample.</summary>
internal static class WeightedMoments
{
    /// <summary>
    /// Mean Σwx/Σw and covariance Σw(x − μ)(x − μ)ᵀ / (V₁ − V₂/V₁), V₁ = Σw, V₂ = Σw² — the
    /// reliability-weight correction of <see cref="WeightedDescriptive.Variance"/> and numpy's
    /// <c>np.cov(aweights=w)</c>; with unit weights it is <c>np.cov(rowvar=False)</c> (ddof = 1).
    /// Returns false when the effective size is ≤ 1 (no covariance exists).
    /// </summary>
    public static bool TryCompute(PackedSample x, ReadOnlySpan<double> weights, out double[] mean, out double[,] cov)
    {
        int n = x.Count, d = x.Dims;
        var w = weights[..n].ToArray();
        double v1 = CompensatedSum.Of(w);
        var sq = new double[n];
        TensorPrimitives.Multiply<double>(w, w, sq);
        double v2 = CompensatedSum.Of(sq);
        double denominator = v1 - v2 / v1;
        mean = new double[d];
        cov = new double[d, d];
        if (!(v1 > 0) || !(denominator > 0)) return false;

        var centred = new double[d][];
        var weighted = new double[d][];
        var m = mean;
        Parallel.For(0, d, k =>
        {
            var col = x.Column(k)[..n];
            var wc = new double[n];
            TensorPrimitives.Multiply<double>(col, w, wc);
            m[k] = CompensatedSum.Of(wc) / v1;
            var c = new double[n];
            TensorPrimitives.Subtract<double>(col, m[k], c);
            TensorPrimitives.Multiply<double>(c, w, wc);
            centred[k] = c;
            weighted[k] = wc;
        });
        var result = cov;
        Parallel.For(0, d, a =>
        {
            for (int b = a; b < d; b++)
            {
                double s = TensorPrimitives.Dot<double>(weighted[a], centred[b]) / denominator;
                result[a, b] = s;
                result[b, a] = s;
            }
        });
        return true;
    }
}
