using GenStats.Data;
using MathNet.Numerics.Integration;

namespace GenStats.Physics;

/// <summary>Settings of the LogNormal-pair toy.</summary>
/// <param name="Mu">Mean of ln x (both variables).</param>
/// <param name="Sigma">Standard deviation of ln x (&gt; 0).</param>
/// <param name="Cut">When set, each variable is restricted to x &lt; Cut (the "marginal cut-off"
/// variant, Cut = 12 in the seed lectures); events with either variable above it are redrawn, so
/// the marginals are LogNormals truncated at Cut.</param>
public sealed record LogNormalPairOptions(double Mu = 0.0, double Sigma = 1.0, double? Cut = null)
{
    /// <summary>The plain toy: two independent LogNormal(0, 1).</summary>
    public static LogNormalPairOptions Default { get; } = new();

    /// <summary>The marginal cut-off variant, x &lt; 12.</summary>
    public static LogNormalPairOptions WithCut12 { get; } = new(Cut: 12.0);
}

/// <summary>
/// The "tails and decomposition" toy of the seed lectures: two independent variables x₁, x₂, each
/// LogNormal(μ, σ) (density φ((ln x − μ)/σ)/(σx)), a training sample of 1 000 events, and the
/// target quantity x₁ + x₂ on 10⁶ events. Exact marginal density and CDF; the CDF of the sum by
/// numerical integration of F_S(s) = ∫ f(x) F(s − x) dx (Gauss–Legendre, ~1e-12 accurate), with or
/// without the cut.
/// </summary>
public static class LogNormalPair
{
    /// <summary>Training sample size of the seed toy.</summary>
    public const int TrainingEvents = 1_000;

    /// <summary>Target sample size of the seed toy.</summary>
    public const int TargetEvents = 1_000_000;

    /// <summary>The marginal cut of the cut-off variant.</summary>
    public const double CutValue = 12.0;

    /// <summary>Column names.</summary>
    public static readonly string[] Columns = ["x1", "x2"];

    /// <summary>A sample of (x₁, x₂) as a dataset whose features are x1 and x2.</summary>
    public static Dataset Sample(int events, int seed, LogNormalPairOptions? options = null)
    {
        var o = Check(options, events);
        var rng = new Random(seed);
        var x1 = new double[events];
        var x2 = new double[events];
        for (int i = 0; i < events; i++)
        {
            x1[i] = Draw(rng, o);
            x2[i] = Draw(rng, o);
        }
        return Dataset.Create(Columns, [x1, x2]).WithRoles(Columns);
    }

    /// <summary>The target x₁ + x₂ for <paramref name="events"/> events (10⁶ in the seed toy).</summary>
    public static double[] SampleSum(int events, int seed, LogNormalPairOptions? options = null)
    {
        var o = Check(options, events);
        var rng = new Random(seed);
        var s = new double[events];
        for (int i = 0; i < events; i++) s[i] = Draw(rng, o) + Draw(rng, o);
        return s;
    }

    /// <summary>Exact marginal density of x (truncated and renormalised when a cut is set).</summary>
    public static double MarginalPdf(double x, LogNormalPairOptions? options = null)
    {
        var o = Check(options, 1);
        if (!(x > 0) || (o.Cut is double c && x >= c)) return 0;
        double z = (Math.Log(x) - o.Mu) / o.Sigma;
        return Math.Exp(-0.5 * z * z) / (o.Sigma * x * Math.Sqrt(2 * Math.PI)) / Kept(o);
    }

    /// <summary>Exact marginal CDF of x.</summary>
    public static double MarginalCdf(double x, LogNormalPairOptions? options = null)
    {
        var o = Check(options, 1);
        if (!(x > 0)) return 0;
        if (o.Cut is double c && x >= c) return 1;
        return StandardNormal.Cdf((Math.Log(x) - o.Mu) / o.Sigma) / Kept(o);
    }

    /// <summary>CDF of the sum x₁ + x₂ (numerical integration of the exact convolution).</summary>
    public static double SumCdf(double s, LogNormalPairOptions? options = null)
    {
        var o = Check(options, 1);
        if (!(s > 0)) return 0;
        // Integrate over z = (ln x₁ − μ)/σ: F_S(s) = ∫ φ(z)/Kept · F(s − e^{μ+σz}) dz, x₁ < min(s, cut).
        double upperX = o.Cut is double c ? Math.Min(s, c) : s;
        double zTop = (Math.Log(upperX) - o.Mu) / o.Sigma;
        double zBottom = Math.Min(-12.0, zTop - 1);
        var breaks = new List<double> { zBottom };
        if (o.Cut is double cut && s > cut)
        {
            // F(s − x) has a kink where s − x = cut.
            double zk = (Math.Log(s - cut) - o.Mu) / o.Sigma;
            if (zk > zBottom && zk < zTop) breaks.Add(zk);
        }
        breaks.Add(zTop);
        double total = 0;
        for (int piece = 0; piece + 1 < breaks.Count; piece++)
        {
            double a = breaks[piece], b = breaks[piece + 1];
            const int parts = 16;
            for (int k = 0; k < parts; k++)
            {
                double lo = a + (b - a) * k / parts, hi = a + (b - a) * (k + 1) / parts;
                total += GaussLegendreRule.Integrate(z =>
                {
                    double x = Math.Exp(o.Mu + o.Sigma * z);
                    return Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI) * MarginalCdf(s - x, o);
                }, lo, hi, 32);
            }
        }
        return Math.Clamp(total / Kept(o), 0, 1);
    }

    private static double Kept(LogNormalPairOptions o) =>
        o.Cut is double c ? StandardNormal.Cdf((Math.Log(c) - o.Mu) / o.Sigma) : 1.0;

    private static double Draw(Random rng, LogNormalPairOptions o)
    {
        while (true)
        {
            double x = Math.Exp(Samplers.Normal(rng, o.Mu, o.Sigma));
            if (o.Cut is not double c || x < c) return x;
        }
    }

    private static LogNormalPairOptions Check(LogNormalPairOptions? options, int events)
    {
        var o = options ?? LogNormalPairOptions.Default;
        if (events < 1) throw new ArgumentOutOfRangeException(nameof(events), events, "At least one event is required.");
        if (!(o.Sigma > 0) || !double.IsFinite(o.Sigma) || !double.IsFinite(o.Mu))
            throw new ArgumentException($"LogNormal(μ = {o.Mu}, σ = {o.Sigma}) is invalid; μ must be finite and σ > 0.", nameof(options));
        if (o.Cut is double c && !(c > 0 && StandardNormal.Cdf((Math.Log(c) - o.Mu) / o.Sigma) > 1e-6))
            throw new ArgumentException($"The cut x < {c} keeps almost no probability.", nameof(options));
        return o;
    }
}
