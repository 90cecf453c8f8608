namespace GenStats.Tensors.Backends;

/// <summary>
/// A counter-based generator: the i-th draw of stream <c>key</c> is a pure function of (key, i)
/// (two SplitMix64 finalisers), so fills can be split over threads and still give the same bytes.
/// Uniforms use the top 24 bits (exact float32 grid on [0,1)); normals use Box–Muller on the two
/// 32-bit halves of one 64-bit draw, computed in float64.
/// </summary>
internal static class CounterRng
{
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Draw(ulong key, ulong counter) => Mix(Mix(key + counter * 0x9E3779B97F4A7C15UL) ^ key);

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

    /// <summary>Elements 2j and 2j+1 come from counter j, so chunks must start at even offsets.</summary>
    public static void FillNormal(Span<float> y, ulong key, ulong startPair, float mean, float std)
    {
        for (int i = 0; i < y.Length; i += 2)
        {
            ulong r = Draw(key, startPair + (ulong)(i / 2));
            double u1 = ((r >> 32) + 1) * (1.0 / 4294967296.0);          // (0, 1]: log is finite
            double u2 = (r & 0xFFFFFFFFUL) * (1.0 / 4294967296.0);       // [0, 1)
            double rad = Math.Sqrt(-2.0 * Math.Log(u1));
            double ang = 2.0 * Math.PI * u2;
            y[i] = (float)(mean + std * rad * Math.Cos(ang));
            if (i + 1 < y.Length) y[i + 1] = (float)(mean + std * rad * Math.Sin(ang));
        }
    }
}
