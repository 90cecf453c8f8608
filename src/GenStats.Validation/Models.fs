/// Generative-model baselines and the verbs every model shares, for F# pipelines: thin curried
/// wrappers over GenStats.Models and the one model-file format. Every model is an
/// IConditionalGenerator, so `Models.sample`, `sampleAt`, `save` and `load` work for all of them;
/// the model modules (`Kde`, `Gan`, `Vae`) have the same verbs typed to their model, plus `train`
/// (arrays: weights, conditions, features) and `trainOn` (a Dataset with roles).
module GenStats.Validation.Models

open GenStats.Data
open GenStats.Models
open GenStats.Models.Files
open GenStats.Validation

/// The checked training events of arrays (feature columns x0…, condition columns y0…), for the
/// model modules' `train`.
let internal trainingSample
    (model: string)
    (allowNegativeWeights: bool)
    (weights: Weights)
    (conditions: float[][] option)
    (features: float[][])
    =
    let width (rows: float[][]) =
        if rows.Length > 0 && not (isNull rows.[0]) then
            rows.[0].Length
        else
            0

    let names prefix n =
        Array.init n (fun i -> sprintf "%s%d" prefix i)

    let conditionNames =
        conditions |> Option.map (fun c -> names "y" (width c)) |> Option.toObj

    TrainingSample.From(
        names "x" (width features),
        features,
        conditionNames,
        Option.toObj conditions,
        Weights.toArg weights,
        allowNegativeWeights,
        model
    )

/// The library approach: k nearest conditions, the given rule for k > 1 (a Dataset with roles).
let inline library (k: int) (rule: LibraryRule) (table: ^T) =
    Library.Fit(Data.dataset table, LibraryOptions(k, rule))

/// The histogram sampler (joint or marginals; bins None = the generalised Rice rule).
let inline histogram (bins: int option) (mode: HistogramMode) (table: ^T) =
    HistogramSampler.Fit(Data.dataset table, HistogramOptions(Option.toNullable bins, mode))

/// n events of an unconditional model (any model).
let sample (seed: int) (n: int) (model: IConditionalGenerator) = model.Sample(n, seed)

/// One event per condition row (any model).
let sampleAt (seed: int) (conditions: float[][]) (model: IConditionalGenerator) = model.Sample(conditions, seed)

/// K events per condition row (any model), each with weight 1/K; `Rows` labels the condition row of
/// every event: the unit uncertainties must resample by (`Propagation.oversampledMean`).
let sampleOversampled (k: int) (seed: int) (conditions: float[][]) (model: IConditionalGenerator) =
    Oversampling.Sample(model, conditions, k, seed)

/// Writes any model to a model file (atomically).
let save (path: string) (model: IConditionalGenerator) = ModelFile.Save(path, model)

/// Loads a model of any registered type.
let load (path: string) : IConditionalGenerator = ModelFile.Load path

/// Writes the generator of a neural model (GAN family, VAE with the N(0, I) prior, spline flow, flow
/// matching) with its preprocessing as one ONNX graph: inputs "noise" [batch, noise width] (N(0, I))
/// and "conditions" [batch, conditions] (raw, conditional models only), output "features" [batch,
/// features] (raw units).
let exportOnnx (path: string) (model: IConditionalGenerator) = ModelExport.WriteOnnx(model, path)

/// Writes the same function as one dependency-free C99 file defining
/// genstats_generate(conditions, noise, out, n) (see docs/neural-models.md).
let exportC (path: string) (model: IConditionalGenerator) = ModelExport.WriteC(model, path)

/// Loads a model file that must hold a model of type 'T (the model modules' `load`); another type is an ArgumentException naming both.
let loadAs<'T when 'T :> IConditionalGenerator> (path: string) : 'T =
    match load path with
    | :? 'T as model -> model
    | other ->
        invalidArg (nameof path) (sprintf "%s holds a '%s' model, not a %s." path other.ModelType typeof<'T>.Name)
