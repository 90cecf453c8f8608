using System.Numerics.Tensors;
using GenStats.Tensors.Backends;

namespace GenStats.Models;

/// <summary>
/// The rational-quadratic spline of <see cref="RationalQuadraticSpline"/> evaluated in one fused
/// pass, for values that need no gradient (sampling, density evaluation): the tensor path runs
/// about fifty whole-array operations per layer, each allocating and walking memory, while this
/// one keeps a block of values and their parameters in cache. Values are processed in fixed blocks
/// of <see cref="Block"/>; inside a block the parameters are transposed so that the softmax,
/// softplus and logarithms run as SIMD spans, then each value finds its bin and solves its bin's
/// equation. Blocks are independent and write disjoint outputs, so results do not depend on the
/// thread count. Same formulas and operation order as the tensor path, except the softmax
/// denominators, which are summed in bin order (the tensor path's SIMD sum may differ in the last
/// bit).
/// </summary>
internal static class SplineKernel
{
    private const int Block = 256;

    [ThreadStatic] private static float[]? scratch;

    /// <summary>
    /// output[i] = s(input[i]) (or s⁻¹ when <paramref name="inverse"/>) and logDet[i] = log|s′| (or
    /// log|(s⁻¹)′|), 0 in the identity tails, for i &lt; m, with parameters[i·(3K − 1) …] (widths,
    /// heights, interior derivatives, nflows' layout).
    /// </summary>
    public static void Apply(float[] input, float[] parameters, int m, SplineShape shape, bool inverse, float[] output, float[] logDet, int threads)
    {
        int blocks = (m + Block - 1) / Block;
        WorkerPool.Run(blocks, threads, b => RunBlock(input, parameters, b * Block, Math.Min(Block, m - b * Block), shape, inverse, output, logDet));
    }

    private static void RunBlock(float[] input, float[] parameters, int e0, int count, SplineShape shape, bool inverse, float[] output, float[] logDet)
    {
        int k = shape.Bins, p = shape.ParameterCount;
        // Column layout, stride Block: p parameter rows, K + 1 width knots, K + 1 height knots, K + 1 derivatives, 2 temporaries.
        int cwAt = p * Block, chAt = cwAt + (k + 1) * Block, dvAt = chAt + (k + 1) * Block, t0At = dvAt + (k + 1) * Block, t1At = t0At + Block;
        int size = t1At + Block;
        var buf = scratch is { Length: var len } && len >= size ? scratch : scratch = new float[size];
        Span<float> Row(int at, int j) => buf.AsSpan(at + j * Block, count);

        for (int i = 0; i < count; i++)
        {
            var src = parameters.AsSpan((e0 + i) * p, p);
            for (int j = 0; j < p; j++) buf[j * Block + i] = src[j];
        }
        Knots(buf, 0, cwAt, count, k, shape.MinBinWidth, shape.Bound);
        Knots(buf, k, chAt, count, k, shape.MinBinHeight, shape.Bound);
        // Derivatives: 1 at both ends, softplus(u) + min_derivative inside; softplus(v) = max(v, 0) + log(1 + e^−|v|).
        Row(dvAt, 0).Fill(1f);
        Row(dvAt, k).Fill(1f);
        var tmp = Row(t0At, 0);
        for (int j = 1; j < k; j++)
        {
            var u = Row(0, 2 * k + j - 1);
            var d = Row(dvAt, j);
            TensorPrimitives.Abs(u, tmp);
            TensorPrimitives.Negate(tmp, tmp);
            TensorPrimitives.Exp(tmp, tmp);
            TensorPrimitives.Add(tmp, 1f, tmp);
            TensorPrimitives.Log(tmp, tmp);
            TensorPrimitives.Max(u, 0f, d);
            TensorPrimitives.Add(d, tmp, d);
            TensorPrimitives.Add(d, shape.MinDerivative, d);
        }

        float bound = shape.Bound;
        int edgesAt = inverse ? chAt : cwAt;
        var num = Row(t0At, 0);
        var den = Row(t1At, 0);
        for (int i = 0; i < count; i++)
        {
            float v = input[e0 + i];
            float c = MathF.Min(MathF.Max(v, -bound), bound);
            // Bin: (number of knots ≤ c) − 1, clamped to 0 … K − 1 (nflows' searchsorted, right side).
            int bin = 0;
            while (bin < k + 1 && !(buf[edgesAt + bin * Block + i] > c)) bin++;
            bin = Math.Clamp(bin - 1, 0, k - 1);
            float cw = buf[cwAt + bin * Block + i], w = buf[cwAt + (bin + 1) * Block + i] - cw;
            float ch = buf[chAt + bin * Block + i], h = buf[chAt + (bin + 1) * Block + i] - ch;
            float d0 = buf[dvAt + bin * Block + i], d1 = buf[dvAt + (bin + 1) * Block + i];
            float delta = h / w;
            float slopeSum = d0 + d1 - delta * 2;
            float theta, result;
            if (!inverse)
            {
                theta = (c - cw) / w;
                float tt = theta * (theta * -1 + 1);
                result = ch + h * (delta * (theta * theta) + d0 * tt) / (delta + slopeSum * tt);
            }
            else
            {
                // Solve aθ² + bθ + c = 0 with the stable root 2c/(−b − √(b² − 4ac)).
                float r = c - ch, rs = r * slopeSum;
                float qa = h * (delta - d0) + rs, qb = h * d0 - rs, qc = -(delta * r);
                float disc = MathF.Max(qb * qb - qa * qc * 4, 0);
                theta = qc * 2 / (-qb - MathF.Sqrt(disc));
                result = theta * w + cw;
            }
            bool inside = v >= -bound && v <= bound;
            output[e0 + i] = inside ? result : v;
            // log s′ = log[δ²(d1θ² + 2δθ(1−θ) + d0(1−θ)²)] − 2 log[δ + s·θ(1−θ)]; tails get log 1 − 2 log 1 = 0.
            float t1 = theta * (theta * -1 + 1), om = theta * -1 + 1;
            num[i] = inside ? delta * delta * (d1 * (theta * theta) + delta * 2 * t1 + d0 * (om * om)) : 1f;
            den[i] = inside ? delta + slopeSum * t1 : 1f;
        }
        var ld = logDet.AsSpan(e0, count);
        TensorPrimitives.Log(num, num);
        TensorPrimitives.Log(den, den);
        TensorPrimitives.Multiply(den, 2f, den);
        if (inverse) TensorPrimitives.Subtract(den, num, ld);
        else TensorPrimitives.Subtract(num, den, ld);
    }

    /// <summary>Knot rows at..at + K (−B … B) from the K unconstrained rows starting at parameter row <paramref name="first"/>.</summary>
    private static void Knots(float[] buf, int first, int at, int count, int k, float minimum, float bound)
    {
        Span<float> Row(int start, int j) => buf.AsSpan(start + j * Block, count);
        // Softmax with a floor: the exponentials go to knot rows 1..K, the maximum and then the sum to knot row 0.
        var acc = Row(at, 0);
        Row(0, first).CopyTo(acc);
        for (int j = 1; j < k; j++) TensorPrimitives.Max(acc, Row(0, first + j), acc);
        for (int j = 0; j < k; j++)
        {
            var e = Row(at, j + 1);
            TensorPrimitives.Subtract(Row(0, first + j), acc, e);
            TensorPrimitives.Exp(e, e);
        }
        Row(at, 1).CopyTo(acc);
        for (int j = 1; j < k; j++) TensorPrimitives.Add(acc, Row(at, j + 1), acc);
        for (int j = 0; j < k; j++)
        {
            var f = Row(at, j + 1);
            TensorPrimitives.Divide(f, acc, f);
            TensorPrimitives.Multiply(f, 1 - minimum * k, f);
            TensorPrimitives.Add(f, minimum, f);
        }
        // Cumulative fractions 0, f0, f0 + f1, …, 1, mapped to −B … B.
        for (int j = 2; j < k; j++) TensorPrimitives.Add(Row(at, j), Row(at, j - 1), Row(at, j));
        Row(at, 0).Clear();
        Row(at, k).Fill(1f);
        for (int j = 0; j <= k; j++)
        {
            var r = Row(at, j);
            TensorPrimitives.Multiply(r, 2 * bound, r);
            TensorPrimitives.Add(r, -bound, r);
        }
    }
}
