using System.Runtime.Intrinsics;

namespace GenStats.Tensors.Backends;

/// <summary>
/// Branch-free SIMD forms of the managed backend's piecewise element-wise kernels (leaky ReLU and
/// the gradient masks): a data-dependent branch per element mispredicts on activations of random
/// sign, which made these the slowest element-wise operations of a conv-GAN step. Each lane
/// computes exactly what the scalar rule computes (the same product, a select), so results are
/// bit-identical to the scalar loop, which still handles the tail.
/// </summary>
internal static class CpuElementwise
{
    /// <summary>y = x &gt; 0 ? x : slope·x.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float slope)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(slope);
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.Create(x.Slice(i, 8));
                Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, v * s).CopyTo(y.Slice(i, 8));
            }
        }
        for (; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0 ? v : slope * v;
        }
    }

    /// <summary>r = g·m(x) for the mask <paramref name="kind"/> (see <see cref="MaskKind"/>).</summary>
    public static void Mask(MaskKind kind, ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> r, float p0, float p1)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var zero = Vector256<float>.Zero;
            var lo = Vector256.Create(p0);
            var hi = Vector256.Create(p1);
            for (; i + 8 <= x.Length; i += 8)
            {
                var xv = Vector256.Create(x.Slice(i, 8));
                var gv = Vector256.Create(g.Slice(i, 8));
                var rv = kind switch
                {
                    MaskKind.Positive => Vector256.ConditionalSelect(Vector256.GreaterThan(xv, zero), gv, zero),
                    MaskKind.NonPositive => Vector256.ConditionalSelect(Vector256.LessThanOrEqual(xv, zero), gv, zero),
                    MaskKind.Leaky => Vector256.ConditionalSelect(Vector256.GreaterThan(xv, zero), gv, lo * gv),
                    MaskKind.Between => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(xv, lo) & Vector256.LessThanOrEqual(xv, hi), gv, zero),
                    MaskKind.Sign => Vector256.ConditionalSelect(Vector256.GreaterThan(xv, zero), gv,
                                         Vector256.ConditionalSelect(Vector256.LessThan(xv, zero), -gv, zero)),
                    _ => throw new ArgumentException($"unknown mask {kind}.", nameof(kind)),
                };
                rv.CopyTo(r.Slice(i, 8));
            }
        }
        for (; i < x.Length; i++)
        {
            float v = x[i];
            r[i] = kind switch
            {
                MaskKind.Positive => v > 0 ? g[i] : 0,
                MaskKind.NonPositive => v <= 0 ? g[i] : 0,
                MaskKind.Leaky => v > 0 ? g[i] : p0 * g[i],
                MaskKind.Between => v >= p0 && v <= p1 ? g[i] : 0,
                MaskKind.Sign => v > 0 ? g[i] : v < 0 ? -g[i] : 0,
                _ => throw new ArgumentException($"unknown mask {kind}.", nameof(kind)),
            };
        }
    }
}
