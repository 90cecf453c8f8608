namespace GenStats.Stats.Classifier;

/// <summary>
/// A ROC curve: one point per distinct score (tied scores form one step), from (0, 0) at
/// threshold +∞ to (1, 1) at the lowest score. Point t counts the events with score ≥ Thresholds[t].
/// </summary>
/// <param name="FalsePositiveRate">Weighted fraction of negatives with score ≥ threshold.</param>
/// <param name="TruePositiveRate">Weighted fraction of positives with score ≥ threshold.</param>
/// <param name="Thresholds">+∞ first, then the distinct scores in descending order.</param>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds);

/// <summary>How the uncertainty of a ROC AUC is estimated.</summary>
public enum AucUncertainty
{
    /// <summary>
    /// DeLong et al. (1988) from the placement values; with weights, its linearised (sandwich)
    /// generalisation Var = m/(m−1)·Σw²(V₁₀ − A)²/(Σw)² + n/(n−1)·Σv²(V₀₁ − A)²/(Σv)², which is
    /// exactly DeLong for unit weights and stays valid for signed weights.
    /// </summary>
    DeLong,

    /// <summary>Seeded weighted Poisson bootstrap of both samples.</summary>
    Bootstrap,
}

/// <summary>Settings of <see cref="Roc.Auc"/>.</summary>
/// <param name="Uncertainty">DeLong (default, analytic) or bootstrap.</param>
/// <param name="Bootstrap">Replicas and seed when <paramref name="Uncertainty"/> is Bootstrap (null: 200, seed 1).</param>
public sealed record AucOptions(AucUncertainty Uncertainty = AucUncertainty.DeLong, BootstrapOptions? Bootstrap = null)
{
    /// <summary>DeLong uncertainty.</summary>
    public static AucOptions Default { get; } = new();
}
