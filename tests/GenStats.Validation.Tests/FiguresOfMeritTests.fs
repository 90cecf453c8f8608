module GenStats.Tests.Validation.FiguresOfMeritTests

open System
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Validation
open GenStats.Validation.FiguresOfMerit
open GenStats.Tests.Tolerance

let private normals (seed: int) n mean sigma =
    let rng = Random(seed)

    Array.init n (fun _ ->
        let u1 = 1.0 - rng.NextDouble()
        let u2 = rng.NextDouble()
        mean + sigma * sqrt (-2.0 * log u1) * cos (2.0 * Math.PI * u2))

let ``unit-weight efficiency is the binomial one`` () =
    // 3 of 4 pass: ε = 3/4, σ = √(ε(1 − ε)/N) = √(0.1875/4).
    let e = efficiency None [| true; true; false; true |]
    assertClose veryHigh 0.75 e.Value "efficiency"
    assertClose veryHigh (sqrt (0.1875 / 4.0)) e.Uncertainty "uncertainty"

let ``efficiency and its uncertainty do not change when all weights are scaled`` () =
    let gen =
        gen {
            let! n = Gen.choose (1, 50)
            let! passes = Gen.arrayOfLength n (Gen.elements [ true; false ])
            let! ws = Gen.arrayOfLength n (Gen.choose (1, 1000) |> Gen.map (fun i -> float i / 100.0))
            let! c = Gen.choose (1, 10000) |> Gen.map (fun i -> float i / 100.0)
            return passes, ws, c
        }

    Prop.forAll (Arb.fromGen gen) (fun (passes, ws, c) ->
        let a = efficiency (Some ws) passes
        let b = efficiency (Some(ws |> Array.map ((*) c))) passes
        isClose high a.Value b.Value && isClose high a.Uncertainty b.Uncertainty)

let ``integer weights give the efficiency of repeated events`` () =
    let a = efficiency (Some [| 2.0; 1.0; 3.0 |]) [| true; false; true |]
    let b = efficiency None [| true; true; false; true; true; true |]
    assertClose veryHigh b.Value a.Value "efficiency"

let ``efficiency in bins counts only events inside each bin`` () =
    let p = [| 1.0; 2.0; 3.0; 11.0; 12.0; 50.0 |]
    let pass = [| true; false; true; true; true; true |]

    match efficiencyInBins [| 0.0; 10.0; 20.0 |] p None pass with
    | [ low; high ] ->
        Expect.equal low.Events 3 "low.Events"
        assertClose veryHigh (2.0 / 3.0) low.Measurement.Value "low bin"
        Expect.equal high.Events 2 "high.Events"
        assertClose veryHigh 1.0 high.Measurement.Value "high bin"
    | bins -> failtest (sprintf "expected 2 bins, got %d" bins.Length)

let ``efficiency in bins: a value on an edge belongs to the bin above it, the last edge to none`` () =
    // By hand, bins [0, 10) and [10, 20): 0 and 5 (both pass) fill the first, the two 10s (both
    // fail) the second, and 20 lies outside: (2 events, ε = 1) and (2 events, ε = 0).
    let p = [| 0.0; 10.0; 10.0; 20.0; 5.0 |]
    let pass = [| true; false; false; true; true |]

    match efficiencyInBins [| 0.0; 10.0; 20.0 |] p None pass with
    | [ low; high ] ->
        Expect.equal (low.Events, high.Events) (2, 2) "events per bin"
        assertClose veryHigh 1.0 low.Measurement.Value "[0, 10)"
        assertClose veryHigh 0.0 high.Measurement.Value "[10, 20)"
    | bins -> failtest (sprintf "expected 2 bins, got %d" bins.Length)

let ``bad efficiency input is refused with a clear error`` () =
    Expectations.raises<ArgumentException> "efficiency None [||]" (fun () -> efficiency None [||] |> ignore)
    |> ignore

    Expectations.raises<ArgumentException> "efficiency (Some [| 1.0 |]) [| true; false |]" (fun () ->
        efficiency (Some [| 1.0 |]) [| true; false |] |> ignore)
    |> ignore

    Expectations.raises<ArgumentException> "efficiency (Some [| 1.0; -1.0 |]) [| true; false |]" (fun () ->
        efficiency (Some [| 1.0; -1.0 |]) [| true; false |] |> ignore)
    |> ignore

    Expectations.raises<ArgumentException> "efficiencyInBins [| 1.0; 1.0 |] [| 1.0 |] None [| true |]" (fun () ->
        efficiencyInBins [| 1.0; 1.0 |] [| 1.0 |] None [| true |] |> ignore)
    |> ignore

let ``comparison is the difference in units of the combined uncertainty`` () =
    let c =
        compareMeasurements "x" { Value = 1.0; Uncertainty = 0.3 } { Value = 1.5; Uncertainty = 0.4 }

    assertClose veryHigh 0.5 c.Difference "difference"
    assertClose veryHigh 1.0 c.Sigma "sigma" // 0.5 / √(0.09 + 0.16)

let ``bootstrap uncertainty of a weighted mean agrees with the analytic standard error`` () =
    let xs = normals 11 2000 0.0 1.0
    let ws = Array.init xs.Length (fun i -> 0.5 + float (i % 7) / 6.0)

    let m =
        xs
        |> measure (BootstrapOptions(400, 3)) (fun v w -> WeightedDescriptive.Mean(v, w)) (Some ws)

    let analytic = WeightedDescriptive.StandardErrorOfMean(xs, ws)
    // 400 replicas estimate a standard deviation to ±3.5 %; allow 5 σ of that.
    assertClose { Absolute = 0.0; Relative = 0.18 } analytic m.Uncertainty "bootstrap vs analytic SE"
    assertClose veryHigh (WeightedDescriptive.Mean(xs, ws)) m.Value "nominal value"

let ``the same distribution on both sides is compatible, a shifted one is not`` () =
    let real = normals 1 3000 0.0 1.0
    let same = normals 2 3000 0.0 1.0
    let shifted = normals 3 3000 0.3 1.0
    let mean = fun (v: float[]) (w: float[]) -> WeightedDescriptive.Mean(v, w)
    let ok = compareStatistic "mean" (BootstrapOptions(200, 5)) mean None real None same

    let bad =
        compareStatistic "mean" (BootstrapOptions(200, 5)) mean None real None shifted
    // Under the null |σ| < 4 fails once in 16 000; the 0.3 shift is 0.3/√(2/3000) ≈ 11.6 σ away.
    Expect.isLessThan (abs ok.Sigma) 4.0 "abs ok.Sigma"
    Expect.isGreaterThan bad.Sigma 7.0 "bad.Sigma"

[<Tests>]
let tests =
    testList
        "FiguresOfMeritTests"
        [
            testCase "unit-weight efficiency is the binomial one" ``unit-weight efficiency is the binomial one``
            testPropertyN
                100
                "efficiency and its uncertainty do not change when all weights are scaled"
                ``efficiency and its uncertainty do not change when all weights are scaled``
            testCase
                "integer weights give the efficiency of repeated events"
                ``integer weights give the efficiency of repeated events``
            testCase
                "efficiency in bins counts only events inside each bin"
                ``efficiency in bins counts only events inside each bin``
            testCase
                "efficiency in bins: a value on an edge belongs to the bin above it, the last edge to none"
                ``efficiency in bins: a value on an edge belongs to the bin above it, the last edge to none``
            testCase
                "bad efficiency input is refused with a clear error"
                ``bad efficiency input is refused with a clear error``
            testCase
                "comparison is the difference in units of the combined uncertainty"
                ``comparison is the difference in units of the combined uncertainty``
            testCase
                "bootstrap uncertainty of a weighted mean agrees with the analytic standard error"
                ``bootstrap uncertainty of a weighted mean agrees with the analytic standard error``
            testCase
                "the same distribution on both sides is compatible, a shifted one is not"
                ``the same distribution on both sides is compatible, a shifted one is not``
        ]
