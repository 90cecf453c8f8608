using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace GenStats.Tensors.Cuda.Kernels;

/// <summary>
/// The managed backend's counter-based generator (CounterRng) ported draw for draw: the i-th draw
/// of stream <c>key</c> is Mix(Mix(key + i·φ) ^ key) with SplitMix64's finaliser, so a key gives the
/// same integers here as on the CPU. Uniforms use the top 24 bits; normals use Box–Muller on the two
/// 32-bit halves of draw j for elements 2j and 2j+1. Uniform draws are the same floats; normal draws
/// agree to the last bits of the float32 log/sqrt/sin/cos each side uses.
/// </summary>
internal static class RngKernels
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const ulong M1 = 0xBF58476D1CE4E5B9UL;
    private const ulong M2 = 0x94D049BB133111EBUL;

    /// <summary>SplitMix64's finaliser (GenStats.Numerics.SplitMix64.Mix).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * M1;
        z = (z ^ (z >> 27)) * M2;
        return z ^ (z >> 31);
    }

    public static ulong Draw(ulong key, ulong counter) => Mix(Mix(key + counter * Golden) ^ key);

    public static void Uniform(Index1D i, ArrayView1D<float, Stride1D.Dense> y, ulong key, float lo, float width)
    {
        float u = (Draw(key, (ulong)(int)i) >> 40) * (1f / 16777216f);
        y[i] = lo + width * u;
    }

    /// <summary>Thread j writes elements 2j and 2j+1 (the second only when it is inside n).</summary>
    public static void Normal(Index1D j, ArrayView1D<float, Stride1D.Dense> y, ulong key, float mean, float std, int n)
    {
        ulong d = Draw(key, (ulong)(int)j);
        float r = ((d >> 32) + 1) * (1f / 4294967296f);
        float a = ((uint)d * (1f / 4294967296f) - 0.5f) * (2 * MathF.PI);
        r = XMath.Sqrt(XMath.Log(r) * -2f) * std;
        int k = 2 * j;
        y[k] = mean + r * XMath.Cos(a);
        if (k + 1 < n) y[k + 1] = mean + r * XMath.Sin(a);
    }
}
