namespace GenStats.Stats;

/// <summary>Settings of <see cref="FrechetPhysicsDistance.Compute"/>; defaults are jetnet's.</summary>
/// <param name="MinSamples">Smallest batch size (jetnet: 20 000).</param>
/// <param name="MaxSamples">Largest batch size (jetnet: 50 000).</param>
/// <param name="NumBatches">Batches averaged per batch size (jetnet: 20).</param>
/// <param name="NumPoints">Batch sizes, evenly spaced in 1/N (jetnet: 10; ≥ 2).</param>
/// <param name="Normalise">Divide every feature of both samples by max|feature| of sample A (the
/// real sample; features that are all 0 stay unscaled), as jetnet does (default true).</param>
/// <param name="Seed">Seed of the batch draws (jetnet's default 42; the generator differs from
/// numpy's, so individual batches differ from jetnet's).</param>
public sealed record FrechetPhysicsDistanceOptions(
    int MinSamples = 20_000, int MaxSamples = 50_000, int NumBatches = 20, int NumPoints = 10,
    bool Normalise = true, int Seed = 42)
{
    /// <summary>jetnet's defaults.</summary>
    public static FrechetPhysicsDistanceOptions Default { get; } = new();
}

/// <summary>The Fréchet physics distance: the N → ∞ intercept of the Fréchet distance.</summary>
/// <param name="Value">Intercept of the fit FD(N) = FPD + slope/N.</param>
/// <param name="Uncertainty">Standard error of the intercept from the fit (∞ with two batch sizes, as scipy's curve_fit).</param>
/// <param name="UncertaintyMethod"><c>"jetnet linear fit in 1/N"</c>.</param>
/// <param name="EffectiveSizeA">Kish effective size of A.</param>
/// <param name="EffectiveSizeB">Kish effective size of B.</param>
/// <param name="Slope">Fitted slope (≥ 0).</param>
/// <param name="BatchSizes">The batch sizes N.</param>
/// <param name="MeanDistances">Mean Fréchet distance over the batches of each size.</param>
public sealed record FrechetPhysicsDistanceResult(
    double Value, double Uncertainty, string UncertaintyMethod, double EffectiveSizeA, double EffectiveSizeB,
    double Slope, int[] BatchSizes, double[] MeanDistances) : ITwoSampleResult
{
    /// <summary>The common two-sample view (value, uncertainty, method, effective sizes).</summary>
    public TwoSampleResult ToTwoSampleResult() =>
        new(Value, Uncertainty, UncertaintyMethod, EffectiveSizeA, EffectiveSizeB);
}

/// <summary>
/// Fréchet physics distance (FPD, Kansal et al. 2023, arXiv:2211.10295) in jetnet's convention
/// (<c>jetnet.evaluation.fpd</c>): batch sizes N_k = int(1 / linspace(1/min, 1/max, points)),
/// for each size the mean of <see cref="FrechetDistance"/> over batches drawn with replacement
/// from each sample, then a least-squares line FD = FPD + slope/N with both parameters
/// constrained to ≥ 0 (scipy's <c>curve_fit</c> with bounds [0, ∞)); the value is the intercept
/// and the uncertainty its standard error √C₀₀, C = s²(JᵀJ)⁻¹, s² = SSR/(points − 2).
/// </summary>
/// <remarks>
/// Samples may be smaller than the batch sizes (draws are with replacement, as in jetnet).
/// Weights (non-negative) travel with the drawn events into the weighted moments; unit weights
/// reproduce the unweighted FPD. Not symmetric when <c>Normalise</c> is on (A sets the scale).
/// </remarks>
public static class FrechetPhysicsDistance
{
    /// <summary>FPD between the real sample A and the generated sample B (events × features).</summary>
    public static FrechetPhysicsDistanceResult Compute(
        double[][] a, double[]? weightsA, double[][] b, double[]? weightsB,
        FrechetPhysicsDistanceOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= FrechetPhysicsDistanceOptions.Default;
        SampleChecks.RequireRowPair(a, weightsA, b, weightsB, nameof(a), nameof(weightsA), nameof(b), nameof(weightsB),
            allowNegative: false);
        if (options.MinSamples < 2 || options.MaxSamples < 2)
            throw new ArgumentOutOfRangeException(nameof(options), "MinSamples and MaxSamples must be at least 2.");
        if (options.NumBatches < 1 || options.NumPoints < 2)
            throw new ArgumentOutOfRangeException(nameof(options), "NumBatches must be ≥ 1 and NumPoints ≥ 2.");

        var scale = options.Normalise ? JetnetNormalisation.Maxes(a) : null;
        var sizes = BatchSizes(options.MinSamples, options.MaxSamples, options.NumPoints);
        var rng = DistanceSampling.Stream(options.Seed, DistanceSampling.BatchBase);
        var means = new double[sizes.Length];
        for (int s = 0; s < sizes.Length; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = sizes[s];
            var draws = new (int[] A, int[] B)[options.NumBatches];
            for (int k = 0; k < draws.Length; k++)
                draws[k] = (DistanceSampling.WithReplacement(a.Length, n, rng), DistanceSampling.WithReplacement(b.Length, n, rng));
            var values = new double[draws.Length];
            Parallel.For(0, draws.Length, k =>
            {
                var wa = DistanceSampling.Take(weightsA, draws[k].A) ?? FrechetDistance.Ones(n);
                var wb = DistanceSampling.Take(weightsB, draws[k].B) ?? FrechetDistance.Ones(n);
                if (!WeightedMoments.TryCompute(a, draws[k].A, scale, wa, out var ma, out var ca)
                    || !WeightedMoments.TryCompute(b, draws[k].B, scale, wb, out var mb, out var cb))
                    throw new ArgumentException(
                        $"A batch of {n} events has an effective size ≤ 1 (weights concentrated on one event); FPD needs more events with positive weight.",
                        nameof(weightsA));
                values[k] = FrechetDistance.FromMomentsUnchecked(ma, ca, mb, cb);
            });
            means[s] = CompensatedSum.Of(values) / values.Length;
        }
        var x = sizes.Select(n => 1.0 / n).ToArray();
        var fit = NonNegativeLine.Fit(x, means);
        return new FrechetPhysicsDistanceResult(fit.Intercept, fit.InterceptError,
            $"jetnet linear fit in 1/N ({options.NumPoints} sizes × {options.NumBatches} batches, seed {options.Seed})",
            DistanceSampling.EffectiveSize(weightsA, a.Length), DistanceSampling.EffectiveSize(weightsB, b.Length),
            fit.Slope, sizes, means);
    }

    /// <summary>jetnet's batch sizes: (1 / np.linspace(1/min, 1/max, points)).astype(int32).</summary>
    internal static int[] BatchSizes(int min, int max, int points)
    {
        double start = 1.0 / min, stop = 1.0 / max;
        double step = (stop - start) / (points - 1);
        var sizes = new int[points];
        for (int k = 0; k < points; k++)
        {
            double v = k == points - 1 ? stop : k * step + start; // numpy sets the last point to stop exactly
            sizes[k] = (int)(1.0 / v);
        }
        return sizes;
    }
}

/// <summary>Least-squares line y = a + b·x with a, b ≥ 0 and the standard error of a.</summary>
internal static class NonNegativeLine
{
    public readonly record struct Result(double Intercept, double Slope, double InterceptError);

    /// <summary>
    /// Exact bound-constrained least squares for two parameters (the unconstrained optimum if
    /// feasible, else the best of the faces a = 0, b = 0 and the origin); the covariance is
    /// s²(JᵀJ)⁻¹ with J = [1, x] and s² = SSR/(n − 2) as scipy's curve_fit reports it
    /// (∞ when n ≤ 2).
    /// </summary>
    public static Result Fit(double[] x, double[] y)
    {
        int n = x.Length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++) { sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i]; }
        double det = n * sxx - sx * sx;
        var candidates = new List<(double A, double B)>();
        if (det > 0)
        {
            double b0 = (n * sxy - sx * sy) / det;
            double a0 = (sy - b0 * sx) / n;
            if (a0 >= 0 && b0 >= 0) candidates.Add((a0, b0));
        }
        candidates.Add((Math.Max(0, sy / n), 0));
        candidates.Add((0, sxx > 0 ? Math.Max(0, sxy / sxx) : 0));
        var best = candidates.MinBy(c => Ssr(x, y, c.A, c.B));
        double error = double.PositiveInfinity;
        if (n > 2 && det > 0)
        {
            double s2 = Ssr(x, y, best.A, best.B) / (n - 2);
            error = Math.Sqrt(s2 * sxx / det); // [(JᵀJ)⁻¹]₀₀ = Σx² / det
        }
        return new Result(best.A, best.B, error);
    }

    private static double Ssr(double[] x, double[] y, double a, double b)
    {
        var s = new CompensatedSum();
        for (int i = 0; i < x.Length; i++)
        {
            double r = y[i] - a - b * x[i];
            s.Add(r * r);
        }
        return s.Value;
    }
}

/// <summary>jetnet's feature normalisation: divide by max|x| of the real sample per feature.</summary>
internal static class JetnetNormalisation
{
    public static double[] Maxes(double[][] real)
    {
        int d = real[0].Length;
        var maxes = new double[d];
        foreach (var row in real)
            for (int k = 0; k < d; k++) maxes[k] = Math.Max(maxes[k], Math.Abs(row[k]));
        for (int k = 0; k < d; k++)
            if (maxes[k] == 0) maxes[k] = 1; // features that are all 0 stay as they are
        return maxes;
    }
}
