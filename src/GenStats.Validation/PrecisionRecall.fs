/// k-NN manifold and PRD metrics for F# pipelines: thin curried wrappers over
/// GenStats.Stats.PrecisionRecall. Samples are events × dims (`float[][]`); the real
/// (reference) sample comes first, the generated one last, so that
/// `generated |> PrecisionRecall.prdc 5 real` reads naturally. Weights: `None` = unweighted.
module GenStats.Validation.PrecisionRecall

open GenStats.Stats.PrecisionRecall

/// A sample with its optional non-negative per-event weights.
type WeightedSample = float[][] * Weights

/// Precision, recall, density and coverage (prdc convention, strict <) with neighbour rank k.
let prdc (k: int) (real: float[][]) (generated: float[][]) =
    Prdc.Compute(real, null, generated, null, PrdcOptions(K = k))

/// prdc with weights: weighted fractions, unweighted geometry (see Prdc's docs).
let prdcWeighted (k: int) ((real, realWeights): WeightedSample) ((generated, generatedWeights): WeightedSample) =
    Prdc.Compute(real, Option.toObj realWeights, generated, Option.toObj generatedWeights, PrdcOptions(K = k))

/// Improved precision and recall (Kynkäänniemi et al., d <= r) with neighbour rank k (3 in the paper).
let improved (k: int) (real: float[][]) (generated: float[][]) =
    ImprovedPrecisionRecall.Compute(real, null, generated, null, ImprovedPrecisionRecallOptions(K = k))

/// Improved precision and recall with weights.
let improvedWeighted (k: int) ((real, realWeights): WeightedSample) ((generated, generatedWeights): WeightedSample) =
    ImprovedPrecisionRecall.Compute(
        real,
        Option.toObj realWeights,
        generated,
        Option.toObj generatedWeights,
        ImprovedPrecisionRecallOptions(K = k)
    )

/// The PRD curve with F₈ and F₁/₈ (reference settings: 20 clusters, 10 runs, 1001 angles) and a seed.
let prd (seed: int) (real: float[][]) (generated: float[][]) =
    PrdCurve.Compute(real, null, generated, null, PrdOptions(Seed = seed))

/// The PRD curve with explicit options and weights.
let prdWith
    (options: PrdOptions)
    ((real, realWeights): WeightedSample)
    ((generated, generatedWeights): WeightedSample)
    =
    PrdCurve.Compute(real, Option.toObj realWeights, generated, Option.toObj generatedWeights, options)

/// Distance of every event to its k-th nearest neighbour in the same sample (self excluded).
let kthNeighbourDistances (k: int) (sample: float[][]) =
    NearestNeighbours.KthNeighbourDistances(sample, k)
