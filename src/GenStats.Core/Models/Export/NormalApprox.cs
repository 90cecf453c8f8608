namespace GenStats.Models;

/// <summary>
/// Coefficients of the closed-form normal CDF and quantile approximations the ONNX graph uses (ONNX
/// has Erf but neither Erfc nor an inverse): the lower tail Φ(−a) = ½·erfc(a/√2) by the Chebyshev
/// fit of Numerical Recipes' erfcc (fractional error &lt; 1.2e-7 everywhere, so tails keep their
/// relative precision), and Φ⁻¹(p) by P. J. Acklam's rational approximation (relative error &lt; 1.15e-9; the graph evaluates it in float64).
/// The C export uses libm's erfc and refines Acklam's value with one Halley step instead.
/// </summary>
internal static class NormalApprox
{
    /// <summary>erfc(x) ≈ t·exp(−x² + P(t)), t = 1/(1 + x/2), x ≥ 0: the coefficients of P from t⁰.</summary>
    public static readonly double[] ErfcPoly =
        [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];

    /// <summary>Central region |p − ½| ≤ ½ − <see cref="PLow"/>: numerator (in r = (p − ½)², from r⁰, times p − ½) and denominator.</summary>
    public static readonly double[] CentralNum =
        [2.506628277459239e+00, -3.066479806614716e+01, 1.383577518672690e+02, -2.759285104469687e+02, 2.209460984245205e+02, -3.969683028665376e+01];

    public static readonly double[] CentralDen =
        [1, -1.328068155288572e+01, 6.680131188771972e+01, -1.556989798598866e+02, 1.615858368580409e+02, -5.447609879822406e+01];

    /// <summary>Lower tail p &lt; <see cref="PLow"/>: numerator and denominator in q = √(−2 ln p), from q⁰.</summary>
    public static readonly double[] TailNum =
        [2.938163982698783e+00, 4.374664141464968e+00, -2.549732539343734e+00, -2.400758277161838e+00, -3.223964580411365e-01, -7.784894002430293e-03];

    public static readonly double[] TailDen =
        [1, 3.754408661907416e+00, 2.445134137142996e+00, 3.224671290700398e-01, 7.784695709041462e-03];

    /// <summary>The boundary between the tail and central regions.</summary>
    public const double PLow = 0.02425;
}
