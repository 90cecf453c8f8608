namespace GenStats.Stats;

/// <summary>Descriptive statistics of one weighted (or unweighted) sample, all in float64.</summary>
/// <param name="Count">Number of events.</param>
/// <param name="SumOfWeights">Σw (equals <paramref name="Count"/> for an unweighted sample).</param>
/// <param name="EffectiveSampleSize">Kish's effective sample size (Σw)²/Σw².</param>
/// <param name="Mean">Weighted mean Σwx/Σw.</param>
/// <param name="Variance">Weighted variance with reliability-weight bias correction
/// (see <see cref="WeightedDescriptive.Variance"/>).</param>
/// <param name="StandardDeviation">√<paramref name="Variance"/>.</param>
/// <param name="StandardErrorOfMean">Uncertainty of <paramref name="Mean"/>
/// (see <see cref="WeightedDescriptive.StandardErrorOfMean"/>).</param>
public sealed record WeightedSummary(
    int Count,
    double SumOfWeights,
    double EffectiveSampleSize,
    double Mean,
    double Variance,
    double StandardDeviation,
    double StandardErrorOfMean);
