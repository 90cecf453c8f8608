namespace GenStats.Stats.PrecisionRecall;

/// <summary>
/// Precision and recall for distributions, PRD (Sajjadi et al. 2018, "Assessing generative
/// models via precision and recall"), following the reference code (<c>prd_score.py</c>):
/// the union of both samples is clustered by k-means into 20 clusters; p = histogram of the real
/// (reference) events over the clusters, q = histogram of the generated events, both normalised;
/// for 1001 slopes λ = tan θ, θ evenly spaced on [10⁻¹⁰, π/2 − 10⁻¹⁰],
/// precision α(λ) = Σᵢ min(λ pᵢ, qᵢ) and recall β(λ) = α(λ)/λ; the curves of 10 independent
/// clusterings are averaged. Summary scores (reference <c>prd_to_max_f_beta_pair</c>):
/// F_β(α, β) = (1 + β²) α β / (β² α + β + 10⁻¹⁰), F₈ = max over the curve with β = 8 (weighs
/// recall — "does the model cover the real distribution"), F₁/₈ = max with β = 1/8 (weighs
/// precision — "are generated events realistic"). Identical histograms give F₈ = F₁/₈ = 1 (up to
/// the 10⁻¹⁰ guard); disjoint supports give 0.
/// </summary>
/// <remarks>
/// <para>Deviations from the reference, all documented: k-means is full-batch Lloyd with seeded
/// k-means++ (the reference uses scikit-learn's MiniBatchKMeans, unseeded); the reference refuses
/// samples of unequal size because the larger sample would dominate the clustering — here each
/// sample enters the clustering with total weight ½ instead, which is the reference's setting
/// when the sizes are equal and unweighted. Values within floating-point rounding of [0, 1] are
/// clipped to it.</para>
/// <para><b>Weights</b> (non-negative; sWeights rejected): weighted k-means and weighted
/// histograms. <b>Uncertainty</b>: seeded Poisson bootstrap of the histograms with the
/// clusterings held fixed — it measures the sampling noise of p and q, not the variability of
/// the clustering itself.</para>
/// </remarks>
public static class PrdCurve
{
    private const double Epsilon = 1e-10;

    /// <summary>The PRD curve, F_β and F_{1/β} of a generated sample against a real one.</summary>
    /// <param name="real">Real (reference) events × dims.</param>
    /// <param name="realWeights">Optional non-negative weights of <paramref name="real"/>.</param>
    /// <param name="generated">Generated events × dims (same dimension).</param>
    /// <param name="generatedWeights">Optional non-negative weights of <paramref name="generated"/>.</param>
    /// <param name="options">Clusters, runs, angles, β, seed, bootstrap replicas.</param>
    public static PrdResult Compute(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        PrdOptions? options = null)
    {
        options ??= PrdOptions.Default;
        var (pa, pb) = PointSet.Pair(real, nameof(real), generated, nameof(generated));
        SampleChecks.RequireWeights(realWeights, pa.Count, nameof(realWeights), allowNegative: false);
        SampleChecks.RequireWeights(generatedWeights, pb.Count, nameof(generatedWeights), allowNegative: false);
        CheckOptions(options, pa.Count + pb.Count);

        // Union with each sample carrying total weight ½ (see remarks).
        var union = Union(pa, pb);
        var unionWeights = new double[pa.Count + pb.Count];
        double sa = realWeights is null ? pa.Count : CompensatedSum.Of(realWeights);
        double sb = generatedWeights is null ? pb.Count : CompensatedSum.Of(generatedWeights);
        for (int i = 0; i < pa.Count; i++) unionWeights[i] = (realWeights?[i] ?? 1.0) / (2 * sa);
        for (int j = 0; j < pb.Count; j++) unionWeights[pa.Count + j] = (generatedWeights?[j] ?? 1.0) / (2 * sb);

        var labels = new int[options.Runs][];
        for (int run = 0; run < options.Runs; run++)
        {
            var km = new KMeansOptions(options.Clusters, options.InitsPerRun, options.MaxIterations,
                Seed: KMeans.MixSeed(options.Seed, 1_000_000 + run));
            labels[run] = KMeans.Fit(union, unionWeights, km).Labels;
        }

        var curve = AveragedCurve(labels, pa.Count, realWeights ?? KMeans.Ones(pa.Count),
            pb.Count, generatedWeights ?? KMeans.Ones(pb.Count), options);
        double fBeta = MaxFBeta(curve.Precision, curve.Recall, options.Beta);
        double fInv = MaxFBeta(curve.Precision, curve.Recall, 1.0 / options.Beta);

        double uBeta = double.NaN, uInv = double.NaN;
        string method = "none";
        if (options.BootstrapReplicas > 0)
        {
            var bo = new BootstrapOptions(options.BootstrapReplicas, options.Seed);
            var sF = Bootstrap.TwoSample(pa.Count, realWeights, pb.Count, generatedWeights, (wa, wb) =>
            {
                var c = AveragedCurve(labels, pa.Count, wa, pb.Count, wb, options);
                return MaxFBeta(c.Precision, c.Recall, options.Beta);
            }, bo);
            var sI = Bootstrap.TwoSample(pa.Count, realWeights, pb.Count, generatedWeights, (wa, wb) =>
            {
                var c = AveragedCurve(labels, pa.Count, wa, pb.Count, wb, options);
                return MaxFBeta(c.Precision, c.Recall, 1.0 / options.Beta);
            }, bo);
            uBeta = sF.StandardDeviation;
            uInv = sI.StandardDeviation;
            method = sF.Method + ", clusterings fixed";
        }
        double essA = WeightedFraction.EffectiveSize(pa.Count, realWeights);
        double essB = WeightedFraction.EffectiveSize(pb.Count, generatedWeights);
        return new PrdResult(curve.Slopes, curve.Precision, curve.Recall,
            new TwoSampleResult(fBeta, uBeta, method, essA, essB),
            new TwoSampleResult(fInv, uInv, method, essA, essB),
            options.Beta);
    }

    /// <summary>F₈ (recall-like PRD score; β from <paramref name="options"/>, default 8). See <see cref="Compute"/>.</summary>
    public static TwoSampleResult F8(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        PrdOptions? options = null) =>
        Compute(real, realWeights, generated, generatedWeights, options).FBeta;

    /// <summary>F₁/₈ (precision-like PRD score). See <see cref="Compute"/>.</summary>
    public static TwoSampleResult F1Over8(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        PrdOptions? options = null) =>
        Compute(real, realWeights, generated, generatedWeights, options).FInverseBeta;

    /// <summary>
    /// The PRD curve of two discrete distributions (reference <c>compute_prd(eval_dist, ref_dist)</c>):
    /// α(λ) = Σᵢ min(λ·referenceᵢ, evaluatedᵢ), β(λ) = α(λ)/λ for <paramref name="angles"/>
    /// slopes λ = tan θ, θ = linspace(10⁻¹⁰, π/2 − 10⁻¹⁰). Inputs are normalised to sum 1.
    /// </summary>
    /// <param name="reference">Probabilities (or non-negative masses) of the reference distribution P.</param>
    /// <param name="evaluated">Probabilities of the evaluated (generated) distribution Q, same length.</param>
    /// <param name="angles">Number of slopes, 3 ≤ angles ≤ 10⁶.</param>
    public static PrdCurvePoints FromDistributions(double[] reference, double[] evaluated, int angles = 1001)
    {
        SampleChecks.RequireFiniteSample(reference, nameof(reference));
        SampleChecks.RequireFiniteSample(evaluated, nameof(evaluated));
        if (evaluated.Length != reference.Length)
            throw new ArgumentException(
                $"evaluated has {evaluated.Length} states but reference has {reference.Length}; both need the same states.",
                nameof(evaluated));
        SampleChecks.RequireWeights(reference, reference.Length, nameof(reference), allowNegative: false);
        SampleChecks.RequireWeights(evaluated, evaluated.Length, nameof(evaluated), allowNegative: false);
        CheckAngles(angles);
        double sr = CompensatedSum.Of(reference), se = CompensatedSum.Of(evaluated);
        var p = reference.Select(v => v / sr).ToArray();
        var q = evaluated.Select(v => v / se).ToArray();
        var slopes = Slopes(angles);
        var precision = new double[angles];
        var recall = new double[angles];
        Accumulate(p, q, slopes, precision, recall);
        return new PrdCurvePoints(slopes, precision, recall);
    }

    /// <summary>
    /// max over the curve of F_β = (1 + β²)·α·β_r / (β²·α + β_r + 10⁻¹⁰) (reference
    /// <c>_prd_to_f_beta</c>, α = precision, β_r = recall). Values must lie in [0, 1].
    /// </summary>
    public static double MaxFBeta(double[] precision, double[] recall, double beta)
    {
        SampleChecks.RequireFiniteSample(precision, nameof(precision));
        SampleChecks.RequireFiniteSample(recall, nameof(recall));
        if (recall.Length != precision.Length)
            throw new ArgumentException(
                $"recall has {recall.Length} values but precision has {precision.Length}; they must pair up.", nameof(recall));
        if (!(beta > 0) || !double.IsFinite(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be positive and finite.");
        double b2 = beta * beta, best = 0;
        for (int i = 0; i < precision.Length; i++)
        {
            double a = precision[i], r = recall[i];
            if (a < 0 || a > 1 || r < 0 || r > 1)
                throw new ArgumentException(
                    $"precision[{i}] = {a}, recall[{i}] = {r}; both must lie in [0, 1].", nameof(precision));
            double f = (1 + b2) * a * r / (b2 * a + r + Epsilon);
            if (f > best) best = f;
        }
        return best;
    }

    private static double[] Slopes(int angles)
    {
        var slopes = new double[angles];
        double step = (Math.PI / 2 - 2 * Epsilon) / (angles - 1);
        for (int t = 0; t < angles; t++) slopes[t] = Math.Tan(Epsilon + t * step);
        return slopes;
    }

    private static void Accumulate(double[] p, double[] q, double[] slopes, double[] precision, double[] recall, double scale = 1.0)
    {
        for (int t = 0; t < slopes.Length; t++)
        {
            double lambda = slopes[t], a = 0;
            for (int i = 0; i < p.Length; i++) a += Math.Min(lambda * p[i], q[i]);
            precision[t] += scale * Math.Clamp(a, 0, 1);
            recall[t] += scale * Math.Clamp(a / lambda, 0, 1);
        }
    }

    private static PrdCurvePoints AveragedCurve(
        int[][] labels, int na, double[] wa, int nb, double[] wb, PrdOptions options)
    {
        var slopes = Slopes(options.Angles);
        var precision = new double[options.Angles];
        var recall = new double[options.Angles];
        foreach (var runLabels in labels)
        {
            var p = new double[options.Clusters];
            var q = new double[options.Clusters];
            for (int i = 0; i < na; i++) p[runLabels[i]] += wa[i];
            for (int j = 0; j < nb; j++) q[runLabels[na + j]] += wb[j];
            Normalise(p);
            Normalise(q);
            Accumulate(p, q, slopes, precision, recall, 1.0 / labels.Length);
        }
        for (int t = 0; t < options.Angles; t++)
        {
            precision[t] = Math.Clamp(precision[t], 0, 1);
            recall[t] = Math.Clamp(recall[t], 0, 1);
        }
        return new PrdCurvePoints(slopes, precision, recall);
    }

    private static void Normalise(double[] h)
    {
        double s = CompensatedSum.Of(h);
        for (int i = 0; i < h.Length; i++) h[i] /= s;
    }

    private static PointSet Union(PointSet a, PointSet b)
    {
        var rows = new double[a.Count + b.Count][];
        for (int i = 0; i < a.Count; i++) rows[i] = a.Row(i).ToArray();
        for (int j = 0; j < b.Count; j++) rows[a.Count + j] = b.Row(j).ToArray();
        return PointSet.From(rows, "union");
    }

    private static void CheckAngles(int angles)
    {
        if (angles < 3 || angles > 1_000_000)
            throw new ArgumentOutOfRangeException(nameof(angles), angles, "The number of angles must be in [3, 10⁶].");
    }

    private static void CheckOptions(PrdOptions o, int events)
    {
        CheckAngles(o.Angles);
        if (o.Clusters < 1 || o.Clusters > events)
            throw new ArgumentOutOfRangeException(nameof(o.Clusters), o.Clusters,
                $"The number of clusters must be between 1 and the number of events in both samples ({events}).");
        if (o.Runs < 1) throw new ArgumentOutOfRangeException(nameof(o.Runs), o.Runs, "At least one run is required.");
        if (!(o.Beta > 0) || !double.IsFinite(o.Beta))
            throw new ArgumentOutOfRangeException(nameof(o.Beta), o.Beta, "β must be positive and finite.");
        if (o.BootstrapReplicas is < 0 or 1)
            throw new ArgumentOutOfRangeException(nameof(o.BootstrapReplicas), o.BootstrapReplicas,
                "Bootstrap replicas must be 0 (no uncertainty) or at least 2.");
    }
}
