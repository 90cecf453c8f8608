using MathNet.Numerics.LinearAlgebra;

namespace GenStats.Stats;

/// <summary>Settings of <see cref="FrechetDistance.Compute"/>.</summary>
/// <param name="BootstrapReplicas">Poisson-bootstrap replicas for the uncertainty (each recomputes
/// both covariances and the matrix square root); 0 switches the uncertainty off, otherwise ≥ 2.</param>
/// <param name="Seed">Seed of the bootstrap.</param>
public sealed record FrechetDistanceOptions(int BootstrapReplicas = 50, int Seed = 1)
{
    /// <summary>50 replicas, seed 1.</summary>
    public static FrechetDistanceOptions Default { get; } = new();
}

/// <summary>The Fréchet distance between the Gaussians fitted to two samples.</summary>
/// <param name="Value">‖μ_A − μ_B‖² + Tr(Σ_A + Σ_B − 2(Σ_A Σ_B)^½) (a squared distance, FID convention).</param>
/// <param name="Uncertainty">Bootstrap standard deviation of <paramref name="Value"/> (NaN when off).</param>
/// <param name="UncertaintyMethod">E.g. <c>"poisson-bootstrap(50, seed 1)"</c>, or <c>"none"</c>.</param>
/// <param name="EffectiveSizeA">Kish effective size of A.</param>
/// <param name="EffectiveSizeB">Kish effective size of B.</param>
/// <param name="MeanTerm">‖μ_A − μ_B‖².</param>
/// <param name="CovarianceTerm">Tr(Σ_A + Σ_B − 2(Σ_A Σ_B)^½).</param>
public sealed record FrechetDistanceResult(
    double Value, double Uncertainty, string UncertaintyMethod, double EffectiveSizeA, double EffectiveSizeB,
    double MeanTerm, double CovarianceTerm) : ITwoSampleResult
{
    /// <summary>The common two-sample view (value, uncertainty, method, effective sizes).</summary>
    public TwoSampleResult ToTwoSampleResult() =>
        new(Value, Uncertainty, UncertaintyMethod, EffectiveSizeA, EffectiveSizeB);
}

/// <summary>
/// Fréchet (2-Wasserstein) distance between the Gaussians with the samples' means and covariances,
/// as FID / pytorch-fid and jetnet's FPD define it:
/// d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½), covariances with ddof = 1 (np.cov).
/// </summary>
/// <remarks>
/// Weighted moments: mean Σwx/Σw and covariance Σw(x−μ)(x−μ)ᵀ/(V₁ − V₂/V₁) (reliability
/// weights, numpy's <c>aweights</c>; unit weights give ddof = 1). Consequently integer weights
/// equal repeated events in the mean but not exactly in the covariance (repetition divides by
/// Σw − 1); the difference vanishes as N grows. Weights must be non-negative: the matrix square
/// root needs positive semi-definite covariances, which sWeighted ones need not be.
/// Stabilised square root: Tr(Σ₁Σ₂)^½ is the sum of the square roots of the eigenvalues of a
/// symmetric positive semi-definite matrix similar to Σ₁Σ₂ — LᵀΣ₂L with the Cholesky factor
/// Σ₁ = LLᵀ when Σ₁ is well conditioned (every pivot above 1e-10 of the largest variance), else
/// Σ₁^½Σ₂Σ₁^½ with Σ₁^½ from a symmetric eigendecomposition whose eigenvalues are clamped at 0.
/// Eigenvalues of the product below 0 (rounding only) are clamped at 0 before the root. This is
/// exact for positive semi-definite input and never produces the complex parts that
/// <c>scipy.linalg.sqrtm(Σ₁Σ₂)</c> (pytorch-fid) must discard; the final value is clamped at 0.
/// Uncertainty: weighted Poisson bootstrap of both samples.
/// </remarks>
public static class FrechetDistance
{
    /// <summary>Fréchet distance between sample A (events × dims, optional weights) and sample B.</summary>
    /// <exception cref="ArgumentException">Bad samples or weights, or an effective size ≤ 1.</exception>
    public static FrechetDistanceResult Compute(
        double[][] a, double[]? weightsA, double[][] b, double[]? weightsB, FrechetDistanceOptions? options = null)
    {
        options ??= FrechetDistanceOptions.Default;
        SampleChecks.RequireRowPair(a, weightsA, b, weightsB, nameof(a), nameof(weightsA), nameof(b), nameof(weightsB),
            allowNegative: false);
        DistanceSampling.RequireReplicas(options.BootstrapReplicas, nameof(options));
        var nominal = Evaluate(a, weightsA ?? Ones(a.Length), b, weightsB ?? Ones(b.Length))
            ?? throw new ArgumentException(
                "A covariance needs an effective sample size above 1 in both samples (at least two events with positive weight).",
                weightsA is null && a.Length >= 2 ? nameof(b) : nameof(a));
        double sigma = double.NaN;
        if (options.BootstrapReplicas > 0)
        {
            var summary = Bootstrap.TwoSample(a.Length, weightsA, b.Length, weightsB,
                (wa, wb) => Evaluate(a, wa, b, wb)?.Value ?? double.NaN,
                new BootstrapOptions(options.BootstrapReplicas, options.Seed));
            sigma = DistanceSampling.StandardDeviation(summary.Replicas);
        }
        return new FrechetDistanceResult(nominal.Value, sigma,
            DistanceSampling.BootstrapLabel(options.BootstrapReplicas, options.Seed),
            DistanceSampling.EffectiveSize(weightsA, a.Length), DistanceSampling.EffectiveSize(weightsB, b.Length),
            nominal.MeanTerm, nominal.CovarianceTerm);
    }

    /// <summary>
    /// The Fréchet distance of two Gaussians N(μ₁, Σ₁), N(μ₂, Σ₂) from their moments (e.g. FID
    /// reference statistics): ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁^½Σ₂Σ₁^½)^½).
    /// </summary>
    /// <exception cref="ArgumentException">Mismatched sizes, non-finite entries, non-symmetric or
    /// clearly indefinite covariances.</exception>
    public static double FromMoments(double[] meanA, double[,] covarianceA, double[] meanB, double[,] covarianceB)
    {
        ArgumentNullException.ThrowIfNull(meanA);
        ArgumentNullException.ThrowIfNull(meanB);
        SampleChecks.RequireFiniteSample(meanA, nameof(meanA));
        SampleChecks.RequireFiniteSample(meanB, nameof(meanB));
        if (meanA.Length != meanB.Length)
            throw new ArgumentException($"meanA has {meanA.Length} entries but meanB has {meanB.Length}.", nameof(meanB));
        RequireCovariance(covarianceA, meanA.Length, nameof(covarianceA));
        RequireCovariance(covarianceB, meanA.Length, nameof(covarianceB));
        return Combine(meanA, covarianceA, meanB, covarianceB).Value;
    }

    /// <summary>The distance from moments already known to be valid (no checks).</summary>
    internal static double FromMomentsUnchecked(double[] meanA, double[,] covarianceA, double[] meanB, double[,] covarianceB) =>
        Combine(meanA, covarianceA, meanB, covarianceB).Value;

    private sealed record Parts(double Value, double MeanTerm, double CovarianceTerm);

    private static Parts? Evaluate(double[][] a, double[] wa, double[][] b, double[] wb)
    {
        if (!WeightedMoments.TryCompute(a, null, null, wa, out var ma, out var ca)) return null;
        if (!WeightedMoments.TryCompute(b, null, null, wb, out var mb, out var cb)) return null;
        return Combine(ma, ca, mb, cb);
    }

    private static Parts Combine(double[] ma, double[,] ca, double[] mb, double[,] cb)
    {
        int d = ma.Length;
        var meanTerm = new CompensatedSum();
        double traceA = 0, traceB = 0;
        for (int k = 0; k < d; k++)
        {
            meanTerm.Add((ma[k] - mb[k]) * (ma[k] - mb[k]));
            traceA += ca[k, k];
            traceB += cb[k, k];
        }
        double traceRoot = 0;
        foreach (double lambda in SymmetricEigenvalues.Compute(SandwichProduct(ca, cb)))
            traceRoot += Math.Sqrt(Math.Max(0, lambda));
        double covTerm = traceA + traceB - 2 * traceRoot;
        double value = Math.Max(0, meanTerm.Value + covTerm);
        return new Parts(value, meanTerm.Value, covTerm);
    }

    // A symmetric PSD matrix similar to Σ_A Σ_B: Lᵀ Σ_B L with Σ_A = L Lᵀ (Cholesky) when Σ_A is
    // well conditioned, otherwise Σ_A^½ Σ_B Σ_A^½ from a symmetric eigendecomposition with the
    // eigenvalues clamped at 0 (singular or rank-deficient Σ_A).
    private static double[,] SandwichProduct(double[,] ca, double[,] cb)
    {
        int d = ca.GetLength(0);
        // Cholesky only when every pivot exceeds 1e-10 of the largest diagonal entry, where it is
        // at least as accurate as the eigen route.
        var factor = DenseMath.Cholesky(ca, 1e-10, againstLargestDiagonal: true) ?? SymmetricSqrt(ca);
        // M = Fᵀ Σ_B F: Σ_A^½ is symmetric, so the same expression serves both factors.
        var t = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int k = 0; k < d; k++)
            {
                double bik = cb[i, k];
                if (bik == 0) continue;
                for (int j = 0; j < d; j++) t[i, j] += bik * factor[k, j];
            }
        var m = new double[d, d];
        for (int k = 0; k < d; k++)
            for (int i = 0; i < d; i++)
            {
                double fki = factor[k, i];
                if (fki == 0) continue;
                for (int j = i; j < d; j++) m[i, j] += fki * t[k, j];
            }
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++) m[j, i] = m[i, j];
        return m;
    }

    private static double[,] SymmetricSqrt(double[,] c)
    {
        var evd = Matrix<double>.Build.DenseOfArray(c).Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var roots = evd.EigenValues.Select(l => Math.Sqrt(Math.Max(0, l.Real))).ToArray();
        var scaled = v.Clone();
        for (int k = 0; k < roots.Length; k++) scaled.SetColumn(k, v.Column(k) * roots[k]);
        var root = scaled * v.Transpose();
        return ((root + root.Transpose()) * 0.5).ToArray();
    }

    private static void RequireCovariance(double[,] c, int d, string name)
    {
        ArgumentNullException.ThrowIfNull(c, name);
        if (c.GetLength(0) != d || c.GetLength(1) != d)
            throw new ArgumentException($"{name} is {c.GetLength(0)}×{c.GetLength(1)}; a {d}×{d} covariance is required.", name);
        double scale = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                if (!double.IsFinite(c[i, j]))
                    throw new ArgumentException($"{name}[{i},{j}] is {c[i, j]}; only finite values are allowed.", name);
                scale = Math.Max(scale, Math.Abs(c[i, j]));
            }
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++)
                if (Math.Abs(c[i, j] - c[j, i]) > 1e-9 * scale)
                    throw new ArgumentException($"{name} is not symmetric at [{i},{j}]: {c[i, j]} vs {c[j, i]}.", name);
        var lowest = Matrix<double>.Build.DenseOfArray(c).Evd(Symmetricity.Symmetric).EigenValues.Min(l => l.Real);
        if (lowest < -1e-8 * Math.Max(scale, double.Epsilon))
            throw new ArgumentException(
                $"{name} has eigenvalue {lowest}; a covariance must be positive semi-definite.", name);
    }

    internal static double[] Ones(int n)
    {
        var w = new double[n];
        Array.Fill(w, 1.0);
        return w;
    }
}
