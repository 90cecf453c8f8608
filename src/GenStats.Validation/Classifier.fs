/// Weighted ROC/AUC and the classifier two-sample test for F# pipelines: thin curried wrappers
/// over GenStats.Stats.Classifier. Positives (real events) come first.
module GenStats.Validation.Classifier

open GenStats.Stats.Classifier

/// Weighted logistic regression (standardised features, L2 penalty).
let logistic (l2: float) : ITwoSampleClassifier =
    LogisticRegressionClassifier(LogisticRegressionOptions(L2 = l2))

/// Gradient-boosted decision stumps with the given rounds and learning rate (32 quantile bins).
let boostedStumps (rounds: int) (learningRate: float) : ITwoSampleClassifier =
    BoostedStumpsClassifier(BoostedStumpsOptions(Rounds = rounds, LearningRate = learningRate))

/// ROC AUC (Mann–Whitney, ½ per tie) with DeLong's uncertainty; weights may be signed.
let auc (positiveWeights: Weights) (positive: float[]) (negativeWeights: Weights) (negative: float[]) =
    Roc.Auc(positive, Weights.toArg positiveWeights, negative, Weights.toArg negativeWeights)

/// The weighted ROC curve (ties as one step).
let rocCurve (positiveWeights: Weights) (positive: float[]) (negativeWeights: Weights) (negative: float[]) =
    Roc.Curve(positive, Weights.toArg positiveWeights, negative, Weights.toArg negativeWeights)

/// Classifier two-sample test: train on halves, held-out ROC AUC (0.5 = indistinguishable).
let test (classifier: ITwoSampleClassifier) (seed: int) (real: float[][]) (generated: float[][]) =
    ClassifierTest.Run(real, null, generated, null, ClassifierTestOptions(classifier, Seed = seed))
