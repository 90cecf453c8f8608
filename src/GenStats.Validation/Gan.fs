/// Neural generative models for F# scripts: thin curried wrappers over GenStats.Models (GAN family
/// and conditional VAE). Options are C# records; build them with named arguments, e.g.
/// `GanOptions(Loss = GanLoss.Cramer, Steps = 2000)`, or take one loss's defaults with `Gan.options GanLoss.Cramer`.
module GenStats.Validation.Gan

open System
open GenStats.Models

/// Default options of the given loss.
let options (loss: GanLoss) = GanOptions(Loss = loss)

/// Trains a GAN on (features, optional conditions, optional signed weights).
let train (options: GanOptions) (weights: float[] option) (conditions: float[][] option) (features: float[][]) =
    GanTrainer.Train(features, Option.toObj conditions, Option.toObj weights, options)

/// Trains a GAN with an auxiliary statistic s(x, y) (raw scale, differentiable) matched by MMD or energy distance.
let trainWithStatistic (options: GanOptions) (distance: StatisticDistance) (weight: float32) (statistic: GenStats.Tensors.Tensor -> GenStats.Tensors.Tensor -> GenStats.Tensors.Tensor)
                       (weights: float[] option) (conditions: float[][] option) (features: float[][]) =
    let aux = AuxiliaryStatistic(Func<_, _, _>(statistic), weight, Distance = distance)
    GanTrainer.Train(features, Option.toObj conditions, Option.toObj weights, options, aux)

/// Samples one row per condition row.
let sample (seed: int) (conditions: float[][]) (model: ConditionalGan) = model.Sample(conditions, seed)

/// Samples n rows from an unconditional GAN.
let sampleN (seed: int) (n: int) (model: ConditionalGan) = model.Sample(n, seed)

/// The held-out energy distances of a training history, as (step, value) pairs.
let energyHistory (history: TrainingHistory) =
    history.Evaluations |> Seq.map (fun e -> e.Step, e.EnergyDistance) |> List.ofSeq

/// Trains a conditional VAE.
let trainVae (options: VaeOptions) (weights: float[] option) (conditions: float[][] option) (features: float[][]) =
    VaeTrainer.Train(features, Option.toObj conditions, Option.toObj weights, options)

/// Continues a VAE run from a checkpoint (`VaeOptions.CheckpointPath`) on the same data, bit-identically.
let resumeVae (checkpoint: string) (weights: float[] option) (conditions: float[][] option) (features: float[][]) =
    VaeTrainer.Resume(checkpoint, features, Option.toObj conditions, Option.toObj weights)

/// ELBO per event (raw scale) of held-out data under a VAE.
let elbo (seed: int) (weights: float[] option) (conditions: float[][] option) (features: float[][]) (model: ConditionalVae) =
    model.Elbo(features, Option.toObj conditions, Option.toObj weights, seed)
