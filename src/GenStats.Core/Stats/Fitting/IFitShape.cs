namespace GenStats.Stats;

/// <summary>Where a shape parameter may live; the fit works in a transformed space so it never leaves it.</summary>
public enum ParameterDomain
{
    /// <summary>Any real value (fitted as is).</summary>
    Real,
    /// <summary>Strictly positive (fitted as its logarithm), e.g. a width.</summary>
    Positive,
    /// <summary>Strictly above 1 (fitted as ln(θ − 1)), e.g. the Crystal Ball power n.</summary>
    AboveOne,
}

/// <summary>One parameter of a shape: its name, starting value, typical step and domain.</summary>
/// <param name="Name">Name within its shape, e.g. "mean".</param>
/// <param name="Initial">Starting value of the fit (or the value used when the parameter is fixed).</param>
/// <param name="Scale">Typical size of a change worth exploring (about one expected error), used
/// to scale the minimiser's coordinates; for Positive/AboveOne parameters it is a relative step.</param>
/// <param name="Domain">Allowed range.</param>
public sealed record ShapeParameter(string Name, double Initial, double Scale, ParameterDomain Domain = ParameterDomain.Real);

/// <summary>
/// A one-dimensional probability density normalised on a fit range [lo, hi] (∫ f = 1 there), with
/// named parameters. Implementations: <see cref="GaussianShape"/>, <see cref="CrystalBallShape"/>,
/// <see cref="ExponentialShape"/>, <see cref="Chebyshev2Shape"/>.
/// </summary>
public interface IFitShape
{
    /// <summary>A short name ("gauss", "cb", "exp", "cheb2").</summary>
    string Kind { get; }

    /// <summary>Parameters in the order <see cref="Evaluate"/> takes them, with starting values.</summary>
    IReadOnlyList<ShapeParameter> Parameters { get; }

    /// <summary>
    /// Writes the normalised density f(x; p) on [lo, hi] for every x into <paramref name="output"/>.
    /// Parameter values outside the shape's valid region give NaN (the fit treats that as forbidden).
    /// </summary>
    void Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double lo, double hi, Span<double> output);
}

/// <summary>Array-based helpers over <see cref="IFitShape"/> (convenient from F# and for one-off evaluations).</summary>
public static class FitShapes
{
    /// <summary>The normalised density of <paramref name="shape"/> at one point.</summary>
    public static double Density(IFitShape shape, double x, double[] parameters, double lo, double hi)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var output = new double[1];
        shape.Evaluate([x], parameters, lo, hi, output);
        return output[0];
    }

    /// <summary>The normalised density of <paramref name="shape"/> at every point of <paramref name="x"/>.</summary>
    public static double[] Densities(IFitShape shape, double[] x, double[] parameters, double lo, double hi)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(x);
        var output = new double[x.Length];
        shape.Evaluate(x, parameters, lo, hi, output);
        return output;
    }

    /// <summary>The starting values of a shape's parameters, in order.</summary>
    public static double[] InitialValues(IFitShape shape) => shape.Parameters.Select(p => p.Initial).ToArray();
}
