using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GenStats.Stats;

/// <summary>
/// The Poisson(1) counts of the bootstrap, counter-based: the count of event <c>i</c> in stream
/// <c>s</c> is a pure function of (seed, s, i), so a streaming pass can regenerate any event's
/// count in any order instead of storing n × R weights, and agree bit for bit with the arrays of
/// <see cref="Bootstrap.PoissonMultipliers"/>.
/// </summary>
/// <remarks>
/// Draw: z = SplitMix64.Mix(key_s + i·φ) with key_s = Mix((seed·2³² | s) + φ) — the i-th output of
/// a SplitMix64 sequence started at key_s; u = z ≫ 11 is uniform on the 53-bit grid, and the count
/// is the inversion index k = #{j &lt; 30 : u &gt; ⌊2⁵³·F(j)⌋} of the Poisson(1) CDF F (capped at 30,
/// P(k ≥ 30) ≈ 10⁻³³).
/// </remarks>
internal static class PoissonStreams
{
    private const int Cap = 30;

    /// <summary>Counts ≥ this take the scalar tail in the vector draw (P ≈ 6·10⁻⁴ per draw).</summary>
    private const int VectorCut = 6;

    private static readonly ulong[] Thresholds = BuildThresholds();

    private static readonly long[] SignedThresholds = Array.ConvertAll(Thresholds, t => (long)t);

    /// <summary>The key of stream <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public static ulong Key(int seed, int stream) =>
        SplitMix64.Mix(((ulong)(uint)seed << 32 | (uint)stream) + SplitMix64.Golden);

    /// <summary>The Poisson(1) count of event <paramref name="index"/> in the stream of <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Count(ulong key, int index) => CountOf(Uniform53(key, index));

    /// <summary>
    /// The counts of event <paramref name="index"/> in four streams at once, negated (lane r is
    /// −<see cref="Count"/>(keys[r], index) exactly): the sum of the all-ones masks of u &gt; threshold,
    /// which a running count subtracts without a conversion.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<long> NegatedCounts(Vector256<ulong> keys, int index)
    {
        var z = keys + Vector256.Create((ulong)(uint)index * SplitMix64.Golden);
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(SplitMix64.M1);
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(SplitMix64.M2);
        // u < 2⁵³, so the signed lanes compare as the unsigned values.
        var u = Vector256.ShiftRightLogical(z ^ Vector256.ShiftRightLogical(z, 31), 11).AsInt64();
        var k = Vector256.GreaterThan(u, Vector256.Create(SignedThresholds[0]));
        for (int j = 1; j < VectorCut; j++) k += Vector256.GreaterThan(u, Vector256.Create(SignedThresholds[j]));
        if (Vector256.GreaterThanAny(u, Vector256.Create(SignedThresholds[VectorCut - 1])))
            k = Vector256.Create(-(long)CountOf((ulong)u[0]), -CountOf((ulong)u[1]), -CountOf((ulong)u[2]), -CountOf((ulong)u[3]));
        return k;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Uniform53(ulong key, int index) => SplitMix64.Mix(key + (ulong)(uint)index * SplitMix64.Golden) >> 11;

    private static int CountOf(ulong u)
    {
        int k = 0;
        while (k < Cap && u > Thresholds[k]) k++;
        return k;
    }

    // ⌊2⁵³·F(j)⌋ with F summed as the former inversion loop did (p₀ = e⁻¹, p_k = p_{k−1}/k);
    // u > ⌊2⁵³F⌋ ⇔ u/2⁵³ > F for an integer u, so this is inversion of a uniform on the 2⁻⁵³ grid.
    private static ulong[] BuildThresholds()
    {
        var t = new ulong[Cap];
        double p = Math.Exp(-1.0), cdf = p;
        for (int k = 0; k < Cap; k++)
        {
            t[k] = (ulong)Math.Floor(cdf * 9007199254740992.0);
            p /= k + 1;
            cdf += p;
        }
        return t;
    }
}
