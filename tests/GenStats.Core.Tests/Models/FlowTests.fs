/// The conditional spline flow: its density is normalised (quadrature), it recovers a correlated
/// Gaussian's mean and covariance and a conditional mean, it saves/loads and resumes exactly, and
/// bad input fails clearly.
module GenStats.Tests.Models.FlowTests

open Expecto
open System
open System.IO
open GenStats.Data
open GenStats.Models
open GenStats.Tests.Models.GanToys
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private quick steps =
    FlowOptions(Layers = 4, HiddenLayers = [| 32; 32 |], Steps = steps, LearningRate = 3e-3f, Seed = 3UL)

/// The quick settings with the architecture and feature transform named.
let private small steps arch transform =
    FlowOptions(
        Layers = 4,
        HiddenLayers = [| 32; 32 |],
        Steps = steps,
        LearningRate = 3e-3f,
        Seed = 3UL,
        Architecture = arch,
        FeatureTransform = transform
    )

/// Trapezoid rule over a uniform grid of n points on [lo, hi].
let private trapezoid (lo: float) hi n (f: float[] -> float[]) =
    let h = (hi - lo) / float (n - 1)
    let xs = Array.init n (fun i -> lo + h * float i)
    let v = f xs
    h * (Array.sum v - 0.5 * (v[0] + v[n - 1]))

/// x = (x1, x2) with means (1, −2), σ = (1, 2), ρ = 0.6.
let private correlated (rnd: Random) n =
    let a, b = normals rnd n, normals rnd n
    Array.init n (fun i -> [| 1.0 + a[i]; -2.0 + 2.0 * (0.6 * a[i] + 0.8 * b[i]) |])

let private moments (rows: float[][]) =
    let n = float rows.Length
    let m = Array.init 2 (fun c -> rows |> Array.averageBy (fun r -> r[c]))

    let cov i j =
        rows
        |> Array.sumBy (fun r -> (r[i] - m[i]) * (r[j] - m[j]))
        |> fun s -> s / (n - 1.0)

    m, cov 0 0, cov 0 1, cov 1 1

let ``a trained 1-D flow's density integrates to 1 (quantile-normal preprocessing, its Jacobian included)`` () =
    let data = mixture (Random(31)) 4000 |> rows

    let o = small 300 FlowArchitecture.Autoregressive TransformKind.QuantileNormal

    let model = (FlowTrainer.Train(data, null, null, o)).Model
    // the quantile transform generates only the training range [min, max]; outside the density is 0 (log −∞)
    let lo, hi =
        data |> Array.map (fun r -> r[0]) |> Array.min, data |> Array.map (fun r -> r[0]) |> Array.max

    Expect.equal (model.LogDensity([| [| lo - 0.1 |] |], null)[0]) -infinity "below the training range"
    // the density jumps at the 1 000 quantile knots (piecewise-linear CDF): h = 1e−4 keeps the trapezoid error ≈ 1e−5
    let integral =
        trapezoid lo hi 200001 (fun xs -> model.LogDensity(rows xs, null) |> Array.map exp)

    Expect.isLessThan (abs (integral - 1.0)) 1e-3 $"∫p(x)dx = {integral}"

let ``a trained 2-D flow's density integrates to 1 over the plane, coupling and autoregressive`` () =
    let data = correlated (Random(32)) 3000

    for arch in [ FlowArchitecture.Coupling; FlowArchitecture.Autoregressive ] do
        let o = small 200 arch TransformKind.Standard

        let model = (FlowTrainer.Train(data, null, null, o)).Model
        // standard preprocessing: z = (x − μ)/σ with σ ≈ (1, 2); [−9, 11] × [−18, 14] reaches |z| ≥ 8 (N(0,1) tail < 1e−15)
        let n1, n2 = 301, 401
        let y2 = Array.init n2 (fun j -> -18.0 + 32.0 * float j / float (n2 - 1))

        let inner x1 =
            let pts = y2 |> Array.map (fun v -> [| x1; v |])
            let d = model.LogDensity(pts, null) |> Array.map exp
            (32.0 / float (n2 - 1)) * (Array.sum d - 0.5 * (d[0] + d[n2 - 1]))

        let integral = trapezoid -9.0 11.0 n1 (Array.map inner)
        Expect.isLessThan (abs (integral - 1.0)) 1e-3 $"{arch}: ∫∫p = {integral}"

let ``a flow learns a correlated 2-D Gaussian: mean and covariance within their statistical errors`` () =
    let n = 20000
    let data = correlated (Random(33)) n
    let model = (FlowTrainer.Train(data, null, null, FlowOptions(Seed = 4UL))).Model
    let g = model.Sample(n, 7)
    let m, c00, c01, c11 = moments g
    // σ of a mean: √(σ²(1/n_train + 1/n_gen)); of a covariance entry: √((σᵢ²σⱼ² + σᵢⱼ²)(1/n_train + 1/n_gen)); 4σ bounds
    let k = sqrt (2.0 / float n)
    let truth = [| 1.0; -2.0 |], 1.0, 1.2, 4.0
    let tm, t00, t01, t11 = truth
    Expect.isLessThan (abs (m[0] - tm[0])) (4.0 * 1.0 * k) $"mean x1 {m[0]}"
    Expect.isLessThan (abs (m[1] - tm[1])) (4.0 * 2.0 * k) $"mean x2 {m[1]}"
    Expect.isLessThan (abs (c00 - t00)) (4.0 * sqrt (2.0 * t00 * t00) * k) $"var x1 {c00}"
    Expect.isLessThan (abs (c11 - t11)) (4.0 * sqrt (2.0 * t11 * t11) * k) $"var x2 {c11}"
    Expect.isLessThan (abs (c01 - t01)) (4.0 * sqrt (t00 * t11 + t01 * t01) * k) $"cov {c01}"

let ``a conditional 1-D flow (conditioner sees y only) learns x | y ~ N(2y, (0.3 + 0.5y)²)`` () =
    let rnd = Random(34)
    let n = 8000
    let y = Array.init n (fun _ -> rnd.NextDouble())
    let z = normals rnd n
    let x = Array.init n (fun i -> 2.0 * y[i] + (0.3 + 0.5 * y[i]) * z[i])
    let model = (FlowTrainer.Train(rows x, rows y, null, quick 800)).Model

    for yv in [ 0.1; 0.9 ] do
        let g = model.Sample(Array.create 4000 [| yv |], 9) |> Array.map (fun r -> r[0])
        let mu, s = 2.0 * yv, 0.3 + 0.5 * yv
        // 4000 draws: σ(mean) = s/63; a model error of 0.1·s is allowed beside it
        Expect.isLessThan (abs (mean g - mu)) (0.1 * s + 4.0 * s / sqrt 4000.0) $"mean at y = {yv}: {mean g}"
        Expect.isLessThan (abs (sd g / s - 1.0)) 0.15 $"sd at y = {yv}: {sd g} vs {s}"

let ``a flow model file gives the same densities and samples; resume is bit-identical`` () =
    let rnd = Random(35)
    let x = normals rnd 1000
    let y = Array.init 1000 (fun _ -> rnd.NextDouble())
    let w = Array.init 1000 (fun _ -> 0.5 + rnd.NextDouble())
    let file = Path.Combine(Path.GetTempPath(), $"flow-{Guid.NewGuid():N}.gsm")
    let cp = Path.Combine(Path.GetTempPath(), $"flow-{Guid.NewGuid():N}.gsp")

    let opts path =
        FlowOptions(
            Layers = 2,
            HiddenLayers = [| 16 |],
            Steps = 12,
            BatchSize = 64,
            EvaluateEvery = 4,
            Seed = 6UL,
            // the parameter average is evaluated, kept and checkpointed: resume must restore it too
            EmaDecay = 0.9f,
            CheckpointPath = path
        )

    try
        let full = FlowTrainer.Train(rows x, rows y, w, opts null)
        full.Model.Save file
        let loaded = ConditionalSplineFlow.Load file
        let probe = rows [| -1.0; 0.0; 0.5 |]
        let cond = rows [| 0.2; 0.5; 0.8 |]
        Expect.equal (loaded.LogDensity(probe, cond)) (full.Model.LogDensity(probe, cond)) "densities"
        Expect.equal (loaded.Sample(cond, 3)) (full.Model.Sample(cond, 3)) "samples"
        Expect.equal (GenStats.Models.Files.ModelFile.Load file).ModelType "flow" "registered model type"
        use cts = new Threading.CancellationTokenSource()

        let progress =
            { new IProgress<TrainingProgress> with
                member _.Report p =
                    if p.Step = 5L then
                        cts.Cancel()
            }

        raises<OperationCanceledException> "Train cancelled at step 5" (fun () ->
            FlowTrainer.Train(rows x, rows y, w, opts cp, progress, cts.Token) |> ignore)
        |> ignore

        let resumed = FlowTrainer.Resume(cp, rows x, rows y, w)

        let ps (m: ConditionalSplineFlow) =
            m.Parameters() |> Seq.map (fun p -> p.Tensor.ToArray()) |> Array.ofSeq

        Expect.isTrue (ps resumed.Model = ps full.Model) "parameters bit-identical after resume"
        Expect.equal resumed.SelectedStep full.SelectedStep "same selected step"
    finally
        File.Delete file
        File.Delete cp

let ``bad input fails clearly: periodic feature, bad regularisation options, missing conditions, wrong width`` () =
    let data = correlated (Random(36)) 200

    let perio =
        FlowOptions(Steps = 2, ColumnTransforms = readOnlyDict [ "x0", "periodic" ])

    let ex =
        raises<ArgumentException> "periodic" (fun () -> FlowTrainer.Train(data, null, null, perio) |> ignore)

    contains "periodic" ex.Message "names the transform"
    contains "x0" ex.Message "names the column"

    for name, o in
        [
            "WeightDecay", FlowOptions(Steps = 2, WeightDecay = -0.1f)
            "Dropout", FlowOptions(Steps = 2, Dropout = 1f)
            "EmaDecay", FlowOptions(Steps = 2, EmaDecay = 1f)
        ] do
        let e =
            raises<ArgumentException> name (fun () -> FlowTrainer.Train(data, null, null, o) |> ignore)

        contains name e.Message "names the option"

    let model =
        (FlowTrainer.Train(data, rows (Array.create 200 1.0), null, FlowOptions(Steps = 2))).Model

    raises<ArgumentException> "no conditions" (fun () -> model.LogDensity(data, null) |> ignore)
    |> ignore

    raises<ArgumentException> "one column" (fun () -> model.LogDensity(rows [| 1.0 |], rows [| 1.0 |]) |> ignore)
    |> ignore

    raises<InvalidOperationException> "unconditional sampling of a conditional model" (fun () ->
        model.Sample(3, 1) |> ignore)
    |> ignore

[<Tests>]
let tests =
    testList
        "Models.Flow"
        [
            testCase
                "a trained 1-D flow's density integrates to 1"
                ``a trained 1-D flow's density integrates to 1 (quantile-normal preprocessing, its Jacobian included)``
            testCase
                "a trained 2-D flow's density integrates to 1 (coupling, autoregressive)"
                ``a trained 2-D flow's density integrates to 1 over the plane, coupling and autoregressive``
            testCase
                "a conditional 1-D flow learns x | y"
                ``a conditional 1-D flow (conditioner sees y only) learns x | y ~ N(2y, (0.3 + 0.5y)²)``
            testCase
                "model file and resume"
                ``a flow model file gives the same densities and samples; resume is bit-identical``
            testCase
                "bad input"
                ``bad input fails clearly: periodic feature, bad regularisation options, missing conditions, wrong width``
            slow
                [
                    testCase
                        "a flow recovers a correlated Gaussian's mean and covariance"
                        ``a flow learns a correlated 2-D Gaussian: mean and covariance within their statistical errors``
                ]
        ]
