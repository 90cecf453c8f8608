namespace GenStats.Stats;

/// <summary>Settings of <see cref="EarthMoversDistance.Compute"/>.</summary>
/// <param name="MaxEvents">Largest sample (events with positive weight) the exact solver accepts;
/// larger inputs are refused (the cost grows faster than m·n). Subsample first, or use
/// <see cref="SlicedWasserstein"/>.</param>
/// <param name="BootstrapReplicas">Poisson-bootstrap replicas (each one is a further exact solve);
/// 0 switches the uncertainty off, otherwise ≥ 2.</param>
/// <param name="Seed">Seed of the bootstrap.</param>
public sealed record EarthMoversDistanceOptions(int MaxEvents = 3000, int BootstrapReplicas = 10, int Seed = 1)
{
    /// <summary>At most 3000 events per sample, 10 bootstrap replicas, seed 1.</summary>
    public static EarthMoversDistanceOptions Default { get; } = new();
}

/// <summary>The exact earth mover's distance (Wasserstein-1 with Euclidean ground cost).</summary>
/// <param name="Value">min over transport plans of Σ fᵢⱼ‖xᵢ − yⱼ‖ with unit total mass.</param>
/// <param name="Uncertainty">Standard deviation over the bootstrap replicas (NaN when off).</param>
/// <param name="UncertaintyMethod">E.g. <c>"poisson-bootstrap(10, seed 1)"</c>, or <c>"none"</c>.</param>
/// <param name="EffectiveSizeA">Kish effective size of A.</param>
/// <param name="EffectiveSizeB">Kish effective size of B.</param>
/// <param name="Pivots">Network-simplex pivots of the nominal solve.</param>
public sealed record EarthMoversDistanceResult(
    double Value, double Uncertainty, string UncertaintyMethod, double EffectiveSizeA, double EffectiveSizeB, int Pivots) : ITwoSampleResult
{
    /// <summary>The common two-sample view (value, uncertainty, method, effective sizes).</summary>
    public TwoSampleResult ToTwoSampleResult() =>
        new(Value, Uncertainty, UncertaintyMethod, EffectiveSizeA, EffectiveSizeB);
}

/// <summary>
/// Exact earth mover's distance between two weighted point clouds in POT's <c>ot.emd2</c>
/// convention with the Euclidean cost matrix (<c>ot.dist(a, b, metric="euclidean")</c>): the
/// weights of each sample are normalised to sum 1 (uniform 1/n when unweighted), and the value is
/// the minimal total cost of the optimal transport plan — the Wasserstein-1 distance between the
/// two empirical distributions. Solved exactly by a network simplex (no entropic regularisation).
/// </summary>
/// <remarks>
/// Weights must be non-negative (a transport plan moves non-negative mass); events of weight 0
/// carry no mass and take no part. Invariant under permutation and common translation, symmetric,
/// homogeneous of degree 1 under scaling, 0 for identical samples; integer weights equal repeated
/// events. In one dimension it equals the 1-D Wasserstein-1 distance.
/// </remarks>
public static class EarthMoversDistance
{
    /// <summary>Exact EMD between sample A (events × dims, optional weights) and sample B.</summary>
    /// <exception cref="ArgumentException">Bad samples or weights, or more than
    /// <see cref="EarthMoversDistanceOptions.MaxEvents"/> events in a sample.</exception>
    public static EarthMoversDistanceResult Compute(
        double[][] a, double[]? weightsA, double[][] b, double[]? weightsB,
        EarthMoversDistanceOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= EarthMoversDistanceOptions.Default;
        SampleChecks.RequireRowPair(a, weightsA, b, weightsB, nameof(a), nameof(weightsA), nameof(b), nameof(weightsB),
            allowNegative: false);
        DistanceSampling.RequireReplicas(options.BootstrapReplicas, nameof(options));
        if (options.MaxEvents < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxEvents, "MaxEvents must be at least 1.");
        RequireSize(a, weightsA, options.MaxEvents, nameof(a));
        RequireSize(b, weightsB, options.MaxEvents, nameof(b));

        var (value, pivots) = Solve(a, weightsA ?? Ones(a.Length), b, weightsB ?? Ones(b.Length), cancellationToken);
        double sigma = double.NaN;
        if (options.BootstrapReplicas > 0)
        {
            var summary = Bootstrap.TwoSample(a.Length, weightsA, b.Length, weightsB,
                (wa, wb) => Solve(a, wa, b, wb, cancellationToken).Value,
                new BootstrapOptions(options.BootstrapReplicas, options.Seed));
            sigma = summary.StandardDeviation;
        }
        return new EarthMoversDistanceResult(value, sigma,
            DistanceSampling.BootstrapLabel(options.BootstrapReplicas, options.Seed),
            DistanceSampling.EffectiveSize(weightsA, a.Length), DistanceSampling.EffectiveSize(weightsB, b.Length), pivots);
    }

    private static double[] Ones(int n)
    {
        var w = new double[n];
        Array.Fill(w, 1.0);
        return w;
    }

    private static void RequireSize(double[][] rows, double[]? weights, int max, string name)
    {
        int used = weights is null ? rows.Length : weights.Count(w => w > 0);
        if (used > max)
            throw new ArgumentException(
                $"{name} has {used} events with positive weight; the exact EMD solver accepts at most {max} per sample " +
                "(EarthMoversDistanceOptions.MaxEvents). Subsample the input or use sliced_w1.", name);
    }

    private static (double Value, int Pivots) Solve(
        double[][] a, double[] wa, double[][] b, double[] wb, CancellationToken ct)
    {
        var (pa, ma) = Masses(a, wa);
        var (pb, mb) = Masses(b, wb);
        var solver = new TransportSimplex(pa, ma, pb, mb);
        double value = solver.Solve(ct);
        return (value, solver.Pivots);
    }

    // Keeps the events of positive weight and normalises their masses to sum 1 (POT's convention).
    private static (double[][] Points, double[] Masses) Masses(double[][] rows, double[] weights)
    {
        double total = CompensatedSum.Of(weights);
        var points = new List<double[]>(rows.Length);
        var masses = new List<double>(rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            if (weights[i] <= 0) continue;
            points.Add(rows[i]);
            masses.Add(weights[i] / total);
        }
        return (points.ToArray(), masses.ToArray());
    }
}
