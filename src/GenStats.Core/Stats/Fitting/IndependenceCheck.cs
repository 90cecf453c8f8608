namespace GenStats.Stats;

/// <summary>Settings of <see cref="IndependenceCheck"/>.</summary>
/// <param name="Bins">Equal-population bins per variable for the mutual-information test (≥ 2).</param>
/// <param name="SignificanceLevel">Overall false-alarm probability of the warning; split evenly
/// (Bonferroni) between the correlation test and the mutual-information test.</param>
public sealed record IndependenceOptions(int Bins = 10, double SignificanceLevel = 1e-3)
{
    /// <summary>The defaults (10 × 10 bins, 10⁻³).</summary>
    public static IndependenceOptions Default { get; } = new();
}

/// <summary>Outcome of an independence check between a discriminating and a control variable.</summary>
/// <param name="Correlation">Pearson correlation coefficient (weighted).</param>
/// <param name="CorrelationZ">Fisher z-score atanh(r)·√(N_eff − 3); ~N(0,1) under independence.</param>
/// <param name="MutualInformation">Plug-in mutual information of the binned pair, in nats.</param>
/// <param name="GStatistic">G = 2 N_eff · MI; ~χ²(DegreesOfFreedom) under independence.</param>
/// <param name="DegreesOfFreedom">(r − 1)(c − 1) over the non-empty marginal bins.</param>
/// <param name="PValue">Smaller of the two tests' p-values, times 2 (Bonferroni), capped at 1.</param>
/// <param name="EffectiveSampleSize">Kish's (Σw)²/Σw² (the event count when unweighted).</param>
/// <param name="Warning">True when independence is rejected at the chosen level.</param>
/// <param name="Message">The verdict in words.</param>
public sealed record IndependenceResult(
    double Correlation, double CorrelationZ, double MutualInformation, double GStatistic, int DegreesOfFreedom,
    double PValue, double EffectiveSampleSize, bool Warning, string Message);

/// <summary>
/// Checks the sPlot prerequisite that the discriminating variable (e.g. the mass) is independent of
/// a control variable (e.g. a PID variable or the momentum) within one pure component: run it on
/// truth-labelled simulation of one species, or on a background-only sideband. Two tests: the
/// Pearson correlation (Fisher z), sensitive to linear dependence, and a G-test of the binned
/// mutual information on an equal-population grid, sensitive to any dependence. A warning means
/// sWeighted distributions of that control variable will be biased.
/// </summary>
/// <remarks>
/// With (non-negative) weights the statistics are weighted and the null distributions use Kish's
/// effective sample size — an approximation; unit weights give the textbook G-test. sWeights are
/// not accepted: a mixture of species is not a pure component. Discrete variables (ties) are fine:
/// bins that end up empty are not counted in the degrees of freedom.
/// </remarks>
public static class IndependenceCheck
{
    /// <summary>Tests independence of <paramref name="discriminating"/> and <paramref name="control"/> (same events).</summary>
    public static IndependenceResult Test(double[] discriminating, double[] control, double[]? weights = null, IndependenceOptions? options = null)
    {
        options ??= IndependenceOptions.Default;
        SampleChecks.RequireFiniteSample(discriminating, nameof(discriminating));
        SampleChecks.RequireFiniteSample(control, nameof(control));
        if (control.Length != discriminating.Length)
            throw new ArgumentException($"control has {control.Length} events but discriminating has {discriminating.Length}; they must be the same events.", nameof(control));
        SampleChecks.RequireWeights(weights, discriminating.Length, nameof(weights), allowNegative: false);
        if (options.Bins < 2) throw new ArgumentException($"Bins is {options.Bins}; at least 2 are needed.", nameof(options));
        if (!(options.SignificanceLevel > 0 && options.SignificanceLevel < 1))
            throw new ArgumentException($"SignificanceLevel is {options.SignificanceLevel}; it must lie in (0, 1).", nameof(options));
        int n = discriminating.Length;
        if (n < 10) throw new ArgumentException($"Only {n} events; an independence test needs at least 10.", nameof(discriminating));

        double ess = weights is null ? n : WeightedDescriptive.EffectiveSampleSize(weights);
        double r = Pearson(discriminating, control, weights);
        double z = Math.Atanh(Math.Clamp(r, -1 + 1e-15, 1 - 1e-15)) * Math.Sqrt(Math.Max(ess - 3, 1));
        double pCorrelation = MathNet.Numerics.SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));

        var bx = BinIndices(discriminating, weights, options.Bins);
        var by = BinIndices(control, weights, options.Bins);
        int b = options.Bins;
        var table = new double[b, b];
        var rows = new double[b];
        var cols = new double[b];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double w = weights?[i] ?? 1.0;
            table[bx[i], by[i]] += w; rows[bx[i]] += w; cols[by[i]] += w; total += w;
        }
        var mi = new CompensatedSum();
        for (int i = 0; i < b; i++)
            for (int j = 0; j < b; j++)
                if (table[i, j] > 0)
                    mi.Add(table[i, j] / total * Math.Log(table[i, j] * total / (rows[i] * cols[j])));
        double mutual = Math.Max(mi.Value, 0);
        int dof = (rows.Count(v => v > 0) - 1) * (cols.Count(v => v > 0) - 1);
        double g = 2 * ess * mutual;
        double pMutual = dof > 0 ? MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(dof / 2.0, g / 2) : 1.0;
        double p = Math.Min(1, 2 * Math.Min(pCorrelation, pMutual));
        bool warn = p < options.SignificanceLevel;
        string message = warn
            ? $"WARNING: the discriminating variable is not independent of the control variable (p = {p:G3}: correlation {r:F4}, z = {z:F2}; " +
              $"mutual information {mutual:G3} nats, G = {g:F1} for {dof} dof); sWeighted distributions of this variable will be biased."
            : $"no dependence found (p = {p:G3}: correlation {r:F4}, z = {z:F2}; mutual information {mutual:G3} nats, G = {g:F1} for {dof} dof).";
        return new IndependenceResult(r, z, mutual, g, dof, p, ess, warn, message);
    }

    private static double Pearson(double[] x, double[] y, double[]? w)
    {
        double mx = WeightedDescriptive.Mean(x, w), my = WeightedDescriptive.Mean(y, w);
        var sxy = new CompensatedSum(); var sxx = new CompensatedSum(); var syy = new CompensatedSum();
        for (int i = 0; i < x.Length; i++)
        {
            double wi = w?[i] ?? 1.0, dx = x[i] - mx, dy = y[i] - my;
            sxy.Add(wi * dx * dy); sxx.Add(wi * dx * dx); syy.Add(wi * dy * dy);
        }
        double denominator = Math.Sqrt(sxx.Value * syy.Value);
        return denominator > 0 ? sxy.Value / denominator : 0;
    }

    /// <summary>Bin index of each event on an equal-population grid (edges = weighted quantiles).</summary>
    private static int[] BinIndices(double[] values, double[]? weights, int bins)
    {
        var probabilities = Enumerable.Range(1, bins - 1).Select(i => (double)i / bins).ToArray();
        var edges = WeightedDescriptive.Quantiles(values, probabilities, weights);
        var index = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            // Number of edges strictly below the value: ties at an edge go to the lower bin.
            int lo = 0, hi = edges.Length;
            while (lo < hi) { int mid = (lo + hi) >> 1; if (edges[mid] < values[i]) lo = mid + 1; else hi = mid; }
            index[i] = lo;
        }
        return index;
    }
}
