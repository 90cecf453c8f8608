module GenStats.Tests.Stats.BootstrapTests

open Expecto
open System
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Expectations

/// A reproducible weighted sample: x from a fixed seed, weights in [0.5, 2].
let private weightedSample n seed =
    let rng = Random(seed: int)
    Array.init n (fun _ -> rng.NextDouble() * 10.0 - 3.0), Array.init n (fun _ -> 0.5 + 1.5 * rng.NextDouble())

let private weightedMean (xs: float[]) (ws: float[]) = WeightedDescriptive.Mean(xs, ws)

let ``same seed gives the same replicas bit for bit, another seed does not`` () =
    let xs, ws = weightedSample 200 3

    let run seed =
        Bootstrap.OneSample(xs.Length, ws, (fun w -> weightedMean xs w), BootstrapOptions(50, seed))

    let a, b, c = run 7, run 7, run 8
    Expect.equal a.Replicas b.Replicas "a.Replicas"
    Expect.equal a.StandardDeviation b.StandardDeviation "a.StandardDeviation"
    Expect.notEqual a.Replicas c.Replicas "a.Replicas"
    Expect.equal a.Method "poisson-bootstrap(50, seed 7)" "a.Method"

let ``two-sample replicas are deterministic and resample both samples`` () =
    let xs, ws = weightedSample 100 4
    let ys, vs = weightedSample 80 5
    let stat (wa: float[]) (wb: float[]) = weightedMean xs wa - weightedMean ys wb

    let a =
        Bootstrap.TwoSample(xs.Length, ws, ys.Length, vs, Func<_, _, _> stat, BootstrapOptions(40, 11))

    let b =
        Bootstrap.TwoSample(xs.Length, ws, ys.Length, vs, Func<_, _, _> stat, BootstrapOptions(40, 11))

    Expect.equal a.Replicas b.Replicas "a.Replicas"
    // Var(difference) = Var(mean A) + Var(mean B) > either part.
    let onlyA =
        Bootstrap.TwoSample(
            xs.Length,
            ws,
            ys.Length,
            vs,
            Func<_, _, _>(fun wa _ -> weightedMean xs wa),
            BootstrapOptions(40, 11)
        )

    Expect.isGreaterThan a.StandardDeviation (onlyA.StandardDeviation * 0.9) "a.StandardDeviation"

let ``Poisson multipliers have mean 1 and variance 1`` () =
    // 200 000 Poisson(1) draws: the sample mean and variance are 1 ± 5·√(1/n), ±5·√(3/n) roughly.
    let m = Bootstrap.PoissonMultipliers(200_000, 5, 0)
    let mean = Array.average m
    let var = m |> Array.averageBy (fun x -> (x - mean) ** 2.0)
    Expect.isLessThan (abs (mean - 1.0)) (5.0 * sqrt (1.0 / 200_000.0)) "abs (mean - 1.0)"
    Expect.isLessThan (abs (var - 1.0)) (5.0 * sqrt (3.0 / 200_000.0)) "abs (var - 1.0)"

let ``bootstrap standard error of a weighted mean matches the analytic sandwich estimate`` () =
    // With R replicas the bootstrap SD has relative precision ≈ 1/√(2(R − 1)) (≈ 1.6 % for
    // R = 2000); 5σ of that plus O(1/N) estimator differences gives the 10 % band.
    let xs, ws = weightedSample 400 21
    let analytic = WeightedDescriptive.StandardErrorOfMean(xs, ws)

    let boot =
        Bootstrap.OneSample(xs.Length, ws, (fun w -> weightedMean xs w), BootstrapOptions(2000, 3))

    let ratio = boot.StandardDeviation / analytic
    Expect.isGreaterThanOrEqual ratio 0.9 "bootstrap SD / analytic SE"
    Expect.isLessThanOrEqual ratio 1.1 "bootstrap SD / analytic SE"
    // The replica mean is the nominal mean within a few standard errors of the replica average.
    Expect.isLessThan
        (abs (boot.Mean - weightedMean xs ws))
        (5.0 * analytic / sqrt 2000.0)
        "abs (boot.Mean - weightedMean xs ws)"

let ``sWeighted samples bootstrap too and keep positive sums`` () =
    let xs = Array.init 300 (fun i -> float (i % 17))
    let ws = Array.init 300 (fun i -> if i % 5 = 0 then -0.4 else 1.0)
    let analytic = WeightedDescriptive.StandardErrorOfMean(xs, ws)

    let boot =
        Bootstrap.OneSample(xs.Length, ws, (fun w -> weightedMean xs w), BootstrapOptions(2000, 9))

    let ratio = boot.StandardDeviation / analytic
    Expect.isGreaterThanOrEqual ratio 0.9 "bootstrap SD / analytic SE"
    Expect.isLessThanOrEqual ratio 1.1 "bootstrap SD / analytic SE"

let ``bad bootstrap settings are rejected`` () =
    raises<ArgumentOutOfRangeException>
        "Bootstrap.OneSample(3, null, (fun _ -> 0.0), BootstrapOptions(1, 1)..."
        (fun () -> Bootstrap.OneSample(3, null, (fun _ -> 0.0), BootstrapOptions(1, 1)) |> ignore)
    |> ignore

    raises<ArgumentException> "Bootstrap.OneSample(0, null, (fun _ -> 0.0), BootstrapOptions(10, 1..." (fun () ->
        Bootstrap.OneSample(0, null, (fun _ -> 0.0), BootstrapOptions(10, 1)) |> ignore)
    |> ignore

[<Tests>]
let tests =
    testList
        "Stats.Bootstrap"
        [
            testCase
                "same seed gives the same replicas bit for bit, another seed does not"
                ``same seed gives the same replicas bit for bit, another seed does not``
            testCase
                "two-sample replicas are deterministic and resample both samples"
                ``two-sample replicas are deterministic and resample both samples``
            testCase "Poisson multipliers have mean 1 and variance 1" ``Poisson multipliers have mean 1 and variance 1``
            testCase
                "bootstrap standard error of a weighted mean matches the analytic sandwich estimate"
                ``bootstrap standard error of a weighted mean matches the analytic sandwich estimate``
            testCase
                "sWeighted samples bootstrap too and keep positive sums"
                ``sWeighted samples bootstrap too and keep positive sums``
            testCase "bad bootstrap settings are rejected" ``bad bootstrap settings are rejected``
        ]
