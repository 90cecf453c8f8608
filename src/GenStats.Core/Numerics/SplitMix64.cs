namespace GenStats.Numerics;

/// <summary>
/// The SplitMix64 finaliser (Steele, Lea and Flood 2014; the constants of Vigna's splitmix64.c), the
/// one counter/seed mixer of the code base: RNG seeding (<see cref="SeededRandom"/>), counter-based
/// draws (Tensors), data splits, bootstrap replicas, k-means restarts and simulator chunks all hash
/// their own input composition through <see cref="Mix"/>, so every random stream is fixed by that
/// composition alone.
/// </summary>
internal static class SplitMix64
{
    /// <summary>The golden-ratio increment 2⁶⁴/φ of the SplitMix64 sequence.</summary>
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The first multiplier of the finaliser (also used to spread a second counter).</summary>
    public const ulong M1 = 0xBF58476D1CE4E5B9UL;

    /// <summary>The second multiplier of the finaliser (also used to spread a third counter).</summary>
    public const ulong M2 = 0x94D049BB133111EBUL;

    /// <summary>The finaliser: a bijective avalanche of the 64 bits of <paramref name="z"/>.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * M1;
        z = (z ^ (z >> 27)) * M2;
        return z ^ (z >> 31);
    }

    /// <summary>The next output of the SplitMix64 sequence with state <paramref name="state"/> (advanced by <see cref="Golden"/>).</summary>
    public static ulong Next(ref ulong state) => Mix(state += Golden);

    /// <summary>A non-negative 31-bit seed (for <see cref="System.Random"/>) from <see cref="Mix"/> of <paramref name="z"/>.</summary>
    public static int Seed31(ulong z) => (int)(Mix(z) & 0x7FFFFFFF);
}
