namespace GenStats.Stats;

/// <summary>One species of an extended fit: a yield and a shape.</summary>
/// <param name="Name">Species name, e.g. "signal" (prefixes its parameters: "signal.mean").</param>
/// <param name="Shape">Its density in the discriminating variable.</param>
/// <param name="InitialYield">Starting yield; null = the event count divided by the number of species.</param>
/// <param name="FixedParameters">Names of shape parameters held at their starting values.</param>
public sealed record FitComponent(string Name, IFitShape Shape, double? InitialYield = null, string[]? FixedParameters = null);

/// <summary>
/// An extended unbinned model: Σ_k N_k f_k(x) on [Low, High]; every event must lie in the range.
/// </summary>
/// <param name="Low">Lower end of the fit range.</param>
/// <param name="High">Upper end of the fit range.</param>
/// <param name="Components">The species; the first is conventionally the signal.</param>
public sealed record FitModel(double Low, double High, FitComponent[] Components);

/// <summary>Minimiser settings of <see cref="ExtendedMaximumLikelihood"/>.</summary>
/// <param name="MaxIterations">BFGS iteration limit per stage.</param>
/// <param name="GradientTolerance">Stop when every gradient component, in units where one step ≈ one
/// expected error, is below this (10⁻⁴: parameters within ~10⁻⁴ σ of the minimum, EDM ~ 10⁻⁸).</param>
/// <param name="WarmStartEvents">Above this many events the fit first runs on an evenly spaced
/// subsample of this size, then refines on all events (same minimum, far fewer passes over 10⁶ events).
/// 0 disables the warm start.</param>
/// <param name="Parallel">Evaluate the likelihood in fixed chunks on the thread pool (the result is
/// the same bytes for any thread count: chunk sums are added in chunk order).</param>
public sealed record FitOptions(int MaxIterations = 1000, double GradientTolerance = 1e-4, int WarmStartEvents = 100_000, bool Parallel = true)
{
    /// <summary>The defaults.</summary>
    public static FitOptions Default { get; } = new();
}
