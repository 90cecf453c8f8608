namespace GenStats.Stats;

/// <summary>
/// What every two-sample metric's result has, whatever its extras: the value, its uncertainty
/// (NaN where the metric defines none — each result documents which), how that uncertainty was
/// obtained, and the Kish effective sample sizes (Σw)²/Σw² of the first (a) and second (b) sample.
/// Every two-sample metric takes its samples in the order (a, weightsA, b, weightsB).
/// </summary>
public interface ITwoSampleResult
{
    /// <summary>The metric's value (its convention is documented on the method that computed it).</summary>
    double Value { get; }

    /// <summary>One standard deviation of <see cref="Value"/>; NaN where none is computed.</summary>
    double Uncertainty { get; }

    /// <summary>How <see cref="Uncertainty"/> was obtained, e.g. <c>"analytic (DeLong)"</c>,
    /// <c>"poisson-bootstrap(200, seed 1)"</c> or <c>"none"</c>.</summary>
    string UncertaintyMethod { get; }

    /// <summary>Effective size of the first (reference / real) sample a.</summary>
    double EffectiveSizeA { get; }

    /// <summary>Effective size of the second (generated) sample b.</summary>
    double EffectiveSizeB { get; }
}

/// <summary>
/// The value of a two-sample statistic with its uncertainty and the effective sample sizes
/// (Σw)²/Σw² of both samples — physics figures of merit are read in units of the uncertainty.
/// </summary>
/// <param name="Value">The statistic (its convention is documented on the method that computed it).</param>
/// <param name="Uncertainty">One standard deviation of <paramref name="Value"/> (NaN when none is computed).</param>
/// <param name="UncertaintyMethod">How <paramref name="Uncertainty"/> was obtained, e.g.
/// <c>"analytic"</c> or <c>"poisson-bootstrap(200, seed 1)"</c>.</param>
/// <param name="EffectiveSizeA">Effective sample size of the first (reference / real) sample.</param>
/// <param name="EffectiveSizeB">Effective sample size of the second (generated) sample.</param>
public sealed record TwoSampleResult(
    double Value,
    double Uncertainty,
    string UncertaintyMethod,
    double EffectiveSizeA,
    double EffectiveSizeB) : ITwoSampleResult;
