/// Conditional flow matching: learns a conditional Gaussian, resumes bit-identically, saves and
/// loads exactly, fails clearly on bad input.
module GenStats.Tests.Models.FlowMatchingTests

open Expecto
open System
open System.IO
open GenStats.Models
open GenStats.Models.Files
open GenStats.Tests.Models.GanToys
open GenStats.Tests.Expectations

let private small steps =
    FlowMatchingOptions(Layers = [| 32; 32 |], Steps = steps, BatchSize = 128, Seed = 3UL, EvaluateEvery = 0)

let ``learns a conditional Gaussian whose mean and width depend on y`` () =
    // x | y ~ N(1 + 2y, (0.3 + 0.7y)²), y ~ U(0, 1)
    let rnd = Random(31)
    let n = 10000
    let y = Array.init n (fun _ -> rnd.NextDouble())
    let z = normals rnd n
    let x = Array.init n (fun i -> 1.0 + 2.0 * y[i] + (0.3 + 0.7 * y[i]) * z[i])

    let model =
        (FlowMatchingTrainer.Train(
            rows x,
            rows y,
            null,
            // 800 steps: with the default late t (density 3t²) the start of the path gets few
            // samples in so short a run (width at y = 0.1 off by 15.5 %), so this test draws t uniformly
            FlowMatchingOptions(Layers = [| 32; 32 |], Steps = 800, Seed = 2UL, TimeSampling = TimeSampling.Uniform)
        ))
            .Model

    for yv in [ 0.1; 0.5; 0.9 ] do
        let g = model.Sample(Array.create 2000 [| yv |], 3) |> Array.map (fun r -> r[0])
        let mu, sigma = 1.0 + 2.0 * yv, 0.3 + 0.7 * yv
        // σ of the mean of 2 000 draws is 0.022σ: the bounds are the model's misfit after 800 steps
        Expect.isLessThan
            (abs (mean g - mu))
            (0.1 * sigma + 0.03)
            (sprintf "mean at y=%.1f: %.3f vs %.3f" yv (mean g) mu)

        Expect.isLessThan (abs (sd g / sigma - 1.0)) 0.15 (sprintf "width at y=%.1f: %.3f vs %.3f" yv (sd g) sigma)

let private parameters (m: ConditionalFlowMatching) =
    m.Parameters() |> Seq.map (fun p -> p.Tensor.ToArray()) |> Array.ofSeq

/// Cancels the run synchronously once `at` steps are reported.
type private CancelAt(at: int64, cts: Threading.CancellationTokenSource) =
    interface IProgress<TrainingProgress> with
        member _.Report p =
            if p.Step = at then
                cts.Cancel()

let ``resume from a checkpoint gives the same parameters as an uninterrupted run`` () =
    let rnd = Random(8)
    let x = normals rnd 2000
    let y = Array.init 2000 (fun _ -> rnd.NextDouble())
    let w = Array.init 2000 (fun _ -> 0.5 + rnd.NextDouble())

    let path =
        Path.Combine(Path.GetTempPath(), sprintf "cfm-resume-%d.gsp" Environment.ProcessId)

    let opts (cp: string) =
        FlowMatchingOptions(
            Layers = [| 16 |],
            Steps = 12,
            BatchSize = 64,
            Seed = 5UL,
            EvaluateEvery = 4,
            EvaluationOdeSteps = 4,
            MaxHeldOut = 100,
            CheckpointPath = cp
        )

    let full = FlowMatchingTrainer.Train(rows x, rows y, w, opts null)

    try
        use cts = new Threading.CancellationTokenSource()

        raises<OperationCanceledException> "cancelled at step 5" (fun () ->
            FlowMatchingTrainer.Train(rows x, rows y, w, opts path, CancelAt(5L, cts), cts.Token)
            |> ignore)
        |> ignore

        Expect.equal (GenStats.Nn.ParameterFile.Load(path).Metadata["step"]) "5" "checkpoint step"
        let resumed = FlowMatchingTrainer.Resume(path, rows x, rows y, w)
        Expect.isTrue (parameters resumed.Model = parameters full.Model) "kept network bit-identical"
        Expect.equal resumed.SelectedStep full.SelectedStep "selected step"

        let eds (h: TrainingHistory) =
            h.Evaluations |> Seq.map (fun e -> e.EnergyDistance) |> Array.ofSeq

        Expect.isTrue (eds resumed.History = eds full.History) "evaluations"
        Expect.equal resumed.History.Steps.Count 12 "steps in the history"

        raises<InvalidDataException> "other data" (fun () ->
            FlowMatchingTrainer.Resume(path, rows (Array.map ((+) 1.0) x), rows y, w)
            |> ignore)
        |> ignore

        raises<InvalidDataException> "a VAE reader" (fun () -> VaeTrainer.Resume(path, rows x, rows y, w) |> ignore)
        |> ignore
    finally
        File.Delete path

let ``the model file round trip samples the same events`` () =
    let rnd = Random(9)
    let x = Array.init 1000 (fun _ -> [| rnd.NextDouble(); 3.0 * rnd.NextDouble() |])
    let y = Array.init 1000 (fun _ -> [| rnd.NextDouble() |])

    let model =
        (FlowMatchingTrainer.Train(x, y, null, small 30, featureNames = [| "a"; "b" |], conditionNames = [| "c" |]))
            .Model

    let path =
        Path.Combine(Path.GetTempPath(), sprintf "cfm-file-%d.gsm" Environment.ProcessId)

    try
        ModelFile.Save(path, model)

        match ModelFile.Load path with
        | :? ConditionalFlowMatching as back ->
            Expect.equal back.ModelType "cfm" "type"
            Expect.sequenceEqual back.FeatureNames [ "a"; "b" ] "feature names"
            Expect.sequenceEqual back.ConditionNames [ "c" ] "condition names"
            let c = Array.init 50 (fun i -> [| float i / 50.0 |])
            Expect.equal (back.Sample(c, 4)) (model.Sample(c, 4)) "same samples after the round trip"

            Expect.equal
                (back.Sample(c, 4, OdeMethod.Rk4, 5))
                (model.Sample(c, 4, OdeMethod.Rk4, 5))
                "same with another solver"

            Expect.isTrue (back.History <> null && back.History.Steps.Count = 30) "history kept"
        | other -> failtestf "loaded %s" (other.GetType().Name)
    finally
        File.Delete path

let ``the path times follow their laws`` () =
    let n = 20000

    let u =
        TimeSampler.Draw(TimeSampling.Uniform, GenStats.Tensors.Rng(4UL), n)
        |> Array.map float

    let l =
        TimeSampler.Draw(TimeSampling.LogitNormal, GenStats.Tensors.Rng(4UL), n)
        |> Array.map float

    let late =
        TimeSampler.Draw(TimeSampling.Late, GenStats.Tensors.Rng(4UL), n)
        |> Array.map float

    Expect.isTrue (Array.forall (fun t -> t >= 0.0 && t <= 1.0) (Array.concat [ u; l; late ])) "every t in [0, 1]"
    // late: t = u^(1/3) has density 3t², mean 3/4 and variance 3/80 (σ of the mean 0.0014, of the
    // variance 0.0003), and t³ ~ U(0, 1)
    Expect.isLessThan (abs (mean late - 0.75)) 0.01 "late mean"
    Expect.isLessThan (abs (sd late * sd late - 3.0 / 80.0)) 0.002 "late variance"
    Expect.isLessThan (abs (mean (late |> Array.map (fun t -> t * t * t)) - 0.5)) 0.01 "late: t³ is uniform"
    Expect.equal (FlowMatchingOptions().TimeSampling) TimeSampling.Late "the default"
    // U(0, 1): mean 1/2 and variance 1/12; σ of the mean of 20 000 draws is 0.002, 5σ bounds
    Expect.isLessThan (abs (mean u - 0.5)) 0.01 "uniform mean"
    Expect.isLessThan (abs (sd u * sd u - 1.0 / 12.0)) 0.003 "uniform variance"
    // logit(t) ~ N(0, 1): mean 0 (σ 0.007) and sd 1 (σ 0.005), 5σ bounds
    let z = l |> Array.map (fun t -> log (t / (1.0 - t)))
    Expect.isLessThan (abs (mean z)) 0.035 "logit-normal: mean of logit t"
    Expect.isLessThan (abs (sd z - 1.0)) 0.025 "logit-normal: sd of logit t"

let ``the last network is kept by default and early stopping works without keepBest`` () =
    let rnd = Random(12)
    let x = normals rnd 600 |> rows

    let o =
        FlowMatchingOptions(Layers = [| 8 |], Steps = 60, BatchSize = 64, EvaluateEvery = 2, EvaluationOdeSteps = 2)

    let plain = FlowMatchingTrainer.Train(x, null, null, o)
    Expect.isFalse o.KeepBest "keepBest is off by default"
    Expect.equal plain.SelectedStep 60L "the last step's network is kept"
    Expect.equal plain.Model.History.SelectedStep (Nullable 60L) "and recorded in the model's history"
    // patience 1: the run ends at the first evaluation that does not lower the energy distance
    let early =
        FlowMatchingTrainer.Train(
            x,
            null,
            null,
            FlowMatchingOptions(
                Layers = [| 8 |],
                Steps = 60,
                BatchSize = 64,
                EvaluateEvery = 2,
                EvaluationOdeSteps = 2,
                EarlyStoppingPatience = 1
            )
        )

    let eds =
        early.History.Evaluations |> Seq.map (fun e -> e.EnergyDistance) |> Array.ofSeq

    Expect.isTrue early.StoppedEarly "stopped early"
    Expect.isLessThan early.Steps 60L "before the planned steps"

    Expect.isGreaterThanOrEqual
        eds[eds.Length - 1]
        (Array.min eds[.. eds.Length - 2])
        "the last evaluation did not improve"

    Expect.equal early.SelectedStep early.Steps "still the last network"

let ``bad options and input give clear errors`` () =
    let ok = Array.init 20 (fun i -> [| float i |])

    let check (o: FlowMatchingOptions) (part: string) =
        let ex =
            raises<ArgumentException> part (fun () -> FlowMatchingTrainer.Train(ok, null, null, o) |> ignore)

        contains part ex.Message "message"

    check (FlowMatchingOptions(OdeSteps = 0)) "OdeSteps is 0"
    check (FlowMatchingOptions(SigmaMin = 1.0f)) "SigmaMin is 1"
    check (FlowMatchingOptions(NegativeWeights = NegativeWeightStrategy.Regress)) "only available for GANs"
    check (FlowMatchingOptions(EmaDecay = 1.0f)) "EmaDecay is 1"
    check (FlowMatchingOptions(TimeSampling = enum<TimeSampling> 7)) "TimeSampling is 7"
    let model = (FlowMatchingTrainer.Train(ok, null, null, small 2)).Model

    let ex =
        raises<ArgumentException> "0 ODE steps" (fun () -> model.Sample(5, 1, OdeMethod.Euler, 0) |> ignore)

    contains "at least 1 ODE step" ex.Message "message"

    raises<InvalidOperationException> "conditions for an unconditional model" (fun () ->
        (FlowMatchingTrainer.Train(ok, ok, null, small 2)).Model.Sample(5, 1) |> ignore)
    |> ignore

[<Tests>]
let tests =
    testList
        "Models.FlowMatching"
        [
            testCase
                "resume from a checkpoint gives the same parameters as an uninterrupted run"
                ``resume from a checkpoint gives the same parameters as an uninterrupted run``
            testCase
                "the model file round trip samples the same events"
                ``the model file round trip samples the same events``
            testCase "bad options and input give clear errors" ``bad options and input give clear errors``
            testCase
                "the path times follow their laws (late, uniform, logit-normal)"
                ``the path times follow their laws``
            testCase
                "the last network is kept by default and early stopping works without keepBest"
                ``the last network is kept by default and early stopping works without keepBest``
            GenStats.Tests.TestMain.slow
                [
                    testCase
                        "learns a conditional Gaussian whose mean and width depend on y"
                        ``learns a conditional Gaussian whose mean and width depend on y``
                ]
        ]
