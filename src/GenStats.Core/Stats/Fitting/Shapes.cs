using System.Numerics.Tensors;

namespace GenStats.Stats;

/// <summary>
/// Gaussian density N(mean, sigma) truncated and renormalised to the fit range:
/// f(x) = φ((x − μ)/σ) / (σ [Φ((hi − μ)/σ) − Φ((lo − μ)/σ)]).
/// </summary>
/// <param name="Mean">Starting value of the mean.</param>
/// <param name="Sigma">Starting value of the width (&gt; 0).</param>
public sealed record GaussianShape(double Mean, double Sigma) : IFitShape
{
    /// <inheritdoc/>
    public string Kind => "gauss";

    /// <inheritdoc/>
    public IReadOnlyList<ShapeParameter> Parameters =>
    [
        new("mean", Mean, Sigma * 0.1),
        new("sigma", Sigma, 0.1, ParameterDomain.Positive),
    ];

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double lo, double hi, Span<double> output)
    {
        double mu = p[0], sigma = p[1];
        if (!(sigma > 0) || !double.IsFinite(mu)) { output.Fill(double.NaN); return; }
        double norm = sigma * StandardNormal.Sqrt2Pi * StandardNormal.Mass((lo - mu) / sigma, (hi - mu) / sigma);
        if (!(norm > 0)) { output.Fill(double.NaN); return; }
        double invSigma = 1.0 / sigma;
        // exp(−½t²)/norm with SIMD kernels: the likelihood of 10⁶ events evaluates this hundreds of times.
        var o = output[..x.Length];
        TensorPrimitives.Subtract(x, mu, o);
        TensorPrimitives.Multiply(o, invSigma, o);
        TensorPrimitives.Multiply(o, o, o);
        TensorPrimitives.Multiply(o, -0.5, o);
        TensorPrimitives.Exp(o, o);
        TensorPrimitives.Multiply(o, 1.0 / norm, o);
    }
}

/// <summary>
/// Crystal Ball density (Gaussian core with a power-law tail on the low side), the convention of
/// ROOT's RooCBShape with α &gt; 0: with t = (x − μ)/σ, f ∝ exp(−t²/2) for t &gt; −α and
/// f ∝ A (B − t)^(−n) otherwise, A = (n/α)ⁿ exp(−α²/2), B = n/α − α; normalised analytically on
/// the fit range. Needs n &gt; 1.
/// </summary>
/// <param name="Mean">Starting value of the peak position μ.</param>
/// <param name="Sigma">Starting value of the core width σ.</param>
/// <param name="Alpha">Starting value of the tail start α (in units of σ, &gt; 0).</param>
/// <param name="N">Starting value of the tail power n (&gt; 1).</param>
public sealed record CrystalBallShape(double Mean, double Sigma, double Alpha = 1.5, double N = 3.0) : IFitShape
{
    /// <inheritdoc/>
    public string Kind => "cb";

    /// <inheritdoc/>
    public IReadOnlyList<ShapeParameter> Parameters =>
    [
        new("mean", Mean, Sigma * 0.1),
        new("sigma", Sigma, 0.1, ParameterDomain.Positive),
        new("alpha", Alpha, 0.1, ParameterDomain.Positive),
        new("n", N, 0.3, ParameterDomain.AboveOne),
    ];

    /// <summary>The unnormalised density (1 at the peak) at x.</summary>
    public static double Unnormalised(double x, double mean, double sigma, double alpha, double n)
    {
        double t = (x - mean) / sigma;
        if (t > -alpha) return Math.Exp(-0.5 * t * t);
        double a = Math.Exp(n * Math.Log(n / alpha) - 0.5 * alpha * alpha);
        double b = n / alpha - alpha;
        return a * Math.Exp(-n * Math.Log(b - t));
    }

    /// <summary>∫ of <see cref="Unnormalised"/> over [lo, hi].</summary>
    public static double Integral(double lo, double hi, double mean, double sigma, double alpha, double n)
    {
        double za = (lo - mean) / sigma, zb = (hi - mean) / sigma, total = 0;
        if (zb > -alpha)
            total += sigma * StandardNormal.Sqrt2Pi * StandardNormal.Mass(Math.Max(za, -alpha), zb);
        if (za < -alpha)
        {
            double a = Math.Exp(n * Math.Log(n / alpha) - 0.5 * alpha * alpha);
            double b = n / alpha - alpha;
            double top = Math.Min(zb, -alpha);
            // ∫ A (B − t)^(−n) dt = A/(n − 1) · (B − t)^(1 − n)
            total += sigma * a / (n - 1) * (Math.Pow(b - top, 1 - n) - Math.Pow(b - za, 1 - n));
        }
        return total;
    }

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double lo, double hi, Span<double> output)
    {
        double mu = p[0], sigma = p[1], alpha = p[2], n = p[3];
        if (!(sigma > 0 && alpha > 0 && n > 1) || !double.IsFinite(mu)) { output.Fill(double.NaN); return; }
        double norm = Integral(lo, hi, mu, sigma, alpha, n);
        if (!(norm > 0) || !double.IsFinite(norm)) { output.Fill(double.NaN); return; }
        double inv = 1.0 / norm, invSigma = 1.0 / sigma;
        double logA = n * Math.Log(n / alpha) - 0.5 * alpha * alpha, b = n / alpha - alpha;
        for (int i = 0; i < x.Length; i++)
        {
            double t = (x[i] - mu) * invSigma;
            output[i] = (t > -alpha ? Math.Exp(-0.5 * t * t) : Math.Exp(logA - n * Math.Log(b - t))) * inv;
        }
    }
}

/// <summary>
/// Exponential density f(x) ∝ exp(λx) normalised on the fit range (λ of either sign; λ = 0 is flat).
/// </summary>
/// <param name="Slope">Starting value of λ (per unit of x).</param>
public sealed record ExponentialShape(double Slope = 0.0) : IFitShape
{
    /// <inheritdoc/>
    public string Kind => "exp";

    /// <inheritdoc/>
    public IReadOnlyList<ShapeParameter> Parameters => [new("slope", Slope, double.NaN)];

    /// <summary>The normalised density at one point (for tests and samplers).</summary>
    public static double Density(double x, double slope, double lo, double hi)
    {
        Span<double> o = stackalloc double[1];
        new ExponentialShape().Evaluate([x], [slope], lo, hi, o);
        return o[0];
    }

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double lo, double hi, Span<double> output)
    {
        double lambda = p[0], width = hi - lo;
        if (!double.IsFinite(lambda)) { output.Fill(double.NaN); return; }
        if (Math.Abs(lambda * width) < 1e-9)
        {
            output.Fill(1.0 / width);
            return;
        }
        // Referenced to the end where the density is largest, so nothing overflows.
        double anchor = lambda < 0 ? lo : hi;
        double norm = lambda < 0 ? lambda / Precise.ExpM1(lambda * width) : lambda / -Precise.ExpM1(-lambda * width);
        var o = output[..x.Length];
        TensorPrimitives.Subtract(x, anchor, o);
        TensorPrimitives.Multiply(o, lambda, o);
        TensorPrimitives.Exp(o, o);
        TensorPrimitives.Multiply(o, norm, o);
    }
}

/// <summary>
/// Second-order Chebyshev polynomial density on the fit range: with t = 2(x − lo)/(hi − lo) − 1,
/// f ∝ 1 + c₁T₁(t) + c₂T₂(t) = 1 + c₁t + c₂(2t² − 1), normalised to (hi − lo)(1 − c₂/3) (as
/// RooChebychev with the constant term fixed to 1). Coefficients that make f negative anywhere on
/// the range are forbidden (NaN).
/// </summary>
/// <param name="C1">Starting value of c₁.</param>
/// <param name="C2">Starting value of c₂.</param>
public sealed record Chebyshev2Shape(double C1 = 0.0, double C2 = 0.0) : IFitShape
{
    /// <inheritdoc/>
    public string Kind => "cheb2";

    /// <inheritdoc/>
    public IReadOnlyList<ShapeParameter> Parameters => [new("c1", C1, 0.05), new("c2", C2, 0.05)];

    /// <summary>Min of 1 + c₁t + c₂(2t² − 1) over t ∈ [−1, 1].</summary>
    public static double MinimumOnRange(double c1, double c2)
    {
        double m = Math.Min(1 - c1 + c2, 1 + c1 + c2);
        if (c2 > 0)
        {
            double tv = -c1 / (4 * c2);
            if (tv > -1 && tv < 1) m = Math.Min(m, 1 + c1 * tv + c2 * (2 * tv * tv - 1));
        }
        return m;
    }

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double lo, double hi, Span<double> output)
    {
        double c1 = p[0], c2 = p[1];
        if (!double.IsFinite(c1) || !double.IsFinite(c2) || MinimumOnRange(c1, c2) < 0) { output.Fill(double.NaN); return; }
        double inv = 1.0 / ((hi - lo) * (1 - c2 / 3)), scale = 2.0 / (hi - lo);
        for (int i = 0; i < x.Length; i++)
        {
            double t = (x[i] - lo) * scale - 1;
            output[i] = (1 + c1 * t + c2 * (2 * t * t - 1)) * inv;
        }
    }
}
