namespace GenStats.Stats;

/// <summary>
/// Seeded weighted Poisson bootstrap: each replica multiplies every event's weight by an
/// independent Poisson(1) count, which resamples a weighted (even sWeighted) sample without
/// duplicating rows, and works for statistics that take weights. Replicas are independent of the
/// thread schedule: the count of event i in replica r is a pure function of (seed, stream, i)
/// (counter-based, <see cref="PoissonStreams"/>), with stream 2r for the first sample and 2r + 1 for
/// the second — so a streaming pass (<see cref="CdfBootstrap"/>) regenerates the same counts in
/// sorted order without storing n × R weights.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// Poisson(1) weight multipliers for <paramref name="count"/> events of replica (stream)
    /// <paramref name="replica"/>. Element i depends on (seed, replica, i) only: a longer array
    /// extends a shorter one, and any element can be regenerated alone.
    /// </summary>
    public static double[] PoissonMultipliers(int count, int seed, int replica)
    {
        ulong key = PoissonStreams.Key(seed, replica);
        var m = new double[count];
        for (int i = 0; i < count; i++) m[i] = PoissonStreams.Count(key, i);
        return m;
    }

    /// <summary>
    /// Cluster (block) bootstrap multipliers: one Poisson(1) count per cluster, shared by all its
    /// events — the resampling unit is the cluster (e.g. the condition row of an oversampled sample,
    /// whose K events are correlated), not the event. <paramref name="clusters"/> holds every
    /// event's cluster label in [0, clusterCount). Identical for identical (labels, seed, replica).
    /// </summary>
    /// <exception cref="ArgumentException">A label outside [0, clusterCount).</exception>
    public static double[] ClusterMultipliers(int[] clusters, int clusterCount, int seed, int replica)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        var perCluster = PoissonMultipliers(clusterCount, seed, replica);
        var m = new double[clusters.Length];
        for (int i = 0; i < m.Length; i++)
        {
            int c = clusters[i];
            if ((uint)c >= (uint)clusterCount)
                throw new ArgumentException($"clusters[{i}] is {c}; labels must be in [0, {clusterCount}).", nameof(clusters));
            m[i] = perCluster[c];
        }
        return m;
    }

    /// <summary>
    /// The bootstrap spread of a one-sample statistic. <paramref name="statistic"/> receives the
    /// replica's weights (the original weights, or 1, times Poisson(1) multipliers).
    /// A replica whose weights sum to ≤ 0 is redrawn (possible only for tiny or sWeighted samples).
    /// </summary>
    public static BootstrapSummary OneSample(
        int count, double[]? weights, Func<double[], double> statistic, BootstrapOptions? options = null)
    {
        options ??= BootstrapOptions.Default;
        CheckOptions(options, count);
        var values = new double[options.Replicas];
        Parallel.For(0, options.Replicas, r =>
        {
            values[r] = statistic(ReplicaWeights(count, weights, options.Seed, 2 * r));
        });
        return Summarize(values, options);
    }

    /// <summary>
    /// The bootstrap spread of a two-sample statistic; both samples are resampled independently
    /// in each replica. <paramref name="statistic"/> receives (weights of A, weights of B).
    /// </summary>
    public static BootstrapSummary TwoSample(
        int countA, double[]? weightsA, int countB, double[]? weightsB,
        Func<double[], double[], double> statistic, BootstrapOptions? options = null)
    {
        options ??= BootstrapOptions.Default;
        CheckOptions(options, Math.Min(countA, countB));
        var values = new double[options.Replicas];
        Parallel.For(0, options.Replicas, r =>
        {
            var wa = ReplicaWeights(countA, weightsA, options.Seed, 2 * r);
            var wb = ReplicaWeights(countB, weightsB, options.Seed, 2 * r + 1);
            values[r] = statistic(wa, wb);
        });
        return Summarize(values, options);
    }

    /// <summary>A redraw of a replica whose Σw ≤ 0 moves its stream by this (odd, larger than any replica's stream).</summary>
    internal const int RedrawStride = 1_000_003;

    /// <summary>Redraws at most this many times before giving up on a sample dominated by negative weights.</summary>
    internal const int MaxRedraws = 1000;

    internal static double[] ReplicaWeights(int count, double[]? weights, int seed, int stream)
    {
        // Redraw with the next stream until Σw > 0; streams never collide with other replicas
        // because redraws step by a large odd offset.
        for (int attempt = 0; ; attempt++)
        {
            var m = PoissonMultipliers(count, seed, stream + attempt * RedrawStride);
            var sum = new CompensatedSum();
            for (int i = 0; i < count; i++)
            {
                m[i] *= weights?[i] ?? 1.0;
                sum.Add(m[i]);
            }
            if (sum.Value > 0) return m;
            if (attempt > MaxRedraws) throw NegativeDominated();
        }
    }

    internal static ArgumentException NegativeDominated() =>
        new("Bootstrap replicas keep giving Σw ≤ 0; the sample's weights are dominated by negative values.", "weights");

    internal static BootstrapSummary Summarize(double[] values, BootstrapOptions options)
    {
        var mean = new CompensatedSum();
        foreach (double v in values) mean.Add(v);
        double mu = mean.Value / values.Length;
        var ss = new CompensatedSum();
        foreach (double v in values) ss.Add((v - mu) * (v - mu));
        return new BootstrapSummary(
            Math.Sqrt(ss.Value / (values.Length - 1)), mu, values,
            $"poisson-bootstrap({options.Replicas}, seed {options.Seed})");
    }

    internal static void CheckOptions(BootstrapOptions options, int count)
    {
        if (options.Replicas < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.Replicas,
                "A bootstrap needs at least 2 replicas.");
        if (count < 1)
            throw new ArgumentException("A bootstrap needs at least one event in every sample.", nameof(count));
    }

    // SplitMix64 of (seed, replica) so that neighbouring replicas get unrelated generators.
    internal static int ReplicaSeed(int seed, int replica) =>
        SplitMix64.Seed31(((ulong)(uint)seed << 32 | (uint)replica) + SplitMix64.Golden);
}
