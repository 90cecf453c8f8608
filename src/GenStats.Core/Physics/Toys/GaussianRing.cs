using GenStats.Data;

namespace GenStats.Physics;

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
