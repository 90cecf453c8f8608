using GenStats.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GenStats.Models;

/// <summary>
/// The weighted Gaussian-kernel MMD² of <see cref="GanLosses.Mmd2"/> in one pass over the pairs:
/// each kernel value is computed once (the symmetric a–a and b–b sums over half the pairs), in
/// float32 vector kernels with float64 totals, with the gradient with respect to a and b accumulated alongside.
/// The result is the value plus Σ (t − detach(t))·∂MMD²/∂t for t = a, b, so its forward value is
/// exactly the computed MMD² and backward gives the analytic gradient (its per-row sums are float32,
/// a relative 1e-6 over a batch of a few hundred). This replaces a graph of
/// [n, m, k] broadcast tensors (differences, squares, sums, exponentials, each with its backward)
/// that cost as much as a default GAN step; only first derivatives are available (the
/// generator step needs no more).
/// </summary>
internal static class KernelMmd
{
    // ∂k(x, y)/∂x = 2c(x − y)k(x, y) with k = exp(c‖x − y‖²), c = −1/(2σ²). With Sp = Σp, Sq = Σq:
    // MMD² = Σ pᵢpⱼk(aᵢ,aⱼ)/Sp² + Σ qᵢqⱼk(bᵢ,bⱼ)/Sq² − 2Σ pᵢqⱼk(aᵢ,bⱼ)/(SpSq)
    // ∂/∂a_l = 4c p_l [Σⱼ pⱼk(a_l,aⱼ)(a_l − aⱼ)/Sp² − Σⱼ qⱼk(a_l,bⱼ)(a_l − bⱼ)/(SpSq)], likewise for b.
    public static Tensor Mmd2(Tensor a, Tensor wa, Tensor b, Tensor wb, float bandwidth)
    {
        int n = a.Shape[0], m = b.Shape[0], k = a.Shape[1];
        // Shapes are checked by GanLosses.Mmd2, the only caller.
        float[] av = a.ToArray(), bv = b.ToArray(), p = wa.ToArray(), q = wb.ToArray();
        double sp = Sum(p), sq = Sum(q);
        if (!(sp > 0) || !(sq > 0))
            throw new ArgumentException($"the weights sum to {sp} and {sq}; positive sums are required.", nameof(wa));
        float c = -1f / (2 * bandwidth * bandwidth);
        bool gradA = a.RequiresGrad && Autograd.IsGradEnabled, gradB = b.RequiresGrad && Autograd.IsGradEnabled;
        var ga = new double[n * k];
        var gb = new double[m * k];
        var scratch = new float[Math.Max(n, m)];
        double self_a = 4.0 * c / (sp * sp), self_b = 4.0 * c / (sq * sq), cross = -4.0 * c / (sp * sq);
        double saa = Pairs(av, n, p, av, n, p, k, c, true, gradA ? ga : null, null, self_a);
        double sbb = Pairs(bv, m, q, bv, m, q, k, c, true, gradB ? gb : null, null, self_b);
        double sab = Pairs(av, n, p, bv, m, q, k, c, false, gradA ? ga : null, gradB ? gb : null, cross);
        double value = saa / (sp * sp) + sbb / (sq * sq) - 2 * sab / (sp * sq);
        var result = Tensor.Scalar((float)value);
        if (gradA) result = Ops.Add(result, Surrogate(a, ga));
        if (gradB) result = Ops.Add(result, Surrogate(b, gb));
        return result;
    }

    private static double Sum(float[] v)
    {
        double s = 0;
        foreach (var x in v) s += x;
        return s;
    }

    // Σᵢⱼ pᵢqⱼk(xᵢ, yⱼ) over all pairs (symmetric: i < j twice plus the diagonal, k(x, x) = 1),
    // adding each pair's gradient term scale·pᵢqⱼk·(xᵢ − yⱼ) to gx[i] and its mirror to gy[j]
    // (symmetric: to gx[j]). Row by row with vector kernels over j: y is held by columns, the
    // x-side sums are dot products, the y-side sums are accumulated per column and scaled at the end.
    private static double Pairs(float[] x, int nx, float[] px, float[] y, int ny, float[] py, int k, float c, bool symmetric,
        double[]? gx, double[]? gy, double scale)
    {
        var yc = new float[k][];
        for (int e = 0; e < k; e++)
        {
            yc[e] = new float[ny];
            for (int j = 0; j < ny; j++) yc[e][j] = y[j * k + e];
        }
        var mirror = symmetric ? gx : gy;
        var acc = mirror is null ? null : new float[k][];
        if (acc is not null) for (int e = 0; e < k; e++) acc[e] = new float[ny];
        float[] kernel = new float[ny], kq = new float[ny], t = new float[ny];
        double total = 0;
        for (int i = 0; i < nx; i++)
        {
            int j0 = symmetric ? i + 1 : 0, len = ny - j0;
            if (symmetric) total += (double)px[i] * px[i];
            if (len <= 0) continue;
            var d = kernel.AsSpan(0, len);
            var tt = t.AsSpan(0, len);
            d.Clear();
            for (int e = 0; e < k; e++)
            {
                TensorPrimitives.Subtract(yc[e].AsSpan(j0, len), x[i * k + e], tt);
                TensorPrimitives.MultiplyAdd(tt, tt, d, d);
            }
            TensorPrimitives.Multiply(d, c, d);
            TensorPrimitives.Exp(d, d); // d = k(xᵢ, yⱼ)
            var w = kq.AsSpan(0, len);
            TensorPrimitives.Multiply(d, py.AsSpan(j0, len), w);
            float row = TensorPrimitives.Sum(w);
            total += (symmetric ? 2.0 : 1.0) * px[i] * row;
            if (gx is null && mirror is null) continue;
            for (int e = 0; e < k; e++)
            {
                float xe = x[i * k + e];
                // Σⱼ qⱼkᵢⱼ(xᵢ − yⱼ) = xᵢ·row − Σⱼ qⱼkᵢⱼyⱼ
                if (gx is not null) gx[i * k + e] += scale * px[i] * (xe * (double)row - TensorPrimitives.Dot(w, yc[e].AsSpan(j0, len)));
                if (acc is not null)
                {
                    // acc[j] += pᵢkᵢⱼ(xᵢ − yⱼ); the mirror gets −scale·qⱼ·acc[j] at the end.
                    TensorPrimitives.Subtract(xe, yc[e].AsSpan(j0, len), tt);
                    TensorPrimitives.Multiply(tt, d, tt);
                    TensorPrimitives.MultiplyAdd(tt, px[i], acc[e].AsSpan(j0, len), acc[e].AsSpan(j0, len));
                }
            }
        }
        if (acc is not null)
            for (int j = 0; j < ny; j++)
                for (int e = 0; e < k; e++)
                    mirror![j * k + e] -= scale * py[j] * acc[e][j];
        return total;
    }

    // t − detach(t) is exactly 0, so the forward value is unchanged; backward gives g.
    private static Tensor Surrogate(Tensor t, double[] g)
    {
        var gf = new float[g.Length];
        for (int i = 0; i < g.Length; i++) gf[i] = (float)g[i];
        return Ops.Sum(Ops.Mul(Ops.Sub(t, t.Detach()), Tensor.FromArray(gf, t.Shape.ToArray())));
    }
}
