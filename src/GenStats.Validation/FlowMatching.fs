/// Conditional flow matching for F# scripts: thin curried wrappers over GenStats.Models, with the
/// verbs of every model module: `train`, `trainOn`, `sample`, `sampleAt`, `save`, `load` (plus
/// `resume` and `sampleWith`, which picks the ODE method and steps). Settings are an F# record with
/// the C# defaults (`{ FlowMatching.defaults with OdeSteps = 64 }`); `FlowMatching.toOptions` gives
/// the C# `FlowMatchingOptions`.
module GenStats.Validation.FlowMatching

open GenStats.Data
open GenStats.Models
open GenStats.Nn
open GenStats.Validation

/// The settings of flow matching as an F# record: copy-and-update works
/// (`{ FlowMatching.defaults with Steps = 10 }`); `FlowMatching.defaults` equals
/// `FlowMatchingOptions()` field by field, `FlowMatching.toOptions` converts for the C# trainer.
type Settings =
    {
        /// Hidden layers of the velocity network v(x_t, t, y).
        Layers: int[]
        /// Hidden activation.
        Activation: Activation
        /// Fourier features of the time: t, sin(2πkt), cos(2πkt) for k = 1 … this.
        TimeFrequencies: int
        /// σ_min of the optimal-transport path.
        SigmaMin: float32
        /// Law of the path time t of each training event (Uniform, LogitNormal).
        TimeSampling: TimeSampling
        /// ODE method of sampling (Euler, Midpoint, Rk4).
        Solver: OdeMethod
        /// ODE steps of sampling.
        OdeSteps: int
        /// ODE steps of the held-out evaluations during training (0 = OdeSteps).
        EvaluationOdeSteps: int
        /// Adam learning rate.
        LearningRate: float32
        /// Schedule (over optimizer steps).
        LrSchedule: LrScheduleKind
        /// γ of the exponential schedule.
        LrGamma: float32
        /// Events per batch.
        BatchSize: int
        /// Optimizer steps (0 = flow matching's automatic budget: 1000 epochs clamped to [20000, 40000] steps).
        Steps: int
        /// Fraction of the steps over which the learning rate ramps up linearly from 0.
        WarmupFraction: float
        /// EMA decay of the velocity network's weights (0 = off).
        EmaDecay: float32
        /// Keep the network of the lowest held-out energy distance instead of the last (EMA) one (default false).
        KeepBest: bool
        /// Stop after this many held-out evaluations without improvement (0 = never).
        EarlyStoppingPatience: int
        /// Seed.
        Seed: uint64
        /// Raw or Clip (Regress is a GAN-only strategy).
        NegativeWeights: NegativeWeightStrategy
        /// Preprocessing of every feature column; fitted with max(w, 0).
        FeatureTransform: TransformKind
        /// Preprocessing of every condition column.
        ConditionTransform: TransformKind
        /// Per-column overrides of the group defaults: column name → spec text; empty = none.
        ColumnTransforms: Map<string, string>
        /// Held-out fraction for the energy-distance evaluations.
        HeldOutFraction: float
        /// At most this many held-out events.
        MaxHeldOut: int
        /// Evaluate every this many steps (0 = never; −1 = automatic).
        EvaluateEvery: int
        /// Checkpoint file (`.gsp`) written every CheckpointEvery steps, at the end and on cancellation; None = none.
        CheckpointPath: string option
        /// Write a checkpoint every this many steps (0 = only at the end and on cancellation).
        CheckpointEvery: int
    }

/// The settings of C# options (arrays copied).
let ofOptions (o: FlowMatchingOptions) : Settings =
    {
        Layers = Array.copy o.Layers
        Activation = o.Activation
        TimeFrequencies = o.TimeFrequencies
        SigmaMin = o.SigmaMin
        TimeSampling = o.TimeSampling
        Solver = o.Solver
        OdeSteps = o.OdeSteps
        EvaluationOdeSteps = o.EvaluationOdeSteps
        LearningRate = o.LearningRate
        LrSchedule = o.LrSchedule
        LrGamma = o.LrGamma
        BatchSize = o.BatchSize
        Steps = o.Steps
        WarmupFraction = o.WarmupFraction
        EmaDecay = o.EmaDecay
        KeepBest = o.KeepBest
        EarlyStoppingPatience = o.EarlyStoppingPatience
        Seed = o.Seed
        NegativeWeights = o.NegativeWeights
        FeatureTransform = o.FeatureTransform
        ConditionTransform = o.ConditionTransform
        ColumnTransforms = ColumnTransformMap.ofOptions o.ColumnTransforms
        HeldOutFraction = o.HeldOutFraction
        MaxHeldOut = o.MaxHeldOut
        EvaluateEvery = o.EvaluateEvery
        CheckpointPath = Option.ofObj o.CheckpointPath
        CheckpointEvery = o.CheckpointEvery
    }

/// The C# options of the settings, for the trainer (arrays copied).
let toOptions (s: Settings) =
    FlowMatchingOptions(
        Layers = Array.copy s.Layers,
        Activation = s.Activation,
        TimeFrequencies = s.TimeFrequencies,
        SigmaMin = s.SigmaMin,
        TimeSampling = s.TimeSampling,
        Solver = s.Solver,
        OdeSteps = s.OdeSteps,
        EvaluationOdeSteps = s.EvaluationOdeSteps,
        LearningRate = s.LearningRate,
        LrSchedule = s.LrSchedule,
        LrGamma = s.LrGamma,
        BatchSize = s.BatchSize,
        Steps = s.Steps,
        WarmupFraction = s.WarmupFraction,
        EmaDecay = s.EmaDecay,
        KeepBest = s.KeepBest,
        EarlyStoppingPatience = s.EarlyStoppingPatience,
        Seed = s.Seed,
        NegativeWeights = s.NegativeWeights,
        FeatureTransform = s.FeatureTransform,
        ConditionTransform = s.ConditionTransform,
        ColumnTransforms = ColumnTransformMap.toOptions s.ColumnTransforms,
        HeldOutFraction = s.HeldOutFraction,
        MaxHeldOut = s.MaxHeldOut,
        EvaluateEvery = s.EvaluateEvery,
        CheckpointPath = Option.toObj s.CheckpointPath,
        CheckpointEvery = s.CheckpointEvery
    )

/// The default settings: the C# defaults of `FlowMatchingOptions()`.
let defaults: Settings = ofOptions (FlowMatchingOptions())

/// Trains conditional flow matching on feature rows with optional conditions and optional signed weights.
let train (settings: Settings) (weights: Weights) (conditions: float[][] option) (features: float[][]) =
    FlowMatchingTrainer.Train(features, Option.toObj conditions, Weights.toArg weights, toOptions settings)

/// Trains flow matching on a dataset with roles (features, optional conditions and weight column).
let inline trainOn (settings: Settings) (table: ^T) =
    let s, conditions, weights = Data.trainingArrays "flow matching" table

    FlowMatchingTrainer.Train(
        s.Features,
        Option.toObj conditions,
        Weights.toArg weights,
        toOptions settings,
        featureNames = s.FeatureNames,
        conditionNames =
            (if s.ConditionNames.Length = 0 then
                 null
             else
                 s.ConditionNames)
    )

/// Continues a run from a checkpoint (`CheckpointPath`) on the same data, bit-identically.
let resume (checkpoint: string) (weights: Weights) (conditions: float[][] option) (features: float[][]) =
    FlowMatchingTrainer.Resume(checkpoint, features, Option.toObj conditions, Weights.toArg weights)

/// n events of an unconditional model (the model's ODE method and steps).
let sample (seed: int) (n: int) (model: ConditionalFlowMatching) = model.Sample(n, seed)

/// One event per condition row (the model's ODE method and steps).
let sampleAt (seed: int) (conditions: float[][]) (model: ConditionalFlowMatching) = model.Sample(conditions, seed)

/// One event per condition row with another ODE method and step count than the model's.
let sampleWith (solver: OdeMethod) (steps: int) (seed: int) (conditions: float[][]) (model: ConditionalFlowMatching) =
    model.Sample(conditions, seed, solver, steps)

/// Writes the model to a model file (atomically).
let save (path: string) (model: ConditionalFlowMatching) = Models.save path model

/// Loads a flow-matching model from a model file (fails if the file holds another model type).
let load (path: string) : ConditionalFlowMatching =
    Models.loadAs<ConditionalFlowMatching> path
