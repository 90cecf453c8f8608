/// Gaussian kernel density estimates (scipy.stats.gaussian_kde conventions) for F# pipelines,
/// with the verbs of every model module: `train`, `trainOn`, `sample`, `sampleAt`, `save`, `load`.
/// Options are the C# record `KdeOptions` (`KdeOptions(Bandwidth = BandwidthRule.CrossValidated)`).
module GenStats.Validation.Kde

open GenStats.Data
open GenStats.Models
open GenStats.Validation

/// The default options: Scott's bandwidth, no preprocessing.
let defaults: KdeOptions = KdeOptions.Default

/// Fits a KDE to feature rows with optional conditions and non-negative weights (seed: cross-validation subsample).
let train (options: KdeOptions) (seed: int) (weights: Weights) (conditions: float[][] option) (features: float[][]) =
    KernelDensity.Fit(Models.trainingSample "KDE" false weights conditions features, options, seed)

/// Fits a KDE to a dataset with roles (features, optional conditions and weight column).
let inline trainOn (options: KdeOptions) (seed: int) (table: ^T) =
    KernelDensity.Fit(Data.dataset table, options, seed)

/// n events of an unconditional KDE.
let sample (seed: int) (n: int) (model: KernelDensity) = model.Sample(n, seed)

/// One event per condition row of a conditional KDE.
let sampleAt (seed: int) (conditions: float[][]) (model: KernelDensity) = model.Sample(conditions, seed)

/// Writes the KDE to a model file (atomically).
let save (path: string) (model: KernelDensity) = Models.save path model

/// Loads a KDE from a model file (fails if the file holds another model type).
let load (path: string) : KernelDensity = Models.loadAs<KernelDensity> path

/// log p(x) of joint points (features then conditions).
let logDensity (points: float[][]) (model: KernelDensity) = model.LogDensity points
