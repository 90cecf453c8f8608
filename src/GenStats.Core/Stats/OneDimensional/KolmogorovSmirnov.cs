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
/// The uncertainty of D is the seeded weighted Poisson bootstrap's standard deviation.
/// </remarks>
public static class KolmogorovSmirnov
{
    /// <summary>Above this many events in either sample the p-value is asymptotic (scipy's MAX_AUTO_N).</summary>
    public const int ExactLimit = 10_000;

    /// <summary>The KS distance D alone (no p-value, no bootstrap): O(N log N).</summary>
    public static double Distance(double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null)
    {
        OneDimensionalChecks.Check(a, b, weightsA, weightsB, allowNegative: true);
        return Statistic(SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null), weightsA, weightsB);
    }

    // Unweighted: D = m/(n₁n₂) from the exact integer numerator, a single rounding (as scipy's value).
    private static double Statistic(SortedPair pair, double[]? weightsA, double[]? weightsB) =>
        weightsA is null && weightsB is null
            ? pair.IntegerKsNumerator() / ((double)pair.CountA * pair.CountB)
            : pair.Walk(weightsA, weightsB).Supremum;

    /// <summary>D with its bootstrap uncertainty, the effective sample sizes and the p-value.</summary>
    public static KsTestResult Test(
        double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null, BootstrapOptions? bootstrap = null)
    {
        OneDimensionalChecks.Check(a, b, weightsA, weightsB, allowNegative: true);
        var pair = SortedPair.Create(a, b);
        double d = Statistic(pair, weightsA, weightsB);
        var spread = Bootstrap.TwoSample(a.Length, weightsA, b.Length, weightsB,
            (wa, wb) => pair.Walk(wa, wb).Supremum, bootstrap);
        double essA = OneDimensionalChecks.EffectiveSize(weightsA, a.Length);
        double essB = OneDimensionalChecks.EffectiveSize(weightsB, b.Length);
        var (p, method) = PValue(pair, d, weightsA is null && weightsB is null, essA, essB);
        return new KsTestResult(d, spread.StandardDeviation, spread.Method, essA, essB, p, method);
    }

    /// <summary>D, effective sizes and p-value in one sort, without the bootstrap (uncertainty NaN, method "none").</summary>
    public static KsTestResult QuickTest(double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null)
    {
        OneDimensionalChecks.Check(a, b, weightsA, weightsB, allowNegative: true);
        var pair = SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null);
        double d = Statistic(pair, weightsA, weightsB);
        double essA = OneDimensionalChecks.EffectiveSize(weightsA, a.Length);
        double essB = OneDimensionalChecks.EffectiveSize(weightsB, b.Length);
        var (p, method) = PValue(pair, d, weightsA is null && weightsB is null, essA, essB);
        return new KsTestResult(d, double.NaN, "none", essA, essB, p, method);
    }

    /// <summary>The p-value alone, as <see cref="Test"/> computes it (no bootstrap).</summary>
    public static double PValue(double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null)
    {
        OneDimensionalChecks.Check(a, b, weightsA, weightsB, allowNegative: true);
        var pair = SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null);
        double d = Statistic(pair, weightsA, weightsB);
        return PValue(pair, d, weightsA is null && weightsB is null,
            OneDimensionalChecks.EffectiveSize(weightsA, a.Length), OneDimensionalChecks.EffectiveSize(weightsB, b.Length)).P;
    }

    private static (double P, string Method) PValue(SortedPair pair, double d, bool unweighted, double essA, double essB)
    {
        if (!unweighted)
            return (KolmogorovDistribution.TwoSampleAsymptoticPValue(essA, essB, d), "asymptotic-effective-sizes");
        int n1 = pair.CountA, n2 = pair.CountB;
        if (Math.Max(n1, n2) <= ExactLimit)
            return (KolmogorovDistribution.TwoSampleExactPValueFromNumerator(n1, n2, pair.IntegerKsNumerator()), "exact");
        return (KolmogorovDistribution.TwoSampleAsymptoticPValue(n1, n2, d), "asymptotic");
    }
}

/// <summary>Result of the two-sample Kolmogorov–Smirnov test.</summary>
/// <param name="Statistic">D = sup|F − G| ∈ [0, 1].</param>
/// <param name="Uncertainty">Bootstrap standard deviation of D.</param>
/// <param name="UncertaintyMethod">How the uncertainty was obtained.</param>
/// <param name="EffectiveSizeA">Kish effective size of the first sample.</param>
/// <param name="EffectiveSizeB">Kish effective size of the second sample.</param>
/// <param name="PValue">Two-sided p-value of "same distribution".</param>
/// <param name="PValueMethod"><c>"exact"</c>, <c>"asymptotic"</c> or <c>"asymptotic-effective-sizes"</c>.</param>
public sealed record KsTestResult(
    double Statistic,
    double Uncertainty,
    string UncertaintyMethod,
    double EffectiveSizeA,
    double EffectiveSizeB,
    double PValue,
    string PValueMethod);
