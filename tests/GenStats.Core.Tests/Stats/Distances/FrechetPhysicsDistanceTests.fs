module GenStats.Tests.Stats.Distances.FrechetPhysicsDistanceTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats.Distances.DistanceData
open GenStats.Tests
open GenStats.Tests.Expectations

let private constant n d (v: float) =
    Array.init n (fun _ -> Array.create d v)

let ``jetnet's test values for constant samples`` () =
    // jetnet tests/evaluation/test_gen_metrics.py with jetnet's defaults (20k…50k, 20 batches,
    // 10 points): fpd(twos, zeros) = 2 (normalised: 1² + 1²), 8 with normalise=False (2² + 2²),
    // zeros vs zeros = 0; errors < 1e-3.
    let twos, zeros = constant 50_000 2 2.0, constant 50_000 2 0.0
    let r = FrechetPhysicsDistance.Compute(twos, null, zeros, null)
    assertClose high 2.0 r.Value "FPD normalised"
    Expect.isLessThan r.Uncertainty (1e-3) "r.Uncertainty"

    let r =
        FrechetPhysicsDistance.Compute(twos, null, zeros, null, FrechetPhysicsDistanceOptions(Normalise = false))

    assertClose high 8.0 r.Value "FPD not normalised"
    Expect.isLessThan r.Uncertainty (1e-3) "r.Uncertainty"
    let r = FrechetPhysicsDistance.Compute(zeros, null, zeros, null)
    assertClose high 0.0 r.Value "FPD zeros"

let ``batch sizes are evenly spaced in 1/N as jetnet's`` () =
    // numpy 1.24: (1 / np.linspace(1/20000, 1/50000, 10)).astype("int32") — truncation keeps 24999 and 49999.
    let expected =
        [| 20000; 21428; 23076; 24999; 27272; 30000; 33333; 37499; 42857; 49999 |]

    let r =
        FrechetPhysicsDistance.Compute(refA, null, refB, null, FrechetPhysicsDistanceOptions(NumBatches = 1))

    Expect.isTrue (r.BatchSizes = expected) (sprintf "%A" r.BatchSizes)

let ``the 1/N extrapolation removes the finite-sample bias`` () =
    // Two samples from the same 2-d distribution: the Fréchet distance of N-event batches is
    // biased upward by ~c/N; the intercept must be compatible with 0 within a few errors.
    let rng = Random(23)

    let gauss () =
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble())

    let draw n =
        Array.init n (fun _ -> [| gauss (); gauss () |])

    let a, b = draw 4000, draw 4000

    let o =
        FrechetPhysicsDistanceOptions(MinSamples = 200, MaxSamples = 2000, NumBatches = 20, NumPoints = 8)

    let r = FrechetPhysicsDistance.Compute(a, null, b, null, o)
    Expect.isGreaterThan r.MeanDistances.[0] r.MeanDistances.[7] "r.MeanDistances.[0]"
    Expect.isLessThan r.Value (0.002 + 5.0 * r.Uncertainty) "r.Value"
    Expect.isGreaterThan r.Slope 0.0 "r.Slope"

let ``non-negative line fit: exact line, clamped intercept, clamped slope`` () =
    // y = 1 + 2x exactly: intercept 1, slope 2, zero error.
    let x = [| 0.0; 1.0; 2.0; 3.0 |]
    let fit = NonNegativeLine.Fit(x, [| 1.0; 3.0; 5.0; 7.0 |])
    assertClose veryHigh 1.0 fit.Intercept "a"
    assertClose veryHigh 2.0 fit.Slope "b"
    assertClose veryHigh 0.0 fit.InterceptError "σa"
    // y = −1 + x: the constrained optimum sets a = 0 and b = Σxy/Σx² = (0 + 0 + 2 + 6)/14.
    let fit = NonNegativeLine.Fit(x, [| -1.0; 0.0; 1.0; 2.0 |])
    assertClose veryHigh 0.0 fit.Intercept "a clamped"
    assertClose veryHigh (8.0 / 14.0) fit.Slope "b on the face a = 0"
    // y = 3 − x: slope clamped to 0, intercept = mean y = 1.5.
    let fit = NonNegativeLine.Fit(x, [| 3.0; 2.0; 1.0; 0.0 |])
    assertClose veryHigh 1.5 fit.Intercept "a on the face b = 0"
    assertClose veryHigh 0.0 fit.Slope "b clamped"
    // Unconstrained noisy line: σ_a² = s² Σx² / (nΣx² − (Σx)²), s² = SSR/(n − 2) (as scipy's curve_fit).
    let y = [| 1.1; 2.9; 5.2; 6.8 |]
    let fit = NonNegativeLine.Fit(x, y)
    let n, sx, sxx = 4.0, 6.0, 14.0

    let b =
        (n * Array.fold2 (fun s u v -> s + u * v) 0.0 x y - sx * Array.sum y)
        / (n * sxx - sx * sx)

    let a = (Array.sum y - b * sx) / n
    let ssr = Array.fold2 (fun s u v -> s + (v - a - b * u) ** 2.0) 0.0 x y
    assertClose high (sqrt (ssr / 2.0 * sxx / (n * sxx - sx * sx))) fit.InterceptError "σa"

let ``unit weights reproduce the unweighted FPD and the draws are seeded`` () =
    let o =
        FrechetPhysicsDistanceOptions(MinSamples = 50, MaxSamples = 200, NumBatches = 4, NumPoints = 4)

    let u = FrechetPhysicsDistance.Compute(refA, null, refB, null, o)

    let w =
        FrechetPhysicsDistance.Compute(refA, ones refA.Length, refB, ones refB.Length, o)

    assertClose veryHigh u.Value w.Value "intercept"

    Expect.isTrue
        (u.MeanDistances = (FrechetPhysicsDistance.Compute(refA, null, refB, null, o)).MeanDistances)
        "(u.MeanDistances = (FrechetPhysicsDistance.Compute(refA, null, refB..."

    let other =
        FrechetPhysicsDistance.Compute(
            refA,
            null,
            refB,
            null,
            FrechetPhysicsDistanceOptions(MinSamples = 50, MaxSamples = 200, NumBatches = 4, NumPoints = 4, Seed = 7)
        )

    Expect.notEqual other.MeanDistances.[0] u.MeanDistances.[0] "other.MeanDistances.[0]"

let ``normalised FPD is invariant under a common positive scale; unnormalised scales as c²`` () =
    let o =
        FrechetPhysicsDistanceOptions(MinSamples = 50, MaxSamples = 200, NumBatches = 4, NumPoints = 4)

    let u = FrechetPhysicsDistance.Compute(refA, null, refB, null, o)

    let s =
        FrechetPhysicsDistance.Compute(scale 3.0 refA, null, scale 3.0 refB, null, o)

    Array.iter2 (fun x y -> assertClose medium x y "normalised batch means") u.MeanDistances s.MeanDistances

    let raw =
        FrechetPhysicsDistanceOptions(
            MinSamples = 50,
            MaxSamples = 200,
            NumBatches = 4,
            NumPoints = 4,
            Normalise = false
        )

    let r1 = FrechetPhysicsDistance.Compute(refA, null, refB, null, raw)

    let r3 =
        FrechetPhysicsDistance.Compute(scale 3.0 refA, null, scale 3.0 refB, null, raw)

    Array.iter2 (fun x y -> assertClose medium (9.0 * x) y "c² law per batch size") r1.MeanDistances r3.MeanDistances

[<Tests>]
let tests =
    testList
        "Stats.Distances.FrechetPhysicsDistance"
        [
            testCase
                "batch sizes are evenly spaced in 1/N as jetnet's"
                ``batch sizes are evenly spaced in 1/N as jetnet's``
            testCase
                "the 1/N extrapolation removes the finite-sample bias"
                ``the 1/N extrapolation removes the finite-sample bias``
            testCase
                "non-negative line fit: exact line, clamped intercept, clamped slope"
                ``non-negative line fit: exact line, clamped intercept, clamped slope``
            testCase
                "unit weights reproduce the unweighted FPD and the draws are seeded"
                ``unit weights reproduce the unweighted FPD and the draws are seeded``
            testCase
                "normalised FPD is invariant under a common positive scale; unnormalised scales as c²"
                ``normalised FPD is invariant under a common positive scale; unnormalised scales as c²``
            TestMain.slow
                [
                    testCase "jetnet's test values for constant samples" ``jetnet's test values for constant samples``
                ]
        ]
