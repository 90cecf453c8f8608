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

    let data =
        Dataset.Create([| "x"; "y" |], [| xs; ys |]).WithRoles([| "x" |], [| "y" |])

    let lib = data |> Models.library 1 LibraryRule.WeightedPick
    let out = lib |> Models.sampleAt 3 [| [| 0.0 |]; [| 0.5 |] |]
    Expect.equal (out.[0].[0]) (xs.[0]) "out.[0].[0]"
    Expect.equal (out.[1].[0]) (xs.[250]) "out.[1].[0]"

    let path =
        Path.Combine(Path.GetTempPath(), sprintf "genstats-fs-%s.gsm" (Guid.NewGuid().ToString("N")))

    try
        let kde =
            Dataset.Create([| "x" |], [| xs |]).WithRoles([| "x" |])
            |> Kde.trainOn Kde.defaults 0

        kde |> Kde.save path
        let loaded = Models.load path
        Expect.equal loaded.ModelType "kde" "loaded.ModelType"

        Expect.isTrue
            ((loaded |> Models.sample 5 100) = (kde |> Kde.sample 5 100))
            "(loaded |> Models.sample 5 100) = (kde |> Kde.sample 5 100)"

        Expect.equal (Kde.load path |> Kde.sample 5 100) (kde |> Kde.sample 5 100) "Kde.load"
        let draws = kde |> Kde.sample 1 20000 |> Array.map (fun r -> r.[0])
        // Uniform(−1, 1) training data: variance 1/3 (+ kernel); mean 0 ± 5·√(0.4/n_train).
        Expect.isLessThan
            (abs (Array.average draws - Array.average xs))
            (5.0 * sqrt (0.4 / 20000.0) + 1e-12)
            "abs (Array.average draws - Array.average xs)"
    finally
        File.Delete path

let ``Kde.train on arrays equals Kde.trainOn the dataset, conditional or not`` () =
    let rng = Random 8
    let xs = Array.init 200 (fun _ -> rng.NextDouble())
    let ys = Array.init 200 (fun _ -> rng.NextDouble())
    let ws = Array.init 200 (fun i -> 0.5 + float (i % 3))

    let data =
        Dataset.Create([| "x"; "y"; "w" |], [| xs; ys; ws |]).WithRoles([| "x" |], [| "y" |], "w")

    let rows (v: float[]) = v |> Array.map (fun x -> [| x |])
    let cond = rows [| 0.1; 0.5; 0.9 |]
    let onData = data |> Kde.trainOn Kde.defaults 0
    let onArrays = rows xs |> Kde.train Kde.defaults 0 (Some ws) (Some(rows ys))
    Expect.equal (onArrays |> Kde.sampleAt 3 cond) (onData |> Kde.sampleAt 3 cond) "conditional KDE"
    let plain = rows xs |> Kde.train Kde.defaults 0 None None

    let plainData =
        Dataset.Create([| "x" |], [| xs |]).WithRoles([| "x" |])
        |> Kde.trainOn Kde.defaults 0

    Expect.equal (plain |> Kde.sample 2 50) (plainData |> Kde.sample 2 50) "unconditional KDE"
    Expect.equal (plain |> Kde.logDensity (rows [| 0.5 |])) (plainData |> Kde.logDensity (rows [| 0.5 |])) "log density"

[<Tests>]
let tests =
    testList
        "ModelsTests"
        [
            testCase
                "Kde.train on arrays equals Kde.trainOn the dataset, conditional or not"
                ``Kde.train on arrays equals Kde.trainOn the dataset, conditional or not``
            testCase
                "models fit, sample, save and load from an F# pipeline"
                ``models fit, sample, save and load from an F# pipeline``
        ]
