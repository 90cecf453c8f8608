/// Generative-model baselines for F# pipelines: thin curried wrappers over GenStats.Models
/// (KDE, library, histogram) and the one model-file format. Every model is an
/// IConditionalGenerator, so `sample`, `sampleAt`, `save` and `load` work for all of them.
module GenStats.Validation.Models

open GenStats.Data
open GenStats.Models
open GenStats.Models.Files

/// Gaussian KDE of a dataset with roles (scipy.stats.gaussian_kde conventions).
let kde (options: KdeOptions) (seed: int) (data: Dataset) = KernelDensity.Fit(data, options, seed)

/// Gaussian KDE with Scott's bandwidth.
let kdeScott (data: Dataset) = KernelDensity.Fit(data, KdeOptions.Default, 0)

/// The library approach: k nearest conditions, the given rule for k > 1.
let library (k: int) (rule: LibraryRule) (data: Dataset) = Library.Fit(data, LibraryOptions(k, rule))

/// The histogram sampler (joint or marginals; bins None = the generalised Rice rule).
let histogram (bins: int option) (mode: HistogramMode) (data: Dataset) =
    HistogramSampler.Fit(data, HistogramOptions(Option.toNullable bins, mode))

/// n events of an unconditional model.
let sample (seed: int) (n: int) (model: IConditionalGenerator) = model.Sample(n, seed)

/// One event per condition row.
let sampleAt (seed: int) (conditions: float[][]) (model: IConditionalGenerator) = model.Sample(conditions, seed)

/// Writes any model to a model file (atomically).
let save (path: string) (model: IConditionalGenerator) = ModelFile.Save(path, model)

/// Loads a model of any registered type.
let load (path: string) : IConditionalGenerator = ModelFile.Load path

/// log p(x) (joint points: features then conditions) of a KDE.
let kdeLogDensity (points: float[][]) (model: KernelDensity) = model.LogDensity points
