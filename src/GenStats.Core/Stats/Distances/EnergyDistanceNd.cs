namespace GenStats.Stats;

/// <summary>Settings of <see cref="EnergyDistanceNd.Compute"/>.</summary>
/// <param name="BootstrapReplicas">Poisson-bootstrap replicas for the uncertainty, evaluated in the
/// same pass over the pairs as the value (cost grows by about one dot product per replica and
/// pair tile); 0 switches the uncertainty off (NaN), otherwise ≥ 2.</param>
/// <param name="Seed">Seed of the bootstrap and of the subsampling.</param>
/// <param name="MaxEvents">Samples with more events are replaced by a seeded subsample of this many
/// events drawn without replacement (their weights kept); null uses every event. The pair sums
/// cost O(N²): 2·10⁴ events per sample take seconds.</param>
/// <param name="SignedWeights">Accept signed weights (sWeights; Σw must stay &gt; 0). The weighted
/// V-statistic is then an estimate of D² of the signal distributions that can come out negative
/// for a finite sample; <c>Value</c> reports √max(0, ·) and <c>SquaredDistance</c> the signed
/// radicand. Off by default, because the estimator is quadratic in the weights.</param>
public sealed record EnergyDistanceNdOptions(int BootstrapReplicas = 32, int Seed = 1, int? MaxEvents = 20_000, bool SignedWeights = false)
{
    /// <summary>32 replicas, seed 1, at most 20 000 events per sample.</summary>
    public static EnergyDistanceNdOptions Default { get; } = new();
}

/// <summary>The multi-dimensional energy distance and its parts.</summary>
/// <param name="Value">Energy distance √(2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖) (scipy convention).</param>
/// <param name="Uncertainty">Standard deviation of <paramref name="Value"/> over the bootstrap replicas (NaN when off).</param>
/// <param name="UncertaintyMethod">E.g. <c>"poisson-bootstrap(32, seed 1)"</c>, or <c>"none"</c>.</param>
/// <param name="EffectiveSizeA">Kish effective size of the events of A that were used.</param>
/// <param name="EffectiveSizeB">Kish effective size of the events of B that were used.</param>
/// <param name="SquaredDistance">2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖ before the square root (≥ 0 up to rounding).</param>
/// <param name="MeanCrossDistance">E‖X−Y‖.</param>
/// <param name="MeanDistanceWithinA">E‖X−X'‖ (V-statistic: i = j pairs included, they are 0).</param>
/// <param name="MeanDistanceWithinB">E‖Y−Y'‖.</param>
/// <param name="EventsUsedA">Events of A used (less than its size when subsampled).</param>
/// <param name="EventsUsedB">Events of B used.</param>
public sealed record EnergyDistanceNdResult(
    double Value, double Uncertainty, string UncertaintyMethod, double EffectiveSizeA, double EffectiveSizeB,
    double SquaredDistance, double MeanCrossDistance, double MeanDistanceWithinA, double MeanDistanceWithinB,
    int EventsUsedA, int EventsUsedB) : ITwoSampleResult
{
    /// <summary>The common two-sample view (value, uncertainty, method, effective sizes).</summary>
    public TwoSampleResult ToTwoSampleResult() =>
        new(Value, Uncertainty, UncertaintyMethod, EffectiveSizeA, EffectiveSizeB);
}

/// <summary>
/// Multi-dimensional energy distance with the Euclidean norm, in scipy's convention
/// (<c>scipy.stats.energy_distance</c> generalised to d dimensions):
/// D = √(2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖), every expectation a weighted V-statistic
/// (E‖X−X'‖ = Σᵢⱼ wᵢwⱼ‖xᵢ−xⱼ‖ / (Σw)², i = j included). In one dimension it equals
/// scipy's energy_distance exactly; integer weights equal repeated events.
/// </summary>
/// <remarks>
/// Weights must be non-negative unless <see cref="EnergyDistanceNdOptions.SignedWeights"/> is set: the
/// estimator is quadratic in the weights, so with signed sWeights the radicand is only an estimate
/// of D² (it can be negative). Pairwise distances are computed in SIMD tiles and never
/// stored (memory O(N·(d + replicas))), in parallel with a deterministic summation order.
/// Uncertainty: a weighted Poisson bootstrap (both samples resampled independently, as
/// <see cref="Bootstrap.TwoSample"/>), computed in the same pass over the pairs: every pair tile is
/// contracted with each replica's weights, so R replicas cost R extra dot products per tile row
/// rather than R further O(N²) passes. Under the null hypothesis (equal distributions) the
/// bootstrap spread also measures the typical size of D for samples of this size.
/// </remarks>
public static class EnergyDistanceNd
{
    /// <summary>Energy distance between sample A (events × dims, optional weights) and sample B.</summary>
    /// <exception cref="ArgumentException">Empty, ragged or non-finite rows, mismatched dimensions,
    /// negative weights, or weights summing to ≤ 0.</exception>
    public static EnergyDistanceNdResult Compute(
        double[][] a, double[]? weightsA, double[][] b, double[]? weightsB,
        EnergyDistanceNdOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= EnergyDistanceNdOptions.Default;
        SampleChecks.RequireRowPair(a, weightsA, b, weightsB, nameof(a), nameof(weightsA), nameof(b), nameof(weightsB),
            allowNegative: options.SignedWeights);
        DistanceSampling.RequireReplicas(options.BootstrapReplicas, nameof(options));
        if (options.MaxEvents is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxEvents, "MaxEvents must be at least 1 (or null).");

        var (pa, wa) = Subsample(a, weightsA, options, DistanceSampling.SubsampleA);
        var (pb, wb) = Subsample(b, weightsB, options, DistanceSampling.SubsampleB);
        int reps = options.BootstrapReplicas;
        var ua = PairKernelSums.WeightRows(pa.Count, pa.Padded, wa, reps, options.Seed, 0);
        var ub = PairKernelSums.WeightRows(pb.Count, pb.Padded, wb, reps, options.Seed, 1);
        var kernel = new PairKernel(PairKernelKind.Distance, 0);
        var sxy = PairKernelSums.Cross(pa, ua, pb, ub, kernel, cancellationToken);
        var sxx = PairKernelSums.Within(pa, ua, kernel, cancellationToken);
        var syy = PairKernelSums.Within(pb, ub, kernel, cancellationToken);
        var (ta, _) = PairKernelSums.Totals(ua, pa.Count);
        var (tb, _) = PairKernelSums.Totals(ub, pb.Count);

        var values = new double[reps + 1];
        double cross = 0, withinA = 0, withinB = 0, squared = 0;
        for (int r = 0; r <= reps; r++)
        {
            double exy = sxy[r] / (ta[r] * tb[r]);
            double exx = sxx[r] / (ta[r] * ta[r]);
            double eyy = syy[r] / (tb[r] * tb[r]);
            double sq = 2 * exy - exx - eyy;
            // With non-negative weights the V-statistic is the energy distance of two discrete
            // distributions, hence ≥ 0 up to rounding; signed weights can make it negative.
            values[r] = Math.Sqrt(Math.Max(0, sq));
            if (r == 0) (cross, withinA, withinB, squared) = (exy, exx, eyy, sq);
        }
        double sigma = reps == 0 ? double.NaN : DistanceSampling.StandardDeviation(values[1..]);
        return new EnergyDistanceNdResult(
            values[0], sigma, DistanceSampling.BootstrapLabel(reps, options.Seed),
            DistanceSampling.EffectiveSize(wa, pa.Count), DistanceSampling.EffectiveSize(wb, pb.Count),
            squared, cross, withinA, withinB, pa.Count, pb.Count);
    }

    private static (PackedSample Sample, double[]? Weights) Subsample(
        double[][] rows, double[]? weights, EnergyDistanceNdOptions options, int stream)
    {
        if (options.MaxEvents is not int max || rows.Length <= max) return (PackedSample.Pack(rows), weights);
        var take = DistanceSampling.WithoutReplacement(rows.Length, max, DistanceSampling.Stream(options.Seed, stream));
        var w = DistanceSampling.Take(weights, take);
        if (w is not null && !(CompensatedSum.Of(w) > 0))
            throw new ArgumentException(
                $"The seeded subsample of {max} events has weights summing to 0; raise MaxEvents or change Seed.", nameof(options));
        return (PackedSample.Pack(rows, take), w);
    }
}
