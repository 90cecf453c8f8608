namespace GenStats.Stats;

/// <summary>Settings of <see cref="SlicedWasserstein.Compute"/>.</summary>
/// <param name="Projections">Number of random directions (≥ 1), uniform on the unit sphere.</param>
/// <param name="BootstrapReplicas">Poisson-bootstrap replicas for the statistical part of the
/// uncertainty (the same directions in every replica); 0 switches it off, otherwise ≥ 2.</param>
/// <param name="Seed">Seed of the directions and of the bootstrap.</param>
public sealed record SlicedWassersteinOptions(int Projections = 128, int BootstrapReplicas = 32, int Seed = 1)
{
    /// <summary>128 directions, 32 replicas, seed 1.</summary>
    public static SlicedWassersteinOptions Default { get; } = new();
}

/// <summary>The sliced Wasserstein-1 distance with its two uncertainty parts.</summary>
/// <param name="Value">Mean over the directions θ of W1(θ·X, θ·Y).</param>
/// <param name="Uncertainty">√(statistical² + projection²).</param>
/// <param name="UncertaintyMethod">How the uncertainty was obtained.</param>
/// <param name="EffectiveSizeA">Kish effective size of A.</param>
/// <param name="EffectiveSizeB">Kish effective size of B.</param>
/// <param name="StatisticalUncertainty">Bootstrap standard deviation of <paramref name="Value"/> with the directions fixed (NaN when off).</param>
/// <param name="ProjectionUncertainty">Monte-Carlo error of the direction average: s_θ/√P (0 for one dimension, where every direction gives the same W1).</param>
/// <param name="Projections">Number of directions used.</param>
public sealed record SlicedWassersteinResult(
    double Value, double Uncertainty, string UncertaintyMethod, double EffectiveSizeA, double EffectiveSizeB,
    double StatisticalUncertainty, double ProjectionUncertainty, int Projections) : ITwoSampleResult
{
    /// <summary>The common two-sample view (value, uncertainty, method, effective sizes).</summary>
    public TwoSampleResult ToTwoSampleResult() =>
        new(Value, Uncertainty, UncertaintyMethod, EffectiveSizeA, EffectiveSizeB);
}

/// <summary>
/// Sliced Wasserstein-1 distance: the average over P seeded random directions θ, uniform on the
/// unit sphere (normalised Gaussian vectors), of the weighted 1-D Wasserstein-1 distance between
/// the projections θ·x (POT's <c>sliced_wasserstein_distance</c> with p = 1, which averages
/// W_p^p over directions and takes the p-th root). It estimates
/// E_θ W1(θ·X, θ·Y), symmetric, 0 for identical samples, translation and permutation invariant,
/// homogeneous of degree 1; in one dimension it equals W1 exactly. Integer weights equal repeated
/// events. Weights must be non-negative.
/// </summary>
/// <remarks>
/// Uncertainty: the statistical part is a weighted Poisson bootstrap of both samples with the
/// directions held fixed (each projection is sorted once and every replica reuses the order);
/// the projection part is the standard error of the mean over directions; they add in quadrature.
/// </remarks>
public static class SlicedWasserstein
{
    /// <summary>Sliced W1 between sample A (events × dims, optional weights) and sample B.</summary>
    public static SlicedWassersteinResult Compute(
        double[][] a, double[]? weightsA, double[][] b, double[]? weightsB,
        SlicedWassersteinOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SlicedWassersteinOptions.Default;
        int dims = SampleChecks.RequireRowPair(a, weightsA, b, weightsB, nameof(a), nameof(weightsA), nameof(b), nameof(weightsB),
            allowNegative: false);
        DistanceSampling.RequireReplicas(options.BootstrapReplicas, nameof(options));
        if (options.Projections < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Projections, "Projections must be at least 1.");

        int reps = options.BootstrapReplicas;
        var wa = PairKernelSums.WeightRows(a.Length, a.Length, weightsA, reps, options.Seed, 0);
        var wb = PairKernelSums.WeightRows(b.Length, b.Length, weightsB, reps, options.Seed, 1);
        var (sa, _) = PairKernelSums.Totals(wa, a.Length);
        var (sb, _) = PairKernelSums.Totals(wb, b.Length);
        var directions = Directions(dims, options.Projections, options.Seed);

        var w1 = new double[options.Projections, reps + 1];
        var po = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, options.Projections, po, () => new Workspace(a.Length, b.Length), (p, _, ws) =>
        {
            Project(a, directions[p], ws.Xa, ws.Ia);
            Project(b, directions[p], ws.Xb, ws.Ib);
            for (int r = 0; r <= reps; r++)
            {
                for (int i = 0; i < a.Length; i++) ws.Wa[i] = wa[r][ws.Ia[i]];
                for (int j = 0; j < b.Length; j++) ws.Wb[j] = wb[r][ws.Ib[j]];
                w1[p, r] = WeightedWasserstein1D.Sorted(ws.Xa, ws.Wa, sa[r], ws.Xb, ws.Wb, sb[r]);
            }
            return ws;
        }, _ => { });

        var perReplica = new double[reps + 1];
        for (int r = 0; r <= reps; r++)
        {
            var s = new CompensatedSum();
            for (int p = 0; p < options.Projections; p++) s.Add(w1[p, r]);
            perReplica[r] = s.Value / options.Projections;
        }
        var nominal = new double[options.Projections];
        for (int p = 0; p < nominal.Length; p++) nominal[p] = w1[p, 0];
        double projectionError = nominal.Length < 2 ? 0 : DistanceSampling.StandardDeviation(nominal) / Math.Sqrt(nominal.Length);
        if (dims == 1) projectionError = 0; // ±e₁ give the same W1
        double statistical = reps == 0 ? double.NaN : DistanceSampling.StandardDeviation(perReplica[1..]);
        double total = reps == 0 ? projectionError : Math.Sqrt(statistical * statistical + projectionError * projectionError);
        string method = (reps == 0 ? "" : DistanceSampling.BootstrapLabel(reps, options.Seed) + " ⊕ ")
            + $"projection spread/√{options.Projections}";
        return new SlicedWassersteinResult(perReplica[0], total, method,
            DistanceSampling.EffectiveSize(weightsA, a.Length), DistanceSampling.EffectiveSize(weightsB, b.Length),
            statistical, projectionError, options.Projections);
    }

    private sealed class Workspace(int na, int nb)
    {
        public readonly double[] Xa = new double[na], Xb = new double[nb], Wa = new double[na], Wb = new double[nb];
        public readonly int[] Ia = new int[na], Ib = new int[nb];
    }

    // θ·x for every event, sorted ascending, with the original indices alongside. The order of
    // tied values does not matter: the W1 merge absorbs equal values together.
    private static void Project(double[][] rows, double[] theta, double[] values, int[] index)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            double s = 0;
            var row = rows[i];
            for (int k = 0; k < theta.Length; k++) s += theta[k] * row[k];
            values[i] = s;
            index[i] = i;
        }
        Array.Sort(values, index);
    }

    /// <summary>P unit vectors uniform on the sphere S^{d−1}: normalised standard Gaussians (Box–Muller).</summary>
    internal static double[][] Directions(int dims, int count, int seed)
    {
        var rng = DistanceSampling.Stream(seed, DistanceSampling.Projections);
        var result = new double[count][];
        for (int p = 0; p < count; p++)
        {
            var v = new double[dims];
            double norm;
            do
            {
                for (int k = 0; k < dims; k++)
                {
                    double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                    v[k] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                }
                norm = Math.Sqrt(v.Sum(x => x * x));
            } while (!(norm > 1e-12));
            for (int k = 0; k < dims; k++) v[k] /= norm;
            result[p] = v;
        }
        return result;
    }
}
