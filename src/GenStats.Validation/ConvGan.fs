/// The convolutional conditional GAN for detector images (calorimeter showers) in F# scripts: thin
/// curried wrappers over `GenStats.Models.ConvGanTrainer` / `ConditionalConvGan` on
/// `ImageDataset`s. Options are the C# `ConvGanOptions` (defaults: the seed's ECAL architecture);
/// other settings are named arguments: `ConvGanOptions(Steps = 2000, BatchSize = 32)`.
module GenStats.Validation.ConvGan

open GenStats.Data.Images
open GenStats.Models

/// The defaults (`ConvGanOptions()`): the seed's architecture, WGAN-GP, the regressor term.
let defaults = ConvGanOptions()

/// The rows of an image sample's conditions (float64), or None when it has none.
let private conditionRows (data: ImageDataset) =
    let c = data.ConditionNames.Count

    if c = 0 then
        None
    else
        Some(Array.init data.Count (fun i -> Array.init c (fun j -> float data.Conditions[i * c + j])))

/// Trains on an image sample (its cells, conditions and weights); the result holds the model and the history.
let trainRun (options: ConvGanOptions) (data: ImageDataset) : ConvGanTrainingResult =
    ConvGanTrainer.Train(
        data.Images,
        data.Height,
        data.Width,
        Option.toObj (conditionRows data),
        data.Weights,
        options,
        Seq.toArray data.ConditionNames
    )

/// Trains on an image sample and returns the model.
let train (options: ConvGanOptions) (data: ImageDataset) : ConditionalConvGan = (trainRun options data).Model

/// Continues a run from its checkpoint (`ConvGanOptions.CheckpointPath`) on the same image sample;
/// the result equals that of an uninterrupted run bit for bit.
let resume (checkpoint: string) (data: ImageDataset) : ConvGanTrainingResult =
    ConvGanTrainer.Resume(
        checkpoint,
        data.Images,
        data.Height,
        data.Width,
        Option.toObj (conditionRows data),
        data.Weights
    )

/// Generated showers at the conditions of `conditions` (its images are ignored), as an image sample
/// with the same conditions and weights; same seed, same images.
let sampleAt (seed: int) (conditions: ImageDataset) (model: ConditionalConvGan) : ImageDataset =
    let rows =
        conditionRows conditions
        |> Option.defaultValue (Array.create conditions.Count [||])

    let images = model.SampleImages(rows, seed)

    ImageDataset.Create(
        images,
        conditions.Count,
        model.ImageHeight,
        model.ImageWidth,
        conditions.Conditions,
        Seq.toArray conditions.ConditionNames,
        conditions.Weights
    )

/// The model's condition regressor as a `Calorimeter.Regressor` (recovered conditions under the
/// model's condition names). It was in the generator loss: on generated showers it is matched by
/// construction and is no evidence — validate with an independent regressor (e.g. `Calorimeter.analyticRegressor`).
let regressor (model: ConditionalConvGan) : Calorimeter.Regressor =
    {
        Name = sprintf "conv-gan regressor (in the generator loss: not evidence), MSE %A" model.RegressorMse
        Recover =
            fun images ->
                let r = model.RecoverConditions images.Images

                model.ConditionNames
                |> Seq.mapi (fun j name -> name, r |> Array.map (fun row -> row[j]))
                |> List.ofSeq
    }

/// Saves a model file (type "conv-gan").
let save (path: string) (model: ConditionalConvGan) = model.Save path

/// Loads a conv-GAN model file.
let load (path: string) : ConditionalConvGan = ConditionalConvGan.Load path
