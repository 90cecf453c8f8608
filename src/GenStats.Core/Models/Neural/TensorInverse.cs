using GenStats.Data;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// The inverse of a fitted <see cref="RowTransform"/> as a differentiable tensor function, so
/// that a loss term (an auxiliary statistic) sees generated events in physics units while
/// gradients flow back to the network's model-scale output. float32 throughout; it agrees with
/// the float64 <see cref="RowTransform.InverseRow"/> to float32 rounding.
/// </summary>
public static class TensorInverse
{
    /// <summary>
    /// Maps model rows z [B, <see cref="RowTransform.OutputWidth"/>] to raw rows
    /// [B, <see cref="RowTransform.Width"/>]: identity → z; standard → μ + σz; log → exp(μ + σz);
    /// log1p → exp(μ + σz) − 1; logit → lo + (hi − lo)·sigmoid(μ + σz); periodic →
    /// atan2(s, c) in (−π, π]; quantile-normal → u = Φ(z) (via erf), then the piecewise-linear
    /// interpolation of the stored quantiles at u·(m − 1) (the segment index is found without a
    /// gradient; the derivative is the segment's slope times m − 1 times φ(z)).
    /// </summary>
    /// <exception cref="ArgumentException">z is not [B, OutputWidth].</exception>
    public static Tensor Apply(RowTransform transform, Tensor z)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2 || z.Shape[1] != transform.OutputWidth)
            throw new ArgumentException($"z has shape [{string.Join(", ", z.Shape.ToArray())}]; [B, {transform.OutputWidth}] is required.", nameof(z));
        if (transform.Width == 0) return z;
        var parts = new Tensor[transform.Width];
        for (int c = 0; c < parts.Length; c++)
        {
            var column = transform.Columns[c];
            var zc = Ops.SliceColumns(z, transform.OutputOffset(c), column.Width);
            parts[c] = Column(column.State, zc);
        }
        return parts.Length == 1 ? parts[0] : Ops.Concat(parts, 1);
    }

    private static Tensor Column(ColumnTransformState s, Tensor z)
    {
        Tensor Standardised() => Ops.Affine(z, (float)s.Get("scale", 1)[0], (float)s.Get("mean", 1)[0]);
        switch (s.Kind)
        {
            case IdentityTransform.KindName: return z;
            case StandardTransform.KindName: return Standardised();
            case LogTransform.KindName: return Ops.Exp(Standardised());
            case Log1pTransform.KindName: return Ops.Affine(Ops.Exp(Standardised()), 1, -1);
            case LogitTransform.KindName:
                double lo = s.Get("lower", 1)[0], hi = s.Get("upper", 1)[0];
                return Ops.Affine(Ops.Sigmoid(Standardised()), (float)(hi - lo), (float)lo);
            case PeriodicTransform.KindName: return Periodic(z);
            case QuantileNormalTransform.KindName: return Quantile(s.Get("quantiles"), z);
            default: throw new NotSupportedException($"transform kind '{s.Kind}' has no tensor inverse.");
        }
    }

    // Until Ops.Atan2/Ops.Erf land (branch ops): the value and the first derivative computed in
    // float64 on the host, applied as x0 + J·(z − z0) so that the graph has the exact value and the
    // exact gradient at z0 (second derivatives are not available through this form).
    private static Tensor Periodic(Tensor z)
    {
        int n = z.Shape[0];
        var v = z.Values;
        float[] x0 = new float[n], dc = new float[n], ds = new float[n];
        for (int i = 0; i < n; i++)
        {
            double c = v[2 * i], s = v[2 * i + 1], r2 = c * c + s * s;
            x0[i] = (float)PeriodicTransform.Angle(c, s);
            if (r2 > 0) { dc[i] = (float)(-s / r2); ds[i] = (float)(c / r2); }
        }
        var zc = Ops.SliceColumns(z, 0, 1);
        var zs = Ops.SliceColumns(z, 1, 1);
        return Linearised(x0, [(zc, dc), (zs, ds)]);
    }

    private static Tensor Quantile(double[] q, Tensor z)
    {
        int n = z.Shape[0], last = q.Length - 1;
        var v = z.Values;
        float[] x0 = new float[n], d = new float[n];
        for (int i = 0; i < n; i++)
        {
            double zi = v[i], u = GenStats.Numerics.StandardNormal.Cdf(zi), position = Math.Clamp(u, 0, 1) * last;
            int j = Math.Min((int)Math.Floor(position), last - 1);
            double t = position - j;
            x0[i] = (float)(q[j] + t * (q[j + 1] - q[j]));
            // dx/dz = (q_{j+1} − q_j)·(m − 1)·φ(z) inside the table, 0 where u is clipped.
            d[i] = u is > 0 and < 1 ? (float)((q[j + 1] - q[j]) * last * Math.Exp(GenStats.Numerics.StandardNormal.LogDensity(zi))) : 0f;
        }
        return Linearised(x0, [(z, d)]);
    }

    private static Tensor Linearised(float[] x0, (Tensor Z, float[] Slope)[] terms)
    {
        int n = x0.Length;
        var result = Tensor.FromArray(x0, n, 1);
        foreach (var (zk, slope) in terms)
        {
            var offset = Ops.Sub(zk, zk.Detach());
            result = Ops.Add(result, Ops.Mul(offset, Tensor.FromArray(slope, n, 1)));
        }
        return result;
    }
}
