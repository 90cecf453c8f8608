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
    Expect.isLessThan (abs v.WithLoss.Sigma) 3.0 "the loss reached the variance"
    Expect.isFalse v.StillOff "within 3σ: not flagged"
    Expect.equal v.Note (inLossNote v.WithLoss.Sigma) "v.Note"
    Expect.stringStarts v.Note "in the loss — not evidence (" "labelled with its σ, not flagged"
    Expect.isGreaterThan (abs v.WithoutLoss.Sigma) 5.0 "the plain model misses the variance"
    let s = row "skewness"
    Expect.isFalse s.InLoss "s.InLoss"
    // A Gaussian has no skew, the LogNormal(0, 0.5) has 1.75: held out, it exposes both models.
    Expect.isGreaterThan (abs s.WithLoss.Sigma) 5.0 "abs s.WithLoss.Sigma"
    Expect.isGreaterThan (abs s.WithoutLoss.Sigma) 5.0 "abs s.WithoutLoss.Sigma"
    Expect.isLessThan (abs (row "mean").WithLoss.Sigma) 3.0 ("abs (row \"mean\").WithLoss.Sigma")
    Expect.isTrue (evidence r |> List.map (fun x -> x.Name) = [ "mean"; "skewness" ]) "evidence = held-out statistics"
    Expect.equal ((toSection r).Tables.Head.Rows.Length) 3 "(toSection r).Tables.Head.Rows.Length"

let ``a statistic in the loss that is still off is flagged with its deviation`` () =
    // A "trainer" that ignores its loss: the variance stays at 0.25, the LogNormal(0, 0.5) has
    // (e^0.25 − 1)e^0.25 = 0.365, far beyond 3σ with 3000 events.
    let r = run (fun _ -> train []) [ "variance" ] stats real
    let v = r.Rows |> List.find (fun x -> x.Name = "variance")
    Expect.isTrue v.InLoss "v.InLoss"
    Expect.isGreaterThan (abs v.WithLoss.Sigma) 5.0 "the variance is off"
    Expect.isTrue v.StillOff "flagged"
    Expect.stringContains v.Note "not evidence" "still not evidence"
    Expect.stringContains v.Note (sprintf "still off: %+.1fσ" v.WithLoss.Sigma) "the measured σ is shown"
    Expect.isFalse (v.Note.Contains "by construction") "never 'matched by construction' beside a large deviation"

let ``the in-loss note shows the σ and flags beyond 3σ`` () =
    Expect.equal (inLossNote 10.24) "in the loss — not evidence; still off: +10.2σ" "flagged"
    Expect.equal (inLossNote -4.0) "in the loss — not evidence; still off: -4.0σ" "flagged on either side"
    Expect.equal (inLossNote -0.44) "in the loss — not evidence (-0.4σ)" "not flagged"
    Expect.equal (inLossNote 3.0) "in the loss — not evidence (+3.0σ)" "3σ itself is not flagged"
    Expect.isTrue (isStillOff nan) "a NaN deviation is flagged"

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
            testCase
                "a statistic in the loss that is still off is flagged with its deviation"
                ``a statistic in the loss that is still off is flagged with its deviation``
            testCase
                "the in-loss note shows the σ and flags beyond 3σ"
                ``the in-loss note shows the σ and flags beyond 3σ``
            testCase "an unknown statistic in the loss is rejected" ``an unknown statistic in the loss is rejected``
        ]
