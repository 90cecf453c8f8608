namespace GenStats.Stats.PrecisionRecall;

/// <summary>Settings of the improved precision and recall (Kynkäänniemi et al. 2019).</summary>
/// <param name="K">Neighbour rank of the hypersphere radii; 3 by default, as in the paper.</param>
public sealed record ImprovedPrecisionRecallOptions(int K = 3)
{
    /// <summary>k = 3.</summary>
    public static ImprovedPrecisionRecallOptions Default { get; } = new();
}

/// <summary>Improved precision and recall of one comparison, each with its uncertainty.</summary>
/// <param name="Precision">Fraction of generated events inside the real manifold (d ≤ r).</param>
/// <param name="Recall">Fraction of real events inside the generated manifold (d ≤ r).</param>
/// <param name="K">The neighbour rank used.</param>
public sealed record ImprovedPrecisionRecallResult(TwoSampleResult Precision, TwoSampleResult Recall, int K);

/// <summary>
/// Improved precision and recall (Kynkäänniemi et al. 2019, "Improved precision and recall
/// metric for assessing generative models"): the manifold of a sample is the union of balls
/// around its events with radius = distance to the k-th nearest neighbour (self excluded,
/// k = 3); membership is d ≤ r (the paper's and NVlabs' convention, unlike prdc's strict &lt;).
/// precision = fraction of generated events in the real manifold, recall = fraction of real
/// events in the generated manifold. Weights and uncertainties follow <see cref="Prdc"/>:
/// non-negative weights weight the fractions (not the geometry); binomial sandwich errors with
/// the radii held fixed.
/// </summary>
public static class ImprovedPrecisionRecall
{
    /// <summary>Both metrics from one set of k-NN computations.</summary>
    /// <param name="real">Real (reference) events × dims, at least k + 1 events.</param>
    /// <param name="realWeights">Optional non-negative weights of <paramref name="real"/>.</param>
    /// <param name="generated">Generated events × dims, same dimension, at least k + 1 events.</param>
    /// <param name="generatedWeights">Optional non-negative weights of <paramref name="generated"/>.</param>
    /// <param name="options">k (default 3).</param>
    public static ImprovedPrecisionRecallResult Compute(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        ImprovedPrecisionRecallOptions? options = null)
    {
        options ??= ImprovedPrecisionRecallOptions.Default;
        var m = KnnManifolds.Build(real, realWeights, generated, generatedWeights, options.K);
        var (pa, pb, radiusReal, radiusGen) = (m.Real, m.Generated, m.RealRadius2, m.GeneratedRadius2);
        int k = options.K;
        var cross = ManifoldCross.Run(pa, radiusReal, new double[pa.Count], pb, radiusGen, strict: false);
        var precisionV = new double[pb.Count];
        for (int j = 0; j < pb.Count; j++) precisionV[j] = cross.BallsContaining[j] > 0 ? 1.0 : 0.0;
        var recallV = new double[pa.Count];
        for (int i = 0; i < pa.Count; i++) recallV[i] = cross.InsideOtherManifold[i] ? 1.0 : 0.0;

        double essA = WeightedFraction.EffectiveSize(pa.Count, realWeights);
        double essB = WeightedFraction.EffectiveSize(pb.Count, generatedWeights);
        var (p, sp) = WeightedFraction.Of(precisionV, generatedWeights);
        var (r, sr) = WeightedFraction.Of(recallV, realWeights);
        const string method = "analytic (binomial, radii fixed)";
        return new ImprovedPrecisionRecallResult(
            new TwoSampleResult(p, sp, method, essA, essB),
            new TwoSampleResult(r, sr, method, essA, essB),
            k);
    }

    /// <summary>Improved precision (k = 3, d ≤ r). See <see cref="Compute"/>.</summary>
    public static TwoSampleResult Precision(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        ImprovedPrecisionRecallOptions? options = null) =>
        Compute(real, realWeights, generated, generatedWeights, options).Precision;

    /// <summary>Improved recall (k = 3, d ≤ r). See <see cref="Compute"/>.</summary>
    public static TwoSampleResult Recall(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        ImprovedPrecisionRecallOptions? options = null) =>
        Compute(real, realWeights, generated, generatedWeights, options).Recall;
}
