using GenStats.Data;

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
