using GenStats.Data;
using GenStats.Tensors;
using GenStats.Tensors.Backends;

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

    // φ = atan2(s, c): Ops.Atan2 gives −π at (c < 0, s = −0); that point is moved to π by a
    // constant shift (no gradient), so the output always lies in (−π, π] as PeriodicTransform.Angle.
    private static Tensor Periodic(Tensor z)
    {
        var phi = Ops.Atan2(Ops.SliceColumns(z, 1, 1), Ops.SliceColumns(z, 0, 1));
        // 2π where φ ≤ −π_f, i.e. φ + π_f ≤ 0 (exact in float32 for φ in [−π_f, π_f]); 0 elsewhere.
        Tensor shift;
        using (Autograd.NoGrad())
            shift = Ops.MaskMul(Tensor.Full(2 * MathF.PI, phi.Shape), Ops.Affine(Ops.Detach(phi), 1, MathF.PI), MaskKind.NonPositive);
        return Ops.Add(phi, shift);
    }

    // u = Φ(z) = ½(1 + erf(z/√2)); position p = u·(m − 1) in [0, m − 1]; the segment
    // j = min(searchsorted(0..m−1, p, right) − 1, m − 2) (no gradient), then
    // x = q_j + (p − j)(q_{j+1} − q_j) with q_j and the slopes gathered by TakeAlongAxis.
    private static Tensor Quantile(double[] q, Tensor z)
    {
        int m = q.Length;
        var u = Ops.Affine(Ops.Erf(Ops.Affine(z, (float)(1 / Math.Sqrt(2)), 0)), 0.5f, 0.5f);
        var position = Ops.Clamp(Ops.Affine(u, m - 1, 0), 0, m - 1);
        float[] grid = new float[m], table = new float[m], slope = new float[m];
        for (int j = 0; j < m; j++)
        {
            grid[j] = j;
            table[j] = (float)q[j];
            slope[j] = j + 1 < m ? (float)(q[j + 1] - q[j]) : 0f;
        }
        var segment = Ops.Clamp(Ops.Affine(Ops.SearchSorted(Tensor.FromArray(grid, m), position, right: true), 1, -1), 0, m - 2);
        var qj = Ops.TakeAlongAxis(Tensor.FromArray(table, m, 1), segment, 0);
        var dq = Ops.TakeAlongAxis(Tensor.FromArray(slope, m, 1), segment, 0);
        return Ops.Add(Ops.Mul(Ops.Sub(position, segment), dq), qj);
    }
}
