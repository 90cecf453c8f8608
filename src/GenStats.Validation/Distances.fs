/// Multi-dimensional two-sample distances for F# pipelines: thin curried wrappers over the
/// GenStats.Stats distance classes. Samples are `float[][]` (events × dimensions); `Weights` is
/// `None` for an unweighted sample. Every function is curried as
/// `metric referenceWeights reference generatedWeights generated`, so the generated sample comes
/// last: `generated |> Distances.energy None reference None`. Each has a `…With` variant taking
/// the options record first: `generated |> Distances.energyWith options None reference None`.
/// Every result has `Value` and `Uncertainty`.
module GenStats.Validation.Distances

open GenStats.Stats
open GenStats.Validation

let private w (weights: Weights) = Weights.toArg weights

/// Energy distance √(2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖) (scipy convention, Euclidean norm).
let energyWith
    (options: EnergyDistanceNdOptions)
    (weightsA: Weights)
    (a: float[][])
    (weightsB: Weights)
    (b: float[][])
    =
    EnergyDistanceNd.Compute(a, w weightsA, b, w weightsB, options)

/// Energy distance with the default options (32 bootstrap replicas, ≤ 20 000 events per sample).
let energy weightsA a weightsB b =
    energyWith EnergyDistanceNdOptions.Default weightsA a weightsB b

/// Unbiased MMD² with a Gaussian kernel, σ = median pooled pairwise distance unless given.
let mmdRbfWith
    (options: MaximumMeanDiscrepancyOptions)
    (weightsA: Weights)
    (a: float[][])
    (weightsB: Weights)
    (b: float[][])
    =
    MaximumMeanDiscrepancy.Compute(a, w weightsA, b, w weightsB, options)

/// Unbiased MMD² with the default options.
let mmdRbf weightsA a weightsB b =
    mmdRbfWith MaximumMeanDiscrepancyOptions.Default weightsA a weightsB b

/// Kernel physics distance (jetnet): median over batches of the unbiased MMD² with (x·y/d + 1)⁴.
let kpdWith
    (options: KernelPhysicsDistanceOptions)
    (weightsA: Weights)
    (a: float[][])
    (weightsB: Weights)
    (b: float[][])
    =
    KernelPhysicsDistance.Compute(a, w weightsA, b, w weightsB, options)

/// KPD with jetnet's defaults (10 batches of 5000, normalised, seed 42).
let kpd weightsA a weightsB b =
    kpdWith KernelPhysicsDistanceOptions.Default weightsA a weightsB b

/// Fréchet distance of the fitted Gaussians (FID formula, ddof = 1).
let frechetWith
    (options: FrechetDistanceOptions)
    (weightsA: Weights)
    (a: float[][])
    (weightsB: Weights)
    (b: float[][])
    =
    FrechetDistance.Compute(a, w weightsA, b, w weightsB, options)

/// Fréchet distance with the default options (50 bootstrap replicas).
let frechet weightsA a weightsB b =
    frechetWith FrechetDistanceOptions.Default weightsA a weightsB b

/// Fréchet distance of two Gaussians from their means and covariances.
let frechetFromMoments (meanA: float[]) (covarianceA: float[,]) (meanB: float[]) (covarianceB: float[,]) =
    FrechetDistance.FromMoments(meanA, covarianceA, meanB, covarianceB)

/// Fréchet physics distance (jetnet): intercept of the Fréchet distance extrapolated in 1/N.
let fpdWith
    (options: FrechetPhysicsDistanceOptions)
    (weightsA: Weights)
    (a: float[][])
    (weightsB: Weights)
    (b: float[][])
    =
    FrechetPhysicsDistance.Compute(a, w weightsA, b, w weightsB, options)

/// FPD with jetnet's defaults (batch sizes 20 000 … 50 000, 10 points, 20 batches, normalised).
let fpd weightsA a weightsB b =
    fpdWith FrechetPhysicsDistanceOptions.Default weightsA a weightsB b

/// Sliced Wasserstein-1 over seeded random directions.
let slicedW1With
    (options: SlicedWassersteinOptions)
    (weightsA: Weights)
    (a: float[][])
    (weightsB: Weights)
    (b: float[][])
    =
    SlicedWasserstein.Compute(a, w weightsA, b, w weightsB, options)

/// Sliced W1 with the default options (128 directions, 32 bootstrap replicas).
let slicedW1 weightsA a weightsB b =
    slicedW1With SlicedWassersteinOptions.Default weightsA a weightsB b

/// Exact earth mover's distance (POT emd2 convention, Euclidean cost).
let emdWith
    (options: EarthMoversDistanceOptions)
    (weightsA: Weights)
    (a: float[][])
    (weightsB: Weights)
    (b: float[][])
    =
    EarthMoversDistance.Compute(a, w weightsA, b, w weightsB, options)

/// Exact EMD with the default options (≤ 3000 events per sample, 10 bootstrap replicas).
let emd weightsA a weightsB b =
    emdWith EarthMoversDistanceOptions.Default weightsA a weightsB b
