/// The F# GAN/VAE wrappers train, sample deterministically and report histories.
module GenStats.Validation.Tests.GanTests

open System
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Models
open GenStats.Validation

let ``Gan wrappers train a small model and sample the same values for the same seed`` () =
    let rnd = Random(1)
    let x = Array.init 500 (fun _ -> [| rnd.NextDouble() * 2.0 - 1.0 |])
    let y = Array.init 500 (fun _ -> [| rnd.NextDouble() |])
    let o = GanOptions(Loss = GanLoss.WganGp, LatentSize = 2, GeneratorLayers = [| 8 |], CriticLayers = [| 8 |], Steps = 5, BatchSize = 64,
                       HeldOutFraction = 0.2, EvaluateEvery = 5)
    let r = x |> Gan.train o None (Some y)
    let cond = Array.init 20 (fun i -> [| float i / 20.0 |])
    let a = r.Model |> Gan.sample 3 cond
    Expect.isTrue (a = (r.Model |> Gan.sample 3 cond)) "deterministic for a seed"
    Expect.equal a.Length 20 "a.Length"
    Expect.isTrue ((Gan.energyHistory r.History |> List.map fst) = [ 5L ]) "one evaluation at step 5"
    let v = x |> Gan.trainVae (VaeOptions(Steps = 5, LatentSize = 2, EncoderLayers = [| 8 |], DecoderLayers = [| 8 |])) None (Some y)
    let e = v.Model |> Gan.elbo 1 None (Some y) x
    Expect.isTrue (Double.IsFinite e.PerEvent) "Double.IsFinite e.PerEvent"

[<Tests>]
let tests =
    testList "GanTests" [
        slow [
            testCase "Gan wrappers train a small model and sample the same values for the same seed" ``Gan wrappers train a small model and sample the same values for the same seed``
        ]
    ]
