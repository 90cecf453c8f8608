using System.Numerics.Tensors;

namespace GenStats.Tensors.Backends;

/// <summary>
/// A counter-based generator: the i-th draw of stream <c>key</c> is a pure function of (key, i)
/// (two SplitMix64 finalisers), so fills can be split over threads and still give the same bytes.
/// Uniforms use the top 24 bits (exact float32 grid on [0,1)); normals use Box–Muller on the two
/// 32-bit halves of one 64-bit draw.
/// </summary>
internal static class CounterRng
{
    private static ulong Mix(ulong z) => SplitMix64.Mix(z);

    public static ulong Draw(ulong key, ulong counter) => Mix(Mix(key + counter * SplitMix64.Golden) ^ key);

    /// <summary>Derives the key of stream <paramref name="stream"/> of generator <paramref name="seed"/>.</summary>
    public static ulong Key(ulong seed, ulong stream) => Mix(seed ^ Mix(stream + 0x632BE59BD9B4E019UL));

    public static void FillUniform(Span<float> y, ulong key, ulong start, float lo, float hi)
    {
        float w = hi - lo;
        for (int i = 0; i < y.Length; i++)
        {
            float u = (Draw(key, start + (ulong)i) >> 40) * (1f / 16777216f);
            y[i] = lo + w * u;
        }
    }

    /// <summary>
    /// Elements 2j and 2j+1 come from counter j, so chunks must start at even offsets. Box–Muller
    /// runs in float32 on blocks with the vectorised log/sqrt/sin/cos of TensorPrimitives:
    /// u1 = (hi32 + 1)/2³² ∈ (0, 1] (tails to 6.66σ), angle 2π(lo32/2³² − ½).
    /// </summary>
    public static void FillNormal(Span<float> y, ulong key, ulong startPair, float mean, float std)
    {
        const int Block = 512;
        Span<float> rad = stackalloc float[Block];
        Span<float> ang = stackalloc float[Block];
        Span<float> sin = stackalloc float[Block];
        Span<float> cos = stackalloc float[Block];
        int pairs = (y.Length + 1) / 2;
        for (int b0 = 0; b0 < pairs; b0 += Block)
        {
            int nb = Math.Min(Block, pairs - b0);
            var r = rad[..nb];
            var a = ang[..nb];
            for (int j = 0; j < nb; j++)
            {
                ulong d = Draw(key, startPair + (ulong)(b0 + j));
                r[j] = ((d >> 32) + 1) * (1f / 4294967296f);
                a[j] = ((uint)d * (1f / 4294967296f) - 0.5f) * (2 * MathF.PI);   // [−π, π]
            }
            TensorPrimitives.Log(r, r);
            TensorPrimitives.Multiply(r, -2f, r);
            TensorPrimitives.Sqrt(r, r);
            TensorPrimitives.Multiply(r, std, r);
            // Separate Sin and Cos: both are vectorised, SinCos is not (yet).
            TensorPrimitives.Sin(a, sin[..nb]);
            TensorPrimitives.Cos(a, cos[..nb]);
            for (int j = 0; j < nb; j++)
            {
                int i = 2 * (b0 + j);
                y[i] = mean + r[j] * cos[j];
                if (i + 1 < y.Length) y[i + 1] = mean + r[j] * sin[j];
            }
        }
    }
}
