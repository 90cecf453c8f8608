module GenStats.Tests.Validation.Studies.HoldoutTests

open System
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Stats
open GenStats.Validation.Studies.Holdout

let private normals (seed: int) n =
    let rng = Random(seed)

    Array.init n (fun _ ->
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble()))

let private column (rows: float[][]) = rows |> Array.map (fun r -> r.[0])

let private moment (k: int) (rows: float[][]) (w: float[]) =
    let x = column rows
    let m = WeightedDescriptive.Mean(x, w)
    let sw = Array.sum w
    Array.fold2 (fun acc xi wi -> acc + wi * (xi - m) ** float k) 0.0 x w / sw

let private options = BootstrapOptions(100, 5)

let private stats =
    [
        statistic "mean" options (fun rows w -> WeightedDescriptive.Mean(column rows, w))
        statistic "variance" options (moment 2)
        statistic "skewness" options (fun rows w -> moment 3 rows w / (moment 2 rows w ** 1.5))
    ]

// Real data: LogNormal(0, 0.5). Stand-in model: a Gaussian with the sample mean; its variance is
// matched only when "variance" is in the loss (else it uses 0.25, the variance of ln x).
let private real = normals 1 3000 |> Array.map (fun z -> [| exp (0.5 * z) |])

let private train (inLoss: string list) =
    let x = column real
    let m = Array.average x

    let sd =
        if List.contains "variance" inLoss then
            WeightedDescriptive.StandardDeviation x
        else
            0.5

    normals 2 3000 |> Array.map (fun z -> [| m + sd * z |])

let ``a statistic in the loss is flagged and matched, held-out ones reveal the model`` () =
    let r = run train [ "variance" ] stats real

    let row name =
        r.Rows |> List.find (fun x -> x.Name = name)

    let v = row "variance"
    Expect.isTrue v.InLoss "v.InLoss"
    Expect.equal v.Note matchedNote "v.Note"
    Expect.isLessThan (abs v.WithLoss.Sigma) 3.0 "matched by construction"
    Expect.isGreaterThan (abs v.WithoutLoss.Sigma) 5.0 "the plain model misses the variance"
    let s = row "skewness"
    Expect.isFalse s.InLoss "s.InLoss"
    // A Gaussian has no skew, the LogNormal(0, 0.5) has 1.75: held out, it exposes both models.
    Expect.isGreaterThan (abs s.WithLoss.Sigma) 5.0 "abs s.WithLoss.Sigma"
    Expect.isGreaterThan (abs s.WithoutLoss.Sigma) 5.0 "abs s.WithoutLoss.Sigma"
    Expect.isLessThan (abs (row "mean").WithLoss.Sigma) 3.0 ("abs (row \"mean\").WithLoss.Sigma")
    Expect.isTrue (evidence r |> List.map (fun x -> x.Name) = [ "mean"; "skewness" ]) "evidence = held-out statistics"
    Expect.equal ((toSection r).Tables.Head.Rows.Length) 3 "(toSection r).Tables.Head.Rows.Length"

let ``an unknown statistic in the loss is rejected`` () =
    Expectations.raises<ArgumentException> "run train [ \"kurtosis\" ] stats real" (fun () ->
        run train [ "kurtosis" ] stats real |> ignore)
    |> ignore

[<Tests>]
let tests =
    testList
        "HoldoutTests"
        [
            testCase
                "a statistic in the loss is flagged and matched, held-out ones reveal the model"
                ``a statistic in the loss is flagged and matched, held-out ones reveal the model``
            testCase "an unknown statistic in the loss is rejected" ``an unknown statistic in the loss is rejected``
        ]
