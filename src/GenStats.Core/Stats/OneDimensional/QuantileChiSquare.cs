namespace GenStats.Stats;

/// <summary>
/// Pearson's χ² of a sample against n_q equal-probability bins of a reference distribution —
/// bins bounded by the reference's j/n_q quantiles, j = 1…n_q − 1 (the outer bins are open) —
/// together with the normalised form χ̂² = n_q Σⱼ (xⱼ − 1/n_q)², xⱼ the sample's weighted fraction
/// in bin j (the GANplifying / Calomplification measure; it tends to the χ² divergence of the
/// sample's distribution from the reference as n_q → ∞).
/// </summary>
/// <remarks>
/// Bins are [eⱼ₋₁, eⱼ). The quantile edges come either from an exact CDF (an inverse CDF
/// function) or from a reference sample (weighted quantiles, <see cref="WeightedDescriptive.Quantiles"/>).
/// The statistic is Pearson's Σ (Oⱼ − Eⱼ)²/Eⱼ with Eⱼ = N/n_q, i.e. χ² = N·χ̂², where N is the
/// sample's Kish effective size (its event count when unweighted, which makes χ² exactly the
/// textbook statistic, scipy's <c>chisquare(counts)</c>); ndf = n_q − 1.
/// With exact edges the p-value is P(χ²_ndf ≥ χ²). With edges from a reference sample of
/// effective size M the reference's own fluctuation inflates the variance of each fraction by
/// (1 + N/M), so the p-value is taken at χ²/(1 + N/M) (reported as
/// <see cref="QuantileChiSquareResult.ReferenceCorrection"/>). Sample weights may be signed
/// (the fractions are linear in them); reference weights must be non-negative (quantiles).
/// The uncertainty is the seeded Poisson bootstrap's standard deviation, resampling the reference
/// too when the edges come from it.
/// </remarks>
public static class QuantileChiSquare
{
    /// <summary>The inner edges (n_q − 1 weighted quantiles) of a reference sample.</summary>
    public static double[] SampleEdges(double[] reference, int quantileBins, double[]? referenceWeights = null)
    {
        CheckBins(quantileBins);
        var ps = Enumerable.Range(1, quantileBins - 1).Select(j => (double)j / quantileBins).ToArray();
        return WeightedDescriptive.Quantiles(reference, ps, referenceWeights);
    }

    /// <summary>The inner edges F⁻¹(j/n_q) from an exact inverse CDF.</summary>
    public static double[] ExactEdges(Func<double, double> inverseCdf, int quantileBins)
    {
        ArgumentNullException.ThrowIfNull(inverseCdf);
        CheckBins(quantileBins);
        var edges = new double[quantileBins - 1];
        for (int j = 1; j < quantileBins; j++)
        {
            edges[j - 1] = inverseCdf((double)j / quantileBins);
            if (double.IsNaN(edges[j - 1]) || (j > 1 && edges[j - 1] < edges[j - 2]))
                throw new ArgumentException(
                    $"inverseCdf({j}/{quantileBins}) = {edges[j - 1]}; an inverse CDF must be non-decreasing and not NaN.", nameof(inverseCdf));
        }
        return edges;
    }

    /// <summary>The test with edges from the reference sample's weighted quantiles.</summary>
    /// <param name="reference">The reference (real) sample whose weighted quantiles bound the bins.</param>
    /// <param name="referenceWeights">Optional non-negative weights of <paramref name="reference"/>; null = unweighted.</param>
    /// <param name="sample">The tested (generated) sample.</param>
    /// <param name="sampleWeights">Optional weights of <paramref name="sample"/> (signed allowed).</param>
    /// <param name="quantileBins">n_q ≥ 2.</param>
    /// <param name="bootstrap">Replicas and seed of the Poisson bootstrap (null: 200, seed 1).</param>
    /// <remarks>Argument order (a = reference, weightsA, b = sample, weightsB), as every two-sample
    /// metric, then the binning. Not symmetric: the bins come from the first sample. χ² is scipy's
    /// <c>chisquare(counts)</c> for an unweighted sample; χ̂² the GANplifying normalisation.</remarks>
    public static QuantileChiSquareResult Test(
        double[] reference, double[]? referenceWeights, double[] sample, double[]? sampleWeights, int quantileBins,
        BootstrapOptions? bootstrap = null)
    {
        OneDimensionalChecks.Check(reference, referenceWeights, sample, sampleWeights, allowNegative: true);
        SampleChecks.RequireWeights(referenceWeights, reference.Length, nameof(referenceWeights), allowNegative: false);
        CheckBins(quantileBins);
        double essR = OneDimensionalChecks.EffectiveSize(referenceWeights, reference.Length);
        var edges = SampleEdges(reference, quantileBins, referenceWeights);
        var (fractions, chi2Hat, chi2) = Evaluate(sample, sampleWeights, edges, quantileBins);
        var spread = Bootstrap.TwoSample(reference.Length, referenceWeights, sample.Length, sampleWeights,
            (wr, ws) => Evaluate(sample, ws, SampleEdges(reference, quantileBins, wr), quantileBins).ChiSquare, bootstrap);
        double essS = OneDimensionalChecks.EffectiveSize(sampleWeights, sample.Length);
        return Result(chi2, chi2Hat, fractions, edges, quantileBins, 1 + essS / essR, spread, essR, essS);
    }

    /// <summary>The test of an unweighted sample on the quantiles of an unweighted reference.</summary>
    public static QuantileChiSquareResult Test(
        double[] reference, double[] sample, int quantileBins, BootstrapOptions? bootstrap = null) =>
        Test(reference, null, sample, null, quantileBins, bootstrap);

    /// <summary>The test against an exact distribution given by its inverse CDF.</summary>
    /// <param name="inverseCdf">F⁻¹ of the reference distribution (non-decreasing).</param>
    /// <param name="sample">The tested sample.</param>
    /// <param name="sampleWeights">Optional weights of <paramref name="sample"/> (signed allowed); null = unweighted.</param>
    /// <param name="quantileBins">n_q ≥ 2.</param>
    /// <param name="bootstrap">Replicas and seed of the Poisson bootstrap (null: 200, seed 1).</param>
    /// <remarks>Order (reference, sample, sampleWeights, bins): each sample followed by its weights.
    /// <see cref="QuantileChiSquareResult.EffectiveSizeA"/> is +∞.</remarks>
    public static QuantileChiSquareResult Test(
        Func<double, double> inverseCdf, double[] sample, double[]? sampleWeights, int quantileBins,
        BootstrapOptions? bootstrap = null)
    {
        SampleChecks.RequireFiniteSample(sample, nameof(sample));
        SampleChecks.RequireWeights(sampleWeights, sample.Length, nameof(sampleWeights), allowNegative: true);
        var edges = ExactEdges(inverseCdf, quantileBins);
        var (fractions, chi2Hat, chi2) = Evaluate(sample, sampleWeights, edges, quantileBins);
        var spread = Bootstrap.OneSample(sample.Length, sampleWeights,
            ws => Evaluate(sample, ws, edges, quantileBins).ChiSquare, bootstrap);
        double essS = OneDimensionalChecks.EffectiveSize(sampleWeights, sample.Length);
        return Result(chi2, chi2Hat, fractions, edges, quantileBins, 1.0, spread, double.PositiveInfinity, essS);
    }

    /// <summary>The test of an unweighted sample against an exact inverse CDF.</summary>
    public static QuantileChiSquareResult Test(
        Func<double, double> inverseCdf, double[] sample, int quantileBins, BootstrapOptions? bootstrap = null) =>
        Test(inverseCdf, sample, null, quantileBins, bootstrap);

    private static QuantileChiSquareResult Result(
        double chi2, double chi2Hat, double[] fractions, double[] edges, int bins, double correction,
        BootstrapSummary spread, double essR, double essS)
    {
        int ndf = bins - 1;
        return new QuantileChiSquareResult(
            Value: chi2, Uncertainty: spread.StandardDeviation, UncertaintyMethod: spread.Method,
            EffectiveSizeA: essR, EffectiveSizeB: essS,
            Ndf: ndf, PValue: HistogramChiSquare.PValue(chi2 / correction, ndf),
            NormalizedChiSquare: chi2Hat,
            NormalizedUncertainty: chi2 > 0 ? spread.StandardDeviation * chi2Hat / chi2 : double.NaN,
            ReferenceCorrection: correction, Fractions: fractions, InnerEdges: edges);
    }

    private static (double[] Fractions, double NormalizedChiSquare, double ChiSquare) Evaluate(
        double[] sample, double[]? weights, double[] innerEdges, int bins)
    {
        var sums = new CompensatedSum[bins];
        var total = new CompensatedSum();
        var total2 = new CompensatedSum();
        for (int i = 0; i < sample.Length; i++)
        {
            double w = weights?[i] ?? 1.0;
            // Bin j holds [e_{j−1}, e_j): the count of inner edges ≤ x.
            int lo = 0, hi = innerEdges.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (innerEdges[mid] <= sample[i]) lo = mid + 1; else hi = mid;
            }
            sums[lo].Add(w);
            total.Add(w);
            total2.Add(w * w);
        }
        var fractions = sums.Select(s => s.Value / total.Value).ToArray();
        var hat = new CompensatedSum();
        foreach (double x in fractions) hat.Add((x - 1.0 / bins) * (x - 1.0 / bins));
        double chi2Hat = bins * hat.Value;
        double ess = total.Value * total.Value / total2.Value;
        return (fractions, chi2Hat, ess * chi2Hat);
    }

    private static void CheckBins(int quantileBins)
    {
        if (quantileBins < 2)
            throw new ArgumentOutOfRangeException(nameof(quantileBins), quantileBins, "At least two quantile bins are required.");
    }
}

/// <summary>Result of the quantile-binned χ² test.</summary>
/// <param name="Value">Pearson's χ² = N·χ̂² (N the sample's effective size; scipy's <c>chisquare(counts)</c> when unweighted).</param>
/// <param name="Uncertainty">Bootstrap standard deviation of <paramref name="Value"/>.</param>
/// <param name="UncertaintyMethod">How the uncertainty was obtained.</param>
/// <param name="EffectiveSizeA">Effective size of the reference sample (+∞ for an exact CDF).</param>
/// <param name="EffectiveSizeB">Effective size of the tested sample.</param>
/// <param name="Ndf">n_q − 1.</param>
/// <param name="PValue">P(χ²_ndf ≥ Value / ReferenceCorrection).</param>
/// <param name="NormalizedChiSquare">χ̂² = n_q Σ (xⱼ − 1/n_q)².</param>
/// <param name="NormalizedUncertainty">The uncertainty scaled to <paramref name="NormalizedChiSquare"/>.</param>
/// <param name="ReferenceCorrection">1 + N/M for edges from a reference sample of effective size M; 1 for exact edges.</param>
/// <param name="Fractions">The sample's weighted fraction in each of the n_q bins.</param>
/// <param name="InnerEdges">The n_q − 1 quantile edges.</param>
public sealed record QuantileChiSquareResult(
    double Value,
    double Uncertainty,
    string UncertaintyMethod,
    double EffectiveSizeA,
    double EffectiveSizeB,
    int Ndf,
    double PValue,
    double NormalizedChiSquare,
    double NormalizedUncertainty,
    double ReferenceCorrection,
    double[] Fractions,
    double[] InnerEdges) : ITwoSampleResult;
