namespace GenStats.Physics;

/// <summary>
/// Exact samplers on top of a seeded <see cref="Random"/> (System.Random(seed) is deterministic
/// across runs), so every simulator and toy is reproducible from its seed. Each method draws from
/// the named distribution exactly (no approximations such as a normal for a large Poisson mean).
/// </summary>
public static class Samplers
{
    /// <summary>A uniform variate in the open interval (0, 1) (never exactly 0, so logs are safe).</summary>
    public static double OpenUniform(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double u;
        do { u = rng.NextDouble(); } while (u == 0.0);
        return u;
    }

    /// <summary>
    /// A standard normal variate by Marsaglia's polar method (one of the pair is used, so the
    /// stream of draws depends only on the seed and the call order).
    /// </summary>
    public static double StandardNormal(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        while (true)
        {
            double u = 2.0 * rng.NextDouble() - 1.0;
            double v = 2.0 * rng.NextDouble() - 1.0;
            double s = u * u + v * v;
            if (s > 0 && s < 1) return u * Math.Sqrt(-2.0 * Math.Log(s) / s);
        }
    }

    /// <summary>A normal variate with mean <paramref name="mean"/> and standard deviation <paramref name="sigma"/> &gt; 0.</summary>
    public static double Normal(Random rng, double mean, double sigma) => mean + sigma * StandardNormal(rng);

    /// <summary>An exponential variate with the given mean (&gt; 0), by inversion.</summary>
    public static double Exponential(Random rng, double mean) => -mean * Math.Log(OpenUniform(rng));

    /// <summary>
    /// A Gamma(shape k, scale θ) variate for an integer shape k ≥ 1: the sum of k exponentials of
    /// mean θ (exact, and enough for the kinematic spectra here).
    /// </summary>
    public static double GammaInteger(Random rng, int shape, double scale)
    {
        if (shape < 1) throw new ArgumentOutOfRangeException(nameof(shape), shape, "The Gamma shape must be an integer ≥ 1.");
        double logProduct = 0;
        for (int i = 0; i < shape; i++) logProduct += Math.Log(OpenUniform(rng));
        return -scale * logProduct;
    }

    /// <summary>
    /// A Gamma(shape k, scale θ) variate for any real shape k &gt; 0: Marsaglia and Tsang's
    /// squeeze-and-reject method (ACM TOMS 26 (2000) 363), exact; for k &lt; 1 the k + 1 draw
    /// times U^{1/k} (their boosting identity).
    /// </summary>
    public static double Gamma(Random rng, double shape, double scale)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(shape > 0) || double.IsInfinity(shape)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "The Gamma shape must be finite and > 0.");
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The Gamma scale must be finite and > 0.");
        if (shape < 1) return Gamma(rng, shape + 1, scale) * Math.Pow(OpenUniform(rng), 1 / shape);
        double d = shape - 1.0 / 3.0, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = StandardNormal(rng), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = OpenUniform(rng), x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2 || Math.Log(u) < 0.5 * x2 + d * (1 - v + Math.Log(v)))
                return d * v * scale;
        }
    }

    /// <summary>
    /// A Poisson variate of mean λ ≥ 0: multiplication of uniforms (Knuth) for λ &lt; 10, and for
    /// λ ≥ 10 Hörmann's transformed rejection with squeeze (PTRS, 1993), which is exact and O(1).
    /// </summary>
    public static int Poisson(Random rng, double mean)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(mean >= 0) || double.IsInfinity(mean) || mean > 1e9)
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The Poisson mean must be finite and in [0, 1e9].");
        if (mean == 0) return 0;
        if (mean < 10)
        {
            double limit = Math.Exp(-mean), product = rng.NextDouble();
            int k = 0;
            while (product > limit) { k++; product *= rng.NextDouble(); }
            return k;
        }
        double sqrtLam = Math.Sqrt(mean), logLam = Math.Log(mean);
        double b = 0.931 + 2.53 * sqrtLam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = rng.NextDouble() - 0.5;
            double v = rng.NextDouble();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) return (int)k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.Log(v) + Math.Log(invAlpha) - Math.Log(a / (us * us) + b)
                <= -mean + k * logLam - MathNet.Numerics.SpecialFunctions.GammaLn(k + 1))
                return (int)k;
        }
    }

    /// <summary>A normal variate truncated to [lo, hi] by rejection (the interval must carry non-negligible probability).</summary>
    public static double TruncatedNormal(Random rng, double mean, double sigma, double lo, double hi)
    {
        for (int attempt = 0; attempt < 1_000_000; attempt++)
        {
            double x = Normal(rng, mean, sigma);
            if (x >= lo && x <= hi) return x;
        }
        throw new ArgumentException($"N({mean}, {sigma}) has almost no probability in [{lo}, {hi}]; rejection sampling gave up.");
    }

    /// <summary>
    /// A variate from the Crystal Ball density (Gaussian core, power-law tail on the low side; the
    /// ROOT/RooFit convention, see <see cref="GenStats.Stats.CrystalBallShape"/>) truncated to
    /// [lo, hi], by accept–reject under a flat envelope at the density's maximum.
    /// </summary>
    public static double CrystalBall(Random rng, double mean, double sigma, double alpha, double n, double lo, double hi)
    {
        // The unnormalised density peaks at 1 (x = mean), so a uniform envelope of height 1 works.
        for (int attempt = 0; attempt < 10_000_000; attempt++)
        {
            double x = lo + (hi - lo) * rng.NextDouble();
            if (rng.NextDouble() <= GenStats.Stats.CrystalBallShape.Unnormalised(x, mean, sigma, alpha, n)) return x;
        }
        throw new ArgumentException($"The Crystal Ball density has almost no probability in [{lo}, {hi}].");
    }

    /// <summary>An exponential density ∝ exp(λx) truncated to [lo, hi], by inversion (λ may have either sign or be 0).</summary>
    public static double TruncatedExponential(Random rng, double slope, double lo, double hi)
    {
        double u = rng.NextDouble();
        if (Math.Abs(slope * (hi - lo)) < 1e-12) return lo + u * (hi - lo);
        // Inverse CDF written relative to the end with the larger density to avoid overflow.
        return slope < 0
            ? lo + Precise.Log1P(u * Precise.ExpM1(slope * (hi - lo))) / slope
            : hi + Precise.Log1P((1 - u) * Precise.ExpM1(-slope * (hi - lo))) / slope;
    }
}
