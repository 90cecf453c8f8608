using System.Globalization;

namespace GenStats.Data;

/// <summary>
/// z = (log x − μ)/σ for positive quantities (momenta, energies, masses): the log, then a weighted
/// standardisation on the log scale (μ, σ as in <see cref="StandardTransform"/>). Values must be
/// &gt; 0; the inverse x = exp(μ + σz) is always positive.
/// </summary>
public sealed class LogTransform : IColumnTransform
{
    /// <summary>The kind name "log".</summary>
    public const string KindName = "log";

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IFittedColumnTransform Fit(double[] values, double[]? weights = null) => StandardisedCurve.Fit(Curves.Log, values, weights);
}

/// <summary>
/// z = (log(1 + x) − μ)/σ for quantities ≥ 0 that may be 0 (counts, energies with zeros): values
/// must be &gt; −1; the inverse x = expm1(μ + σz) is always &gt; −1.
/// </summary>
public sealed class Log1pTransform : IColumnTransform
{
    /// <summary>The kind name "log1p".</summary>
    public const string KindName = "log1p";

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IFittedColumnTransform Fit(double[] values, double[]? weights = null) => StandardisedCurve.Fit(Curves.Log1p, values, weights);
}

/// <summary>
/// z = (logit((x − lo)/(hi − lo)) − μ)/σ for a quantity bounded to (lo, hi) (efficiencies,
/// probabilities, PID scores): values must lie strictly inside; the inverse
/// x = lo + (hi − lo)·sigmoid(μ + σz) never leaves [lo, hi].
/// </summary>
/// <param name="Lower">The lower bound lo (finite).</param>
/// <param name="Upper">The upper bound hi (finite, &gt; lo).</param>
public sealed record LogitTransform(double Lower, double Upper) : IColumnTransform
{
    /// <summary>The kind name "logit".</summary>
    public const string KindName = "logit";

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IFittedColumnTransform Fit(double[] values, double[]? weights = null) => StandardisedCurve.Fit(Curves.Logit(Lower, Upper), values, weights);
}

/// <summary>An elementwise monotone map g applied before the standardisation, with its domain check.</summary>
internal abstract class Curve
{
    public abstract string Kind { get; }
    public abstract bool InDomain(double x);
    public abstract string Domain { get; }
    public abstract double G(double x);
    public abstract double GInverse(double y);
    public abstract double LogGPrime(double x);
    public virtual Dictionary<string, double[]> Parameters() => [];

    public void Check(double x, int? index = null)
    {
        if (InDomain(x)) return;
        string where = index is int i ? string.Create(CultureInfo.InvariantCulture, $" (event {i})") : "";
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{Kind}: value {x}{where} is outside its domain; {Kind} needs {Domain}."), "values");
    }
}

/// <summary>The curves behind log, log1p and logit.</summary>
internal static class Curves
{
    public static readonly Curve Log = new LogCurve();
    public static readonly Curve Log1p = new Log1pCurve();

    public static Curve Logit(double lo, double hi)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || !(lo < hi))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"logit bounds ({lo}, {hi}) are not finite with lo < hi."), nameof(lo));
        return new LogitCurve(lo, hi);
    }

    private sealed class LogCurve : Curve
    {
        public override string Kind => LogTransform.KindName;
        public override string Domain => "values > 0 (use log1p for values > −1)";
        public override bool InDomain(double x) => x > 0 && double.IsFinite(x);
        public override double G(double x) => Math.Log(x);
        public override double GInverse(double y) => Math.Exp(y);
        public override double LogGPrime(double x) => -Math.Log(x);
    }

    private sealed class Log1pCurve : Curve
    {
        public override string Kind => Log1pTransform.KindName;
        public override string Domain => "values > −1";
        public override bool InDomain(double x) => x > -1 && double.IsFinite(x);
        public override double G(double x) => Precise.Log1P(x);
        public override double GInverse(double y) => Precise.ExpM1(y);
        public override double LogGPrime(double x) => -Precise.Log1P(x);
    }

    // g(x) = log(x − lo) − log(hi − x): the logit of (x − lo)/(hi − lo) without forming the ratio.
    private sealed class LogitCurve(double lo, double hi) : Curve
    {
        public override string Kind => LogitTransform.KindName;
        public override string Domain => string.Create(CultureInfo.InvariantCulture, $"values strictly inside ({lo}, {hi})");
        public override bool InDomain(double x) => x > lo && x < hi;
        public override double G(double x) => Math.Log(x - lo) - Math.Log(hi - x);
        public override double GInverse(double y) => y >= 0 ? lo + (hi - lo) / (1 + Math.Exp(-y)) : hi - (hi - lo) / (1 + Math.Exp(y));
        public override double LogGPrime(double x) => Math.Log(hi - lo) - Math.Log(x - lo) - Math.Log(hi - x);
        public override Dictionary<string, double[]> Parameters() => new() { ["lower"] = [lo], ["upper"] = [hi] };
    }
}

/// <summary>z = (g(x) − μ)/σ: a curve followed by the weighted standardisation of <see cref="StandardTransform"/>.</summary>
internal sealed class StandardisedCurve(Curve g, double mean, double scale) : IFittedColumnTransform
{
    public static IFittedColumnTransform Fit(Curve g, double[] values, double[]? weights)
    {
        SampleChecks.RequireFiniteSample(values, nameof(values));
        for (int i = 0; i < values.Length; i++) g.Check(values[i], i);
        var curved = Array.ConvertAll(values, g.G);
        var s = new StandardTransform().Fit(curved, weights).State;
        return new StandardisedCurve(g, s.Get("mean", 1)[0], s.Get("scale", 1)[0]);
    }

    public static IFittedColumnTransform FromState(ColumnTransformState state)
    {
        double mean = state.Get("mean", 1)[0], scale = state.Get("scale", 1)[0];
        if (!(scale > 0)) throw new InvalidDataException($"transform '{state.Kind}': scale {scale} is not positive.");
        Curve g;
        switch (state.Kind)
        {
            case LogTransform.KindName: g = Curves.Log; break;
            case Log1pTransform.KindName: g = Curves.Log1p; break;
            default:
                double lo = state.Get("lower", 1)[0], hi = state.Get("upper", 1)[0];
                if (!(lo < hi)) throw new InvalidDataException($"transform 'logit': bounds ({lo}, {hi}) need lower < upper.");
                g = Curves.Logit(lo, hi);
                break;
        }
        return new StandardisedCurve(g, mean, scale);
    }

    public string Kind => g.Kind;

    public double Forward(double value)
    {
        g.Check(value);
        return (g.G(value) - mean) / scale;
    }

    public double Inverse(double value) => g.GInverse(mean + scale * value);

    public double LogDerivative(double value) => g.InDomain(value) ? g.LogGPrime(value) - Math.Log(scale) : double.NegativeInfinity;

    public ColumnTransformState State
    {
        get
        {
            var p = g.Parameters();
            p["mean"] = [mean];
            p["scale"] = [scale];
            return new ColumnTransformState(g.Kind, p);
        }
    }
}
