namespace GenStats.Stats;

/// <summary>How a fit ended.</summary>
public enum FitStatus
{
    /// <summary>The minimiser converged and the Hessian at the minimum is positive definite.</summary>
    Converged,
    /// <summary>A minimum estimate exists but is not trustworthy (see the message): iteration limit,
    /// line search failure, a Hessian that is not positive definite, or a large distance to minimum.</summary>
    NotConverged,
    /// <summary>No estimate (see the message), e.g. the likelihood is not finite at the start.</summary>
    Failed,
}

/// <summary>One parameter of a fit result.</summary>
/// <param name="Name">"species.parameter" for shape parameters, "N_species" for yields.</param>
/// <param name="Value">Best-fit value.</param>
/// <param name="Error">Symmetric (parabolic) error √C_ii from the inverse Hessian; 0 for fixed, NaN when unavailable.</param>
/// <param name="Fixed">True when held constant.</param>
public sealed record FitParameter(string Name, double Value, double Error, bool Fixed);

/// <summary>
/// Result of an extended unbinned maximum-likelihood fit. Parameters are listed yields first (one
/// per species, in model order), then shape parameters. Covariance and Correlation cover the
/// floating parameters only, in the order of <see cref="FloatingNames"/>.
/// </summary>
/// <param name="Status">Converged / NotConverged / Failed.</param>
/// <param name="Message">What happened, in words (why it failed, if it did).</param>
/// <param name="Species">Species names in model order.</param>
/// <param name="Parameters">Every parameter, fixed ones included.</param>
/// <param name="FloatingNames">Names of the floating parameters (rows/columns of the matrices).</param>
/// <param name="Covariance">Covariance of the floating parameters (inverse Hessian of −ln L).</param>
/// <param name="Correlation">Correlation matrix of the floating parameters.</param>
/// <param name="MinusLogLikelihood">−ln L at the minimum (extended, constant terms dropped).</param>
/// <param name="EstimatedDistanceToMinimum">½ gᵀ H⁻¹ g at the final point (MINUIT's EDM).</param>
/// <param name="Iterations">BFGS iterations over all stages.</param>
/// <param name="Events">Number of events fitted.</param>
/// <param name="Model">The model that was fitted.</param>
public sealed record FitResult(
    FitStatus Status,
    string Message,
    string[] Species,
    FitParameter[] Parameters,
    string[] FloatingNames,
    double[,] Covariance,
    double[,] Correlation,
    double MinusLogLikelihood,
    double EstimatedDistanceToMinimum,
    int Iterations,
    int Events,
    FitModel? Model)
{
    /// <summary>The parameter of that name (e.g. "N_signal", "signal.sigma").</summary>
    public FitParameter Parameter(string name) =>
        Parameters.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"No fit parameter '{name}'; the parameters are: {string.Join(", ", Parameters.Select(p => p.Name))}.", nameof(name));

    /// <summary>The fitted yield of a species.</summary>
    public FitParameter Yield(string species) => Parameter("N_" + species);

    /// <summary>Fitted yields in species order.</summary>
    public double[] Yields => Species.Select(s => Yield(s).Value).ToArray();
}
