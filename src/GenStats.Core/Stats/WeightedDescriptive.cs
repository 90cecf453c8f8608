namespace GenStats.Stats;

/// <summary>
/// Weighted descriptive statistics in float64 with compensated summation. Every method takes
/// optional per-event weights; <c>null</c> means all weights are 1, and then each result equals
/// the textbook unweighted one (MathNet.Numerics' <c>Statistics</c> conventions: sample variance
/// with N − 1, quantile definition R-7). Results are invariant under scaling all weights by a
/// positive constant and under permuting the events.
/// </summary>
/// <remarks>
/// Mean, variance and standard error accept signed weights (sWeights) as long as Σw &gt; 0;
/// quantiles need non-negative weights. Bad input throws <see cref="ArgumentException"/>.
/// </remarks>
public static class WeightedDescriptive
{
    /// <summary>Σw, or the number of events when <paramref name="weights"/> is null.</summary>
    public static double SumOfWeights(double[] values, double[]? weights = null) =>
        WeightedStatistics.SumOfWeights(values, weights);

    /// <summary>Kish's effective sample size (Σw)²/Σw²; signed weights allowed, Σw &gt; 0 required.</summary>
    public static double EffectiveSampleSize(double[] weights) =>
        WeightedStatistics.EffectiveSampleSize(weights);

    /// <summary>Weighted mean Σwx / Σw. Signed weights allowed, Σw &gt; 0 required.</summary>
    public static double Mean(double[] values, double[]? weights = null) =>
        WeightedStatistics.Mean(values, weights);

    /// <summary>
    /// Weighted variance with the reliability-weight bias correction
    /// V = Σw(x − x̄)² / (V₁ − V₂/V₁), V₁ = Σw, V₂ = Σw²; for unit weights this is the sample
    /// variance with N − 1. It needs an effective sample size above 1 (at least two events).
    /// With negative weights the estimate itself may come out negative.
    /// </summary>
    public static double Variance(double[] values, double[]? weights = null) =>
        WeightedStatistics.Variance(values, weights);

    /// <summary>√<see cref="Variance"/>; throws when the variance estimate is negative (possible with sWeights).</summary>
    public static double StandardDeviation(double[] values, double[]? weights = null) =>
        WeightedStatistics.StandardDeviation(values, weights);

    /// <summary>
    /// Standard error of the weighted mean from the linearised (sandwich) estimator
    /// σ²(x̄) = N/(N − 1) · Σw²(x − x̄)² / (Σw)², which stays valid for signed sWeights and equals
    /// s/√N for unit weights. Needs at least two events.
    /// </summary>
    public static double StandardErrorOfMean(double[] values, double[]? weights = null) =>
        WeightedStatistics.StandardErrorOfMean(values, weights);

    /// <summary>All descriptive statistics of one sample at once (needs at least two events).</summary>
    public static WeightedSummary Summarize(double[] values, double[]? weights = null)
    {
        var s = WeightedStatistics.Summarize(values, weights);
        return new WeightedSummary(s.Count, s.SumOfWeights, s.EffectiveSampleSize, s.Mean, s.Variance, s.StandardDeviation, s.StandardErrorOfMean);
    }

    /// <summary>
    /// The weighted <paramref name="probability"/>-quantile, 0 ≤ p ≤ 1, by a weighted form of
    /// Hyndman–Fan definition 7 (R's default, numpy's "linear", MathNet's R7). Events are sorted
    /// by value (ties by weight, so the result does not depend on input order); event k stands at
    /// the centre of its slice of cumulative weight, m_k = S_k − w_k/2 (S_k the running sum), and
    /// the quantile interpolates linearly in m between neighbouring events at the target
    /// m_first + p · (m_last − m_first). Unit weights give exactly definition 7, p = 0 and 1 give
    /// the extremes, and the rule is mirror-symmetric: Q(−x, 1 − p) = −Q(x, p). Zero-weight events
    /// carry no probability and do not take part. Weights must be non-negative.
    /// </summary>
    public static double Quantile(double[] values, double probability, double[]? weights = null)
        => WeightedStatistics.Quantile(values, probability, weights);

    /// <summary>Several weighted quantiles (see <see cref="Quantile"/>), sorting the sample once.</summary>
    public static double[] Quantiles(double[] values, double[] probabilities, double[]? weights = null) =>
        WeightedStatistics.Quantiles(values, probabilities, weights);
}
