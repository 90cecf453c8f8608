namespace GenStats.Stats.PrecisionRecall;

/// <summary>
/// Precision, recall, density and coverage of a generated sample against a real one
/// (Naeem et al. 2020, "Reliable fidelity and diversity metrics for generative models"), in the
/// convention of the <c>prdc</c> package (<c>compute_prdc</c>): Euclidean distances; the radius
/// of each event's ball is the distance to its k-th nearest neighbour in its own sample,
/// excluding itself; "inside a ball" is the strict d &lt; r.
/// <list type="bullet">
/// <item>precision = fraction of generated events inside at least one real ball;</item>
/// <item>recall = fraction of real events inside at least one generated ball;</item>
/// <item>density = (1/k) · mean over generated events of the number of real balls containing it;</item>
/// <item>coverage = fraction of real events whose own ball contains its nearest generated event.</item>
/// </list>
/// Exact k-NN by blocked brute force (O(n²·d)); deterministic for any thread count.
/// </summary>
/// <remarks>
/// <para><b>Weights</b> (optional, non-negative; sWeights are rejected because the metrics are
/// fractions of events, not linear statistics): they weight the fractions, never the geometry.
/// The balls and radii are those of the unweighted point sets — every event, even with weight 0,
/// spans its ball. precision = Σ_gen w·[inside]/Σw; recall and coverage are the real-weighted
/// fractions; density = (1/k) Σ_gen w_g Σ_real ŵ_r [inside r's ball] / Σ w_g with the real
/// weights rescaled to mean 1 (ŵ = w·n/Σw), so unit weights give prdc's numbers exactly and a
/// common scale of either sample's weights changes nothing. Integer weights are therefore NOT
/// the same as repeated events (duplicates would shrink the k-NN radii).</para>
/// <para><b>Uncertainty</b> (analytic): each metric is a (weighted) mean over events of a
/// per-event value v (an indicator, or for density the weighted ball count / k); its standard
/// error is √(Σw²(v − m)²)/Σw, which is the binomial √(p(1 − p)/n) for unit weights. It treats
/// the radii as fixed, so it ignores their sampling variability (and, for density, the
/// correlation between generated events through shared real balls); read it as a lower bound.
/// Effective sizes are Kish's (Σw)²/Σw². Precision and density are per generated event
/// (<see cref="TwoSampleResult.EffectiveSizeB"/>), recall and coverage per real event.</para>
/// <para>Argument a / "real" is the reference sample; b / "generated" the model's. Swapping them
/// swaps precision and recall.</para>
/// </remarks>
public static class Prdc
{
    /// <summary>All four metrics from one set of k-NN computations (the cheapest way to get several).</summary>
    /// <param name="real">Real (reference) events × dims, at least k + 1 events, finite.</param>
    /// <param name="realWeights">Optional non-negative per-event weights of <paramref name="real"/> (Σw &gt; 0).</param>
    /// <param name="generated">Generated events × dims, same dimension, at least k + 1 events.</param>
    /// <param name="generatedWeights">Optional non-negative per-event weights of <paramref name="generated"/>.</param>
    /// <param name="options">k (default 5).</param>
    public static PrdcResult Compute(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        PrdcOptions? options = null)
    {
        options ??= PrdcOptions.Default;
        var m = KnnManifolds.Build(real, realWeights, generated, generatedWeights, options.K);
        var (pa, pb, radiusReal, radiusGen) = (m.Real, m.Generated, m.RealRadius2, m.GeneratedRadius2);
        int k = options.K;
        var realHat = WeightedFraction.NormalisedToMeanOne(pa.Count, realWeights);
        var cross = ManifoldCross.Run(pa, radiusReal, realHat, pb, radiusGen, strict: true);

        var precisionV = new double[pb.Count];
        var densityV = new double[pb.Count];
        for (int j = 0; j < pb.Count; j++)
        {
            precisionV[j] = cross.BallsContaining[j] > 0 ? 1.0 : 0.0;
            densityV[j] = cross.WeightOfBallsContaining[j] / k;
        }
        var recallV = new double[pa.Count];
        var coverageV = new double[pa.Count];
        for (int i = 0; i < pa.Count; i++)
        {
            recallV[i] = cross.InsideOtherManifold[i] ? 1.0 : 0.0;
            coverageV[i] = cross.NearestOtherSquared[i] < radiusReal[i] ? 1.0 : 0.0;
        }

        double essA = WeightedFraction.EffectiveSize(pa.Count, realWeights);
        double essB = WeightedFraction.EffectiveSize(pb.Count, generatedWeights);
        TwoSampleResult Make(double[] v, double[]? w)
        {
            var (m, se) = WeightedFraction.Of(v, w);
            return new TwoSampleResult(m, se, "analytic (binomial, radii fixed)", essA, essB);
        }
        return new PrdcResult(
            Make(precisionV, generatedWeights),
            Make(recallV, realWeights),
            Make(densityV, generatedWeights),
            Make(coverageV, realWeights),
            k);
    }

    /// <summary>prdc precision: fraction of generated events inside the real k-NN manifold. See <see cref="Compute"/>.</summary>
    public static TwoSampleResult Precision(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        PrdcOptions? options = null) =>
        Compute(real, realWeights, generated, generatedWeights, options).Precision;

    /// <summary>prdc recall: fraction of real events inside the generated k-NN manifold. See <see cref="Compute"/>.</summary>
    public static TwoSampleResult Recall(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        PrdcOptions? options = null) =>
        Compute(real, realWeights, generated, generatedWeights, options).Recall;

    /// <summary>prdc density: (1/k)·mean number of real balls containing a generated event. See <see cref="Compute"/>.</summary>
    public static TwoSampleResult Density(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        PrdcOptions? options = null) =>
        Compute(real, realWeights, generated, generatedWeights, options).Density;

    /// <summary>prdc coverage: fraction of real balls containing a generated event. See <see cref="Compute"/>.</summary>
    public static TwoSampleResult Coverage(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        PrdcOptions? options = null) =>
        Compute(real, realWeights, generated, generatedWeights, options).Coverage;
}
