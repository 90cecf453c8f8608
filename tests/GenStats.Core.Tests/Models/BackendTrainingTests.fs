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

/// |a − b| ≤ rtol·(1 + |b|) element by element (NaN only where the reference is NaN).
let private close (rtol: float) (what: string) (actual: float seq) (expected: float seq) =
    let a, e = Array.ofSeq actual, Array.ofSeq expected
    Expect.equal a.Length e.Length (what + ": lengths")

    for i in 0 .. a.Length - 1 do
        if Double.IsNaN e[i] then
            Expect.isTrue (Double.IsNaN a[i]) (sprintf "%s[%d]: NaN expected" what i)
        else
            Expect.isLessThanOrEqual (abs (a[i] - e[i])) (rtol * (1.0 + abs e[i])) (sprintf "%s[%d]" what i)

/// The training on every other backend against managed. `rtol` = 0: bit-identical everywhere; > 0:
/// the losses stay bit-identical and the held-out evaluations and samples agree within rtol (the
/// flow's no-grad evaluation and sampling use the managed backend's fused spline kernel, which
/// agrees with the tensor-op spline to 1e-5 in values, not bit for bit).
let private compareWithin (rtol: float) (name: string) (run: Run) =
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

                    if rtol = 0.0 then
                        Expect.equal e1 e0 (sprintf "%s: held-out evaluations on %s equal managed" name bname)
                        Expect.equal s1 s0 (sprintf "%s: samples on %s equal managed" name bname)
                    else
                        let numbers (evals: (int64 * float * Nullable<float> * Nullable<float>) list) =
                            evals
                            |> Seq.collect (fun (st, ed, _, h: Nullable<float>) ->
                                [ float st; ed; (if h.HasValue then h.Value else nan) ])

                        Expect.equal
                            (e1 |> List.map (fun (st, _, auc, _) -> st, auc))
                            (e0 |> List.map (fun (st, _, auc, _) -> st, auc))
                            (sprintf "%s: evaluation steps on %s" name bname)

                        close rtol (sprintf "%s: held-out evaluations on %s" name bname) (numbers e1) (numbers e0)
                        close rtol (sprintf "%s: samples on %s" name bname) (Seq.concat s1) (Seq.concat s0))
        ]

let private compare name run = compareWithin 0.0 name run

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
            compareWithin 1e-5 "spline flow with gradient clipping" flow
            compare "VAE" vae
            compare "flow matching with parameter averaging" cfm
            compare "conv GAN (BatchNorm, EMA, regressor)" convGan
        ]
