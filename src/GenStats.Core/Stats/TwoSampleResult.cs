namespace GenStats.Stats;

/// <summary>
/// The value of a two-sample statistic with its uncertainty and the effective sample sizes
/// (Σw)²/Σw² of both samples — physics figures of merit are read in units of the uncertainty.
/// </summary>
/// <param name="Value">The statistic (its convention is documented on the method that computed it).</param>
/// <param name="Uncertainty">One standard deviation of <paramref name="Value"/>.</param>
/// <param name="UncertaintyMethod">How <paramref name="Uncertainty"/> was obtained, e.g.
/// <c>"analytic"</c> or <c>"poisson-bootstrap(200, seed 1)"</c>.</param>
/// <param name="EffectiveSizeA">Effective sample size of the first (reference / real) sample.</param>
/// <param name="EffectiveSizeB">Effective sample size of the second (generated) sample.</param>
public sealed record TwoSampleResult(
    double Value,
    double Uncertainty,
    string UncertaintyMethod,
    double EffectiveSizeA,
    double EffectiveSizeB);
