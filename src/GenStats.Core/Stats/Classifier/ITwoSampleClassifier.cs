namespace GenStats.Stats.Classifier;

/// <summary>
/// A trainable binary classifier for the classifier two-sample test. Implementations must be
/// deterministic (any randomness from a seed in their options) and must not keep references to
/// the training arrays after <see cref="Fit"/> returns.
/// </summary>
public interface ITwoSampleClassifier
{
    /// <summary>A short label for reports, e.g. <c>"logistic(l2=1)"</c>.</summary>
    string Name { get; }

    /// <summary>Trains on events × features with labels (true = real, the positive class) and non-negative weights.</summary>
    /// <param name="features">Events × features, finite.</param>
    /// <param name="labels">One label per event; both classes must occur.</param>
    /// <param name="weights">Non-negative weights with positive sum in each class, or null for 1.</param>
    IScoringModel Fit(double[][] features, bool[] labels, double[]? weights);
}

/// <summary>A trained classifier: higher score = more likely real (only the order of scores matters for the AUC).</summary>
public interface IScoringModel
{
    /// <summary>One score per event of <paramref name="features"/> (events × features).</summary>
    double[] Score(double[][] features);
}
