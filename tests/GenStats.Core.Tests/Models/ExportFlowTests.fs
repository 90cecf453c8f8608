/// Deployment of the likelihood models (issue 17): the ONNX graph and the C file of a trained spline
/// flow (coupling and autoregressive) and of flow matching (Euler, midpoint, RK4) compute the same
/// function as their `SampleFromNoise`, run by ONNX Runtime and by the system C compiler on the same
/// noise and conditions, with periodic, log and quantile-normal transforms on both sides.
///
/// Tolerance: flow matching meets the GAN/VAE bound |exported − GenStats| ≤ 1e-5·(1 + |GenStats|)
/// (ExportTests): the state is float64 on all three sides, only the network's float32 summation order
/// differs, carried through 4 steps (measured ≤ 7.0e-7 ONNX, 4.9e-7 C). A flow's inverse spline can be
/// steep (the inverse of a bin whose slope is near min_derivative), and the float32 rounding of its
/// input grows with that slope: one value in 1 600 of the coupling flow is 1.02e-5 off in ONNX (in
/// C, which inverts in double, 3.2e-6 off GenStats' float32). So a flow is held to the same 1e-5
/// relative to each value's own sensitivity to its input, |Δ|/((1 + |x|)·max(1, L)) with
/// L = max_k |∂x/∂z_k| by central differences of SampleFromNoise (L up to 31 here); measured: coupling
/// ONNX ≤ 1.2e-6, C ≤ 1.4e-6; autoregressive ONNX 4.6e-6, C 3.3e-6. A value within rounding of a knot
/// that lands in the neighbouring bin in ORT needs no care beyond that: the spline is continuous
/// across knots, so the bin choice moves the output by rounding only.
module GenStats.Tests.Models.ExportFlowTests

open Expecto
open System
open System.IO
open GenStats.Models
open GenStats.Models.Files
open GenStats.Tests.TestMain

let private tolerance = 1e-5

let private gauss (r: Random) =
    let u1, u2 = 1.0 - r.NextDouble(), r.NextDouble()
    sqrt (-2.0 * log u1) * cos (2.0 * Math.PI * u2)

/// Raw conditions (float32-representable): an angle (periodic), a positive value (log), a skewed
/// one with repeated values (quantile-normal, ties in the knot table).
let private conditionsOf (r: Random) n =
    Array.init n (fun _ ->
        [|
            float (float32 (Math.PI * (2.0 * r.NextDouble() - 1.0)))
            float (float32 (exp (0.8 * gauss r)))
            float (float32 (if r.NextDouble() < 0.2 then 1.0 else exp (1.2 * gauss r)))
        |])

/// Features that depend on the conditions: skewed (quantile-normal), positive (log), a plain one
/// and an angle (standard in the flow, whose features refuse periodic; periodic in flow matching).
let private featuresOf (r: Random) (y: float[][]) =
    y
    |> Array.map (fun c ->
        [|
            exp (0.5 * cos c[0] + 0.7 * gauss r)
            exp (0.4 * log c[1] + 0.5 * gauss r)
            2.0 + sin c[0] + 0.5 * log c[2] + 0.3 * gauss r
            Math.IEEERemainder(c[0] + 0.8 + 0.4 * gauss r, 2.0 * Math.PI)
        |])

let private data () =
    let r = Random(12)
    let y = conditionsOf r 800
    featuresOf r y, y

let private transforms angle =
    readOnlyDict
        [
            "x0", "quantile-normal"
            "x1", "log"
            "x2", "standard"
            "x3", angle
            "y0", "periodic"
            "y1", "log"
            "y2", "quantile-normal"
        ]

/// A flow trained briefly at a high learning rate, so that its splines are far from the identity
/// they start at; a tail bound of 2.5 sends ~1 % of the noise values through the identity tails.
let private flow architecture permutation =
    let x, y = data ()

    let o =
        FlowOptions(
            Architecture = architecture,
            Permutation = permutation,
            Layers = 3,
            HiddenLayers = [| 16; 16 |],
            Bins = 6,
            TailBound = 2.5f,
            LearningRate = 5e-3f,
            Steps = 80,
            BatchSize = 128,
            EvaluateEvery = 0,
            HeldOutFraction = 0.0,
            KeepBest = false,
            ColumnTransforms = transforms "standard",
            Seed = 5UL
        )

    (FlowTrainer.Train(x, y, null, o)).Model

let private cfmOptions solver =
    FlowMatchingOptions(
        Layers = [| 16; 16 |],
        TimeFrequencies = 2,
        Solver = solver,
        OdeSteps = 4,
        LearningRate = 1e-2f,
        Steps = 80,
        BatchSize = 128,
        EmaDecay = 0f,
        EvaluateEvery = 0,
        HeldOutFraction = 0.0,
        KeepBest = false,
        ColumnTransforms = transforms "periodic",
        Seed = 6UL
    )

/// One trained velocity network; the solver is the model's option, so the three models share it.
let private cfm =
    lazy
        (let x, y = data ()
         (FlowMatchingTrainer.Train(x, y, null, cfmOptions OdeMethod.Midpoint)).Model)

let private withSolver solver =
    let m = cfm.Force()

    ConditionalFlowMatching(
        m.Velocity,
        cfmOptions solver,
        m.FeatureTransform,
        m.ConditionTransform,
        Array.ofSeq m.FeatureNames,
        Array.ofSeq m.ConditionNames,
        m.TrainedSteps
    )

let private exportsFlow architecture permutation =
    let m = flow architecture permutation

    ExportHarness.check
        tolerance
        true
        m
        (fun c z -> m.SampleFromNoise(c, z))
        (Some conditionsOf)
        $"flow {architecture} {permutation}"
    |> ignore

[<Tests>]
let tests =
    testList
        "Export flows"
        [
            for architecture, permutation in
                [
                    FlowArchitecture.Coupling, FlowPermutation.Alternate
                    FlowArchitecture.Coupling, FlowPermutation.Random
                ] do
                test
                    $"trained conditional spline flow ({architecture}, {permutation} order) exported to ONNX and C gives SampleFromNoise's output" {
                    exportsFlow architecture permutation
                }
            // ~10 s on 2 loaded cores: MADE training, and a graph of one network pass per column and layer for ORT to optimise.
            slow
                [
                    test
                        "trained conditional spline flow (Autoregressive) exported to ONNX and C gives SampleFromNoise's output" {
                        exportsFlow FlowArchitecture.Autoregressive FlowPermutation.Alternate
                    }
                ]
            for conditional in [ false; true ] do
                // One column: the coupling conditioner sees the conditions only, or is a learned constant.
                test
                    $"one-column flow (conditional {conditional}) exported to ONNX and C gives SampleFromNoise's output" {
                    let x, y = data ()
                    let x0 = x |> Array.map (fun r -> [| r[0] |])

                    let o =
                        FlowOptions(
                            Layers = 2,
                            Bins = 5,
                            TailBound = 2.5f,
                            LearningRate = 2e-2f,
                            Steps = 60,
                            BatchSize = 128,
                            EvaluateEvery = 0,
                            HeldOutFraction = 0.0,
                            KeepBest = false,
                            ColumnTransforms =
                                (if conditional then
                                     readOnlyDict [ "y0", "periodic"; "y1", "log"; "y2", "quantile-normal" ]
                                 else
                                     null)
                        )

                    let m = (FlowTrainer.Train(x0, (if conditional then y else null), null, o)).Model

                    ExportHarness.check
                        tolerance
                        true
                        m
                        (fun c z -> m.SampleFromNoise(c, z))
                        (if conditional then Some conditionsOf else None)
                        $"flow one column, conditional {conditional}"
                    |> ignore
                }
            for solver in [ OdeMethod.Euler; OdeMethod.Midpoint; OdeMethod.Rk4 ] do
                test
                    $"trained conditional flow matching ({solver}, 4 steps) exported to ONNX and C gives SampleFromNoise's output" {
                    let m = withSolver solver

                    ExportHarness.check
                        tolerance
                        false
                        m
                        (fun c z -> m.SampleFromNoise(c, z))
                        (Some conditionsOf)
                        $"cfm {solver}"
                    |> ignore
                }
            test "flow: SampleFromNoise is what Sample computes on its own seeded N(0, I) draws" {
                let m = flow FlowArchitecture.Coupling FlowPermutation.Alternate
                let n, dx = 300, m.NoiseWidth
                let z = GenStats.Tensors.Rng(uint64 21).Normal(n, dx).ToArray()
                let noise = Array.init n (fun i -> Array.init dx (fun c -> float z[i * dx + c]))
                let conditions = conditionsOf (Random 4) n
                Expect.equal (m.SampleFromNoise(conditions, noise)) (m.Sample(conditions, 21)) "same rows, bit for bit"
            }
            test "flow matching: SampleFromNoise is what Sample computes on its own seeded N(0, I) draws" {
                let m = withSolver OdeMethod.Rk4
                let n, dx = 300, m.NoiseWidth
                let z = GenStats.Tensors.Rng(uint64 22).Normal(n, dx).ToArray()
                let noise = Array.init n (fun i -> Array.init dx (fun c -> float z[i * dx + c]))
                let conditions = conditionsOf (Random 5) n
                Expect.equal (m.SampleFromNoise(conditions, noise)) (m.Sample(conditions, 22)) "same rows, bit for bit"
                Expect.equal dx 5 "noise width: x0, x1, x2 and the periodic x3's (cos, sin)"
            }
            test "genstats export writes a flow's and a cfm model's ONNX and C as ModelExport does" {
                let dir =
                    Path.Combine(Path.GetTempPath(), "genstats-export-flow-cli-" + Guid.NewGuid().ToString("N"))

                Directory.CreateDirectory dir |> ignore

                try
                    for model, width in
                        [
                            flow FlowArchitecture.Coupling FlowPermutation.Random :> IConditionalGenerator, 4
                            withSolver OdeMethod.Midpoint, 5
                        ] do
                        let path = Path.Combine(dir, model.ModelType + ".gsm")
                        ModelFile.Save(path, model)
                        let onnx, c = Path.Combine(dir, "m.onnx"), Path.Combine(dir, "m.c")

                        let code, out, err =
                            GenStats.Tests.Repository.runCli [ "export"; "--model"; path; "--onnx"; onnx; "--c"; c ]

                        Expect.equal code 0 $"exit code (stderr: {err})"
                        Expect.stringContains out $"noise [n, {width}]" "the noise width is printed"
                        let loaded = ModelFile.Load path

                        Expect.equal
                            (File.ReadAllBytes onnx)
                            (ModelExport.OnnxBytes loaded)
                            "the ONNX file is the in-process graph"

                        Expect.equal
                            (File.ReadAllText c)
                            (ModelExport.CSource loaded)
                            "the C file is the in-process source"
                finally
                    Directory.Delete(dir, true)
            }
        ]
