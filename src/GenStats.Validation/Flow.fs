/// Conditional neural spline flows for F# scripts: thin curried wrappers over GenStats.Models, with
/// the verbs of every model module: `train`, `trainOn`, `sample`, `sampleAt`, `save`, `load` (plus
/// `resume`), the exact density `logDensity`, and the likelihood checks: held-out against training
/// NLL (`overfitting`), the KL estimate against a known truth (`kl`) and their report section
/// (`likelihoodSection`). Settings are an F# record with the C# defaults
/// (`{ Flow.defaults with Layers = 8 }`); `Flow.toOptions` gives the C# `FlowOptions`.
module GenStats.Validation.Flow

open System
open GenStats.Data
open GenStats.Models
open GenStats.Nn
open GenStats.Validation
open GenStats.Validation.Report

/// The settings of a flow as an F# record: copy-and-update works (`{ Flow.defaults with Steps = 10 }`);
/// `Flow.defaults` equals `FlowOptions()` field by field, `Flow.toOptions` converts for the C# trainer.
type Settings =
    {
        /// Autoregressive (MADE, default) or coupling layers.
        Architecture: FlowArchitecture
        /// Number of spline layers.
        Layers: int
        /// Hidden layers of every conditioner.
        HiddenLayers: int[]
        /// Hidden activation of the conditioners.
        Activation: Activation
        /// K, the spline bins.
        Bins: int
        /// B, the tail bound on the preprocessed scale (identity outside [−B, B]).
        TailBound: float32
        /// Column order between layers.
        Permutation: FlowPermutation
        /// Adam learning rate.
        LearningRate: float32
        /// Decoupled weight decay λ (AdamW); 0 = plain Adam.
        WeightDecay: float32
        /// Dropout probability in the conditioners during training (0 = none).
        Dropout: float32
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
        /// Global gradient-norm clip (0 = none).
        GradientClip: float32
        /// β of the moving average of the parameters (evaluated, selected and kept); 0 = off.
        EmaDecay: float32
        /// Keep the latest evaluation within one paired standard error of the lowest held-out NLL (else the last step).
        KeepBest: bool
        /// Stop after this many held-out evaluations without a lower NLL (0 = never).
        EarlyStoppingPatience: int
        /// Seed.
        Seed: uint64
        /// Raw (the weighted NLL is unbounded below where weights are negative), Clip, or Regress (E[w | x, y]).
        NegativeWeights: NegativeWeightStrategy
        /// Hidden layers of the E[w | x, y] regressor.
        WeightRegressorLayers: int[]
        /// Steps of the E[w | x, y] regressor.
        WeightRegressorSteps: int
        /// Preprocessing of every feature column (standard by default; periodic is refused).
        FeatureTransform: TransformKind
        /// Preprocessing of every condition column.
        ConditionTransform: TransformKind
        /// Per-column overrides of the group defaults: column name → spec text; empty = none.
        ColumnTransforms: Map<string, string>
        /// Held-out fraction for the NLL and energy-distance evaluations.
        HeldOutFraction: float
        /// At most this many held-out events.
        MaxHeldOut: int
        /// Evaluate every this many steps (0 = never; −1 = 25 evaluations over the run).
        EvaluateEvery: int
        /// Checkpoint file (`.gsp`); null = none.
        CheckpointPath: string option
        /// Write a checkpoint every this many steps (0 = only at the end and on cancellation).
        CheckpointEvery: int
    }

/// The settings of C# options (arrays copied).
let ofOptions (o: FlowOptions) : Settings =
    {
        Architecture = o.Architecture
        Layers = o.Layers
        HiddenLayers = Array.copy o.HiddenLayers
        Activation = o.Activation
        Bins = o.Bins
        TailBound = o.TailBound
        Permutation = o.Permutation
        LearningRate = o.LearningRate
        WeightDecay = o.WeightDecay
        Dropout = o.Dropout
        LrSchedule = o.LrSchedule
        LrGamma = o.LrGamma
        BatchSize = o.BatchSize
        Steps = o.Steps
        WarmupFraction = o.WarmupFraction
        GradientClip = o.GradientClip
        EmaDecay = o.EmaDecay
        KeepBest = o.KeepBest
        EarlyStoppingPatience = o.EarlyStoppingPatience
        Seed = o.Seed
        NegativeWeights = o.NegativeWeights
        WeightRegressorLayers = Array.copy o.WeightRegressorLayers
        WeightRegressorSteps = o.WeightRegressorSteps
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
    FlowOptions(
        Architecture = s.Architecture,
        Layers = s.Layers,
        HiddenLayers = Array.copy s.HiddenLayers,
        Activation = s.Activation,
        Bins = s.Bins,
        TailBound = s.TailBound,
        Permutation = s.Permutation,
        LearningRate = s.LearningRate,
        WeightDecay = s.WeightDecay,
        Dropout = s.Dropout,
        LrSchedule = s.LrSchedule,
        LrGamma = s.LrGamma,
        BatchSize = s.BatchSize,
        Steps = s.Steps,
        WarmupFraction = s.WarmupFraction,
        GradientClip = s.GradientClip,
        EmaDecay = s.EmaDecay,
        KeepBest = s.KeepBest,
        EarlyStoppingPatience = s.EarlyStoppingPatience,
        Seed = s.Seed,
        NegativeWeights = s.NegativeWeights,
        WeightRegressorLayers = Array.copy s.WeightRegressorLayers,
        WeightRegressorSteps = s.WeightRegressorSteps,
        FeatureTransform = s.FeatureTransform,
        ConditionTransform = s.ConditionTransform,
        ColumnTransforms = ColumnTransformMap.toOptions s.ColumnTransforms,
        HeldOutFraction = s.HeldOutFraction,
        MaxHeldOut = s.MaxHeldOut,
        EvaluateEvery = s.EvaluateEvery,
        CheckpointPath = Option.toObj s.CheckpointPath,
        CheckpointEvery = s.CheckpointEvery
    )

/// The default settings: the C# defaults of `FlowOptions()`.
let defaults: Settings = ofOptions (FlowOptions())

/// Trains a conditional spline flow on feature rows with optional conditions and optional signed weights.
let train (settings: Settings) (weights: Weights) (conditions: float[][] option) (features: float[][]) =
    FlowTrainer.Train(features, Option.toObj conditions, Weights.toArg weights, toOptions settings)

/// Trains a flow on a dataset with roles (features, optional conditions and weight column).
let inline trainOn (settings: Settings) (table: ^T) =
    let s, conditions, weights = Data.trainingArrays "flow" table

    FlowTrainer.Train(
        s.Features,
        Option.toObj conditions,
        Weights.toArg weights,
        toOptions settings,
        featureNames = s.FeatureNames,
        conditionNames = s.ConditionNames
    )

/// Continues a flow run from a checkpoint (`CheckpointPath`) on the same data, bit-identically.
let resume (checkpoint: string) (weights: Weights) (conditions: float[][] option) (features: float[][]) =
    FlowTrainer.Resume(checkpoint, features, Option.toObj conditions, Weights.toArg weights)

/// n events of an unconditional flow.
let sample (seed: int) (n: int) (model: ConditionalSplineFlow) = model.Sample(n, seed)

/// One event per condition row.
let sampleAt (seed: int) (conditions: float[][]) (model: ConditionalSplineFlow) = model.Sample(conditions, seed)

/// Writes the flow to a model file (atomically).
let save (path: string) (model: ConditionalSplineFlow) = Models.save path model

/// Loads a flow from a model file (fails if the file holds another model type).
let load (path: string) : ConditionalSplineFlow =
    Models.loadAs<ConditionalSplineFlow> path

/// log p(x | y) per event in the user's units (the preprocessing's Jacobian included; −∞ outside a
/// quantile-normal column's training range).
let logDensity (conditions: float[][] option) (features: float[][]) (model: ConditionalSplineFlow) =
    model.LogDensity(features, Option.toObj conditions)

/// The Σw-weighted mean log-likelihood per event with its standard error (= −NLL per event).
let meanLogDensity
    (weights: Weights)
    (conditions: float[][] option)
    (features: float[][])
    (model: ConditionalSplineFlow)
    =
    model.MeanLogDensity(features, Option.toObj conditions, Weights.toArg weights)

/// Held-out against training NLL per event: an over-fitting check.
type Overfitting =
    {
        /// NLL per event on the training events, with its standard error.
        Train: float * float
        /// NLL per event on held-out events, with its standard error.
        HeldOut: float * float
        /// HeldOut − Train: ≈ 0 for a model that generalises; > 0 by many σ for one that memorised.
        Gap: float
        /// σ of the gap (the two samples are independent: errors added in quadrature).
        GapError: float
    }

/// One sample of events: optional weights, optional conditions, features.
type Events = Weights * float[][] option * float[][]

/// Held-out vs training NLL per event with σ, on the flow's preprocessed scale
/// (`LogDensityPreprocessed`: finite where a quantile-normal column gives raw density 0, and free of
/// the quantile transform's own piecewise Jacobian, which is fitted on the training events too).
let overfitting (training: Events) (heldOut: Events) (model: ConditionalSplineFlow) =
    let nll ((w, c, x): Events) =
        let lp = model.LogDensityPreprocessed(x, Option.toObj c)
        let ws = Weights.orOnes lp.Length w
        let sw = Array.sum ws
        let m = Array.fold2 (fun s wi v -> s + wi * v) 0.0 ws lp / sw

        let se =
            sqrt (Array.fold2 (fun s wi v -> s + wi * wi * (v - m) * (v - m)) 0.0 ws lp)
            / abs sw

        -m, se

    let (tr, trE), (ho, hoE) = nll training, nll heldOut

    {
        Train = tr, trE
        HeldOut = ho, hoE
        Gap = ho - tr
        GapError = sqrt (trE * trE + hoE * hoE)
    }

/// A KL estimate with its statistical uncertainty.
type KlEstimate =
    {
        /// E_truth[log p − log q] in nats (+∞ when q = 0 at a truth event).
        Value: float
        /// Its standard error sd(log p − log q)/√n.
        Error: float
        /// Truth events used.
        Events: int
    }

/// KL(p ‖ q) = E_p[log p − log q] estimated on events drawn from the truth p (unweighted), with
/// `truthLogDensity` the known log p of each event (e.g. a toy's analytic density) and q the flow.
let kl
    (truthLogDensity: float[])
    (conditions: float[][] option)
    (truthEvents: float[][])
    (model: ConditionalSplineFlow)
    =
    if truthLogDensity.Length <> truthEvents.Length then
        invalidArg
            (nameof truthLogDensity)
            $"truthLogDensity has {truthLogDensity.Length} values for {truthEvents.Length} events; one per event is required."

    let q = logDensity conditions truthEvents model
    let d = Array.map2 (-) truthLogDensity q
    let n = float d.Length
    let m = Array.average d

    let sd =
        if Double.IsFinite m then
            sqrt ((d |> Array.sumBy (fun v -> (v - m) * (v - m))) / (n - 1.0))
        else
            nan

    {
        Value = m
        Error = sd / sqrt n
        Events = d.Length
    }

/// The report section of the likelihood checks: the over-fitting table and, when given, the KL estimate.
let likelihoodSection (model: string) (fit: Overfitting) (klEstimate: KlEstimate option) : Document.Section =
    let measured (v, e) = Document.Measured(v, e)

    {
        Title = $"Likelihood checks: {model}"
        Paragraphs =
            [
                "The flow's exact density: negative log-likelihood per event (preprocessed scale) on the training and on held-out events. "
                + "A held-out NLL above the training NLL by many σ means the model memorised its training sample."
                match klEstimate with
                | Some _ ->
                    "KL(truth ‖ model) = E_truth[log p − log q], estimated on truth events with the known density p; 0 for a perfect model."
                | None -> ()
            ]
        Tables =
            [
                {
                    Caption = "NLL per event (nats)"
                    Headers = [ "sample"; "NLL per event" ]
                    Rows =
                        [
                            [ Document.Text "training"; measured fit.Train ]
                            [ Document.Text "held-out"; measured fit.HeldOut ]
                            [
                                Document.Text "held-out − training"
                                Document.Measured(fit.Gap, fit.GapError)
                            ]
                            match klEstimate with
                            | Some k -> [ Document.Text "KL(truth ‖ model)"; Document.Measured(k.Value, k.Error) ]
                            | None -> ()
                        ]
                }
            ]
        Figures = []
    }
