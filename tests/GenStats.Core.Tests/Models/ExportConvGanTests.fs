/// Deployment of the conv GAN: the ONNX graph and the C file that `ModelExport` writes compute the
/// same images as `ConditionalConvGan.SampleFromNoise`, run by ONNX Runtime and by the system C
/// compiler on the same noise and conditions (ExportHarness), for nearest and bilinear upsampling,
/// ReLU, softplus and identity outputs, log1p and linear cell scaling, square, non-square and odd
/// image sizes (crops), conditional and unconditional, with BatchNorm running statistics moved by
/// training.
///
/// Tolerance (the harness's sensitivity-scaled measure): |exported − GenStats| ≤
/// 1e-5·(1 + |E|)·max(1, L) with L = max_k |∂E/∂z_k| by central differences. Both sides run the
/// networks in float32 (ORT's Conv/Gemm and GenStats' im2col GEMM sum in other orders; the C file
/// accumulates in double), so the scaled output t agrees to ~1e-6 of its O(1) scale; E = s·(eᵗ − 1)
/// multiplies an error in t by s·eᵗ ≤ |∂E/∂t|, which the sensitivity L carries (∂E/∂z = ∂E/∂t·∂t/∂z);
/// the ReLU's kink can only move a value across 0 by the same ~1e-6. Measured (400 events): scaled
/// ONNX ≤ 4.1e-7, C ≤ 4.1e-7 — a factor ≥ 20 below the bound.
module GenStats.Tests.Models.ExportConvGanTests

open Expecto
open System
open GenStats.Models
open GenStats.Tensors.Backends
open GenStats.Tests.Models.ConvGanTests
open Microsoft.ML.OnnxRuntime

let private tolerance = 1e-5

/// Tiny networks trained 8 steps (BatchNorm running statistics away from 0 and 1) on blobs.
let private trained (upsample: UpsampleMode) (output: ImageOutput) (scaling: ImageScaling) h w conditional =
    let images, cond = blobs (Random(9)) 48 h w

    let o =
        ConvGanOptions(
            LatentSize = 6,
            GeneratorChannels = [| 8; 6; 4 |],
            CriticChannels = [| 4; 8; 8 |],
            CriticHidden = 8,
            RegressorChannels = [| 4; 4; 4 |],
            RegressorSteps = 2,
            BatchSize = 16,
            Steps = 8,
            CriticSteps = 1,
            GeneratorLearningRate = 1e-3f,
            CriticLearningRate = 1e-3f,
            EmaDecay = 0f,
            HeldOutFraction = 0.0,
            Upsample = upsample,
            Output = output,
            Scaling = scaling,
            Seed = 3UL
        )

    let c, names = if conditional then cond, [| "e" |] else null, null
    (ConvGanTrainer.Train(images, h, w, c, null, o, names)).Model

let private energies (r: Random) n =
    Array.init n (fun _ -> [| float (float32 (1.0 + 4.0 * r.NextDouble())) |])

let private exports upsample output scaling h w conditional =
    let m = trained upsample output scaling h w conditional

    ExportHarness.check
        tolerance
        true
        m
        (fun c z -> m.SampleFromNoise(c, z))
        (if conditional then Some energies else None)
        $"conv-gan {upsample} {output} {scaling} {h}×{w} conditional {conditional}"
    |> ignore

[<Tests>]
let tests =
    testList
        "Export conv-gan"
        [
            for upsample, output, scaling, h, w, conditional in
                [
                    UpsampleMode.Nearest, ImageOutput.Relu, ImageScaling.Log1p, 8, 8, true
                    UpsampleMode.Bilinear, ImageOutput.Softplus, ImageScaling.Log1p, 5, 7, true
                    UpsampleMode.Bilinear, ImageOutput.Identity, ImageScaling.Linear, 12, 12, false
                ] do
                test
                    $"a trained conv GAN ({upsample}, {output}, {scaling}, {h}×{w}, conditional {conditional}) exported to ONNX and C gives SampleFromNoise's images" {
                    exports upsample output scaling h w conditional
                }
            test
                "the ONNX output is images [batch, H, W]; SampleFromNoise is what Sample computes on its own seeded draws" {
                let m = trained UpsampleMode.Nearest ImageOutput.Relu ImageScaling.Log1p 5 7 true
                use session = new InferenceSession(ModelExport.OnnxBytes m)
                let out = Seq.exactlyOne session.OutputMetadata
                Expect.equal out.Key "images" "output name"
                Expect.equal out.Value.Dimensions [| -1; 5; 7 |] "[batch, H, W]"
                Expect.equal (ModelExport.NoiseWidth m) 6 "noise width = latent size"
                let c = energies (Random(4)) 50
                let t = GenStats.Tensors.Rng(21UL).Normal(50, 6).ToArray()
                let noise = Array.init 50 (fun i -> Array.init 6 (fun k -> float t[i * 6 + k]))
                Expect.equal (m.SampleFromNoise(c, noise)) (m.Sample(c, 21)) "same rows, bit for bit"
            }
        ]
