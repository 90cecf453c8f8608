using MathNet.Numerics;

namespace GenStats.Stats;

/// <summary>Which of Gagunashvili's χ² homogeneity tests applies (ROOT's <c>TH1::Chi2Test</c> options).</summary>
public enum HistogramComparison
{
    /// <summary>Both histograms hold unweighted counts ("UU", experiment vs experiment).</summary>
    UnweightedUnweighted,
    /// <summary>The first holds unweighted counts, the second weighted events ("UW", data vs MC).</summary>
    UnweightedWeighted,
    /// <summary>Both hold weighted events ("WW", MC vs MC).</summary>
    WeightedWeighted,
}

/// <summary>
/// χ² tests of homogeneity of two histograms with the same binning, after N. Gagunashvili,
/// "Comparison of weighted and unweighted histograms" (2006), with ROOT's <c>TH1::Chi2Test</c>
/// conventions: only in-range bins count, ndf = bins − 1 minus one for every bin empty in both,
/// p = Q(ndf/2, χ²/2) (ROOT's <c>TMath::Prob</c>).
/// </summary>
/// <remarks>
/// UU: χ² = Σ (N₂n₁ᵢ − N₁n₂ᵢ)² / (N₁N₂(n₁ᵢ + n₂ᵢ)). UW: the maximum-likelihood bin probabilities
/// p̂ᵢ of the paper, χ² = Σ (nᵢ − Np̂ᵢ)²/(Np̂ᵢ) + Σ (wᵢ − Wp̂ᵢ)²/sᵢ². WW:
/// χ² = Σ (W₁w₂ᵢ − W₂w₁ᵢ)² / (W₁²s₂ᵢ² + W₂²s₁ᵢ²). Where the weighted histogram of UW has a bin with
/// zero content and zero error, its variance is taken as Σs²/ΣW (one average event) as ROOT does
/// for scaled histograms, rather than failing. Signed weights (sWeights) are accepted in the
/// weighted histograms: the statistics are quadratic forms in bin contents that are linear in the
/// weights, with Σw² as their variance.
/// </remarks>
public static class HistogramChiSquare
{
    /// <summary>
    /// Gagunashvili's χ² of two filled histograms (first, second): ROOT's
    /// <c>first.Chi2Test(second, "UU"/"UW"/"WW")</c>. No uncertainty is computed from histograms
    /// alone: <see cref="HistogramChiSquareResult.Uncertainty"/> is NaN (method <c>"none"</c>); use the
    /// sample overload for a bootstrap one.
    /// </summary>
    public static HistogramChiSquareResult Compare(WeightedHistogram first, WeightedHistogram second, HistogramComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Bins != second.Bins)
            throw new ArgumentException($"The histograms have {first.Bins} and {second.Bins} bins; the same binning is required.", nameof(second));
        var (chi2, ndf) = Statistic(first, second, comparison);
        return new HistogramChiSquareResult(chi2, double.NaN, "none", Kish(first), Kish(second),
            ndf, PValue(chi2, ndf), comparison);
    }

    /// <summary>
    /// Fills both samples into <paramref name="edges"/> and runs the test. The comparison follows
    /// the weights: none weighted → UU; one weighted → UW with the unweighted one first (ROOT's
    /// requirement, so <see cref="HistogramChiSquareResult.Comparison"/> tells whether it swapped);
    /// both weighted → WW. The uncertainty of χ² is the seeded Poisson bootstrap's.
    /// </summary>
    /// <param name="a">First (reference / real) sample.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed); null = unweighted counts.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>; null = unweighted counts.</param>
    /// <param name="edges">Bin edges (ascending, at least two); events outside them are left out, as ROOT's in-range bins.</param>
    /// <param name="bootstrap">Replicas and seed of the Poisson bootstrap (null: 200, seed 1).</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB), as every two-sample metric, then the binning;
    /// the value follows ROOT's <c>TH1::Chi2Test</c>.</remarks>
    public static HistogramChiSquareResult Test(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, double[] edges, BootstrapOptions? bootstrap = null)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: true);
        Histogram.CheckEdges(edges);
        var comparison = weightsA is null && weightsB is null ? HistogramComparison.UnweightedUnweighted
            : weightsA is not null && weightsB is not null ? HistogramComparison.WeightedWeighted
            : HistogramComparison.UnweightedWeighted;
        bool swap = weightsA is not null && weightsB is null;
        var ia = Histogram.BinIndices(a, edges);
        var ib = Histogram.BinIndices(b, edges);
        double Chi2(double[]? wa, double[]? wb)
        {
            var ha = Histogram.FillIndexed(ia, edges, wa);
            var hb = Histogram.FillIndexed(ib, edges, wb);
            return (swap ? Statistic(hb, ha, comparison) : Statistic(ha, hb, comparison)).ChiSquare;
        }
        var h1 = Histogram.FillIndexed(ia, edges, weightsA);
        var h2 = Histogram.FillIndexed(ib, edges, weightsB);
        var (chi2, ndf) = swap ? Statistic(h2, h1, comparison) : Statistic(h1, h2, comparison);
        var spread = Bootstrap.TwoSample(a.Length, weightsA, b.Length, weightsB, (wa, wb) => Chi2(wa, wb), bootstrap);
        return new HistogramChiSquareResult(chi2, spread.StandardDeviation, spread.Method,
            OneDimensionalChecks.EffectiveSize(weightsA, a.Length), OneDimensionalChecks.EffectiveSize(weightsB, b.Length),
            ndf, PValue(chi2, ndf), comparison);
    }

    /// <summary>The UU test of two unweighted samples binned in <paramref name="edges"/> (bootstrap uncertainty).</summary>
    public static HistogramChiSquareResult Test(double[] a, double[] b, double[] edges, BootstrapOptions? bootstrap = null) =>
        Test(a, null, b, null, edges, bootstrap);

    /// <summary>P(χ²_ndf ≥ χ²) = Q(ndf/2, χ²/2); NaN when ndf ≤ 0.</summary>
    public static double PValue(double chiSquare, int ndf) =>
        ndf <= 0 ? double.NaN : chiSquare <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(ndf / 2.0, chiSquare / 2.0);

    private static (double ChiSquare, int Ndf) Statistic(WeightedHistogram h1, WeightedHistogram h2, HistogramComparison comparison)
    {
        double sum1 = h1.Total, sum2 = h2.Total;
        if (!(sum1 > 0) || !(sum2 > 0))
            throw new ArgumentException($"The in-range sums of the histograms are {sum1} and {sum2}; both must be positive.");
        int ndf = h1.Bins - 1;
        var chi2 = new CompensatedSum();
        switch (comparison)
        {
            case HistogramComparison.UnweightedUnweighted:
                for (int i = 0; i < h1.Bins; i++)
                {
                    double c1 = h1.SumOfWeights[i], c2 = h2.SumOfWeights[i];
                    if (c1 + c2 == 0) { ndf--; continue; }
                    double delta = sum2 * c1 - sum1 * c2;
                    chi2.Add(delta * delta / (c1 + c2));
                }
                return (chi2.Value / (sum1 * sum2), ndf);

            case HistogramComparison.UnweightedWeighted:
                double averageWeight = CompensatedSum.Of(h2.SumOfSquaredWeights) / sum2;
                for (int i = 0; i < h1.Bins; i++)
                {
                    double n = h1.SumOfWeights[i], w = h2.SumOfWeights[i], s2 = h2.SumOfSquaredWeights[i];
                    if (n == 0 && w == 0) { ndf--; continue; }
                    if (w == 0 && s2 == 0) s2 = averageWeight;
                    double N = sum1;
                    double a = sum2 * w - N * s2;
                    double disc = a * a + 4 * sum2 * sum2 * n * s2;
                    // A zero expectation (n = 0 with a ≤ 0) would divide by zero: ROOT's rule adds
                    // one event to the unweighted bin and total until it is positive.
                    while (a * a + n == 0 || a + Math.Sqrt(disc) == 0)
                    {
                        N++; n++;
                        a = sum2 * w - N * s2;
                        disc = a * a + 4 * sum2 * sum2 * n * s2;
                    }
                    double p = (a + Math.Sqrt(disc)) / (2 * sum2 * sum2);
                    double d1 = n - N * p, d2 = w - sum2 * p;
                    chi2.Add(d1 * d1 / (N * p));
                    if (s2 > 0) chi2.Add(d2 * d2 / s2);
                }
                return (chi2.Value, ndf);

            case HistogramComparison.WeightedWeighted:
                for (int i = 0; i < h1.Bins; i++)
                {
                    double e1 = h1.SumOfSquaredWeights[i], e2 = h2.SumOfSquaredWeights[i];
                    if (e1 == 0 && e2 == 0) { ndf--; continue; }
                    double delta = sum2 * h1.SumOfWeights[i] - sum1 * h2.SumOfWeights[i];
                    chi2.Add(delta * delta / (sum1 * sum1 * e2 + sum2 * sum2 * e1));
                }
                return (chi2.Value, ndf);

            default:
                throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "Unknown histogram comparison.");
        }
    }

    private static double Kish(WeightedHistogram h)
    {
        double s = h.Total, s2 = CompensatedSum.Of(h.SumOfSquaredWeights);
        return s2 > 0 ? s * s / s2 : 0;
    }
}

/// <summary>Result of a histogram χ² homogeneity test.</summary>
/// <param name="Value">The χ² statistic (ROOT's <c>TH1::Chi2Test</c> convention).</param>
/// <param name="Uncertainty">Bootstrap standard deviation of χ² (NaN from histograms alone, <see cref="HistogramChiSquare.Compare"/>).</param>
/// <param name="UncertaintyMethod">How the uncertainty was obtained (<c>"none"</c> from histograms alone).</param>
/// <param name="EffectiveSizeA">Kish effective size of the first sample.</param>
/// <param name="EffectiveSizeB">Kish effective size of the second sample.</param>
/// <param name="Ndf">Degrees of freedom (bins − 1 − bins empty in both).</param>
/// <param name="PValue">P(χ²_ndf ≥ Value); NaN when ndf ≤ 0.</param>
/// <param name="Comparison">Which of UU, UW, WW was applied.</param>
public sealed record HistogramChiSquareResult(
    double Value,
    double Uncertainty,
    string UncertaintyMethod,
    double EffectiveSizeA,
    double EffectiveSizeB,
    int Ndf,
    double PValue,
    HistogramComparison Comparison) : ITwoSampleResult;
