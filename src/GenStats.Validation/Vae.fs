/// Conditional VAEs for F# scripts: thin curried wrappers over GenStats.Models, with the verbs of
/// every model module: `train`, `trainOn`, `sample`, `sampleAt`, `save`, `load` (plus `resume`
/// and `elbo`). Settings are an F# record with the C# defaults (`{ Vae.defaults with Steps = 500 }`);
/// `Vae.toOptions` gives the C# `VaeOptions`.
module GenStats.Validation.Vae

open GenStats.Data
open GenStats.Models
open GenStats.Nn
open GenStats.Validation

/// The settings of a VAE as an F# record: copy-and-update works (`{ Vae.defaults with Steps = 10 }`);
/// `Vae.defaults` equals `VaeOptions()` field by field, `Vae.toOptions` converts for the C# trainer.
type Settings =
    {
        /// Latent size.
        LatentSize: int
        /// Hidden layers of the encoder q(z | x, y).
        EncoderLayers: int[]
        /// Hidden layers of the decoder p(x | z, y).
        DecoderLayers: int[]
        /// Hidden activation.
        Activation: Activation
        /// β, the weight of the KL term (1 = the ELBO).
        Beta: float32
        /// KL warm-up: β rises linearly from 0 over this fraction of the steps.
        BetaWarmupFraction: float
        /// Learn the decoder's per-feature log-variance as a function of (z, y); else use FixedVariance.
        LearnedVariance: bool
        /// The decoder variance on the preprocessed scale when it is not learned.
        FixedVariance: float32
        /// Adam learning rate.
        LearningRate: float32
        /// Schedule (over optimizer steps).
        LrSchedule: LrScheduleKind
        /// γ of the exponential schedule.
        LrGamma: float32
        /// Events per batch.
        BatchSize: int
        /// Optimizer steps (0 = the automatic budget: 100 epochs clamped to [2000, 4000] steps).
        Steps: int
        /// Fraction of the steps over which the learning rate ramps up linearly from 0.
        WarmupFraction: float
        /// Keep the networks of the highest held-out ELBO, not the last ones.
        KeepBest: bool
        /// Stop after this many held-out evaluations without improvement (0 = never).
        EarlyStoppingPatience: int
        /// Seed.
        Seed: uint64
        /// Raw or Clip (Regress is a GAN-only strategy).
        NegativeWeights: NegativeWeightStrategy
        /// Preprocessing of every feature column (`"standard"`, `"quantile-normal"`, `"identity"`); fitted with max(w, 0).
        FeatureTransform: TransformKind
        /// Preprocessing of every condition column (same kinds).
        ConditionTransform: TransformKind
        /// Per-column overrides of the group defaults: column name → spec text ("log", "log1p", "logit(lo,hi)", "periodic", "standard", …; see TransformSpec); empty = none.
        ColumnTransforms: Map<string, string>
        /// Held-out fraction for the ELBO and energy-distance evaluations.
        /// Components of the latent Gaussian mixture sampling draws z from (0 = N(0, I)).
        LatentMixtureComponents: int
        HeldOutFraction: float
        /// At most this many held-out events.
        MaxHeldOut: int
        /// Evaluate every this many steps (0 = never).
        EvaluateEvery: int
        /// Checkpoint file (`.gsp`) written every CheckpointEvery steps, at the end and on cancellation; null = none.
        CheckpointPath: string option
        /// Write a checkpoint every this many steps (0 = only at the end and on cancellation).
        CheckpointEvery: int
    }

/// The settings of C# options (arrays copied).
let ofOptions (o: VaeOptions) : Settings =
    {
        LatentSize = o.LatentSize
        EncoderLayers = Array.copy o.EncoderLayers
        DecoderLayers = Array.copy o.DecoderLayers
        Activation = o.Activation
        Beta = o.Beta
        BetaWarmupFraction = o.BetaWarmupFraction
        LearnedVariance = o.LearnedVariance
        FixedVariance = o.FixedVariance
        LearningRate = o.LearningRate
        LrSchedule = o.LrSchedule
        LrGamma = o.LrGamma
        BatchSize = o.BatchSize
        Steps = o.Steps
        WarmupFraction = o.WarmupFraction
        KeepBest = o.KeepBest
        EarlyStoppingPatience = o.EarlyStoppingPatience
        Seed = o.Seed
        NegativeWeights = o.NegativeWeights
        FeatureTransform = o.FeatureTransform
        ConditionTransform = o.ConditionTransform
        ColumnTransforms = ColumnTransformMap.ofOptions o.ColumnTransforms
        LatentMixtureComponents = o.LatentMixtureComponents
        HeldOutFraction = o.HeldOutFraction
        MaxHeldOut = o.MaxHeldOut
        EvaluateEvery = o.EvaluateEvery
        CheckpointPath = Option.ofObj o.CheckpointPath
        CheckpointEvery = o.CheckpointEvery
    }

/// The C# options of the settings, for the trainer (arrays copied).
let toOptions (s: Settings) =
    VaeOptions(
        LatentSize = s.LatentSize,
        EncoderLayers = Array.copy s.EncoderLayers,
        DecoderLayers = Array.copy s.DecoderLayers,
        Activation = s.Activation,
        Beta = s.Beta,
        BetaWarmupFraction = s.BetaWarmupFraction,
        LearnedVariance = s.LearnedVariance,
        FixedVariance = s.FixedVariance,
        LearningRate = s.LearningRate,
        LrSchedule = s.LrSchedule,
        LrGamma = s.LrGamma,
        BatchSize = s.BatchSize,
        Steps = s.Steps,
        WarmupFraction = s.WarmupFraction,
        KeepBest = s.KeepBest,
        EarlyStoppingPatience = s.EarlyStoppingPatience,
        Seed = s.Seed,
        NegativeWeights = s.NegativeWeights,
        FeatureTransform = s.FeatureTransform,
        ConditionTransform = s.ConditionTransform,
        ColumnTransforms = ColumnTransformMap.toOptions s.ColumnTransforms,
        LatentMixtureComponents = s.LatentMixtureComponents,
        HeldOutFraction = s.HeldOutFraction,
        MaxHeldOut = s.MaxHeldOut,
        EvaluateEvery = s.EvaluateEvery,
        CheckpointPath = Option.toObj s.CheckpointPath,
        CheckpointEvery = s.CheckpointEvery
    )

/// The default settings: the C# defaults of `VaeOptions()`.
let defaults: Settings = ofOptions (VaeOptions())

/// Trains a conditional VAE on feature rows with optional conditions and optional signed weights.
let train (settings: Settings) (weights: Weights) (conditions: float[][] option) (features: float[][]) =
    VaeTrainer.Train(features, Option.toObj conditions, Weights.toArg weights, toOptions settings)

/// Trains a VAE on a dataset with roles (features, optional conditions and weight column).
let inline trainOn (settings: Settings) (table: ^T) =
    let s, conditions, weights = Data.trainingArrays "VAE" table
    train settings weights conditions s.Features

/// Continues a VAE run from a checkpoint (`CheckpointPath`) on the same data, bit-identically.
let resume (checkpoint: string) (weights: Weights) (conditions: float[][] option) (features: float[][]) =
    VaeTrainer.Resume(checkpoint, features, Option.toObj conditions, Weights.toArg weights)

/// n events of an unconditional VAE.
let sample (seed: int) (n: int) (model: ConditionalVae) = model.Sample(n, seed)

/// One event per condition row.
let sampleAt (seed: int) (conditions: float[][]) (model: ConditionalVae) = model.Sample(conditions, seed)

/// Writes the VAE to a model file (atomically).
let save (path: string) (model: ConditionalVae) = Models.save path model

/// Loads a VAE from a model file (fails if the file holds another model type).
let load (path: string) : ConditionalVae = Models.loadAs<ConditionalVae> path

/// ELBO per event (raw scale) of held-out data under a VAE.
let elbo (seed: int) (weights: Weights) (conditions: float[][] option) (features: float[][]) (model: ConditionalVae) =
    model.Elbo(features, Option.toObj conditions, Weights.toArg weights, seed)
