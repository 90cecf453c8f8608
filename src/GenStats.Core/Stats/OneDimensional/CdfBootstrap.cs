namespace GenStats.Stats;

/// <summary>
/// The Poisson bootstrap of the ECDF-difference metrics (KS sup|F − G|, Wasserstein-1 ∫|F − G|,
/// Cramér ∫(F − G)², energy) in one streaming pass: both samples sorted once, every replica's
/// weights regenerated event by event from counter-based Poisson streams, all replicas walked
/// together. Memory O(n + R) (the sorted samples and their permutations, 12 bytes per event, plus
/// a few doubles per replica) instead of the n × R weights of <see cref="Bootstrap.TwoSample"/>;
/// time O(n·R) in a vector inner loop, parallel over blocks of replicas.
/// </summary>
/// <remarks>
/// The replica values equal those of <see cref="Bootstrap.TwoSample"/> with the same
/// <see cref="BootstrapOptions"/> evaluating the metric on each replica's weights (e.g.
/// <c>Bootstrap.TwoSample(n, wA, m, wB, (a', b') =&gt; CdfDistances.Wasserstein1Value(a, a', b, b'))</c>)
/// bit for bit: replica r multiplies event i of the first sample by the Poisson(1) count of stream
/// 2r at index i and the second sample's by stream 2r + 1 (<see cref="Bootstrap.PoissonMultipliers"/>),
/// redraws a replica whose Σw ≤ 0 on the same shifted stream, and does the same floating-point
/// operations in the same order. Argument order (a, weightsA, b, weightsB), as every two-sample metric.
/// </remarks>
public static class CdfBootstrap
{
    /// <summary>sup|F − G|, ∫|F − G| dx and ∫(F − G)² dx of every bootstrap replica.</summary>
    /// <param name="a">First (reference / real) sample, finite, non-empty.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed, Σw &gt; 0); null = 1 per event.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>.</param>
    /// <param name="bootstrap">Replicas and seed (null: 200, seed 1).</param>
    /// <param name="progress">Receives the fraction done (0..1) now and then, from worker threads.</param>
    /// <exception cref="ArgumentException">Non-finite values or weights, or a sample whose replicas keep giving Σw ≤ 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 replicas.</exception>
    public static CdfReplicas Replicas(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, BootstrapOptions? bootstrap = null,
        IProgress<double>? progress = null)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: true);
        return Run(SortedPair.Create(a, b), weightsA, weightsB, bootstrap, progress);
    }

    /// <summary>The replicas on an already sorted pair (kept with its permutations).</summary>
    internal static CdfReplicas Run(
        SortedPair pair, double[]? weightsA, double[]? weightsB, BootstrapOptions? bootstrap, IProgress<double>? progress = null)
    {
        bootstrap ??= BootstrapOptions.Default;
        var done = Steps(progress, 2.0 * bootstrap.Replicas * ((double)pair.CountA + pair.CountB));
        var sa = ReplicaStreams.Draw(pair.CountA, weightsA, bootstrap, 0, done);
        var sb = ReplicaStreams.Draw(pair.CountB, weightsB, bootstrap, 1, done);
        return pair.WalkReplicas(sa, sb, done);
    }

    /// <summary>A thread-safe step counter that reports steps/total to <paramref name="progress"/> (null when none).</summary>
    internal static Action<long>? Steps(IProgress<double>? progress, double total)
    {
        if (progress is null) return null;
        long steps = 0;
        return n => progress.Report(Math.Min(1.0, Interlocked.Add(ref steps, n) / total));
    }
}
