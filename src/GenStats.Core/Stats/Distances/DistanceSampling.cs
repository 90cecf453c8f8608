namespace GenStats.Stats;

/// <summary>
/// Seeded random streams and index draws shared by the multi-dimensional distances. Every stream
/// is derived from (seed, stream number) by the same SplitMix64 hash the bootstrap uses, so that
/// subsamples, batches and projections never reuse the bootstrap's replica streams.
/// </summary>
internal static class DistanceSampling
{
    // Stream numbers far above any bootstrap replica stream (2r, 2r + 1, redraws + k·1_000_003).
    public const int SubsampleA = int.MaxValue - 1;
    public const int SubsampleB = int.MaxValue - 2;
    public const int Projections = int.MaxValue - 3;
    public const int BandwidthSubsample = int.MaxValue - 4;
    public const int BatchBase = 1 << 30;

    public static Random Stream(int seed, int stream) => new(Bootstrap.ReplicaSeed(seed, stream));

    /// <summary>k distinct indices out of 0..n−1 in draw order (partial Fisher–Yates).</summary>
    public static int[] WithoutReplacement(int n, int k, Random rng)
    {
        var all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        for (int i = 0; i < k; i++)
        {
            int j = rng.Next(i, n);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..k];
    }

    /// <summary>k indices drawn uniformly with replacement out of 0..n−1.</summary>
    public static int[] WithReplacement(int n, int k, Random rng)
    {
        var idx = new int[k];
        for (int i = 0; i < k; i++) idx[i] = rng.Next(n);
        return idx;
    }

    /// <summary>The entries of <paramref name="values"/> at <paramref name="take"/>, or null for null.</summary>
    public static double[]? Take(double[]? values, int[] take)
    {
        if (values is null) return null;
        var r = new double[take.Length];
        for (int i = 0; i < take.Length; i++) r[i] = values[take[i]];
        return r;
    }

    /// <summary>Kish's effective sample size (Σw)²/Σw², the event count for null weights.</summary>
    public static double EffectiveSize(double[]? weights, int count)
    {
        if (weights is null) return count;
        var s = new CompensatedSum();
        var s2 = new CompensatedSum();
        foreach (double w in weights) { s.Add(w); s2.Add(w * w); }
        return s.Value * s.Value / s2.Value;
    }

    /// <summary>Rejects a replica count of 1 or below 0 (0 switches the uncertainty off).</summary>
    public static void RequireReplicas(int replicas, string paramName)
    {
        if (replicas != 0 && replicas < 2)
            throw new ArgumentOutOfRangeException(paramName, replicas,
                "BootstrapReplicas must be 0 (no uncertainty) or at least 2.");
    }

    /// <summary>Sample standard deviation (N − 1) of the finite values; NaN when fewer than two.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length < 2) return double.NaN;
        double mean = CompensatedSum.Of(finite) / finite.Length;
        var ss = new CompensatedSum();
        foreach (double v in finite) ss.Add((v - mean) * (v - mean));
        return Math.Sqrt(ss.Value / (finite.Length - 1));
    }

    public static string BootstrapLabel(int replicas, int seed) =>
        replicas == 0 ? "none" : $"poisson-bootstrap({replicas}, seed {seed})";
}
