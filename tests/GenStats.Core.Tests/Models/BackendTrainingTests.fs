/// A short training of every neural model on each backend of BackendCombos.others, compared with the
/// same training on the managed backend: the loss history and the sampled events must be identical.
/// On the test-only checked backend (its buffers are no HostBuffer) this proves that no trainer,
/// loss, optimizer, EMA, clipping, BatchNorm or evaluation reads a host array of a device tensor:
/// any such read throws there.
module GenStats.Tests.Models.BackendTrainingTests

open Expecto
open System
open GenStats.Models
open GenStats.Tensors
open GenStats.Tensors.Backends
open GenStats.Tests.Tensors

let private rows (seed: int) (n: int) (width: int) (scale: float) =
    let r = Random(seed)
    Array.init n (fun _ -> Array.init width (fun c -> scale * (r.NextDouble() * 2.0 - 1.0) + float c))

/// Features [n, 2], one condition column, signed weights (an sWeight-like sample).
let private data () =
    let x = rows 1 96 2 1.0
    let y = rows 2 96 1 0.5
    let r = Random(3)
    let w = Array.init 96 (fun _ -> 1.4 * r.NextDouble() - 0.2)
    x, y, w

let private losses (h: TrainingHistory) =
    [
        for s in h.Steps do
            for kv in s.Losses |> Seq.sortBy (fun kv -> kv.Key) -> s.Step, kv.Key, kv.Value
    ]

let private evaluations (h: TrainingHistory) =
    [
        for e in h.Evaluations -> e.Step, e.EnergyDistance, e.RefereeAuc, e.HeldOutMetric
    ]

/// Trains and samples with the current backend; the history and the samples must not depend on it.
type private Run = unit -> TrainingHistory * float[][]

let private compare (name: string) (run: Run) =
    testList
        name
        [
            for (bname, make) in BackendCombos.others ->
                testCase bname (fun () ->
                    let h0, s0 = BackendCombos.withBackend (ManagedBackend()) run
                    let backend = make ()
                    let h1, s1 = BackendCombos.withBackend backend run
                    let l0, l1 = losses h0, losses h1
                    let e0, e1 = evaluations h0, evaluations h1

                    match backend with
                    | :? CheckedHostBackend.CheckedHostBackend as c ->
                        Expect.isGreaterThan
                            c.Released
                            0L
                            "the training's scopes handed buffers back to the checked backend"
                    | _ -> ()

                    Expect.isNonEmpty l0 "the managed run recorded losses"
                    Expect.equal l1 l0 (sprintf "%s: loss history on %s equals managed" name bname)
                    Expect.equal e1 e0 (sprintf "%s: held-out evaluations on %s equal managed" name bname)
                    Expect.equal s1 s0 (sprintf "%s: samples on %s equal managed" name bname))
        ]

let private cond = [| [| 0.1 |]; [| -0.3 |]; [| 0.4 |]; [| 0.0 |] |]

let private gan (loss: GanLoss) (referee: bool) () =
    let x, y, w = data ()

    let o =
        GanOptions(
            Loss = loss,
            LatentSize = 3,
            GeneratorLayers = [| 8 |],
            CriticLayers = [| 8 |],
            CriticOutputSize = 3,
            CriticSteps = 2,
            BatchSize = 32,
            Steps = 3,
            Seed = 5UL,
            Referee = referee,
            HeldOutFraction = 0.25,
            EvaluateEvery = 2,
            LrSchedule = LrScheduleKind.Exponential,
            NegativeWeights = NegativeWeightStrategy.Raw
        )

    let r = GanTrainer.Train(x, y, w, o)
    r.History, r.Model.Sample(cond, 7)

let private flow () =
    let x, y, w = data ()

    let o =
        FlowOptions(
            Layers = 2,
            HiddenLayers = [| 8 |],
            Bins = 4,
            Steps = 3,
            BatchSize = 32,
            GradientClip = 0.5f,
            HeldOutFraction = 0.25,
            EvaluateEvery = 2,
            Seed = 5UL,
            NegativeWeights = NegativeWeightStrategy.Clip
        )

    let r = FlowTrainer.Train(x, y, w, o)
    r.History, r.Model.Sample(cond, 7)

let private vae () =
    let x, y, w = data ()

    let o =
        VaeOptions(
            LatentSize = 2,
            EncoderLayers = [| 8 |],
            DecoderLayers = [| 8 |],
            Steps = 3,
            BatchSize = 32,
            HeldOutFraction = 0.25,
            EvaluateEvery = 2,
            Seed = 5UL,
            NegativeWeights = NegativeWeightStrategy.Clip
        )

    let r = VaeTrainer.Train(x, y, w, o)
    r.History, r.Model.Sample(cond, 7)

let private cfm () =
    let x, y, w = data ()

    let o =
        FlowMatchingOptions(
            Layers = [| 8 |],
            Steps = 3,
            BatchSize = 32,
            EmaDecay = 0.9f,
            OdeSteps = 4,
            EvaluationOdeSteps = 4,
            HeldOutFraction = 0.25,
            EvaluateEvery = 2,
            Seed = 5UL,
            NegativeWeights = NegativeWeightStrategy.Clip
        )

    let r = FlowMatchingTrainer.Train(x, y, w, o)
    r.History, r.Model.Sample(cond, 7)

let private convGan () =
    let images, c = GenStats.Tests.Models.ConvGanTests.blobs (Random(3)) 24 8 8

    let r =
        ConvGanTrainer.Train(images, 8, 8, c, null, ConvGanTests.tinyOptions, [| "e" |])

    r.History, r.Model.Sample([| [| 2.0 |]; [| 4.0 |] |], 5)

[<Tests>]
let tests =
    testList
        "Models.Backends"
        [
            compare "Cramér GAN with signed weights, penalty and held-out evaluation" (gan GanLoss.Cramer false)
            compare "WGAN with weight clipping and the referee" (gan GanLoss.Wgan true)
            compare "spline flow with gradient clipping" flow
            compare "VAE" vae
            compare "flow matching with parameter averaging" cfm
            compare "conv GAN (BatchNorm, EMA, regressor)" convGan
        ]
