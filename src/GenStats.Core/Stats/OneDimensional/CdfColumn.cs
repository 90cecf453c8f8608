namespace GenStats.Stats;

/// <summary>
/// Everything the ECDF metrics (ks, w1, energy, cramer) need from one pair of samples, from one
/// sort and one streaming bootstrap pass, in O(R) memory once computed: the nominal functionals,
/// the exact KS numerator of unweighted samples, every replica's functionals and the effective
/// sizes. <c>genstats compare</c> computes it once per column and serves every ECDF metric from it.
/// </summary>
internal sealed record CdfColumn(
    int CountA, int CountB, bool Unweighted, CdfDifferences Nominal, long KsNumerator,
    CdfReplicas Replicas, BootstrapOptions Options, double EffectiveSizeA, double EffectiveSizeB)
{
    /// <summary>
    /// Sorts, walks the nominal weights and every replica. <paramref name="replicasA"/> and
    /// <paramref name="replicasB"/>, when given, are the samples' replica streams already drawn with
    /// these options (they depend on the weights, not on the values, so every column of a dataset shares them).
    /// </summary>
    public static CdfColumn Compute(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, BootstrapOptions? bootstrap,
        ReplicaStreams? replicasA = null, ReplicaStreams? replicasB = null, IProgress<double>? progress = null)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: true);
        bootstrap ??= BootstrapOptions.Default;
        var pair = SortedPair.Create(a, b);
        bool unweighted = weightsA is null && weightsB is null;
        var replicas = replicasA is null || replicasB is null
            ? CdfBootstrap.Run(pair, weightsA, weightsB, bootstrap, progress)
            : pair.WalkReplicas(replicasA, replicasB, CdfBootstrap.Steps(progress, (double)bootstrap.Replicas * (a.Length + b.Length)));
        return new CdfColumn(
            a.Length, b.Length, unweighted, pair.Walk(weightsA, weightsB), unweighted ? pair.IntegerKsNumerator() : 0,
            replicas, bootstrap,
            OneDimensionalChecks.EffectiveSize(weightsA, a.Length), OneDimensionalChecks.EffectiveSize(weightsB, b.Length));
    }

    /// <summary>The bootstrap summary of one functional of the replicas.</summary>
    public BootstrapSummary Spread(Func<CdfDifferences, double> functional)
    {
        var values = new double[Replicas.Supremum.Length];
        for (int r = 0; r < values.Length; r++)
            values[r] = functional(new CdfDifferences(Replicas.Supremum[r], Replicas.L1[r], Replicas.L2Squared[r]));
        return Bootstrap.Summarize(values, Options);
    }

    /// <summary>A two-sample result of one functional: nominal value, bootstrap spread, effective sizes.</summary>
    public TwoSampleResult Result(Func<CdfDifferences, double> functional)
    {
        var spread = Spread(functional);
        return new TwoSampleResult(functional(Nominal), spread.StandardDeviation, spread.Method, EffectiveSizeA, EffectiveSizeB);
    }
}
