module GenStats.Tests.Validation.ModelsTests

open System
open System.IO
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Data
open GenStats.Models
open GenStats.Validation

let ``models fit, sample, save and load from an F# pipeline`` () =
    // A library with k = 1 returns training values; after a save/load round trip the same seed
    // gives the same events, and an unconditional KDE of N(0,1)-like data has mean near 0.
    let rng = Random 7
    let xs = Array.init 500 (fun _ -> rng.NextDouble() * 2.0 - 1.0)
    let ys = Array.init 500 (fun i -> float i / 500.0)
    let data = Dataset.Create([| "x"; "y" |], [| xs; ys |]).WithRoles([| "x" |], [| "y" |])
    let lib = data |> Models.library 1 LibraryRule.WeightedPick
    let out = lib |> Models.sampleAt 3 [| [| 0.0 |]; [| 0.5 |] |]
    Expect.equal (out.[0].[0]) (xs.[0]) "out.[0].[0]"
    Expect.equal (out.[1].[0]) (xs.[250]) "out.[1].[0]"
    let path = Path.Combine(Path.GetTempPath(), sprintf "genstats-fs-%s.gsm" (Guid.NewGuid().ToString("N")))
    try
        let kde = Dataset.Create([| "x" |], [| xs |]).WithRoles([| "x" |]) |> Models.kdeScott
        kde |> Models.save path
        let loaded = Models.load path
        Expect.equal loaded.ModelType "kde" "loaded.ModelType"
        Expect.isTrue ((loaded |> Models.sample 5 100) = (kde |> Models.sample 5 100)) "(loaded |> Models.sample 5 100) = (kde |> Models.sample 5 100)"
        let draws = kde |> Models.sample 1 20000 |> Array.map (fun r -> r.[0])
        // Uniform(−1, 1) training data: variance 1/3 (+ kernel); mean 0 ± 5·√(0.4/n_train).
        Expect.isLessThan (abs (Array.average draws - Array.average xs)) (5.0 * sqrt (0.4 / 20000.0) + 1e-12) "abs (Array.average draws - Array.average xs)"
    finally
        File.Delete path

[<Tests>]
let tests =
    testList "ModelsTests" [
        testCase "models fit, sample, save and load from an F# pipeline" ``models fit, sample, save and load from an F# pipeline``
    ]
