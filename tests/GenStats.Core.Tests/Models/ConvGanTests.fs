/// The convolutional conditional GAN: the size ladder, image shapes (square, non-square, odd),
/// the model file round trip, bad input, and a tiny network that learns how the total energy of a
/// blob follows its condition.
module GenStats.Tests.Models.ConvGanTests

open Expecto
open System
open System.IO
open GenStats.Models
open GenStats.Tensors
open GenStats.Tests.TestMain

/// Tiny networks (16/8/4 channels) with held-out evaluations, checkpoints and optionally the critic's
/// shower summaries: the defaults are the seed's full ECAL architecture.
let tinyRunWith
    (summaries: bool)
    (heldOut: float)
    (evaluateEvery: int)
    (checkpoint: string)
    (checkpointEvery: int)
    (steps: int)
    (batch: int)
    (criticSteps: int)
    (lr: float32)
    (regressorSteps: int)
    (ema: float32)
    =
    ConvGanOptions(
        LatentSize = 8,
        GeneratorChannels = [| 16; 8; 4 |],
        CriticChannels = [| 4; 8; 16 |],
        CriticHidden = 16,
        RegressorChannels = [| 4; 8; 8 |],
        RegressorSteps = regressorSteps,
        BatchSize = batch,
        Steps = steps,
        CriticSteps = criticSteps,
        GeneratorLearningRate = lr,
        CriticLearningRate = lr,
        EmaDecay = ema,
        HeldOutFraction = heldOut,
        EvaluateEvery = evaluateEvery,
        CheckpointPath = checkpoint,
        CheckpointEvery = checkpointEvery,
        CriticSummaries = summaries,
        Seed = 11UL
    )

/// Tiny networks without the critic's shower summaries (the default).
let tinyRun = tinyRunWith false

/// Tiny networks without held-out events or checkpoints.
let tiny = tinyRun 0.0 -1 null 0

let tinyOptions = tiny 2 16 1 1e-4f 20 0.999f

/// A blob whose total energy equals the condition e ∈ [1, 5]: a Gaussian spot (σ = 1.2 cells) at
/// the image centre, shifted by up to ±1 cell, normalised to sum to e.
let blobs (rnd: Random) n h w =
    let images = Array.zeroCreate<float32> (n * h * w)
    let cond = Array.zeroCreate<float[]> n

    for i in 0 .. n - 1 do
        let e = 1.0 + 4.0 * rnd.NextDouble()
        let cy = float (h - 1) / 2.0 + (2.0 * rnd.NextDouble() - 1.0)
        let cx = float (w - 1) / 2.0 + (2.0 * rnd.NextDouble() - 1.0)

        let v =
            Array.init (h * w) (fun k ->
                let r, c = float (k / w), float (k % w)
                exp (-((r - cy) ** 2.0 + (c - cx) ** 2.0) / (2.0 * 1.2 ** 2.0)))

        let s = Array.sum v

        for k in 0 .. h * w - 1 do
            images[i * h * w + k] <- float32 (e * v[k] / s)

        cond[i] <- [| e |]

    images, cond

/// Two cells of energies a and b in one row, columns c₁ and c₂: the summaries are log(a + b + ε) and
/// the energy-weighted variances E[x²] − E[x]² of the centred column and row, with the fractions
/// taken over ΣE + ε (ε = s, so an empty image stays finite; without it the column variance would
/// be ab(c₁ − c₂)²/(a + b)² and the row variance 0). On the fitted images the standardised
/// summaries have weighted mean 0 and variance 1.
let ``the critic's shower summaries are the total energy and the energy-weighted widths`` () =
    let h, w = 5, 6
    let scale = ImageScale(ImageScaling.Log1p, 0.5)

    let image (a: float) (c1: int) (b: float) (c2: int) =
        let v = Array.zeroCreate<float32> (h * w)
        v[2 * w + c1] <- scale.Forward(float32 a)
        v[2 * w + c2] <- scale.Forward(float32 b)
        v

    let cases = [ 2.0, 0, 6.0, 5; 1.0, 1, 1.0, 3; 4.0, 2, 0.5, 4 ]
    let flat = cases |> List.map (fun (a, c1, b, c2) -> image a c1 b c2) |> Array.concat
    let weights = [| 1.0f; 2.0f; 0.5f |]
    let s = ShowerSummaries.Fit(scale, h, w, flat, weights)
    Expect.equal s.Count 3 "log total, column and row variance"
    let raw = s.Raw(Tensor.FromArray(flat, 3, 1, h, w)).ToArray()

    cases
    |> List.iteri (fun i (a, c1, b, c2) ->
        let total = a + b + 0.5
        // Energy fractions over ΣE + ε, coordinates centred on the image.
        let moments (xs: float list) =
            let m1 = List.sum (List.map2 (fun e x -> e * x / total) [ a; b ] xs)
            let m2 = List.sum (List.map2 (fun e x -> e * x * x / total) [ a; b ] xs)
            m2 - m1 * m1

        let col c = float c - float (w - 1) / 2.0
        let row = 2.0 - float (h - 1) / 2.0
        Expect.floatClose Accuracy.medium (float raw[i * 3]) (log total) (sprintf "log ΣE, case %d" i)

        Expect.isLessThan
            (abs (float raw[i * 3 + 1] - moments [ col c1; col c2 ]))
            1e-4
            (sprintf "column variance, case %d" i)

        Expect.isLessThan (abs (float raw[i * 3 + 2] - moments [ row; row ])) 1e-4 (sprintf "row variance, case %d" i))

    let z = s.Forward(Tensor.FromArray(flat, 3, 1, h, w)).ToArray()

    for k in 0..2 do
        let sw = weights |> Array.sumBy float
        let m = Array.init 3 (fun i -> float weights[i] * float z[i * 3 + k]) |> Array.sum

        let v =
            Array.init 3 (fun i -> float weights[i] * float z[i * 3 + k] ** 2.0)
            |> Array.sum

        Expect.isLessThan (abs (m / sw)) 1e-4 (sprintf "summary %d: weighted mean 0" k)
        Expect.isLessThan (abs (v / sw - 1.0)) 1e-3 (sprintf "summary %d: weighted variance 1" k)

let ``the ladder covers the image with the fewest doublings of 4`` () =
    // 4·2ᵏ ≥ max(H, W): 4 → 0, 5 → 1 (8), 8 → 1, 12 → 2 (16), 8×16 → 2, 30 → 3 (32), 33 → 4 (64).
    for (h, w, k) in [ 4, 4, 0; 5, 3, 1; 8, 8, 1; 12, 12, 2; 8, 16, 2; 30, 30, 3; 33, 2, 4 ] do
        Expect.equal (ImageLadder.Doublings(h, w)) k (sprintf "%d×%d" h w)

    Expect.equal
        (ImageLadder.Channels([| 256; 128 |], 4, true, "g"))
        [| 256; 128; 64; 32 |]
        "generator channels continue halving"

    Expect.equal (ImageLadder.Channels([| 32; 64; 128; 256 |], 2, false, "c")) [| 32; 64 |] "unused entries dropped"

let ``square, non-square and odd images train, sample and round-trip through the model file`` () =
    for (h, w) in [ 8, 8; 8, 16; 12, 12; 5, 7 ] do
        let rnd = Random(3)
        let images, cond = blobs rnd 40 h w
        let r = ConvGanTrainer.Train(images, h, w, cond, null, tinyOptions, [| "e" |])
        let m = r.Model
        Expect.equal (m.ImageHeight, m.ImageWidth) (h, w) "image size"
        Expect.equal m.FeatureNames.Count (h * w) "one feature per cell"
        Expect.equal m.FeatureNames[w + 2] "cell_1_2" "cells are named cell_row_column, row-major"
        let c = [| [| 2.0 |]; [| 4.0 |]; [| 3.0 |] |]
        let s = m.SampleImages(c, 5)
        Expect.equal s.Length (3 * h * w) "[N, H, W]"
        Expect.isTrue (s |> Array.forall (fun v -> v >= 0f && Single.IsFinite v)) "ReLU output: energies ≥ 0"
        Expect.equal (m.SampleImages(c, 5)) s "same seed, same images"
        let rows = m.Sample(c, 5)
        Expect.equal (rows |> Array.collect (Array.map float32)) s "Sample = SampleImages as rows"

        let path =
            Path.Combine(Path.GetTempPath(), sprintf "convgan-%d-%d-%d.gsm" h w (Guid.NewGuid().GetHashCode()))

        try
            m.Save path
            let back = ConditionalConvGan.Load path
            Expect.equal back.ModelType "conv-gan" "model type"

            Expect.equal
                (back.SampleImages(c, 5))
                s
                "loaded model: same images (parameters and BatchNorm statistics saved)"

            Expect.equal (back.RecoverConditions s) (m.RecoverConditions s) "regressor saved"
            Expect.equal back.ConditionNames.[0] "e" "condition names"
        finally
            File.Delete path

let ``bad input is refused with the reason`` () =
    let images = Array.create (4 * 64) 1f

    Expect.throwsT<ArgumentException>
        (fun () -> ConvGanTrainer.Create(images.[0..100], 8, 8, null, null, tinyOptions) |> ignore)
        "not whole images"

    let negative = Array.copy images
    negative[70] <- -0.5f

    Expect.throwsT<ArgumentException>
        (fun () -> ConvGanTrainer.Create(negative, 8, 8, null, null, tinyOptions) |> ignore)
        "a negative energy with log1p scaling"

    Expect.throwsT<ArgumentException>
        (fun () ->
            ConvGanTrainer.Create(images, 8, 8, [| [| 1.0 |] |], null, tinyOptions)
            |> ignore)
        "one condition row for four images"

    let nan = Array.copy images
    nan[3] <- nanf

    Expect.throwsT<ArgumentException>
        (fun () -> ConvGanTrainer.Create(nan, 8, 8, null, null, tinyOptions) |> ignore)
        "NaN cell"

    for q in [ 0.0; 1.0; Double.NaN ] do
        Expect.throwsT<ArgumentException>
            (fun () ->
                ConvGanTrainer.Create(images, 8, 8, null, null, ConvGanOptions(ScaleQuantile = Nullable q))
                |> ignore)
            (sprintf "scale quantile %g" q)

/// s of log1p scaling: the mean of the non-zero cells, or their weighted quantile (the smallest
/// value whose cumulative weight reaches q of the total); zeros and zero-weight images do not count.
let ``the image scale is the mean or a weighted quantile of the non-zero cells`` () =
    // Two images of 3 cells: (0, 1, 2) with weight 1, (3, 4, 0) with weight 3; a third of weight 0.
    let cells = [| 0f; 1f; 2f; 3f; 4f; 0f; 100f; 100f; 100f |]
    let weights = [| 1.0; 3.0; 0.0 |]
    let mean = ImageScale.Fit(ImageScaling.Log1p, cells, 3, weights)

    Expect.floatClose
        Accuracy.veryHigh
        mean.Scale
        ((1.0 + 2.0 + 3.0 * 3.0 + 3.0 * 4.0) / 8.0)
        "weighted mean of non-zero cells"
    // Cumulative weights over the sorted values 1, 2, 3, 4: 1, 2, 5, 8 of 8.
    for q, expected in [ 0.1, 1.0; 0.25, 2.0; 0.3, 3.0; 0.625, 3.0; 0.7, 4.0 ] do
        let s = ImageScale.Fit(ImageScaling.Log1p, cells, 3, weights, Nullable q)
        Expect.equal s.Scale expected (sprintf "quantile %g" q)

    let linear = ImageScale.Fit(ImageScaling.Linear, cells, 3, weights, Nullable 0.1)
    Expect.equal linear.Scale mean.Scale "linear scaling keeps the mean"

/// The truth: an image's total energy equals its condition e. A generator that ignores e gives the
/// same mean total at e = 1.5 and e = 4.5 (ratio 1); the trained one must reach a ratio of at least 2
/// (truth 3) and each mean within 40 % of e. The tolerance is the model's, not statistical: 400
/// images per condition put the sampling error of each mean below 1 %, while 1200 steps of these
/// tiny networks leave a bias — seeds 11, 12, 13 gave (2.01, 4.63), (1.82, 4.17), (1.81, 4.12), i.e.
/// ratios 2.28–2.30 and at most 34 % off at e = 1.5.
let ``a tiny conv GAN learns that the total energy follows the condition`` () =
    let rnd = Random(17)
    let images, cond = blobs rnd 2000 8 8
    let o = tiny 1200 32 2 1e-3f 300 0.99f
    let clock = Diagnostics.Stopwatch.StartNew()
    let m = ConvGanTrainer.Train(images, 8, 8, cond, null, o, [| "e" |]).Model

    let total (e: float) =
        let s = m.SampleImages(Array.create 400 [| e |], 3)

        Array.init 400 (fun i -> s[i * 64 .. i * 64 + 63] |> Array.sumBy float)
        |> Array.average

    let lo, hi = total 1.5, total 4.5

    printfn
        "conv GAN: mean total energy %.3f at e = 1.5, %.3f at e = 4.5 (%.1f s, regressor MSE %A)"
        lo
        hi
        clock.Elapsed.TotalSeconds
        m.RegressorMse

    Expect.isLessThan (abs (lo / 1.5 - 1.0)) 0.4 (sprintf "mean total at e = 1.5 is %.3f" lo)
    Expect.isLessThan (abs (hi / 4.5 - 1.0)) 0.4 (sprintf "mean total at e = 4.5 is %.3f" hi)
    Expect.isGreaterThan (hi / lo) 2.0 (sprintf "ratio %.3f, truth 3" (hi / lo))

[<Tests>]
let tests =
    testList
        "Models.ConvGan"
        [
            testCase
                "the ladder covers the image with the fewest doublings of 4"
                ``the ladder covers the image with the fewest doublings of 4``
            testCase
                "square, non-square and odd images train, sample and round-trip through the model file"
                ``square, non-square and odd images train, sample and round-trip through the model file``
            testCase "bad input is refused with the reason" ``bad input is refused with the reason``
            testCase
                "the image scale is the mean or a weighted quantile of the non-zero cells"
                ``the image scale is the mean or a weighted quantile of the non-zero cells``
            testCase
                "the critic's shower summaries are the total energy and the energy-weighted widths"
                ``the critic's shower summaries are the total energy and the energy-weighted widths``
            slow
                [
                    testCase
                        "a tiny conv GAN learns that the total energy follows the condition"
                        ``a tiny conv GAN learns that the total energy follows the condition``
                ]
        ]
