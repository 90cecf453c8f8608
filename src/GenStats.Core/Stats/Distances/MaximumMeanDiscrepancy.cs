namespace GenStats.Stats;

/// <summary>Settings of <see cref="MaximumMeanDiscrepancy.Compute"/>.</summary>
/// <param name="Bandwidth">Kernel width σ; null = the median heuristic (see <see cref="MaximumMeanDiscrepancy"/>).</param>
/// <param name="BandwidthEvents">The median heuristic uses at most this many pooled events (a
/// seeded subsample without replacement beyond it; exact below it): the median of their
/// n(n − 1)/2 distances is computed by sorting.</param>
/// <param name="BootstrapReplicas">Poisson-bootstrap replicas, evaluated in the same pass over the
/// pairs as the value; 0 switches the uncertainty off, otherwise ≥ 2. σ is held fixed.</param>
/// <param name="Seed">Seed of the bootstrap and of the subsamples.</param>
/// <param name="MaxEvents">Samples with more events are replaced by a seeded subsample of this
/// many events (without replacement, weights kept); null uses every event.</param>
public sealed record MaximumMeanDiscrepancyOptions(
    double? Bandwidth = null, int BandwidthEvents = 2000, int BootstrapReplicas = 32, int Seed = 1, int? MaxEvents = 20_000)
{
    /// <summary>Median heuristic on ≤ 2000 pooled events, 32 replicas, seed 1, ≤ 20 000 events per sample.</summary>
    public static MaximumMeanDiscrepancyOptions Default { get; } = new();
}

/// <summary>The unbiased squared MMD with a Gaussian kernel.</summary>
/// <param name="Value">Unbiased MMD² (may be slightly negative when the samples agree).</param>
/// <param name="Uncertainty">Bootstrap standard deviation of <paramref name="Value"/> (NaN when off).</param>
/// <param name="UncertaintyMethod">E.g. <c>"poisson-bootstrap(32, seed 1)"</c>, or <c>"none"</c>.</param>
/// <param name="EffectiveSizeA">Kish effective size of the events of A used.</param>
/// <param name="EffectiveSizeB">Kish effective size of the events of B used.</param>
/// <param name="Bandwidth">The σ used.</param>
/// <param name="MeanKernelWithinA">Weighted mean of k(xᵢ, xⱼ) over i ≠ j.</param>
/// <param name="MeanKernelWithinB">Weighted mean of k(yᵢ, yⱼ) over i ≠ j.</param>
/// <param name="MeanKernelCross">Weighted mean of k(xᵢ, yⱼ).</param>
/// <param name="EventsUsedA">Events of A used (less than its size when subsampled).</param>
/// <param name="EventsUsedB">Events of B used.</param>
public sealed record MaximumMeanDiscrepancyResult(
    double Value, double Uncertainty, string UncertaintyMethod, double EffectiveSizeA, double EffectiveSizeB,
    double Bandwidth, double MeanKernelWithinA, double MeanKernelWithinB, double MeanKernelCross,
    int EventsUsedA, int EventsUsedB) : ITwoSampleResult
{
    /// <summary>The common two-sample view (value, uncertainty, method, effective sizes).</summary>
    public TwoSampleResult ToTwoSampleResult() =>
        new(Value, Uncertainty, UncertaintyMethod, EffectiveSizeA, EffectiveSizeB);
}

/// <summary>
/// Unbiased squared maximum mean discrepancy (Gretton et al. 2012, eq. 3) with the Gaussian kernel
/// k(x, y) = exp(−‖x − y‖² / 2σ²):
/// MMD²_u = Σ_{i≠j} k(xᵢ,xⱼ)/(m(m−1)) + Σ_{i≠j} k(yᵢ,yⱼ)/(n(n−1)) − 2 Σᵢⱼ k(xᵢ,yⱼ)/(mn).
/// </summary>
/// <remarks>
/// Bandwidth (median heuristic): σ = median of the Euclidean distances ‖zᵢ − zⱼ‖ over all
/// unordered pairs i &lt; j (i.e. excluding i = j) of the pooled, unweighted events z = A ∪ B
/// (subsampled to <see cref="MaximumMeanDiscrepancyOptions.BandwidthEvents"/>); for an even
/// number of pairs the mean of the two middle values (numpy's median). A median of 0 (most
/// events coincide) is refused: give the bandwidth explicitly.
/// Weights (non-negative): each sum becomes a weighted U-statistic,
/// Σ_{i≠j} wᵢwⱼk(xᵢ,xⱼ) / ((Σw)² − Σw²) and Σᵢⱼ wᵢvⱼk(xᵢ,yⱼ)/(ΣwΣv); unit weights give the
/// formula above. Being a U-statistic it excludes only i = j, so integer weights are NOT the same
/// as repeated events (copies of one event would form pairs). The value is symmetric in A and B,
/// invariant under translation, rotation and permutation, and its expectation is 0 when the
/// distributions agree (the estimate itself scatters around 0).
/// Uncertainty: weighted Poisson bootstrap in the same pass over the pairs, σ fixed.
/// </remarks>
public static class MaximumMeanDiscrepancy
{
    /// <summary>Unbiased MMD² between sample A (events × dims, optional weights) and sample B.</summary>
    /// <exception cref="ArgumentException">Bad samples or weights, fewer than two events with
    /// positive weight in a sample, or a zero median bandwidth.</exception>
    public static MaximumMeanDiscrepancyResult Compute(
        double[][] a, double[]? weightsA, double[][] b, double[]? weightsB,
        MaximumMeanDiscrepancyOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= MaximumMeanDiscrepancyOptions.Default;
        SampleChecks.RequireRowPair(a, weightsA, b, weightsB, nameof(a), nameof(weightsA), nameof(b), nameof(weightsB),
            allowNegative: false);
        DistanceSampling.RequireReplicas(options.BootstrapReplicas, nameof(options));
        if (options.Bandwidth is double bw && !(bw > 0 && double.IsFinite(bw)))
            throw new ArgumentOutOfRangeException(nameof(options), bw, "Bandwidth must be a positive finite number (or null).");
        if (options.BandwidthEvents < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.BandwidthEvents, "BandwidthEvents must be at least 2.");
        if (options.MaxEvents is < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxEvents, "MaxEvents must be at least 2 (or null).");

        var (ia, ib) = (Subsample(a.Length, options, DistanceSampling.SubsampleA), Subsample(b.Length, options, DistanceSampling.SubsampleB));
        var ra = ia is null ? a : ia.Select(i => a[i]).ToArray();
        var rb = ib is null ? b : ib.Select(i => b[i]).ToArray();
        var wa = ia is null ? weightsA : DistanceSampling.Take(weightsA, ia);
        var wb = ib is null ? weightsB : DistanceSampling.Take(weightsB, ib);
        double sigma = options.Bandwidth ?? MedianBandwidth(ra, rb, options.BandwidthEvents, options.Seed);

        var kernel = new PairKernel(PairKernelKind.Gaussian, 1.0 / (2 * sigma * sigma));
        var u = UStatistic.Evaluate(PackedSample.Pack(ra), wa, PackedSample.Pack(rb), wb, kernel,
            options.BootstrapReplicas, options.Seed, cancellationToken);
        return new MaximumMeanDiscrepancyResult(u.Value, u.Uncertainty,
            DistanceSampling.BootstrapLabel(options.BootstrapReplicas, options.Seed),
            DistanceSampling.EffectiveSize(wa, ra.Length), DistanceSampling.EffectiveSize(wb, rb.Length),
            sigma, u.WithinA, u.WithinB, u.Cross, ra.Length, rb.Length);
    }

    private static int[]? Subsample(int count, MaximumMeanDiscrepancyOptions options, int stream) =>
        options.MaxEvents is int max && count > max
            ? DistanceSampling.WithoutReplacement(count, max, DistanceSampling.Stream(options.Seed, stream))
            : null;

    /// <summary>Median of ‖zᵢ − zⱼ‖, i &lt; j, over the pooled events (numpy's median).</summary>
    internal static double MedianBandwidth(double[][] a, double[][] b, int maxEvents, int seed)
    {
        var pooled = a.Concat(b).ToArray();
        if (pooled.Length > maxEvents)
        {
            var take = DistanceSampling.WithoutReplacement(pooled.Length, maxEvents,
                DistanceSampling.Stream(seed, DistanceSampling.BandwidthSubsample));
            pooled = take.Select(i => pooled[i]).ToArray();
        }
        int n = pooled.Length;
        var d = new double[(long)n * (n - 1) / 2];
        Parallel.For(0, n, i =>
        {
            long offset = (long)i * (2L * n - i - 1) / 2; // pairs (i', j) with i' < i come first
            var x = pooled[i];
            for (int j = i + 1; j < n; j++)
            {
                double s = 0;
                var y = pooled[j];
                for (int k = 0; k < x.Length; k++) { double t = x[k] - y[k]; s += t * t; }
                d[offset + j - i - 1] = Math.Sqrt(s);
            }
        });
        Array.Sort(d);
        long m = d.LongLength;
        double median = m % 2 == 1 ? d[m / 2] : 0.5 * (d[m / 2 - 1] + d[m / 2]);
        if (!(median > 0))
            throw new ArgumentException(
                "The median pairwise distance of the pooled sample is 0 (most events coincide); set MaximumMeanDiscrepancyOptions.Bandwidth explicitly.",
                nameof(a));
        return median;
    }
}

/// <summary>The weighted unbiased MMD² U-statistic for a pair kernel, with bootstrap replicas.</summary>
internal static class UStatistic
{
    public readonly record struct Result(double Value, double Uncertainty, double WithinA, double WithinB, double Cross);

    public static Result Evaluate(
        PackedSample a, double[]? weightsA, PackedSample b, double[]? weightsB, PairKernel kernel,
        int replicas, int seed, CancellationToken ct)
    {
        var ua = PairKernelSums.WeightRows(a.Count, a.Padded, weightsA, replicas, seed, 0);
        var ub = PairKernelSums.WeightRows(b.Count, b.Padded, weightsB, replicas, seed, 1);
        var (ta, ta2) = PairKernelSums.Totals(ua, a.Count);
        var (tb, tb2) = PairKernelSums.Totals(ub, b.Count);
        if (!(ta[0] * ta[0] - ta2[0] > 0) || !(tb[0] * tb[0] - tb2[0] > 0))
            throw new ArgumentException(
                "The unbiased MMD needs at least two events with positive weight in each sample.",
                ta[0] * ta[0] - ta2[0] > 0 ? nameof(weightsB) : nameof(weightsA));
        var sxx = PairKernelSums.Within(a, ua, kernel, ct);
        var syy = PairKernelSums.Within(b, ub, kernel, ct);
        var sxy = PairKernelSums.Cross(a, ua, b, ub, kernel, ct);
        var values = new double[replicas + 1];
        double kxx = 0, kyy = 0, kxy = 0;
        for (int r = 0; r <= replicas; r++)
        {
            double da = ta[r] * ta[r] - ta2[r], db = tb[r] * tb[r] - tb2[r];
            if (!(da > 0) || !(db > 0)) { values[r] = double.NaN; continue; } // replica with < 2 events left
            double xx = sxx[r] / da, yy = syy[r] / db, xy = sxy[r] / (ta[r] * tb[r]);
            values[r] = xx + yy - 2 * xy;
            if (r == 0) (kxx, kyy, kxy) = (xx, yy, xy);
        }
        double sigma = replicas == 0 ? double.NaN : DistanceSampling.StandardDeviation(values[1..]);
        return new Result(values[0], sigma, kxx, kyy, kxy);
    }
}
