namespace GenStats.Stats.PrecisionRecall;

/// <summary>Settings of the PRD curve (Sajjadi et al. 2018); defaults are the reference code's.</summary>
/// <param name="Clusters">k-means clusters on the union of both samples (20).</param>
/// <param name="Runs">Independent clusterings whose precision and recall curves are averaged (10).</param>
/// <param name="Angles">Number of slopes λ = tan θ, θ evenly spaced on [ε, π/2 − ε], ε = 10⁻¹⁰ (1001).</param>
/// <param name="Beta">β of the summary scores F_β and F_{1/β} (8).</param>
/// <param name="InitsPerRun">k-means++ seedings per clustering; the lowest-inertia one is refined (10, the reference's <c>n_init</c>).</param>
/// <param name="MaxIterations">Lloyd iterations per start.</param>
/// <param name="Seed">Seed of the clusterings.</param>
/// <param name="BootstrapReplicas">Poisson-bootstrap replicas for the uncertainty of F_β and F_{1/β}; 0 skips it.</param>
public sealed record PrdOptions(
    int Clusters = 20,
    int Runs = 10,
    int Angles = 1001,
    double Beta = 8,
    int InitsPerRun = 10,
    int MaxIterations = 300,
    int Seed = 1,
    int BootstrapReplicas = 200)
{
    /// <summary>The reference settings: 20 clusters, 10 runs, 1001 angles, β = 8.</summary>
    public static PrdOptions Default { get; } = new();
}

/// <summary>A PRD curve and its summary scores.</summary>
/// <param name="Slopes">λ = tan θ for each angle, ascending.</param>
/// <param name="Precision">α(λ), averaged over the runs, clipped to [0, 1].</param>
/// <param name="Recall">β(λ) = α(λ)/λ, averaged over the runs, clipped to [0, 1].</param>
/// <param name="FBeta">max over the curve of F_β (β = 8 by default: the recall-like score, "F₈").</param>
/// <param name="FInverseBeta">max over the curve of F_{1/β} (the precision-like score, "F₁/₈").</param>
/// <param name="Beta">The β used.</param>
public sealed record PrdResult(
    double[] Slopes,
    double[] Precision,
    double[] Recall,
    TwoSampleResult FBeta,
    TwoSampleResult FInverseBeta,
    double Beta);

/// <summary>A PRD curve of two discrete distributions.</summary>
/// <param name="Slopes">λ for each angle.</param>
/// <param name="Precision">α(λ) = Σᵢ min(λ pᵢ, qᵢ).</param>
/// <param name="Recall">β(λ) = α(λ)/λ.</param>
public sealed record PrdCurvePoints(double[] Slopes, double[] Precision, double[] Recall);
