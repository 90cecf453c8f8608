namespace GenStats.Numerics;

/// <summary>exp(x) − 1 and ln(1 + x) without cancellation near 0 (Kahan's tricks; .NET's versions are naive).</summary>
internal static class Precise
{
    /// <summary>eˣ − 1, accurate for |x| ≪ 1.</summary>
    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        return double.IsInfinity(u) ? u : um1 * x / Math.Log(u);
    }

    /// <summary>ln(1 + x), accurate for |x| ≪ 1.</summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}

/// <summary>
/// The standard normal distribution: Φ, Φ⁻¹, the density and tail-accurate interval masses, shared
/// by the fit shapes, the preprocessing transforms and the physics simulators.
/// </summary>
public static class StandardNormal
{
    /// <summary>√(2π).</summary>
    internal static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);

    /// <summary>Φ(b) − Φ(a) for the standard normal, computed on the side that avoids cancellation (accurate in both tails).</summary>
    public static double Mass(double a, double b)
    {
        if (a > 0) return 0.5 * (MathNet.Numerics.SpecialFunctions.Erfc(a / Math.Sqrt(2)) - MathNet.Numerics.SpecialFunctions.Erfc(b / Math.Sqrt(2)));
        if (b < 0) return 0.5 * (MathNet.Numerics.SpecialFunctions.Erfc(-b / Math.Sqrt(2)) - MathNet.Numerics.SpecialFunctions.Erfc(-a / Math.Sqrt(2)));
        return 1 - 0.5 * (MathNet.Numerics.SpecialFunctions.Erfc(b / Math.Sqrt(2)) + MathNet.Numerics.SpecialFunctions.Erfc(-a / Math.Sqrt(2)));
    }

    /// <summary>The standard normal CDF Φ(z).</summary>
    public static double Cdf(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    /// <summary>The standard normal quantile Φ⁻¹(p), 0 &lt; p &lt; 1 (MathNet.Numerics' <c>Normal.InvCDF</c>).</summary>
    public static double InverseCdf(double p) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);

    /// <summary>ln φ(z) of the standard normal density.</summary>
    public static double LogDensity(double z) => MathNet.Numerics.Distributions.Normal.PDFLn(0, 1, z);
}
