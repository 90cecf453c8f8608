/// Deployment (issue 17): the ONNX graph and the C file that `ModelExport` writes compute the same
/// function as `SampleFromNoise` — run by ONNX Runtime and by the system C compiler on the same
/// noise and conditions. Every transform kind and every activation is covered.
///
/// Tolerance: |exported − GenStats| ≤ 1e-5·(1 + |GenStats|). Both sides run the networks in float32
/// (relative rounding 6e-8 per operation; ORT's GEMM and GenStats' sum in other orders, the C file
/// accumulates in double), so the network outputs agree to ~1e-6 of their O(1) scale; the
/// preprocessing then maps them through functions whose derivatives are O(1) in these toys. The ONNX
/// graph evaluates Φ and Φ⁻¹ with closed-form approximations (relative error < 1.2e-7 in float32 and
/// < 1.2e-9 in float64, NormalApprox), the C file in double with libm's erfc. Measured (400 events,
/// 6 features): ONNX ≤ 2.3e-6, C ≤ 3.3e-6 — the 1e-5 bound leaves a factor 3.
module GenStats.Tests.Models.ExportTests

open Expecto
open System
open System.IO
open GenStats.Data
open GenStats.Models
open GenStats.Models.Files
open GenStats.Nn

let private tolerance = 1e-5

/// Raw columns with every transform: a skewed quantile-normal column with repeated values (ties
/// in the knot table), a positive (log) one, one inside (0, 3) (logit), one above −1 (log1p), a
/// standardised one and an angle (periodic).
let private rawColumns (r: Random) n =
    Array.init n (fun _ ->
        let g () = r.NextDouble() * 2.0 - 1.0

        [|
            float (float32 (if r.NextDouble() < 0.2 then 1.0 else exp (1.5 * g ())))
            float (float32 (exp (g ())))
            float (float32 (1.5 + 1.4 * g ()))
            float (float32 (-0.9 + 3.0 * r.NextDouble()))
            float (float32 (10.0 + 3.0 * g ()))
            float (float32 (Math.PI * g ()))
        |])

let private specs =
    [|
        TransformSpec(TransformKind.QuantileNormal)
        TransformSpec(TransformKind.Log)
        TransformSpec(TransformKind.Logit, 0.0, 3.0)
        TransformSpec(TransformKind.Log1p)
        TransformSpec(TransformKind.Standard)
        TransformSpec(TransformKind.Periodic)
    |]

let private names prefix =
    Array.init specs.Length (sprintf "%s%d" prefix)

let private transforms () =
    let r = Random(3)
    let fx = RowTransform.Fit(rawColumns r 500, specs)
    let fy = RowTransform.Fit(rawColumns r 500, specs)
    fx, fy

let private gan activation =
    let fx, fy = transforms ()
    let o = GanOptions(LatentSize = 4, GeneratorLayers = [| 24; 24 |])

    let g =
        NeuralParts.Network(4 + fy.OutputWidth, o.GeneratorLayers, fx.OutputWidth, activation, 9UL)

    ConditionalGan(g, o, fx, fy, names "x", names "y", 0L)

let private vae learned =
    let fx, fy = transforms ()

    let o =
        VaeOptions(
            LatentSize = 3,
            DecoderLayers = [| 20; 20 |],
            EncoderLayers = [| 8 |],
            Activation = Activation.Elu,
            LearnedVariance = learned
        )

    let struct (e, d) = ConditionalVae.Networks(o, fx.OutputWidth, fy.OutputWidth)
    ConditionalVae(e, d, o, fx, fy, names "x", names "y", 0L)

let private unconditionalGan () =
    let fx, _ = transforms ()
    let o = GanOptions(LatentSize = 5, GeneratorLayers = [| 16 |])

    let g =
        NeuralParts.Network(5, o.GeneratorLayers, fx.OutputWidth, Activation.Relu, 4UL)

    ConditionalGan(g, o, fx, null, names "x", [||], 0L)

/// Conditions and noise for n events; the reference is GenStats' own SampleFromNoise.
let private check (model: IConditionalGenerator) sampleFromNoise conditional label =
    ExportHarness.check tolerance false model sampleFromNoise (if conditional then Some rawColumns else None) label
    |> ignore

[<Tests>]
let tests =
    testList
        "Export"
        [
            for activation in
                [
                    Activation.Relu
                    Activation.LeakyRelu
                    Activation.Elu
                    Activation.Tanh
                    Activation.Sigmoid
                    Activation.Softplus
                ] do
                test
                    $"conditional GAN ({activation}, every transform) exported to ONNX and C gives SampleFromNoise's output" {
                    let m = gan activation
                    check m (fun c z -> m.SampleFromNoise(c, z)) true $"GAN {activation}"
                }
            test "unconditional GAN: ONNX and C without a conditions input give SampleFromNoise's output" {
                let m = unconditionalGan ()
                check m (fun c z -> m.SampleFromNoise(c, z)) false "GAN unconditional"
            }
            for learned in [ true; false ] do
                test $"VAE decoder (learned variance {learned}) exported to ONNX and C gives SampleFromNoise's output" {
                    let m = vae learned
                    check m (fun c z -> m.SampleFromNoise(c, z)) true $"VAE learned={learned}"
                }
            test "SampleFromNoise is what Sample computes on its own seeded N(0, I) draws" {
                // Sample draws z from one stream seeded by the seed: the same draws given as noise give the same rows.
                let m = unconditionalGan ()
                let rng = GenStats.Tensors.Rng(uint64 21)
                let z = rng.Normal(300, 5).ToArray()
                let noise = Array.init 300 (fun i -> Array.init 5 (fun c -> float z[i * 5 + c]))
                Expect.equal (m.SampleFromNoise(null, noise)) (m.Sample(300, 21)) "same rows, bit for bit"
            }
            test "VAE: SampleFromNoise on [z, ε] is what Sample computes on its own stream (z, then ε, per chunk)" {
                let m = vae true
                let n, k, dx = 200, m.Options.LatentSize, m.NoiseWidth - m.Options.LatentSize
                let rng = GenStats.Tensors.Rng(uint64 8)
                let z = rng.Normal(n, k).ToArray()
                let e = rng.Normal(n, dx).ToArray()

                let noise =
                    Array.init n (fun i ->
                        Array.append
                            (Array.init k (fun c -> float z[i * k + c]))
                            (Array.init dx (fun c -> float e[i * dx + c])))

                let conditions = rawColumns (Random 4) n
                Expect.equal (m.SampleFromNoise(conditions, noise)) (m.Sample(conditions, 8)) "same rows, bit for bit"
            }
            test "genstats export writes the same ONNX bytes and C source as ModelExport; a KDE is refused in one line" {
                let dir =
                    Path.Combine(Path.GetTempPath(), "genstats-export-cli-" + Guid.NewGuid().ToString("N"))

                Directory.CreateDirectory dir |> ignore

                try
                    let m = gan Activation.Relu
                    let path = Path.Combine(dir, "m.gsm")
                    m.Save path
                    let onnx, c = Path.Combine(dir, "m.onnx"), Path.Combine(dir, "m.c")

                    let code, out, err =
                        GenStats.Tests.Repository.runCli [ "export"; "--model"; path; "--onnx"; onnx; "--c"; c ]

                    Expect.equal code 0 $"exit code (stderr: {err})"
                    Expect.stringContains out "noise [n, 4]" "the noise width is printed"
                    let loaded = ModelFile.Load path

                    Expect.equal
                        (File.ReadAllBytes onnx)
                        (ModelExport.OnnxBytes loaded)
                        "the ONNX file is the in-process graph"

                    Expect.equal (File.ReadAllText c) (ModelExport.CSource loaded) "the C file is the in-process source"
                    let rows = [| [| 1.0 |]; [| 2.0 |]; [| 3.0 |] |]
                    let kde = Path.Combine(dir, "kde.gsm")
                    ModelFile.Save(kde, KernelDensity.Fit(rows, null, KdeOptions()))

                    let code, _, err =
                        GenStats.Tests.Repository.runCli [ "export"; "--model"; kde; "--onnx"; onnx ]

                    Expect.equal code 1 "a KDE cannot be exported"

                    Expect.stringContains
                        err
                        "genstats export: kde.gsm: export covers the GAN family"
                        "one line that says why"
                finally
                    Directory.Delete(dir, true)
            }
            test "a VAE with a latent mixture prior is refused with the reason" {
                let m0 = vae true

                let mixture =
                    LatentMixture(
                        [| 1.0 |],
                        [| [| 0.0; 0.0; 0.0 |] |],
                        [| [| 1.0; 0.0; 0.0; 0.0; 1.0; 0.0; 0.0; 0.0; 1.0 |] |]
                    )

                let m =
                    ConditionalVae(
                        m0.Encoder,
                        m0.Decoder,
                        m0.Options,
                        m0.FeatureTransform,
                        m0.ConditionTransform,
                        names "x",
                        names "y",
                        0L,
                        LatentMixture = mixture
                    )

                match
                    (try
                        ModelExport.OnnxBytes m |> ignore
                        None
                     with :? NotSupportedException as e ->
                         Some e.Message)
                with
                | Some message -> Expect.stringContains message "LatentMixture" "the refusal names the mixture"
                | None -> failtest "a mixture-prior VAE was exported as if its z were N(0, I)"
            }
        ]
