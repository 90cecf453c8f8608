/// Two-sample 1-D metrics for F# pipelines, curried as `metric weightsA a weightsB b` (weights
/// `None` = unweighted, the generated sample last), over GenStats.Stats. Every metric returns a
/// result with `Value` and `Uncertainty` (a seeded Poisson bootstrap with the default
/// BootstrapOptions); `metricWith options` takes the bootstrap settings first, and `…Value`
/// gives the bare number where no uncertainty is wanted. Conventions as the C# docs say: scipy
/// for KS, Wasserstein-1 and energy distance; Cramér = ½ energy²; JSD in bits; ROOT for
/// histogram χ².
module GenStats.Validation.Metrics1D

open GenStats.Stats
open GenStats.Validation

// Every call into the C# 1-D metrics goes through these few lines (argument order of the C# API).
let private w (weights: Weights) = Weights.toArg weights
let private defaults: BootstrapOptions = BootstrapOptions.Default

/// Bootstrap settings: `bootstrap replicas seed`.
let bootstrap (replicas: int) (seed: int) = BootstrapOptions(replicas, seed)

/// The KS test with the given bootstrap settings: distance, uncertainty, effective sizes and p-value.
let ksWith (options: BootstrapOptions) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    KolmogorovSmirnov.Test(a, w wa, b, w wb, options)

/// The KS test (scipy method='auto' p-value) with the default bootstrap.
let ks (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = ksWith defaults wa a wb b

/// The KS distance sup|F − G| alone (signed weights allowed).
let ksValue (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    KolmogorovSmirnov.Distance(a, w wa, b, w wb)

/// The KS p-value alone.
let ksPValue (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    KolmogorovSmirnov.PValue(a, w wa, b, w wb)

/// Wasserstein-1 ∫|F − G| with the given bootstrap settings.
let w1With (options: BootstrapOptions) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    CdfDistances.Wasserstein1(a, w wa, b, w wb, options)

/// Wasserstein-1 ∫|F − G| with bootstrap uncertainty and effective sizes.
let w1 (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = w1With defaults wa a wb b

/// Wasserstein-1 as a bare number.
let w1Value (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    CdfDistances.Wasserstein1Value(a, w wa, b, w wb)

/// Energy distance √(2∫(F − G)²) (scipy convention) with the given bootstrap settings.
let energyWith (options: BootstrapOptions) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    CdfDistances.Energy(a, w wa, b, w wb, options)

/// Energy distance √(2∫(F − G)²) (scipy convention) with bootstrap uncertainty.
let energy (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = energyWith defaults wa a wb b

/// Energy distance as a bare number.
let energyValue (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    CdfDistances.EnergyValue(a, w wa, b, w wb)

/// Cramér distance ∫(F − G)² = ½ energy² with the given bootstrap settings.
let cramerWith (options: BootstrapOptions) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    CdfDistances.Cramer(a, w wa, b, w wb, options)

/// Cramér distance ∫(F − G)² = ½ energy² with bootstrap uncertainty.
let cramer (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = cramerWith defaults wa a wb b

/// Cramér distance as a bare number.
let cramerValue (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    CdfDistances.CramerValue(a, w wa, b, w wb)

/// Pearson χ² of b on `bins` equal-probability quantile bins of the reference a (with χ̂²), given bootstrap settings.
let chi2QuantilesWith (options: BootstrapOptions) (bins: int) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    QuantileChiSquare.Test(a, w wa, b, w wb, bins, options)

/// Pearson χ² of b on `bins` equal-probability quantile bins of the reference a (with χ̂² and its uncertainty).
let chi2Quantiles (bins: int) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    chi2QuantilesWith defaults bins wa a wb b

/// Gagunashvili χ² (UU/UW/WW picked from the weights, as ROOT's Chi2Test) on the given edges, given bootstrap settings.
let chi2HistWith (options: BootstrapOptions) (edges: float[]) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    HistogramChiSquare.Test(a, w wa, b, w wb, edges, options)

/// Gagunashvili χ² (UU/UW/WW picked from the weights, as ROOT's Chi2Test) on the given edges.
let chi2Hist (edges: float[]) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    chi2HistWith defaults edges wa a wb b

/// Jensen–Shannon divergence in bits (∈ [0, 1]) of the two samples binned in `edges`, given bootstrap settings.
let jsdWith (options: BootstrapOptions) (edges: float[]) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    HistogramDivergences.JensenShannon(a, w wa, b, w wb, edges, options)

/// Jensen–Shannon divergence in bits (∈ [0, 1]) of the two samples binned in `edges`.
let jsd (edges: float[]) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) = jsdWith defaults edges wa a wb b

/// CaloChallenge separation power of the two samples binned in `edges`, given bootstrap settings.
let separationPowerWith
    (options: BootstrapOptions)
    (edges: float[])
    (wa: Weights)
    (a: float[])
    (wb: Weights)
    (b: float[])
    =
    HistogramDivergences.SeparationPower(a, w wa, b, w wb, edges, options)

/// CaloChallenge separation power of the two samples binned in `edges`.
let separationPower (edges: float[]) (wa: Weights) (a: float[]) (wb: Weights) (b: float[]) =
    separationPowerWith defaults edges wa a wb b

/// `bins` equal-width edges over the pooled range of both samples (the catalogue's default binning).
let pooledEdges (bins: int) (a: float[]) (b: float[]) =
    Histogram.PooledUniformEdges(a, b, bins)
