using GenStats.Numerics;

namespace GenStats.Stats;

/// <summary>A weighted mean with its cluster-robust and its naive (per-event) standard error.</summary>
/// <param name="Mean">μ̂ = Σ wᵢxᵢ / Σ wᵢ.</param>
/// <param name="StandardError">The cluster-robust standard error (clusters independent, events within a cluster arbitrarily correlated).</param>
/// <param name="NaiveStandardError">The standard error that treats every event as independent (too small when events of a cluster are positively correlated).</param>
/// <param name="Clusters">Distinct clusters G.</param>
/// <param name="DesignEffect">(StandardError / NaiveStandardError)²: how many times fewer independent events the sample is worth (Kish's design effect; 1 + (K − 1)ρ for K events per cluster with intra-cluster correlation ρ).</param>
public sealed record ClusteredMeanResult(double Mean, double StandardError, double NaiveStandardError, int Clusters, double DesignEffect);

/// <summary>
/// The weighted mean of clustered events and its cluster-robust standard error — the linearised
/// (sandwich) variance of a ratio estimator, as Stata's <c>vce(cluster)</c> / statsmodels'
/// <c>cov_type="cluster"</c> compute it for a mean: with residuals rᵢ = xᵢ − μ̂ and cluster sums
/// R_g = Σ_{i∈g} wᵢrᵢ, Var(μ̂) = G/(G − 1) · Σ_g R_g² / (Σ wᵢ)². The naive value uses one
/// cluster per event: n/(n − 1) · Σ wᵢ²rᵢ² / (Σ wᵢ)². Use it for an oversampled sample (clusters =
/// <c>OversampledSample.Rows</c>): a fraction in a window is the mean of an indicator.
/// </summary>
public static class ClusteredMean
{
    /// <summary>The weighted mean of <paramref name="values"/> clustered by <paramref name="clusters"/> (any int labels; weights null = 1, signed allowed, Σw ≠ 0).</summary>
    /// <exception cref="ArgumentException">Mismatched lengths, non-finite values or weights, Σw = 0, or fewer than two clusters.</exception>
    public static ClusteredMeanResult Compute(double[] values, double[]? weights, int[] clusters)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(clusters);
        int n = values.Length;
        if (clusters.Length != n) throw new ArgumentException($"clusters has {clusters.Length} labels for {n} values; one per value is required.", nameof(clusters));
        SampleChecks.RequireWeights(weights, n, nameof(weights), allowNegative: true);
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(values[i])) throw new ArgumentException($"values[{i}] is {values[i]}; values must be finite.", nameof(values));
        var sw = new CompensatedSum();
        var swx = new CompensatedSum();
        for (int i = 0; i < n; i++) { double w = weights?[i] ?? 1; sw.Add(w); swx.Add(w * values[i]); }
        if (sw.Value == 0) throw new ArgumentException("the weights sum to 0; the weighted mean is undefined.", nameof(weights));
        double mean = swx.Value / sw.Value;
        var byCluster = new Dictionary<int, double>();
        double naive = 0;
        for (int i = 0; i < n; i++)
        {
            double wr = (weights?[i] ?? 1) * (values[i] - mean);
            byCluster[clusters[i]] = byCluster.GetValueOrDefault(clusters[i]) + wr;
            naive += wr * wr;
        }
        int g = byCluster.Count;
        if (g < 2) throw new ArgumentException($"{g} cluster(s); a cluster-robust error needs at least two.", nameof(clusters));
        double clustered = byCluster.Values.Sum(r => r * r);
        double s2 = sw.Value * sw.Value;
        double se = Math.Sqrt(g / (g - 1.0) * clustered / s2);
        double seNaive = Math.Sqrt(n / (n - 1.0) * naive / s2);
        return new ClusteredMeanResult(mean, se, seNaive, g, seNaive > 0 ? se * se / (seNaive * seNaive) : double.NaN);
    }
}
