namespace GenStats.Stats.Classifier;

/// <summary>Settings of the classifier two-sample test.</summary>
/// <param name="Classifier">The classifier to train (null: <see cref="LogisticRegressionClassifier"/> with defaults).</param>
/// <param name="Seed">Seed of the random split of each sample into a training and a test half.</param>
/// <param name="Auc">Uncertainty method of the test AUC (null: DeLong).</param>
public sealed record ClassifierTestOptions(ITwoSampleClassifier? Classifier = null, int Seed = 1, AucOptions? Auc = null)
{
    /// <summary>Logistic regression, seed 1, DeLong uncertainty.</summary>
    public static ClassifierTestOptions Default { get; } = new();
}

/// <summary>Outcome of a classifier two-sample test.</summary>
/// <param name="Auc">ROC AUC on the held-out halves (real = positive class) with its uncertainty; ≈ 0.5 when the samples are indistinguishable to the classifier.</param>
/// <param name="Roc">The held-out ROC curve.</param>
/// <param name="Classifier">The classifier's name.</param>
/// <param name="TrainReal">Real events used for training.</param>
/// <param name="TrainGenerated">Generated events used for training.</param>
/// <param name="TestReal">Real events in the held-out half.</param>
/// <param name="TestGenerated">Generated events in the held-out half.</param>
public sealed record ClassifierTestResult(
    TwoSampleResult Auc,
    RocCurve Roc,
    string Classifier,
    int TrainReal,
    int TrainGenerated,
    int TestReal,
    int TestGenerated);

/// <summary>
/// Classifier two-sample test (Friedman 2003; Lopez-Paz &amp; Oquab 2017): each sample is split at
/// random (seeded) into two halves; a classifier learns to tell real (label true, positive)
/// from generated (label false) on the first halves, and the ROC AUC of its scores on the second
/// halves measures how distinguishable the samples are: 0.5 = indistinguishable, 1 = fully
/// separable (an AUC below 0.5 beyond its uncertainty only signals a mis-trained classifier).
/// The AUC's uncertainty is DeLong's on the held-out halves, conditional on the trained
/// classifier — under the null hypothesis of identical distributions E[AUC] = 0.5 exactly, so
/// (AUC − 0.5)/σ is the test statistic.
/// </summary>
/// <remarks>
/// Weights must be non-negative (training on sWeights is not defined for these losses). In
/// training, each class's weights are rescaled to carry half the total weight, so that unequal
/// sample sizes do not just shift the classifier's prior; the held-out AUC uses the original
/// weights (it does not depend on a per-class scale anyway). The halves are ⌊n/2⌋ events for
/// training and ⌈n/2⌉ for testing; each sample needs at least 4 events.
/// </remarks>
public static class ClassifierTest
{
    /// <summary>Runs the test. a / <paramref name="real"/> is the reference sample, b / <paramref name="generated"/> the model's.</summary>
    /// <param name="real">Real events × features.</param>
    /// <param name="realWeights">Optional non-negative weights of <paramref name="real"/>.</param>
    /// <param name="generated">Generated events × features (same number of features).</param>
    /// <param name="generatedWeights">Optional non-negative weights of <paramref name="generated"/>.</param>
    /// <param name="options">Classifier, seed, AUC uncertainty.</param>
    public static ClassifierTestResult Run(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        ClassifierTestOptions? options = null)
    {
        options ??= ClassifierTestOptions.Default;
        var pair = PrecisionRecall.PointSet.Pair(real, nameof(real), generated, nameof(generated));
        if (pair.A.Count < 4)
            throw new ArgumentException($"real has {pair.A.Count} events; the classifier test needs at least 4.", nameof(real));
        if (pair.B.Count < 4)
            throw new ArgumentException($"generated has {pair.B.Count} events; the classifier test needs at least 4.", nameof(generated));
        SampleChecks.RequireWeights(realWeights, real.Length, nameof(realWeights), allowNegative: false);
        SampleChecks.RequireWeights(generatedWeights, generated.Length, nameof(generatedWeights), allowNegative: false);
        var classifier = options.Classifier ?? new LogisticRegressionClassifier();

        var (trainA, testA) = Split(real.Length, PrecisionRecall.KMeans.MixSeed(options.Seed, 0));
        var (trainB, testB) = Split(generated.Length, PrecisionRecall.KMeans.MixSeed(options.Seed, 1));
        double sumA = SumOf(realWeights, trainA), sumB = SumOf(generatedWeights, trainB);
        if (!(sumA > 0))
            throw new ArgumentException(
                "The training half of real has zero total weight; give more events positive weight.", nameof(realWeights));
        if (!(sumB > 0))
            throw new ArgumentException(
                "The training half of generated has zero total weight; give more events positive weight.", nameof(generatedWeights));
        int nTrain = trainA.Length + trainB.Length;
        var x = new double[nTrain][];
        var y = new bool[nTrain];
        var w = new double[nTrain];
        for (int t = 0; t < trainA.Length; t++)
        {
            x[t] = real[trainA[t]];
            y[t] = true;
            w[t] = (realWeights?[trainA[t]] ?? 1.0) / (2 * sumA);
        }
        for (int t = 0; t < trainB.Length; t++)
        {
            x[trainA.Length + t] = generated[trainB[t]];
            w[trainA.Length + t] = (generatedWeights?[trainB[t]] ?? 1.0) / (2 * sumB);
        }
        var model = classifier.Fit(x, y, w);

        var scoreA = model.Score(testA.Select(i => real[i]).ToArray());
        var scoreB = model.Score(testB.Select(j => generated[j]).ToArray());
        var wa = realWeights is null ? null : testA.Select(i => realWeights[i]).ToArray();
        var wb = generatedWeights is null ? null : testB.Select(j => generatedWeights[j]).ToArray();
        var auc = Roc.Auc(scoreA, wa, scoreB, wb, options.Auc);
        var roc = Roc.Curve(scoreA, wa, scoreB, wb);
        return new ClassifierTestResult(auc, roc, classifier.Name, trainA.Length, trainB.Length, testA.Length, testB.Length);
    }

    /// <summary>The held-out ROC AUC alone (the <c>classifier_auc</c> metric). See <see cref="Run"/>.</summary>
    public static TwoSampleResult Auc(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights,
        ClassifierTestOptions? options = null) =>
        Run(real, realWeights, generated, generatedWeights, options).Auc;

    private static (int[] Train, int[] Test) Split(int n, int seed)
    {
        var idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        var rng = new Random(seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (idx[i], idx[j]) = (idx[j], idx[i]);
        }
        return (idx[..(n / 2)], idx[(n / 2)..]);
    }

    private static double SumOf(double[]? weights, int[] indices)
    {
        if (weights is null) return indices.Length;
        var s = new CompensatedSum();
        foreach (int i in indices) s.Add(weights[i]);
        return s.Value;
    }
}
