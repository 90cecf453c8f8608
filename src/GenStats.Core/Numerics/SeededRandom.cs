namespace GenStats.Numerics;

/// <summary>
/// A small, fast, seedable generator (xoshiro256** seeded through SplitMix64) with uniform,
/// standard-normal and weighted-index draws. Its sequence is fixed by this code alone, so a seed
/// gives the same bytes on every platform and .NET version. <see cref="ForStream"/> derives
/// independent streams (e.g. one per block of events) so parallel work stays deterministic.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>A generator for <paramref name="seed"/>.</summary>
    public SeededRandom(long seed) : this((ulong)seed, 0) { }

    private SeededRandom(ulong seed, ulong stream)
    {
        ulong x = seed ^ (SplitMix64.Golden * (stream + 1));
        _s0 = SplitMix64.Next(ref x); _s1 = SplitMix64.Next(ref x); _s2 = SplitMix64.Next(ref x); _s3 = SplitMix64.Next(ref x);
    }

    /// <summary>The generator of stream <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public static SeededRandom ForStream(long seed, long stream) => new((ulong)seed, (ulong)stream + 1);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), n &gt; 0 (Lemire's unbiased multiply-shift).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive.");
        ulong range = (ulong)n;
        while (true)
        {
            UInt128 m = (UInt128)NextUInt64() * range;
            ulong low = (ulong)m;
            if (low >= range || low >= (0 - range) % range) return (int)(m >> 64);
        }
    }

    /// <summary>A standard normal draw (Box–Muller, both values used).</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spareNormal; }
        double u1;
        do u1 = NextDouble(); while (u1 <= 0);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        _hasSpare = true;
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>
    /// An index drawn with probability ∝ weight, given the running sums
    /// <paramref name="cumulative"/> (non-decreasing, last entry &gt; 0). Zero-weight entries are never picked.
    /// </summary>
    public int NextIndex(double[] cumulative)
    {
        double target = NextDouble() * cumulative[^1];
        int lo = 0, hi = cumulative.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > target) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
