namespace GenStats.Stats;

/// <summary>
/// The two-sample Kolmogorov–Smirnov test on weighted samples: D = sup|F − G| of the
/// right-continuous weighted empirical CDFs (scipy's <c>ks_2samp</c> statistic for unit weights).
/// </summary>
/// <remarks>
/// Signed weights (sWeights) are allowed for the distance — F − G is linear in the weights — as
/// long as each sample's weights sum to a positive number. The p-value follows scipy's
/// <c>ks_2samp(alternative='two-sided', method='auto')</c> for unweighted samples: exact when both
/// samples have at most 10 000 events, else the asymptotic one-sample distribution at
/// n = round(n₁n₂/(n₁ + n₂)). For weighted samples it is that asymptotic formula at the Kish
/// effective sizes — an approximation, labelled <c>"asymptotic-effective-sizes"</c>.
/// The uncertainty of D is the seeded weighted Poisson bootstrap's standard deviation, computed in
/// one streaming pass over all replicas (<see cref="CdfBootstrap"/>).
/// </remarks>
public static class KolmogorovSmirnov
{
    /// <summary>Above this many events in either sample the p-value is asymptotic (scipy's MAX_AUTO_N).</summary>
    public const int ExactLimit = 10_000;

    /// <summary>The KS distance D = sup|F − G| alone (no p-value, no bootstrap): O(N log N).</summary>
    /// <param name="a">First (reference / real) sample, finite, non-empty.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed, Σw &gt; 0); null = 1 per event.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>.</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB), as every two-sample metric; the value is
    /// scipy's <c>ks_2samp(a, b).statistic</c> for unit weights (symmetric in the two samples).</remarks>
    public static double Distance(double[] a, double[]? weightsA, double[] b, double[]? weightsB)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: true);
        return Statistic(SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null), weightsA, weightsB);
    }

    /// <summary>The KS distance of two unweighted samples (scipy <c>ks_2samp(a, b).statistic</c>).</summary>
    public static double Distance(double[] a, double[] b) => Distance(a, null, b, null);

    // Unweighted: D = m/(n₁n₂) from the exact integer numerator, a single rounding (as scipy's value).
    private static double Statistic(SortedPair pair, double[]? weightsA, double[]? weightsB) =>
        weightsA is null && weightsB is null
            ? pair.IntegerKsNumerator() / ((double)pair.CountA * pair.CountB)
            : pair.Walk(weightsA, weightsB).Supremum;

    /// <summary>D with its bootstrap uncertainty, the effective sample sizes and the p-value.</summary>
    /// <param name="a">First (reference / real) sample.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed); null = unweighted.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>.</param>
    /// <param name="bootstrap">Replicas and seed of the Poisson bootstrap (null: 200, seed 1).</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB). <see cref="KsTestResult.Value"/> is scipy's
    /// <c>ks_2samp</c> statistic, the p-value scipy's <c>method='auto'</c> for unweighted samples.</remarks>
    public static KsTestResult Test(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, BootstrapOptions? bootstrap = null) =>
        Test(CdfColumn.Compute(a, weightsA, b, weightsB, bootstrap));

    /// <summary>The test from a column's sort and streaming bootstrap (shared with the other ECDF metrics).</summary>
    internal static KsTestResult Test(CdfColumn column)
    {
        double d = column.Unweighted
            ? column.KsNumerator / ((double)column.CountA * column.CountB)
            : column.Nominal.Supremum;
        var spread = column.Spread(c => c.Supremum);
        var (p, method) = PValue(column.CountA, column.CountB, () => column.KsNumerator, d, column.Unweighted,
            column.EffectiveSizeA, column.EffectiveSizeB);
        return new KsTestResult(d, spread.StandardDeviation, spread.Method, column.EffectiveSizeA, column.EffectiveSizeB, p, method);
    }

    /// <summary>The test on two unweighted samples. See <see cref="Test(double[], double[], double[], double[], BootstrapOptions)"/>.</summary>
    public static KsTestResult Test(double[] a, double[] b, BootstrapOptions? bootstrap = null) =>
        Test(a, null, b, null, bootstrap);

    /// <summary>
    /// D, effective sizes and p-value in one sort, without the bootstrap:
    /// <see cref="KsTestResult.Uncertainty"/> is NaN and its method <c>"none"</c>. Argument order
    /// (a, weightsA, b, weightsB); conventions as <see cref="Test(double[], double[], double[], double[], BootstrapOptions)"/>.
    /// </summary>
    public static KsTestResult QuickTest(double[] a, double[]? weightsA, double[] b, double[]? weightsB)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: true);
        var pair = SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null);
        double d = Statistic(pair, weightsA, weightsB);
        double essA = OneDimensionalChecks.EffectiveSize(weightsA, a.Length);
        double essB = OneDimensionalChecks.EffectiveSize(weightsB, b.Length);
        var (p, method) = PValue(pair, d, weightsA is null && weightsB is null, essA, essB);
        return new KsTestResult(d, double.NaN, "none", essA, essB, p, method);
    }

    /// <summary>The quick test on two unweighted samples (uncertainty NaN).</summary>
    public static KsTestResult QuickTest(double[] a, double[] b) => QuickTest(a, null, b, null);

    /// <summary>
    /// The p-value alone, as <see cref="Test(double[], double[], double[], double[], BootstrapOptions)"/>
    /// computes it (no bootstrap). Argument order (a, weightsA, b, weightsB); scipy's
    /// <c>ks_2samp(method='auto').pvalue</c> for unweighted samples.
    /// </summary>
    public static double PValue(double[] a, double[]? weightsA, double[] b, double[]? weightsB)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: true);
        var pair = SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null);
        double d = Statistic(pair, weightsA, weightsB);
        return PValue(pair, d, weightsA is null && weightsB is null,
            OneDimensionalChecks.EffectiveSize(weightsA, a.Length), OneDimensionalChecks.EffectiveSize(weightsB, b.Length)).P;
    }

    /// <summary>The p-value of two unweighted samples (scipy <c>ks_2samp(a, b).pvalue</c>, method='auto').</summary>
    public static double PValue(double[] a, double[] b) => PValue(a, null, b, null);

    private static (double P, string Method) PValue(SortedPair pair, double d, bool unweighted, double essA, double essB) =>
        PValue(pair.CountA, pair.CountB, pair.IntegerKsNumerator, d, unweighted, essA, essB);

    private static (double P, string Method) PValue(
        int n1, int n2, Func<long> ksNumerator, double d, bool unweighted, double essA, double essB)
    {
        if (!unweighted)
            return (KolmogorovDistribution.TwoSampleAsymptoticPValue(essA, essB, d), "asymptotic-effective-sizes");
        if (Math.Max(n1, n2) <= ExactLimit)
            return (KolmogorovDistribution.TwoSampleExactPValueFromNumerator(n1, n2, ksNumerator()), "exact");
        return (KolmogorovDistribution.TwoSampleAsymptoticPValue(n1, n2, d), "asymptotic");
    }
}

/// <summary>Result of the two-sample Kolmogorov–Smirnov test.</summary>
/// <param name="Value">D = sup|F − G| ∈ [0, 1] (scipy's <c>ks_2samp</c> statistic for unit weights).</param>
/// <param name="Uncertainty">Bootstrap standard deviation of D (NaN from <see cref="KolmogorovSmirnov.QuickTest(double[], double[], double[], double[])"/>).</param>
/// <param name="UncertaintyMethod">How the uncertainty was obtained.</param>
/// <param name="EffectiveSizeA">Kish effective size of the first sample.</param>
/// <param name="EffectiveSizeB">Kish effective size of the second sample.</param>
/// <param name="PValue">Two-sided p-value of "same distribution".</param>
/// <param name="PValueMethod"><c>"exact"</c>, <c>"asymptotic"</c> or <c>"asymptotic-effective-sizes"</c>.</param>
public sealed record KsTestResult(
    double Value,
    double Uncertainty,
    string UncertaintyMethod,
    double EffectiveSizeA,
    double EffectiveSizeB,
    double PValue,
    string PValueMethod) : ITwoSampleResult;
