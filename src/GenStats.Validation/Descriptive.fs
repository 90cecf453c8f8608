/// Weighted descriptive statistics for F# pipelines: thin curried wrappers over
/// GenStats.Stats.WeightedDescriptive, data last (`xs |> Descriptive.mean None`). `Weights`
/// (GenStats.Validation.Common) is `None` for an unweighted sample.
module GenStats.Validation.Descriptive

open GenStats.Stats
open GenStats.Validation

let private toArg (weights: Weights) = Weights.toArg weights

/// Weighted mean Σwx/Σw (signed weights allowed, Σw > 0).
let mean (weights: Weights) (values: float[]) =
    WeightedDescriptive.Mean(values, toArg weights)

/// Weighted variance with reliability-weight correction (N − 1 for unit weights).
let variance (weights: Weights) (values: float[]) =
    WeightedDescriptive.Variance(values, toArg weights)

/// Weighted standard deviation: the square root of `variance`.
let standardDeviation (weights: Weights) (values: float[]) =
    WeightedDescriptive.StandardDeviation(values, toArg weights)

/// Standard error of the weighted mean (sandwich estimator, valid for sWeights).
let standardError (weights: Weights) (values: float[]) =
    WeightedDescriptive.StandardErrorOfMean(values, toArg weights)

/// Kish's effective sample size (Σw)²/Σw²; the event count when unweighted.
let effectiveSampleSize (weights: Weights) (values: float[]) =
    match weights with
    | None -> WeightedDescriptive.SumOfWeights values
    | Some w ->
        WeightedDescriptive.SumOfWeights(values, w) |> ignore // validates lengths and values
        WeightedDescriptive.EffectiveSampleSize w

/// The weighted p-quantile (weighted Hyndman–Fan definition 7; non-negative weights).
let quantile (weights: Weights) (p: float) (values: float[]) =
    WeightedDescriptive.Quantile(values, p, toArg weights)

/// Several weighted quantiles at once.
let quantiles (weights: Weights) (ps: float[]) (values: float[]) =
    WeightedDescriptive.Quantiles(values, ps, toArg weights)

/// Every descriptive statistic of a sample in one record.
let summarize (weights: Weights) (values: float[]) =
    WeightedDescriptive.Summarize(values, toArg weights)
