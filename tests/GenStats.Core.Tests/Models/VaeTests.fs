/// The conditional VAE: learns a conditional Gaussian, its ELBO is a lower bound of the true
/// log-likelihood and close to it, it saves and loads exactly, and bad input fails clearly.
module GenStats.Tests.Models.VaeTests

open Expecto
open System
open System.IO
open GenStats.Models
open GenStats.Tests.Models.GanToys
open GenStats.Tests
open GenStats.Tests.Expectations

let private opts steps =
    VaeOptions(
        LatentSize = 2,
        EncoderLayers = [| 32; 32 |],
        DecoderLayers = [| 32; 32 |],
        LearningRate = 3e-3f,
        LrSchedule = LrScheduleKind.Cosine,
        Steps = steps,
        Seed = 2UL
    )

let ``learns a conditional Gaussian whose mean and width depend on y`` () =
    // x | y ~ N(1 + 2y, (0.3 + 0.7y)²), y ~ U(0, 1)
    let rnd = Random(21)
    let n = 20000
    let y = Array.init n (fun _ -> rnd.NextDouble())
    let z = normals rnd n
    let x = Array.init n (fun i -> 1.0 + 2.0 * y[i] + (0.3 + 0.7 * y[i]) * z[i])
    let model = (VaeTrainer.Train(rows x, rows y, null, opts 1500)).Model

    for yv in [ 0.1; 0.5; 0.9 ] do
        let g = model.Sample(Array.create 2000 [| yv |], 3) |> Array.map (fun r -> r[0])
        let mu, sigma = 1.0 + 2.0 * yv, 0.3 + 0.7 * yv

        Expect.isLessThan
            (abs (mean g - mu))
            (0.15 * sigma + 0.05)
            (sprintf "mean at y=%.1f: %.3f vs %.3f" yv (mean g) mu)

        Expect.isLessThan (abs (sd g / sigma - 1.0)) 0.2 (sprintf "width at y=%.1f: %.3f vs %.3f" yv (sd g) sigma)

let ``the held-out ELBO is a lower bound of the true log-likelihood and close to it`` () =
    // x ~ N(2, 0.5²): E log p(x) = −½ log(2πe·0.25) = −0.7258 nats; the ELBO (raw scale) must lie below it
    let rnd = Random(4)

    let draw n =
        normals rnd n |> Array.map (fun v -> [| 2.0 + 0.5 * v |])

    let o =
        VaeOptions(
            LatentSize = 2,
            // 2 × 32: a single layer of 16 stalls in a poor optimum on some seeds (measured gaps of
            // 0.9 and 0.5 nats at seeds 2 and 5); 2 × 32 comes within 0.1 nats at seeds 2, 5 and 6
            EncoderLayers = [| 32; 32 |],
            DecoderLayers = [| 32; 32 |],
            LearningRate = 3e-3f,
            LrSchedule = LrScheduleKind.Cosine,
            Steps = 1500,
            Seed = 2UL,
            // standardisation: an exact, smooth Jacobian; the quantile transform's piecewise-linear
            // density (1 000 quantiles) would add its own misfit to the gap this test bounds
            FeatureTransform = GenStats.Data.TransformKind.Standard
        )

    let model = (VaeTrainer.Train(draw 10000, null, null, o)).Model
    let test = draw 5000

    let logp =
        test
        |> Array.averageBy (fun r -> let u = (r[0] - 2.0) / 0.5 in -0.5 * u * u - log (0.5 * sqrt (2.0 * Math.PI)))

    let e = model.Elbo(test, null, null, 1)

    Expect.isLessThan
        e.PerEvent
        (logp + 3.0 * e.StandardError)
        (sprintf "ELBO %.4f ± %.4f vs log p %.4f" e.PerEvent e.StandardError logp)
    // after 1500 steps the gap (KL of the approximate posterior + decoder misfit) is below 0.35 nats
    Expect.isGreaterThan e.PerEvent (logp - 0.35) (sprintf "ELBO %.4f vs log p %.4f" e.PerEvent logp)

let ``a saved VAE loads and samples the same values; the history has an ELBO`` () =
    let rnd = Random(3)
    let x, y = normals rnd 600, Array.init 600 (fun _ -> rnd.NextDouble())

    let o =
        VaeOptions(
            LatentSize = 2,
            EncoderLayers = [| 8 |],
            DecoderLayers = [| 8 |],
            Steps = 20,
            HeldOutFraction = 0.2,
            EvaluateEvery = 10,
            LearnedVariance = false
        )

    let r = VaeTrainer.Train(rows x, rows y, null, o)
    Expect.equal r.History.Evaluations.Count 2 "r.History.Evaluations.Count"

    Expect.isTrue
        (r.History.Evaluations
         |> Seq.forall (fun e -> e.HeldOutMetric.HasValue && Double.IsFinite e.HeldOutMetric.Value))
        "r.History.Evaluations |> Seq.forall (fun e -> e.HeldOutMetric.HasVa..."

    let path =
        Path.Combine(Path.GetTempPath(), sprintf "vae-model-%d.gsm" Environment.ProcessId)

    try
        r.Model.Save path
        let back = ConditionalVae.Load path
        let cond = Array.init 50 (fun i -> [| float i / 50.0 |])
        Expect.isTrue (back.Sample(cond, 9) = r.Model.Sample(cond, 9)) "same samples"

        raises<InvalidDataException> "ConditionalGan.Load path |> ignore" (fun () -> ConditionalGan.Load path |> ignore)
        |> ignore
    finally
        File.Delete path

let ``bad VAE input gives clear errors`` () =
    let data = Array.init 10 (fun i -> [| float i |])
    data[4][0] <- infinity

    let ex =
        raises<ArgumentException> "VaeTrainer.Train(data, null, null, opts 1) |> ignore" (fun () ->
            VaeTrainer.Train(data, null, null, opts 1) |> ignore)

    contains "features[4][0]" ex.Message "ex.Message"
    let ok = Array.init 10 (fun i -> [| float i |])

    raises<ArgumentException> "VaeTrainer.Train(ok, null, null, VaeOptions(NegativeWeights = Negat..." (fun () ->
        VaeTrainer.Train(ok, null, null, VaeOptions(NegativeWeights = NegativeWeightStrategy.Regress))
        |> ignore)
    |> ignore

let private vaeParams (m: ConditionalVae) =
    Seq.append (m.Encoder.Parameters()) (m.Decoder.Parameters())
    |> Seq.map (fun p -> p.ToArray())
    |> Array.ofSeq

/// Cancels the run synchronously once `at` steps are reported.
type private CancelAt(at: int64, cts: Threading.CancellationTokenSource) =
    interface IProgress<TrainingProgress> with
        member _.Report p =
            if p.Step = at then
                cts.Cancel()

let ``VAE resume from a checkpoint gives the same parameters as an uninterrupted run`` () =
    let rnd = Random(8)
    let x = normals rnd 3000
    let y = Array.init 3000 (fun _ -> rnd.NextDouble())
    let w = Array.init 3000 (fun _ -> 0.5 + rnd.NextDouble())

    let path =
        Path.Combine(Path.GetTempPath(), sprintf "vae-resume-%d.gsp" Environment.ProcessId)

    let opts cp =
        VaeOptions(
            LatentSize = 2,
            EncoderLayers = [| 16 |],
            DecoderLayers = [| 16 |],
            Steps = 12,
            BatchSize = 64,
            Seed = 5UL,
            LrSchedule = LrScheduleKind.Exponential,
            LrGamma = 0.9f,
            HeldOutFraction = 0.1,
            EvaluateEvery = 4,
            CheckpointPath = cp
        )

    let o = opts null
    let full = VaeTrainer.Train(rows x, rows y, w, o)

    try
        // interrupted at step 5 (cancellation writes the checkpoint), then resumed to 12
        use cts = new Threading.CancellationTokenSource()

        raises<OperationCanceledException>
            "VaeTrainer.Train(rows x, rows y, w, opts path, CancelAt(5L, cts), c..."
            (fun () ->
                VaeTrainer.Train(rows x, rows y, w, opts path, CancelAt(5L, cts), cts.Token)
                |> ignore)
        |> ignore

        let meta = GenStats.Nn.ParameterFile.Load(path).Metadata
        Expect.equal (meta["step"]) "5" "meta[\"step\"]"
        let resumed = VaeTrainer.Resume(path, rows x, rows y, w)
        Expect.isTrue (vaeParams resumed.Model = vaeParams full.Model) "encoder and decoder parameters bit-identical"
        Expect.equal resumed.Model.TrainedSteps 12L "resumed.Model.TrainedSteps"
        Expect.equal resumed.History.Steps.Count 12 "resumed.History.Steps.Count"

        let eds (h: TrainingHistory) =
            h.Evaluations
            |> Seq.map (fun e -> e.EnergyDistance, e.HeldOutMetric)
            |> Array.ofSeq

        Expect.isTrue (eds resumed.History = eds full.History) "evaluations"
        // a different data set or a GAN checkpoint reader are refused
        let ex =
            raises<InvalidDataException>
                "VaeTrainer.Resume(path, rows (Array.map ((+) 1.0) x), rows y, w) |>..."
                (fun () -> VaeTrainer.Resume(path, rows (Array.map ((+) 1.0) x), rows y, w) |> ignore)

        contains "fingerprint" ex.Message "ex.Message"

        raises<InvalidDataException> "GanTrainer.Resume(path, rows x, rows y, w) |> ignore" (fun () ->
            GanTrainer.Resume(path, rows x, rows y, w) |> ignore)
        |> ignore
    finally
        File.Delete path

let ``a diverging VAE stops with a clear message and keeps the last good checkpoint`` () =
    let rnd = Random(2)
    let data = normals rnd 1000 |> rows

    let path =
        Path.Combine(Path.GetTempPath(), sprintf "vae-nan-%d.gsp" Environment.ProcessId)
    // an absurd learning rate drives the parameters to ∞ within a few steps
    let o =
        VaeOptions(
            LatentSize = 2,
            EncoderLayers = [| 16 |],
            DecoderLayers = [| 16 |],
            Steps = 200,
            BatchSize = 64,
            LearningRate = 1e30f,
            CheckpointPath = path,
            CheckpointEvery = 1
        )

    try
        let ex =
            raises<TrainingStoppedException> "VaeTrainer.Train(data, null, null, o) |> ignore" (fun () ->
                VaeTrainer.Train(data, null, null, o) |> ignore)

        Expect.equal ex.Reason StopReason.NonFiniteLoss "ex.Reason"

        Expect.isTrue
            ([ "NaN"; "infinite"; "∞" ]
             |> List.exists (fun s -> ex.Message.Contains(s, StringComparison.Ordinal)))
            (sprintf "the message names NaN, infinite or ∞: %s" ex.Message)

        contains path ex.Message "ex.Message"
        Expect.equal ex.LastCheckpoint path "ex.LastCheckpoint"
        let content = GenStats.Nn.ParameterFile.Load path
        Expect.equal (int64 content.Metadata["step"]) (ex.Step - 1L) "the checkpoint is the step before the failure"

        Expect.isTrue
            (content.Tensors
             |> Seq.forall (fun t -> t.Values |> Array.forall Single.IsFinite))
            "the kept checkpoint is finite"
    finally
        File.Delete path

[<Tests>]
let tests =
    testList
        "Models.Vae"
        [
            testCase
                "a saved VAE loads and samples the same values; the history has an ELBO"
                ``a saved VAE loads and samples the same values; the history has an ELBO``
            testCase "bad VAE input gives clear errors" ``bad VAE input gives clear errors``
            testCase
                "VAE resume from a checkpoint gives the same parameters as an uninterrupted run"
                ``VAE resume from a checkpoint gives the same parameters as an uninterrupted run``
            testCase
                "a diverging VAE stops with a clear message and keeps the last good checkpoint"
                ``a diverging VAE stops with a clear message and keeps the last good checkpoint``
            TestMain.slow
                [
                    testCase
                        "learns a conditional Gaussian whose mean and width depend on y"
                        ``learns a conditional Gaussian whose mean and width depend on y``
                    testCase
                        "the held-out ELBO is a lower bound of the true log-likelihood and close to it"
                        ``the held-out ELBO is a lower bound of the true log-likelihood and close to it``
                ]
        ]
