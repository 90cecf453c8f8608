/// Oversampling (K events per condition row, weight 1/K) for any model, and why its uncertainties
/// must resample condition rows: on a toy with a known answer the per-event σ of a mean is too
/// small and the row-clustered σ is right.
module GenStats.Tests.Models.FlowMatchingOversamplingTests

open Expecto
open System
open GenStats.Models
open GenStats.Stats
open GenStats.Tests.Models.GanToys

/// x | y = y + s·ε, ε ~ N(0, 1): a generator whose answer is known.
let private toy (s: float) =
    { new IConditionalGenerator with
        member _.ModelType = "toy"
        member _.FeatureNames = [| "x" |]
        member _.ConditionNames = [| "y" |]

        member _.Sample(conditions: float[][], seed: int) =
            let e = normals (Random seed) conditions.Length
            conditions |> Array.mapi (fun i c -> [| c[0] + s * e[i] |])

        member _.Sample(_: int, _: int) : float[][] = invalidOp "conditional"
        member _.ToModelFile() = raise (NotSupportedException())
    }

let ``oversampled weights sum to the number of condition rows and rows repeat K times`` () =
    let conditions = Array.init 7 (fun i -> [| float i |])
    let s = Oversampling.Sample(toy 0.1, conditions, 3, 11)
    Expect.equal s.Count 21 "7 rows × 3"
    // Σ 21 × 1/3 = 7 exactly up to rounding of 1/3
    Expect.isLessThan (abs (Array.sum s.Weights - 7.0)) 1e-12 "Σw = rows"

    Expect.equal
        s.Rows
        [|
            for i in 0..6 do
                for _ in 1..3 -> i
        |]
        "row labels"

    Expect.isTrue
        (s.Conditions
         |> Array.mapi (fun e c -> c[0] = float s.Rows[e])
         |> Array.forall id)
        "each event carries its row's condition"

    let weighted =
        Oversampling.Sample(toy 0.1, conditions, 4, 11, Array.init 7 (fun i -> float (i + 1)))
    // Σ_rows w_row = 1 + … + 7 = 28
    Expect.isLessThan (abs (Array.sum weighted.Weights - 28.0)) 1e-12 "Σw = Σ row weights"
    // K = 1 is the model's own sample
    let one = Oversampling.Sample(toy 0.1, conditions, 1, 11)
    Expect.equal one.Features ((toy 0.1).Sample(conditions, 11)) "K = 1 equals Sample"
    Expect.throwsT<ArgumentException> (fun () -> Oversampling.Sample(toy 0.1, conditions, 0, 1) |> ignore) "K = 0"

let ``a flow-matching model oversamples like any model`` () =
    let rnd = Random(5)
    let x = Array.init 500 (fun _ -> [| rnd.NextDouble() |])

    let model =
        (FlowMatchingTrainer.Train(x, x, null, FlowMatchingOptions(Layers = [| 8 |], Steps = 3, EvaluateEvery = 0)))
            .Model

    let s =
        Oversampling.Sample(model, Array.init 10 (fun i -> [| float i / 10.0 |]), 5, 2)

    Expect.isLessThan (abs (Array.sum s.Weights - 10.0)) 1e-12 "Σw = 10 rows"
    // the K events of a row differ (each has its own noise)
    Expect.notEqual s.Features[0] s.Features[1] "different events within a row"

let ``the per-event sigma of an oversampled mean is too small and the row-clustered one is right`` () =
    // G rows y ~ N(0, 1), K events x = y + s·ε each: Var(x̄) = (1 + s²/K)/G exactly (the rows are
    // independent, the K events of a row share y), while a per-event error assumes (1 + s²)/(GK).
    let g, k, s, replicas = 200, 10, 0.5, 300
    let truth = sqrt ((1.0 + s * s / float k) / float g) // 0.07159
    let naiveTruth = sqrt ((1.0 + s * s) / float (g * k)) // 0.02500

    let results =
        Array.init replicas (fun r ->
            let y = normals (Random(1000 + r)) g |> Array.map (fun v -> [| v |])
            let o = Oversampling.Sample(toy s, y, k, 5000 + r)
            ClusteredMean.Compute(o.Features |> Array.map (fun f -> f[0]), o.Weights, o.Rows))

    let means = results |> Array.map (fun m -> m.Mean)
    let spread = sd means
    let clustered = results |> Array.averageBy (fun m -> m.StandardError)
    let naive = results |> Array.averageBy (fun m -> m.NaiveStandardError)
    // the spread of 300 means estimates the true σ to 1/√(2·299) = 4.1 %: 3σ = 12 %
    Expect.isLessThan (abs (spread / truth - 1.0)) 0.12 (sprintf "spread of the means %.5f vs exact %.5f" spread truth)
    // one clustered σ scatters by ≈ 1/√(2G) = 5 % around the truth; the mean of 300 to 0.3 %, plus
    // the O(1/G) bias of the sandwich estimator: 3 % is many standard errors
    Expect.isLessThan (abs (clustered / truth - 1.0)) 0.03 (sprintf "clustered σ %.5f vs exact %.5f" clustered truth)

    Expect.isLessThan
        (abs (naive / naiveTruth - 1.0))
        0.03
        (sprintf "naive σ %.5f vs its formula %.5f" naive naiveTruth)

    Expect.isLessThan naive (0.4 * spread) "the per-event σ is ≈ 0.35 of the true spread"
    // coverage of ±1σ: 0.683 with the right σ (binomial σ of 300 replicas: 0.027); 2Φ(0.35) − 1 ≈ 0.27 with the naive one
    let covered (se: ClusteredMeanResult -> float) =
        float (results |> Array.filter (fun m -> abs m.Mean <= se m) |> Array.length)
        / float replicas

    Expect.isLessThan (abs (covered (fun m -> m.StandardError) - 0.683)) 0.08 "clustered coverage ≈ 68 %"
    Expect.isLessThan (covered (fun m -> m.NaiveStandardError)) 0.4 "naive coverage far below 68 %"
    // design effect (σ_clustered/σ_naive)² = (1 + s²/K)·K/(1 + s²) = 8.2
    let deff = results |> Array.averageBy (fun m -> m.DesignEffect)
    Expect.isLessThan (abs (deff / 8.2 - 1.0)) 0.06 (sprintf "design effect %.3f vs 8.2" deff)

let ``cluster bootstrap multipliers are shared within a cluster`` () =
    let labels = [| 0; 0; 1; 2; 2; 2 |]
    let m = Bootstrap.ClusterMultipliers(labels, 3, 7, 0)
    Expect.equal m[0] m[1] "cluster 0"
    Expect.isTrue (m[3] = m[4] && m[4] = m[5]) "cluster 2"
    Expect.equal m[2] (Bootstrap.PoissonMultipliers(3, 7, 0)[1]) "cluster 1 takes its own Poisson count"

    Expect.throwsT<ArgumentException>
        (fun () -> Bootstrap.ClusterMultipliers([| 3 |], 3, 7, 0) |> ignore)
        "label out of range"

let ``genstats train --model cfm, then sample --oversample K writes weight and row columns`` () =
    let dir =
        IO.Directory
            .CreateDirectory(
                IO.Path.Combine(IO.Path.GetTempPath(), sprintf "genstats-cfm-%s" (Guid.NewGuid().ToString("N")))
            )
            .FullName

    try
        let rnd = Random(43)
        let data = IO.Path.Combine(dir, "train.csv")

        IO.File.WriteAllLines(
            data,
            Array.append
                [| "x,y" |]
                (Array.init 300 (fun _ ->
                    let y = rnd.NextDouble() in sprintf "%.6f,%.6f" (y + 0.1 * rnd.NextDouble()) y))
        )

        let cfg = IO.Path.Combine(dir, "cfg.json")
        // 300 events: fewer than the default batch of 1 024, which train refuses
        IO.File.WriteAllText(
            cfg,
            """{"layers": [8], "odeSteps": 4, "solver": "rk4", "evaluateEvery": 0, "batchSize": 256}"""
        )

        let model = IO.Path.Combine(dir, "m.gsm")

        let code, _, err =
            GenStats.Tests.Repository.runCli
                [
                    "train"
                    "--data"
                    data
                    "--features"
                    "x"
                    "--conditions"
                    "y"
                    "--model"
                    "cfm"
                    "--config"
                    cfg
                    "--steps"
                    "20"
                    "--out"
                    model
                ]

        Expect.equal code 0 ("train: " + err)
        let conditions = IO.Path.Combine(dir, "cond.csv")
        IO.File.WriteAllLines(conditions, [| "y"; "0.1"; "0.5"; "0.9"; "0.2" |])
        let out = IO.Path.Combine(dir, "gen.csv")

        let sample k =
            GenStats.Tests.Repository.runCli
                [
                    "sample"
                    "--model"
                    model
                    "--conditions"
                    conditions
                    "--oversample"
                    k
                    "--out"
                    out
                    "--seed"
                    "4"
                ]

        let code, _, err = sample "3"

        Expect.equal code 0 ("sample: " + err)
        let table = GenStats.Data.Csv.Read out
        Expect.sequenceEqual table.ColumnNames [ "y"; "x"; "weight"; "row" ] "columns"
        Expect.equal table.Count 12 "4 rows × 3"
        // Σ 12 × 1/3 = 4 condition rows
        Expect.isLessThan (abs (Array.sum (table.Column "weight") - 4.0)) 1e-9 "Σ weight = condition rows"

        Expect.equal
            (table.Column "row")
            [|
                for i in 0..3 do
                    for _ in 1..3 -> float i
            |]
            "row labels"

        Expect.equal
            (table.Column "y")
            [|
                for v in [ 0.1; 0.5; 0.9; 0.2 ] do
                    for _ in 1..3 -> v
            |]
            "conditions repeated"

        let code, _, err = sample "0"

        Expect.equal code 1 "K = 0 is an error"
        GenStats.Tests.Expectations.contains "--oversample is 0" err "message"
    finally
        IO.Directory.Delete(dir, true)

[<Tests>]
let tests =
    testList
        "Models.FlowMatching.Oversampling"
        [
            testCase
                "oversampled weights sum to the number of condition rows and rows repeat K times"
                ``oversampled weights sum to the number of condition rows and rows repeat K times``
            testCase
                "a flow-matching model oversamples like any model"
                ``a flow-matching model oversamples like any model``
            testCase
                "the per-event σ of an oversampled mean is too small and the row-clustered one is right"
                ``the per-event sigma of an oversampled mean is too small and the row-clustered one is right``
            testCase
                "cluster bootstrap multipliers are shared within a cluster"
                ``cluster bootstrap multipliers are shared within a cluster``
            // three CLI processes: ≈ 8 s on 2 loaded cores
            GenStats.Tests.TestMain.slow
                [
                    testCase
                        "genstats train --model cfm, then sample --oversample K writes weight and row columns"
                        ``genstats train --model cfm, then sample --oversample K writes weight and row columns``
                ]
        ]
