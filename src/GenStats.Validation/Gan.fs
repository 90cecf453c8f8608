/// GANs (WGAN, WGAN-GP, Cramér, …) for F# scripts: thin curried wrappers over GenStats.Models,
/// with the verbs of every model module: `train`, `trainOn`, `sample`, `sampleAt`, `save`,
/// `load`. Settings are an F# record with the C# defaults, so copy-and-update works:
/// `{ Gan.defaults with Steps = 2000 } |> Gan.withLoss GanLoss.WganGp`; `Gan.toOptions` gives
/// the C# `GanOptions`. The VAE is in module `Vae`.
module GenStats.Validation.Gan

open System
open GenStats.Data
open GenStats.Models
open GenStats.Nn
open GenStats.Validation

/// The settings of a GAN as an F# record: copy-and-update works (`{ Gan.defaults with Steps = 10 }`);
/// `Gan.defaults` equals `GanOptions()` field by field, `Gan.toOptions` converts for the C# trainer.
type Settings =
    {
        /// The adversarial loss.
        Loss: GanLoss
        /// Size of the latent noise z ~ N(0, I).
        LatentSize: int
        /// Hidden layer widths of the generator G(z, y).
        GeneratorLayers: int[]
        /// Hidden layer widths of the critic D(x, y).
        CriticLayers: int[]
        /// Hidden activation of both networks.
        Activation: Activation
        /// Critic output size for the Cramér GAN (the RICH GAN uses 256); other losses use 1.
        CriticOutputSize: int
        /// Critic updates per generator update.
        CriticSteps: int
        /// Optimizer of both networks.
        Optimizer: OptimizerKind
        /// Initial learning rate of the generator.
        GeneratorLearningRate: float32
        /// Initial learning rate of the critic.
        CriticLearningRate: float32
        /// Adam β₁ (0.5 as in WGAN-GP practice).
        AdamBeta1: float32
        /// Adam β₂.
        AdamBeta2: float32
        /// Learning-rate schedule (per generator step, applied to both networks).
        LrSchedule: LrScheduleKind
        /// γ of the exponential schedule.
        LrGamma: float32
        /// Final learning rate of the cosine schedule.
        LrMinimum: float32
        /// Events per batch.
        BatchSize: int
        /// Generator steps (0 = the automatic budget: 100 epochs clamped to [2000, 4000] steps); ignored when Epochs is set.
        Steps: int
        /// When set, Steps = ⌈Epochs·N_train/BatchSize⌉ (batches are drawn with replacement, so an epoch is N_train events on average).
        Epochs: float option
        /// Fraction of the steps over which the learning rate ramps up linearly from 0.
        WarmupFraction: float
        /// Decay β of the generator weight average that is sampled, evaluated and saved (0 = the live generator).
        EmaDecay: float32
        /// Keep the generator of the lowest held-out energy distance, not the last one.
        KeepBest: bool
        /// Stop after this many held-out evaluations without improvement (0 = never).
        EarlyStoppingPatience: int
        /// Seed of the initialisation, the batches, the noise and the held-out split.
        Seed: uint64
        /// Gradient-penalty weight λ (WGAN-GP, Cramér).
        PenaltyWeight: float32
        /// Two- or one-sided penalty.
        Penalty: PenaltyKind
        /// Weight the penalty's mean by the events' weights (else a plain mean; recommended with signed weights).
        WeightedPenalty: bool
        /// WGAN clip value c: every critic parameter is clamped to [−c, c] after each critic update.
        ClipValue: float32
        /// How negative weights are used.
        NegativeWeights: NegativeWeightStrategy
        /// Hidden layers of the E[w | x, y] regressor (Regress).
        WeightRegressorLayers: int[]
        /// Adam steps of the E[w | x, y] regressor.
        WeightRegressorSteps: int
        /// Preprocessing of every feature column (`"standard"`, `"quantile-normal"` as the LHCb RICH GAN, `"identity"`); fitted with max(w, 0).
        FeatureTransform: TransformKind
        /// Preprocessing of every condition column (same kinds).
        ConditionTransform: TransformKind
        /// Per-column overrides of the group defaults: column name → spec text ("log", "log1p", "logit(lo,hi)", "periodic", "standard", …; see TransformSpec); empty = none.
        ColumnTransforms: Map<string, string>
        /// Fraction of events held out for evaluation (energy distance, referee AUC, best-generator selection); 0 = none.
        HeldOutFraction: float
        /// At most this many held-out events (the energy distance costs O(n²)).
        MaxHeldOut: int
        /// Evaluate on the held-out events every this many generator steps (0 = never; −1 = 25 evaluations over the run).
        EvaluateEvery: int
        /// Train a referee classifier (MLP [d, 32, 32, 1], BCE, Adam 1e-3) alongside, one step per generator step.
        Referee: bool
        /// Joint gradient-norm clip of each network's update (0 = none).
        MaxGradNorm: float
        /// Write a checkpoint here every CheckpointEvery generator steps and at the end (None = never).
        CheckpointPath: string option
        /// Checkpoint interval in generator steps (0 = only at the end).
        CheckpointEvery: int
    }

/// The settings of C# options (arrays copied).
let ofOptions (o: GanOptions) : Settings =
    {
        Loss = o.Loss
        LatentSize = o.LatentSize
        GeneratorLayers = Array.copy o.GeneratorLayers
        CriticLayers = Array.copy o.CriticLayers
        Activation = o.Activation
        CriticOutputSize = o.CriticOutputSize
        CriticSteps = o.CriticSteps
        Optimizer = o.Optimizer
        GeneratorLearningRate = o.GeneratorLearningRate
        CriticLearningRate = o.CriticLearningRate
        AdamBeta1 = o.AdamBeta1
        AdamBeta2 = o.AdamBeta2
        LrSchedule = o.LrSchedule
        LrGamma = o.LrGamma
        LrMinimum = o.LrMinimum
        BatchSize = o.BatchSize
        Steps = o.Steps
        Epochs = Option.ofNullable o.Epochs
        WarmupFraction = o.WarmupFraction
        EmaDecay = o.EmaDecay
        KeepBest = o.KeepBest
        EarlyStoppingPatience = o.EarlyStoppingPatience
        Seed = o.Seed
        PenaltyWeight = o.PenaltyWeight
        Penalty = o.Penalty
        WeightedPenalty = o.WeightedPenalty
        ClipValue = o.ClipValue
        NegativeWeights = o.NegativeWeights
        WeightRegressorLayers = Array.copy o.WeightRegressorLayers
        WeightRegressorSteps = o.WeightRegressorSteps
        FeatureTransform = o.FeatureTransform
        ConditionTransform = o.ConditionTransform
        ColumnTransforms = ColumnTransformMap.ofOptions o.ColumnTransforms
        HeldOutFraction = o.HeldOutFraction
        MaxHeldOut = o.MaxHeldOut
        EvaluateEvery = o.EvaluateEvery
        Referee = o.Referee
        MaxGradNorm = o.MaxGradNorm
        CheckpointPath = Option.ofObj o.CheckpointPath
        CheckpointEvery = o.CheckpointEvery
    }

/// The C# options of the settings, for the trainer (arrays copied).
let toOptions (s: Settings) =
    GanOptions(
        Loss = s.Loss,
        LatentSize = s.LatentSize,
        GeneratorLayers = Array.copy s.GeneratorLayers,
        CriticLayers = Array.copy s.CriticLayers,
        Activation = s.Activation,
        CriticOutputSize = s.CriticOutputSize,
        CriticSteps = s.CriticSteps,
        Optimizer = s.Optimizer,
        GeneratorLearningRate = s.GeneratorLearningRate,
        CriticLearningRate = s.CriticLearningRate,
        AdamBeta1 = s.AdamBeta1,
        AdamBeta2 = s.AdamBeta2,
        LrSchedule = s.LrSchedule,
        LrGamma = s.LrGamma,
        LrMinimum = s.LrMinimum,
        BatchSize = s.BatchSize,
        Steps = s.Steps,
        Epochs = Option.toNullable s.Epochs,
        WarmupFraction = s.WarmupFraction,
        EmaDecay = s.EmaDecay,
        KeepBest = s.KeepBest,
        EarlyStoppingPatience = s.EarlyStoppingPatience,
        Seed = s.Seed,
        PenaltyWeight = s.PenaltyWeight,
        Penalty = s.Penalty,
        WeightedPenalty = s.WeightedPenalty,
        ClipValue = s.ClipValue,
        NegativeWeights = s.NegativeWeights,
        WeightRegressorLayers = Array.copy s.WeightRegressorLayers,
        WeightRegressorSteps = s.WeightRegressorSteps,
        FeatureTransform = s.FeatureTransform,
        ConditionTransform = s.ConditionTransform,
        ColumnTransforms = ColumnTransformMap.toOptions s.ColumnTransforms,
        HeldOutFraction = s.HeldOutFraction,
        MaxHeldOut = s.MaxHeldOut,
        EvaluateEvery = s.EvaluateEvery,
        Referee = s.Referee,
        MaxGradNorm = s.MaxGradNorm,
        CheckpointPath = Option.toObj s.CheckpointPath,
        CheckpointEvery = s.CheckpointEvery
    )

/// The default settings: the C# defaults of `GanOptions()`.
let defaults: Settings = ofOptions (GanOptions())

/// The settings with another adversarial loss.
let withLoss (loss: GanLoss) (settings: Settings) = { settings with Loss = loss }

/// Trains a GAN on feature rows with optional conditions and optional signed weights.
let train (settings: Settings) (weights: Weights) (conditions: float[][] option) (features: float[][]) =
    GanTrainer.Train(features, Option.toObj conditions, Weights.toArg weights, toOptions settings)

/// Trains a GAN on a dataset with roles (features, optional conditions and weight column).
let inline trainOn (settings: Settings) (table: ^T) =
    let s, conditions, weights = Data.trainingArrays "GAN" table
    train settings weights conditions s.Features

/// Trains a GAN with an auxiliary statistic s(x, y) (raw scale, differentiable) matched by MMD or energy distance.
let trainWithStatistic
    (settings: Settings)
    (distance: StatisticDistance)
    (weight: float32)
    (statistic: GenStats.Tensors.Tensor -> GenStats.Tensors.Tensor -> GenStats.Tensors.Tensor)
    (weights: Weights)
    (conditions: float[][] option)
    (features: float[][])
    =
    let aux = AuxiliaryStatistic(Func<_, _, _>(statistic), weight, Distance = distance)
    GanTrainer.Train(features, Option.toObj conditions, Weights.toArg weights, toOptions settings, aux)

/// An auxiliary statistic written as an observable expression, for `trainWithAux`: its
/// distribution (raw units, inverse-transformed in the graph) is matched between real and generated
/// batches by `Distance`, weighted by `Weight` in the generator loss. Copy-and-update works:
/// `{ Gan.auxiliary "mass(pt1,eta1,phi1,pt2,eta2,phi2)" with Weight = 2f }`.
type Auxiliary =
    {
        /// The expression over feature/condition columns, e.g. "mass(pt1,eta1,phi1,pt2,eta2,phi2)" (functions: docs/observables.md).
        Expression: string
        /// Weight of the term in the generator loss (default AuxiliaryExpression.DefaultWeight = 1).
        Weight: float32
        /// MMD (Gaussian kernel, median-distance bandwidth; the default) or energy distance.
        Distance: StatisticDistance
    }

/// The auxiliary term of an expression with the default weight (1) and distance (MMD).
let auxiliary (expression: string) : Auxiliary =
    {
        Expression = expression
        Weight = AuxiliaryExpression.DefaultWeight
        Distance = StatisticDistance.Mmd
    }

/// Trains a GAN on a dataset with roles, with the auxiliary statistic in the generator loss (the
/// `genstats train --aux` of F#). The model records the statistic (`model.Auxiliary`): in the loss,
/// so no evidence — validate with another, held-out statistic. Fails with an ArgumentException that
/// lists the available columns when the expression reads a column that is neither a feature nor a condition.
let inline trainWithAux (settings: Settings) (aux: Auxiliary) (table: ^T) =
    let s, conditions, weights = Data.trainingArrays "GAN" table
    let statistic = AuxiliaryExpression.Parse(aux.Expression, aux.Weight, aux.Distance)

    GanTrainer
        .Create(
            s.Features,
            Option.toObj conditions,
            Weights.toArg weights,
            toOptions settings,
            statistic,
            s.FeatureNames,
            s.ConditionNames
        )
        .Run()

/// n events of an unconditional GAN.
let sample (seed: int) (n: int) (model: ConditionalGan) = model.Sample(n, seed)

/// One event per condition row.
let sampleAt (seed: int) (conditions: float[][]) (model: ConditionalGan) = model.Sample(conditions, seed)

/// Writes the GAN to a model file (atomically).
let save (path: string) (model: ConditionalGan) = Models.save path model

/// Loads a GAN from a model file (fails if the file holds another model type).
let load (path: string) : ConditionalGan = Models.loadAs<ConditionalGan> path

/// The held-out energy distances of a training history, as (step, value) pairs.
let energyHistory (history: TrainingHistory) =
    history.Evaluations |> Seq.map (fun e -> e.Step, e.EnergyDistance) |> List.ofSeq
