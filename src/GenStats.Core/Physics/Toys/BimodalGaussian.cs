using GenStats.Data;
using GenStats.Stats;

namespace GenStats.Physics;

/// <summary>
/// The 1-D GANplifying toy (Butter et al., arXiv:2008.06545): ½(N(−m, σ²) + N(m, σ²)), m = 4 and
/// σ = 1 by default. Exact sampler, density and CDF.
/// </summary>
public static class BimodalGaussian
{
    /// <summary>Column name.</summary>
    public const string Column = "x";

    /// <summary>A sample as a dataset with the single feature x.</summary>
    public static Dataset Sample(int events, int seed, double mode = 4.0, double sigma = 1.0)
    {
        Check(events, sigma);
        var rng = new Random(seed);
        var x = new double[events];
        for (int i = 0; i < events; i++)
            x[i] = Samplers.Normal(rng, rng.NextDouble() < 0.5 ? -mode : mode, sigma);
        return Dataset.Create([Column], [x]).WithRoles([Column]);
    }

    /// <summary>Exact density.</summary>
    public static double Pdf(double x, double mode = 4.0, double sigma = 1.0)
    {
        double a = (x + mode) / sigma, b = (x - mode) / sigma;
        return 0.5 * (Math.Exp(-0.5 * a * a) + Math.Exp(-0.5 * b * b)) / (sigma * Math.Sqrt(2 * Math.PI));
    }

    /// <summary>Exact CDF.</summary>
    public static double Cdf(double x, double mode = 4.0, double sigma = 1.0) =>
        0.5 * (StandardNormal.Cdf((x + mode) / sigma) + StandardNormal.Cdf((x - mode) / sigma));

    private static void Check(int events, double sigma)
    {
        if (events < 1) throw new ArgumentOutOfRangeException(nameof(events), events, "At least one event is required.");
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be positive.");
    }
}

/// <summary>
/// The 2-D GANplifying toy: a ring whose radius is Gaussian, r ~ N(R, w²) restricted to r &gt; 0
/// (R = 4, w = 1 by default: the restriction removes 3·10⁻⁵ of the probability), with a uniform
/// angle φ; (x, y) = (r cos φ, r sin φ). Exact density p(x, y) = N(r; R, w)/(Φ(R/w) · 2πr), radial
/// CDF and uniform angular CDF — quantiles are taken in polar coordinates, as in the seed talk.
/// </summary>
public static class GaussianRing
{
    /// <summary>Column names.</summary>
    public static readonly string[] Columns = ["x", "y"];

    /// <summary>A sample as a dataset with the features x and y.</summary>
    public static Dataset Sample(int events, int seed, double radius = 4.0, double width = 1.0)
    {
        if (events < 1) throw new ArgumentOutOfRangeException(nameof(events), events, "At least one event is required.");
        if (!(width > 0) || !(radius >= 0)) throw new ArgumentOutOfRangeException(nameof(width), width, "Need radius ≥ 0 and width > 0.");
        var rng = new Random(seed);
        var x = new double[events];
        var y = new double[events];
        for (int i = 0; i < events; i++)
        {
            double r = Samplers.TruncatedNormal(rng, radius, width, 0, double.PositiveInfinity);
            double phi = 2 * Math.PI * rng.NextDouble();
            x[i] = r * Math.Cos(phi);
            y[i] = r * Math.Sin(phi);
        }
        return Dataset.Create(Columns, [x, y]).WithRoles(Columns);
    }

    /// <summary>Exact density at (x, y).</summary>
    public static double Pdf(double x, double y, double radius = 4.0, double width = 1.0)
    {
        double r = Math.Sqrt(x * x + y * y);
        if (r == 0) return 0;
        double z = (r - radius) / width;
        return Math.Exp(-0.5 * z * z) / (width * Math.Sqrt(2 * Math.PI)) / StandardNormal.Cdf(radius / width) / (2 * Math.PI * r);
    }

    /// <summary>Exact CDF of the radius r = √(x² + y²).</summary>
    public static double RadiusCdf(double r, double radius = 4.0, double width = 1.0)
    {
        if (!(r > 0)) return 0;
        double kept = StandardNormal.Cdf(radius / width);
        return StandardNormal.Mass(-radius / width, (r - radius) / width) / kept;
    }

    /// <summary>Exact CDF of the angle atan2(y, x) ∈ (−π, π]: uniform.</summary>
    public static double AngleCdf(double phi) => Math.Clamp((phi + Math.PI) / (2 * Math.PI), 0, 1);
}
