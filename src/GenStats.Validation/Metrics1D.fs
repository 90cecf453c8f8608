/// Two-sample 1-D metrics for F# pipelines, curried as `metric weightsA a weightsB b`
/// (weights `None` = unweighted), over GenStats.Stats. Conventions as the C# docs say: scipy for
/// KS, Wasserstein-1 and energy distance; Cramér = ½ energy²; JSD in bits; ROOT for histogram χ².
module GenStats.Validation.Metrics1D

open GenStats.Stats

/// Per-event weights; None = every event counts once.
type Weights = float[] option

let private w (weights: Weights) = Option.toObj weights

/// Bootstrap settings: `bootstrap replicas seed`.
let bootstrap (replicas: int) (seed: int) = BootstrapOptions(replicas, seed)

/// KS distance sup|F − G| (signed weights allowed).
let ksDistance (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = KolmogorovSmirnov.Distance(a, w wa, b, w wb)

/// Full KS test: distance, bootstrap uncertainty, effective sizes and p-value (scipy method='auto').
let ks (options: BootstrapOptions) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    KolmogorovSmirnov.Test(a, w wa, b, w wb, options)

/// KS p-value alone.
let ksPValue (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = KolmogorovSmirnov.PValue(a, w wa, b, w wb)

/// Wasserstein-1 ∫|F − G| (value only).
let w1 (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = CdfDistances.Wasserstein1Value(a, w wa, b, w wb)

/// Energy distance √(2∫(F − G)²) (scipy convention, value only).
let energy (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = CdfDistances.EnergyValue(a, w wa, b, w wb)

/// Cramér distance ∫(F − G)² = ½ energy² (value only).
let cramer (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = CdfDistances.CramerValue(a, w wa, b, w wb)

/// Wasserstein-1 with bootstrap uncertainty and effective sizes.
let w1WithUncertainty (options: BootstrapOptions) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    CdfDistances.Wasserstein1(a, w wa, b, w wb, options)

/// Energy distance with bootstrap uncertainty and effective sizes.
let energyWithUncertainty (options: BootstrapOptions) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    CdfDistances.Energy(a, w wa, b, w wb, options)

/// Pearson χ² of b on `bins` equal-probability quantile bins of the reference a (with χ̂²).
let chi2Quantiles (options: BootstrapOptions) (bins: int) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    QuantileChiSquare.Test(a, w wa, b, w wb, bins, options)

/// Gagunashvili χ² (UU/UW/WW picked from the weights, as ROOT's Chi2Test) on the given edges.
let chi2Hist (options: BootstrapOptions) (edges: float[]) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    HistogramChiSquare.Test(a, w wa, b, w wb, edges, options)

/// Jensen–Shannon divergence in bits (∈ [0, 1]) of the two samples binned in `edges`.
let jsd (options: BootstrapOptions) (edges: float[]) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    HistogramDivergences.JensenShannon(a, w wa, b, w wb, edges, options)

/// CaloChallenge separation power of the two samples binned in `edges`.
let separationPower (options: BootstrapOptions) (edges: float[]) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    HistogramDivergences.SeparationPower(a, w wa, b, w wb, edges, options)

/// `bins` equal-width edges over the pooled range of both samples (the catalogue's default binning).
let pooledEdges (bins: int) (a: float[]) (b: float[]) = Histogram.PooledUniformEdges(a, b, bins)
