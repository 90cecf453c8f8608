namespace GenStats.Stats;

/// <summary>
/// Divergences between two normalised histograms p and q with the same binning:
/// the Jensen–Shannon divergence in bits (log base 2, so 0 ≤ JSD ≤ 1) and the CaloChallenge
/// separation power ½ Σ (pᵢ − qᵢ)²/(pᵢ + qᵢ) ∈ [0, 1] (bins empty in both are skipped).
/// </summary>
/// <remarks>
/// JSD = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q)/2, 0·log 0 = 0. Note that scipy's
/// <c>scipy.spatial.distance.jensenshannon</c> returns the square root of this (natural log by
/// default): JSD here = <c>jensenshannon(p, q, base=2)**2</c>. Both measures are non-linear in
/// the weights, so negative weights are rejected. Normalisation uses the in-range sum: events
/// outside the edges are left out, as numpy.histogram does in the CaloChallenge code.
/// Sample overloads give the seeded Poisson bootstrap's standard deviation as uncertainty.
/// </remarks>
public static class HistogramDivergences
{
    /// <summary>Jensen–Shannon divergence (bits) of two filled histograms.</summary>
    public static double JensenShannonValue(WeightedHistogram first, WeightedHistogram second)
    {
        var (p, q) = Normalized(first, second);
        return JensenShannon(p, q);
    }

    /// <summary>CaloChallenge separation power of two filled histograms.</summary>
    public static double SeparationPowerValue(WeightedHistogram first, WeightedHistogram second)
    {
        var (p, q) = Normalized(first, second);
        return SeparationPower(p, q);
    }

    /// <summary>JSD (bits) of two samples binned in <paramref name="edges"/>, with bootstrap uncertainty.</summary>
    /// <param name="a">First (reference / real) sample.</param>
    /// <param name="weightsA">Optional non-negative weights of <paramref name="a"/>; null = unweighted.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional non-negative weights of <paramref name="b"/>.</param>
    /// <param name="edges">Bin edges (ascending, at least two); events outside them are left out.</param>
    /// <param name="bootstrap">Replicas and seed of the Poisson bootstrap (null: 200, seed 1).</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB), as every two-sample metric, then the binning.
    /// Value = scipy's <c>jensenshannon(p, q, base=2)**2</c> of the normalised histograms (symmetric).</remarks>
    public static TwoSampleResult JensenShannon(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, double[] edges, BootstrapOptions? bootstrap = null)
        => OnSamples(a, weightsA, b, weightsB, edges, bootstrap, JensenShannon);

    /// <summary>JSD (bits) of two unweighted samples binned in <paramref name="edges"/>, with bootstrap uncertainty.</summary>
    public static TwoSampleResult JensenShannon(double[] a, double[] b, double[] edges, BootstrapOptions? bootstrap = null)
        => JensenShannon(a, null, b, null, edges, bootstrap);

    /// <summary>Separation power of two samples binned in <paramref name="edges"/>, with bootstrap uncertainty.</summary>
    /// <param name="a">First (reference / real) sample.</param>
    /// <param name="weightsA">Optional non-negative weights of <paramref name="a"/>; null = unweighted.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional non-negative weights of <paramref name="b"/>.</param>
    /// <param name="edges">Bin edges (ascending, at least two); events outside them are left out.</param>
    /// <param name="bootstrap">Replicas and seed of the Poisson bootstrap (null: 200, seed 1).</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB), then the binning. Value = the CaloChallenge
    /// convention ½ Σ (pᵢ − qᵢ)²/(pᵢ + qᵢ) of the normalised histograms (symmetric).</remarks>
    public static TwoSampleResult SeparationPower(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, double[] edges, BootstrapOptions? bootstrap = null)
        => OnSamples(a, weightsA, b, weightsB, edges, bootstrap, SeparationPower);

    /// <summary>Separation power of two unweighted samples binned in <paramref name="edges"/>, with bootstrap uncertainty.</summary>
    public static TwoSampleResult SeparationPower(double[] a, double[] b, double[] edges, BootstrapOptions? bootstrap = null)
        => SeparationPower(a, null, b, null, edges, bootstrap);

    private static TwoSampleResult OnSamples(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, double[] edges, BootstrapOptions? bootstrap,
        Func<double[], double[], double> divergence)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: false);
        Histogram.CheckEdges(edges);
        var ia = Histogram.BinIndices(a, edges);
        var ib = Histogram.BinIndices(b, edges);
        double Evaluate(double[]? wa, double[]? wb)
        {
            var (p, q) = Normalized(Histogram.FillIndexed(ia, edges, wa), Histogram.FillIndexed(ib, edges, wb));
            return divergence(p, q);
        }
        double value = Evaluate(weightsA, weightsB);
        var spread = Bootstrap.TwoSample(a.Length, weightsA, b.Length, weightsB, Evaluate, bootstrap);
        return new TwoSampleResult(value, spread.StandardDeviation, spread.Method,
            OneDimensionalChecks.EffectiveSize(weightsA, a.Length), OneDimensionalChecks.EffectiveSize(weightsB, b.Length));
    }

    private static (double[] P, double[] Q) Normalized(WeightedHistogram first, WeightedHistogram second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Bins != second.Bins)
            throw new ArgumentException($"The histograms have {first.Bins} and {second.Bins} bins; the same binning is required.", nameof(second));
        foreach (var h in new[] { first, second })
            for (int i = 0; i < h.Bins; i++)
                if (h.SumOfWeights[i] < 0)
                    throw new ArgumentException(
                        $"Bin {i} has content {h.SumOfWeights[i]}; JSD and separation power need non-negative bins (no negative weights).");
        return (first.Normalized(), second.Normalized());
    }

    private static double JensenShannon(double[] p, double[] q)
    {
        var sum = new CompensatedSum();
        for (int i = 0; i < p.Length; i++)
        {
            double m = 0.5 * (p[i] + q[i]);
            if (p[i] > 0) sum.Add(0.5 * p[i] * Math.Log2(p[i] / m));
            if (q[i] > 0) sum.Add(0.5 * q[i] * Math.Log2(q[i] / m));
        }
        return Math.Clamp(sum.Value, 0.0, 1.0);
    }

    private static double SeparationPower(double[] p, double[] q)
    {
        var sum = new CompensatedSum();
        for (int i = 0; i < p.Length; i++)
        {
            double s = p[i] + q[i];
            if (s > 0) sum.Add((p[i] - q[i]) * (p[i] - q[i]) / s);
        }
        return 0.5 * sum.Value;
    }
}
