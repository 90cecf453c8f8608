/// The GAN trainer: it learns seeded toys (mixture without mode collapse, a conditional Gaussian,
/// a signal extracted by sideband-subtraction weights), keeps its invariants (WGAN clipping,
/// resume = uninterrupted run) and stops with clear errors on bad data and diverging losses.
module GenStats.Tests.Models.GanTrainingTests

open Expecto
open System
open System.IO
open GenStats.Tensors
open GenStats.Models
open GenStats.Tests.Models.GanToys
open GenStats.Tests
open GenStats.Tests.Expectations

/// Small networks for the behavioural tests (F# cannot use C#'s `with` on records, so options are built here).
type private Opt =
    static member Small
        (
            ?loss,
            ?steps,
            ?referee,
            ?heldOut,
            ?evaluateEvery,
            ?schedule,
            ?gamma,
            ?negative,
            ?regressorSteps,
            ?batch,
            ?transform,
            ?clip,
            ?criticLr,
            ?checkpoint,
            ?checkpointEvery
        ) =
        GanOptions(
            Loss = defaultArg loss GanLoss.Cramer,
            LatentSize = 4,
            GeneratorLayers = [| 16 |],
            CriticLayers = [| 16 |],
            CriticOutputSize = 4,
            CriticSteps = 2,
            BatchSize = defaultArg batch 64,
            Steps = defaultArg steps 10,
            Seed = 11UL,
            Optimizer = OptimizerKind.Adam,
            GeneratorLearningRate = 1e-3f,
            CriticLearningRate = defaultArg criticLr 1e-3f,
            Referee = defaultArg referee false,
            HeldOutFraction = defaultArg heldOut 0.0,
            EvaluateEvery = defaultArg evaluateEvery 0,
            LrSchedule = defaultArg schedule LrScheduleKind.Constant,
            LrGamma = defaultArg gamma 0.999f,
            NegativeWeights = defaultArg negative NegativeWeightStrategy.Raw,
            WeightRegressorSteps = defaultArg regressorSteps 100,
            FeatureTransform = defaultArg transform GenStats.Data.TransformKind.Standard,
            ClipValue = defaultArg clip 0.01f,
            CheckpointPath = defaultArg checkpoint null,
            CheckpointEvery = defaultArg checkpointEvery 0
        )

    /// LSGAN, 2×64 ReLU, Adam 2e-3 with cosine decay, 1500 generator steps of batch 256.
    static member Toy(?transform) =
        GanOptions(
            Loss = GanLoss.LeastSquares,
            LatentSize = 4,
            GeneratorLayers = [| 64; 64 |],
            CriticLayers = [| 64; 64 |],
            CriticSteps = 1,
            Optimizer = OptimizerKind.Adam,
            GeneratorLearningRate = 2e-3f,
            CriticLearningRate = 2e-3f,
            LrSchedule = LrScheduleKind.Cosine,
            BatchSize = 256,
            Steps = 1500,
            Seed = 3UL,
            FeatureTransform = defaultArg transform GenStats.Data.TransformKind.Standard
        )

let private small = Opt.Small()

let ``learns the 1-D mixture ½(N(−4,1) + N(4,1)) without mode collapse`` () =
    let rnd = Random(5)
    let data = mixture rnd 20000 |> rows
    let model = (GanTrainer.Train(data, null, null, Opt.Toy())).Model
    let n = 2000
    let g = model.Sample(n, 7) |> Array.map (fun r -> r[0])
    // both modes within 3σ of ½ (σ = √(¼/n) for a fraction of n independent draws)
    let frac = float (g |> Array.filter (fun v -> v > 0.0) |> Array.length) / float n

    Expect.isLessThan
        (abs (frac - 0.5))
        (3.0 * sqrt (0.25 / float n))
        (sprintf "fraction in the positive mode %.3f" frac)
    // energy distance to a fresh truth sample within the truth's own spread: mean + 4 sd of truth-vs-truth distances
    let m, s = truthSpread (fun () -> mixture rnd n) 8
    let ed = energy g (mixture rnd n)
    Expect.isLessThan ed (m + 4.0 * s) (sprintf "energy distance %.4f vs truth spread %.4f ± %.4f" ed m s)

let ``learns a conditional Gaussian whose mean and width depend on y`` () =
    // x | y ~ N(1 + 2y, (0.3 + 0.7y)²), y ~ U(0, 1)
    let rnd = Random(21)
    let n = 20000
    let y = Array.init n (fun _ -> rnd.NextDouble())
    let z = normals rnd n
    let x = Array.init n (fun i -> 1.0 + 2.0 * y[i] + (0.3 + 0.7 * y[i]) * z[i])
    let model = (GanTrainer.Train(rows x, rows y, null, Opt.Toy())).Model

    for yv in [ 0.1; 0.5; 0.9 ] do
        let g = model.Sample(Array.create 2000 [| yv |], 3) |> Array.map (fun r -> r[0])
        let mu, sigma = 1.0 + 2.0 * yv, 0.3 + 0.7 * yv

        Expect.isLessThan
            (abs (mean g - mu))
            (0.15 * sigma + 0.05)
            (sprintf "mean at y=%.1f: %.3f vs %.3f" yv (mean g) mu)

        Expect.isLessThan (abs (sd g / sigma - 1.0)) 0.2 (sprintf "width at y=%.1f: %.3f vs %.3f" yv (sd g) sigma)

/// Signal N(0, 1) (weight 1) + background U(−4, 4) in the "signal region" (weight +1) + an equal,
/// independent background sample from the "sideband" (weight −1): the weighted density is the signal.
let private sidebandSample seed =
    let rnd = Random(seed: int)
    let ns, nb = 6000, 6000
    let s = normals rnd ns
    let b1 = Array.init nb (fun _ -> -4.0 + 8.0 * rnd.NextDouble())
    let b2 = Array.init nb (fun _ -> -4.0 + 8.0 * rnd.NextDouble())
    Array.concat [ s; b1; b2 ], Array.concat [ Array.create ns 1.0; Array.create nb 1.0; Array.create nb -1.0 ]

let ``sideband-subtraction weights make the GAN reproduce the pure signal`` () =
    let x, w = sidebandSample 9

    let model =
        (GanTrainer.Train(rows x, null, w, Opt.Toy(transform = GenStats.Data.TransformKind.Identity))).Model

    let g = model.Sample(4000, 5) |> Array.map (fun r -> r[0])
    // the signal-region events alone (weights ignored) have sd √(½·1 + ½·16/3) ≈ 1.78
    Expect.isLessThan (abs (mean g)) 0.15 (sprintf "mean %.3f" (mean g))
    Expect.isLessThan (abs (sd g - 1.0)) 0.15 (sprintf "sd %.3f (signal 1, unweighted mixture 1.78)" (sd g))

let ``the regressed weight strategy estimates E[w | x] and is non-negative`` () =
    let x, w = sidebandSample 4

    let o =
        Opt.Small(
            negative = NegativeWeightStrategy.Regress,
            regressorSteps = 1500,
            batch = 256,
            transform = GenStats.Data.TransformKind.Identity
        )

    let t = GanTrainer.Create(rows x, null, w, o)
    let r = t.EffectiveWeights |> Seq.map float |> Array.ofSeq
    Expect.isTrue (r |> Array.forall (fun v -> v >= 0.0)) "all regressed weights ≥ 0"
    // E[w | x] = s(x)/(s(x) + 2b(x)) with s = 6000·φ(x), b = 6000/8 per unit x
    let expected xv =
        let s = exp (-xv * xv / 2.0) / sqrt (2.0 * Math.PI) in s / (s + 2.0 / 8.0)

    for xv in [ -2.0; -1.0; 0.0; 1.0; 2.0; 3.0 ] do
        let near =
            Array.zip x r
            |> Array.filter (fun (a, _) -> abs (a - xv) < 0.1)
            |> Array.map snd

        Expect.isLessThan
            (abs (Array.average near - expected xv))
            0.1
            (sprintf "E[w|x=%.0f]: %.3f vs %.3f" xv (Array.average near) (expected xv))
    // and the weighted total is kept within a few per cent
    Expect.floatClose { absolute = 0.05; relative = 0.0 } (Array.sum r / Array.sum w) 1.0 "Array.sum r / Array.sum w"

let ``clipped weight strategy uses max(w, 0)`` () =
    let x, w = sidebandSample 2

    let t =
        GanTrainer.Create(rows x, null, w, Opt.Small(negative = NegativeWeightStrategy.Clip))

    Expect.isTrue
        ((t.EffectiveWeights |> Seq.map float |> Array.ofSeq) = (w |> Array.map (max 0.0)))
        "(t.EffectiveWeights |> Seq.map float |> Array.ofSeq) = (w |> Array...."

let ``WGAN weight clipping keeps every critic parameter inside [−c, c]`` () =
    let rnd = Random(1)
    let data = mixture rnd 2000 |> rows
    let c = 0.01f
    // a large learning rate pushes parameters far beyond c at every step unless they are clipped
    let t =
        GanTrainer.Create(data, null, null, Opt.Small(loss = GanLoss.Wgan, clip = c, criticLr = 0.5f, steps = 20))

    t.Run() |> ignore
    let all = t.Critic.Parameters() |> Seq.collect (fun p -> p.ToArray()) |> Array.ofSeq

    Expect.isTrue
        (all |> Array.forall (fun v -> v >= -c && v <= c))
        (sprintf "max |w| = %g" (all |> Array.map abs |> Array.max))

    Expect.isTrue
        (all |> Array.exists (fun v -> abs v = c))
        "some parameter sits at the clip value (the clip was active)"

let private paramsOf (m: GenStats.Nn.Module) =
    m.Parameters() |> Seq.map (fun p -> p.ToArray()) |> Array.ofSeq

let ``resume from a checkpoint gives the same parameters as an uninterrupted run`` () =
    let rnd = Random(8)
    let x = mixture rnd 3000
    let y = Array.init 3000 (fun _ -> rnd.NextDouble())
    let w = Array.init 3000 (fun _ -> 0.5 + rnd.NextDouble())

    for loss in [ GanLoss.Cramer; GanLoss.WganGp ] do
        let o =
            Opt.Small(
                loss = loss,
                steps = 12,
                referee = true,
                heldOut = 0.1,
                evaluateEvery = 4,
                schedule = LrScheduleKind.Exponential,
                gamma = 0.9f
            )

        let full = GanTrainer.Create(rows x, rows y, w, o)
        full.Run() |> ignore

        let path =
            Path.Combine(Path.GetTempPath(), sprintf "gan-resume-%A-%d.gsp" loss (Environment.ProcessId))

        try
            let first = GanTrainer.Create(rows x, rows y, w, o)
            first.RunTo(5L) |> ignore
            first.SaveCheckpoint path
            let resumed = GanTrainer.Open(path, rows x, rows y, w)
            Expect.equal resumed.Step 5L "resumed.Step"
            resumed.Run() |> ignore
            Expect.isTrue (paramsOf resumed.Generator = paramsOf full.Generator) (sprintf "%A generator" loss)
            Expect.isTrue (paramsOf resumed.Critic = paramsOf full.Critic) (sprintf "%A critic" loss)
            Expect.equal resumed.History.Steps.Count 12 "resumed.History.Steps.Count"

            let eds (t: GanTrainer) =
                t.History.Evaluations |> Seq.map (fun e -> e.EnergyDistance) |> Array.ofSeq

            Expect.isTrue (eds resumed = eds full) "evaluations"

            Expect.isTrue
                (full.History.Evaluations
                 |> Seq.forall (fun e -> e.RefereeAuc.Value >= 0.0 && e.RefereeAuc.Value <= 1.0))
                "full.History.Evaluations |> Seq.forall (fun e -> e.RefereeAuc.Value..."
            // a different data set is refused
            let ex =
                raises<InvalidDataException>
                    "GanTrainer.Resume(path, rows (Array.map ((+) 1.0) x), rows y, w) |>..."
                    (fun () -> GanTrainer.Resume(path, rows (Array.map ((+) 1.0) x), rows y, w) |> ignore)

            contains "fingerprint" ex.Message "ex.Message"
        finally
            File.Delete path

let ``a saved model loads and samples the same values`` () =
    let rnd = Random(3)
    let x, y = mixture rnd 500, Array.init 500 (fun _ -> rnd.NextDouble())
    let model = (GanTrainer.Train(rows x, rows y, null, small)).Model

    let path =
        Path.Combine(Path.GetTempPath(), sprintf "gan-model-%d.gsm" Environment.ProcessId)

    try
        model.Save path
        let back = ConditionalGan.Load path
        let cond = Array.init 100 (fun i -> [| float i / 100.0 |])
        Expect.isTrue (back.Sample(cond, 4) = model.Sample(cond, 4)) "same samples"
        Expect.isTrue (List.ofSeq back.FeatureNames = [ "x0" ]) "names"

        raises<InvalidOperationException> "back.Sample(10, 1) |> ignore" (fun () -> back.Sample(10, 1) |> ignore)
        |> ignore
        // one flipped byte → InvalidDataException
        let bytes = File.ReadAllBytes path
        bytes[bytes.Length / 2] <- bytes[bytes.Length / 2] ^^^ 1uy
        File.WriteAllBytes(path, bytes)

        raises<InvalidDataException> "ConditionalGan.Load path |> ignore" (fun () -> ConditionalGan.Load path |> ignore)
        |> ignore
    finally
        File.Delete path

let ``NaN in the data gives an ArgumentException naming the event`` () =
    let data = Array.init 10 (fun i -> [| float i; 1.0 |])
    data[3][1] <- nan

    let ex =
        raises<ArgumentException> "GanTrainer.Create(data, null, null, small) |> ignore" (fun () ->
            GanTrainer.Create(data, null, null, small) |> ignore)

    contains "features[3][1] is NaN" ex.Message "ex.Message"
    let w = Array.create 10 1.0
    w[2] <- infinity

    raises<ArgumentException> "GanTrainer.Create(Array.init 10 (fun i -> [| float i |]), null, w, ..." (fun () ->
        GanTrainer.Create(Array.init 10 (fun i -> [| float i |]), null, w, small)
        |> ignore)
    |> ignore

let ``a batch whose weights sum to ≤ 0 stops training with a clear error`` () =
    // one event of weight +1000 and 1000 of weight −0.5: Σw = 500 > 0, but most batches of 64 miss the positive one
    let x = Array.init 1001 (fun i -> [| float i |])
    let w = Array.init 1001 (fun i -> if i = 0 then 1000.0 else -0.5)
    let t = GanTrainer.Create(x, null, w, Opt.Small(steps = 50))

    let ex =
        raises<TrainingStoppedException> "t.Run() |> ignore" (fun () -> t.Run() |> ignore)

    Expect.equal ex.Reason StopReason.NonPositiveBatchWeight "ex.Reason"
    contains "sum to" ex.Message "ex.Message"
    // all-negative weights are refused up front
    raises<ArgumentException> "GanTrainer.Create(x, null, Array.create 1001 -1.0, small) |> ignore" (fun () ->
        GanTrainer.Create(x, null, Array.create 1001 -1.0, small) |> ignore)
    |> ignore

let ``a NaN loss stops training and keeps the last good checkpoint`` () =
    let rnd = Random(2)
    let data = mixture rnd 1000 |> rows

    let path =
        Path.Combine(Path.GetTempPath(), sprintf "gan-nan-%d.gsp" Environment.ProcessId)

    let mutable calls = 0
    // the statistic turns NaN from its 4th call on (2 calls per generator step: real and generated)
    let stat =
        Func<Tensor, Tensor, Tensor>(fun x _ ->
            calls <- calls + 1
            if calls > 6 then Ops.Log(Ops.Affine(x, 0f, -1f)) else x)

    try
        let t =
            GanTrainer.Create(
                data,
                null,
                null,
                Opt.Small(checkpoint = path, checkpointEvery = 1, steps = 10),
                AuxiliaryStatistic(stat, 1f)
            )

        let ex =
            raises<TrainingStoppedException> "t.Run() |> ignore" (fun () -> t.Run() |> ignore)

        Expect.equal ex.Reason StopReason.NonFiniteLoss "ex.Reason"
        Expect.equal ex.Step 4L "ex.Step"
        contains "generator loss is NaN" ex.Message "ex.Message"
        contains path ex.Message "ex.Message"

        let resumed =
            GanTrainer.Open(path, data, null, null, AuxiliaryStatistic(Func<_, _, _>(fun x _ -> x), 1f))

        Expect.equal resumed.Step 3L "resumed.Step"
    finally
        File.Delete path

let ``the auxiliary statistic term is logged and cancellation is honoured`` () =
    let rnd = Random(6)
    let data = mixture rnd 1000 |> rows

    for dist in [ StatisticDistance.Mmd; StatisticDistance.Energy ] do
        let aux =
            AuxiliaryStatistic(Func<_, _, _>(fun x _ -> Ops.Square x), 0.5f, Distance = dist, Name = "x2")

        let r = GanTrainer.Train(data, null, null, Opt.Small(steps = 3), aux)

        Expect.isTrue
            (r.History.Steps
             |> Seq.forall (fun s -> s.Losses.ContainsKey "x2" && s.Losses["x2"] > -1e-3))
            "r.History.Steps |> Seq.forall (fun s -> s.Losses.ContainsKey \"x2\" &..."

        Expect.isTrue (r.History.Steps |> Seq.forall (fun s -> s.BatchEss = 64.0)) "unit weights: ESS = batch size"
    // A constant statistic has distance 0 between any two batches, exactly (energy: 2E|X−Y| −
    // E|X−X'| − E|Y−Y'| with every |·| = 0; MMD with a fixed bandwidth: k ≡ 1, so 1 + 1 − 2 = 0), and
    // it adds no gradient: the generator trained with it equals the one trained without it.
    let plain =
        (GanTrainer.Train(data, null, null, Opt.Small(steps = 3))).Model.Sample(50, 9)

    for dist in [ StatisticDistance.Mmd; StatisticDistance.Energy ] do
        let constant =
            AuxiliaryStatistic(
                Func<_, _, _>(fun x _ -> Ops.Affine(x, 0f, 1f)),
                0.5f,
                Distance = dist,
                Bandwidth = 1f,
                Name = "c"
            )

        let r = GanTrainer.Train(data, null, null, Opt.Small(steps = 3), constant)

        Expect.isTrue
            (r.History.Steps |> Seq.forall (fun s -> abs s.Losses["c"] < 1e-6))
            (sprintf "%A: a constant statistic logs 0" dist)

        Expect.equal (r.Model.Sample(50, 9)) plain (sprintf "%A: a constant statistic leaves training unchanged" dist)
    // A statistic that differs between real and generated batches changes the generator's steps,
    // in proportion to its weight: weight 0 is plain training, weight 0.5 is not.
    let x2 w =
        AuxiliaryStatistic(Func<_, _, _>(fun x _ -> Ops.Square x), w, Distance = StatisticDistance.Energy, Name = "x2")

    Expect.equal
        ((GanTrainer.Train(data, null, null, Opt.Small(steps = 3), x2 0f)).Model.Sample(50, 9))
        plain
        "weight 0: plain training"

    let weighted = GanTrainer.Train(data, null, null, Opt.Small(steps = 3), x2 0.5f)

    Expect.isTrue
        (weighted.History.Steps |> Seq.forall (fun s -> s.Losses["x2"] > 0.0))
        "x² of generated and real batches differ: a positive distance"

    Expect.notEqual (weighted.Model.Sample(50, 9)) plain "weight 0.5: the term reaches the generator's gradient"
    use cts = new Threading.CancellationTokenSource()
    cts.Cancel()

    raises<OperationCanceledException>
        "GanTrainer.Create(data, null, null, small).Run(null, cts.Token) |> ..."
        (fun () -> GanTrainer.Create(data, null, null, small).Run(null, cts.Token) |> ignore)
    |> ignore

[<Tests>]
let tests =
    testList
        "Models.GanTraining"
        [
            testCase "clipped weight strategy uses max(w, 0)" ``clipped weight strategy uses max(w, 0)``
            testCase
                "WGAN weight clipping keeps every critic parameter inside [−c, c]"
                ``WGAN weight clipping keeps every critic parameter inside [−c, c]``
            testCase
                "resume from a checkpoint gives the same parameters as an uninterrupted run"
                ``resume from a checkpoint gives the same parameters as an uninterrupted run``
            testCase
                "a saved model loads and samples the same values"
                ``a saved model loads and samples the same values``
            testCase
                "NaN in the data gives an ArgumentException naming the event"
                ``NaN in the data gives an ArgumentException naming the event``
            testCase
                "a batch whose weights sum to ≤ 0 stops training with a clear error"
                ``a batch whose weights sum to ≤ 0 stops training with a clear error``
            testCase
                "a NaN loss stops training and keeps the last good checkpoint"
                ``a NaN loss stops training and keeps the last good checkpoint``
            testCase
                "the auxiliary statistic term is logged and cancellation is honoured"
                ``the auxiliary statistic term is logged and cancellation is honoured``
            TestMain.slow
                [
                    testCase
                        "learns the 1-D mixture ½(N(−4,1) + N(4,1)) without mode collapse"
                        ``learns the 1-D mixture ½(N(−4,1) + N(4,1)) without mode collapse``
                    testCase
                        "sideband-subtraction weights make the GAN reproduce the pure signal"
                        ``sideband-subtraction weights make the GAN reproduce the pure signal``
                    testCase
                        "learns a conditional Gaussian whose mean and width depend on y"
                        ``learns a conditional Gaussian whose mean and width depend on y``
                    testCase
                        "the regressed weight strategy estimates E[w | x] and is non-negative"
                        ``the regressed weight strategy estimates E[w | x] and is non-negative``
                ]
        ]
