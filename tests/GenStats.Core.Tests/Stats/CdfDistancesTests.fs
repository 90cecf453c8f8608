module GenStats.Tests.Stats.CdfDistancesTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Generators
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private w1 a b = CdfDistances.Wasserstein1Value(a, b)
let private energy a b = CdfDistances.EnergyValue(a, b)
let private cramer a b = CdfDistances.CramerValue(a, b)
let private ones (xs: float[]) = Array.create xs.Length 1.0

/// The three CDF distances as functions of (a, b, weights a, weights b).
let private distances: (float[] * float[] * float[] * float[] -> float) list =
    [
        (fun (a, b, wa, wb) -> CdfDistances.Wasserstein1Value(a, wa, b, wb))
        (fun (a, b, wa, wb) -> CdfDistances.EnergyValue(a, wa, b, wb))
        (fun (a, b, wa, wb) -> CdfDistances.CramerValue(a, wa, b, wb))
    ]

/// The energy distance from its definition, √(2E|X−Y| − E|X−X'| − E|Y−Y'|) with weighted
/// V-statistics (i = j included): an O(N²) computation independent of the CDF walk.
let private energyByDefinition (a: float[]) (wa: float[]) (b: float[]) (wb: float[]) =
    let mean (xs: float[]) (ws: float[]) (ys: float[]) (vs: float[]) =
        let mutable s = 0.0

        for i in 0 .. xs.Length - 1 do
            for j in 0 .. ys.Length - 1 do
                s <- s + ws.[i] * vs.[j] * abs (xs.[i] - ys.[j])

        s / (Array.sum ws * Array.sum vs)

    sqrt (2.0 * mean a wa b wb - mean a wa a wa - mean b wb b wb)

// ---- scipy's documented examples (scipy.stats.energy_distance / wasserstein_distance docstrings) ----

let ``scipy documented examples`` () =
    assertClose veryHigh 2.0 (energy [| 0.0 |] [| 2.0 |]) "energy_distance([0], [2])"

    assertClose
        veryHigh
        1.0
        (CdfDistances.EnergyValue([| 0.0; 8.0 |], [| 3.0; 1.0 |], [| 0.0; 8.0 |], [| 2.0; 2.0 |]))
        "energy_distance([0,8],[0,8],[3,1],[2,2])"
    // The docstring's third example: energy_distance([0.7, 7.4, 2.4, 6.8], [1.4, 8.0, 1.6, 5.8], ...) ≈ 0.88003340976158217
    assertClose
        high
        0.88003340976158217
        (CdfDistances.EnergyValue([| 0.7; 7.4; 2.4; 6.8 |], [| 2.1; 4.2; 7.4; 8.0 |], [| 1.4; 8.0 |], [| 7.6; 8.8 |]))
        "energy weighted docstring"

    assertClose veryHigh 5.0 (w1 [| 0.0; 1.0; 3.0 |] [| 5.0; 6.0; 8.0 |]) "wasserstein_distance([0,1,3],[5,6,8])"

    assertClose
        veryHigh
        0.25
        (CdfDistances.Wasserstein1Value([| 0.0; 1.0 |], [| 3.0; 1.0 |], [| 0.0; 1.0 |], [| 2.0; 2.0 |]))
        "wasserstein_distance([0,1],[0,1],[3,1],[2,2])"

    assertClose
        high
        4.0781331438047861
        (CdfDistances.Wasserstein1Value(
            [| 3.4; 3.9; 7.5; 7.8 |],
            [| 1.4; 0.9; 3.1; 7.2 |],
            [| 4.5; 1.4 |],
            [| 3.2; 3.5 |]
        ))
        "wasserstein weighted docstring"

let ``hand-computed Cramér distance`` () =
    // F − G = 1 on [0, 2): ∫(F − G)² = 2, energy = √(2·2) = 2.
    assertClose veryHigh 2.0 (cramer [| 0.0 |] [| 2.0 |]) "cramer"

// ---- Agreement between estimators ----

let ``energy from the CDF integral equals its definition, and Cramér is half its square`` () =
    Prop.forAll (Arb.fromGen (Gen.zip weightedSample weightedSample)) (fun ((a, wa), (b, wb)) ->
        let e = CdfDistances.EnergyValue(a, wa, b, wb)
        let c = CdfDistances.CramerValue(a, wa, b, wb)

        isClose { Absolute = 1e-6; Relative = 1e-7 } (energyByDefinition a wa b wb) e
        && isClose high (0.5 * e * e) c)

let ``W1 of equal-size unweighted samples is the mean gap between order statistics`` () =
    let equalSizes =
        gen {
            let! n = Gen.choose (1, 60)
            let! a = Gen.arrayOfLength n finiteValue
            let! b = Gen.arrayOfLength n finiteValue
            return a, b
        }

    Prop.forAll (Arb.fromGen equalSizes) (fun (a, b) ->
        let closed =
            Array.map2 (fun x y -> abs (x - y)) (Array.sort a) (Array.sort b)
            |> Array.average

        isClose high closed (w1 a b))

// ---- Metric axioms and invariances ----

let ``zero on identical samples, non-negative and symmetric`` () =
    Prop.forAll (Arb.fromGen (Gen.zip weightedSample weightedSample)) (fun ((a, wa), (b, wb)) ->
        let all f =
            [ f (a, b, wa, wb); f (b, a, wb, wa); f (a, a, wa, wa) ]

        let check (f: float[] * float[] * float[] * float[] -> float) =
            match all f with
            | [ ab; ba; aa ] -> ab >= 0.0 && isClose veryHigh ab ba && aa = 0.0
            | _ -> false

        distances |> List.forall check)

let ``translation and permutation invariance`` () =
    Prop.forAll
        (Arb.fromGen (Gen.zip3 weightedSampleScaleAndPermutation weightedSample finiteValue))
        (fun ((a, wa, _, perm), (b, wb), c) ->
            let ap, wp = perm |> Array.map (fun i -> a.[i]), perm |> Array.map (fun i -> wa.[i])
            let shift = Array.map ((+) c)
            let tol = { Absolute = 1e-8; Relative = 1e-7 }

            distances
            |> List.forall (fun f ->
                let d = f (a, b, wa, wb)

                isClose tol d (f (shift a, shift b, wa, wb))
                && isClose high d (f (ap, b, wp, wb))))

let ``scaling laws: W1 scales with |c|, energy with √|c|, Cramér with |c|`` () =
    let scale =
        Gen.choose (-5000, 5000)
        |> Gen.filter ((<>) 0)
        |> Gen.map (fun i -> float i / 1000.0)

    Prop.forAll (Arb.fromGen (Gen.zip3 weightedSample weightedSample scale)) (fun ((a, wa), (b, wb), c) ->
        let s = Array.map ((*) c)

        isClose
            high
            (abs c * CdfDistances.Wasserstein1Value(a, wa, b, wb))
            (CdfDistances.Wasserstein1Value(s a, wa, s b, wb))
        && isClose
            high
            (sqrt (abs c) * CdfDistances.EnergyValue(a, wa, b, wb))
            (CdfDistances.EnergyValue(s a, wa, s b, wb))
        && isClose high (abs c * CdfDistances.CramerValue(a, wa, b, wb)) (CdfDistances.CramerValue(s a, wa, s b, wb)))

let ``unit weights equal no weights, integer weights equal repeated events, scaling weights changes nothing`` () =
    let withCounts =
        gen {
            let! a = sample
            let! b = sample
            let! ka = Gen.arrayOfLength a.Length (Gen.choose (1, 4))
            let! kb = Gen.arrayOfLength b.Length (Gen.choose (1, 4))
            return a, b, ka, kb
        }

    Prop.forAll (Arb.fromGen withCounts) (fun (a, b, ka, kb) ->
        let rep xs ks =
            Array.concat (Array.map2 (fun x k -> Array.create k x) xs ks)

        let wa, wb = Array.map float ka, Array.map float kb

        distances
        |> List.forall (fun f ->
            isClose veryHigh (f (a, b, null, null)) (f (a, b, ones a, ones b))
            && isClose high (f (rep a ka, rep b kb, null, null)) (f (a, b, wa, wb))
            && isClose high (f (a, b, wa, wb)) (f (a, b, Array.map ((*) 3.7) wa, wb))))

let ``signed sWeights are accepted and subtract as the linear CDF says`` () =
    // A = {0 (w 2), 1 (w −1)}: F = 2 on [0, 1), 1 after; B = {0}: G = 1. ∫|F − G| = 1.
    assertClose
        veryHigh
        1.0
        (CdfDistances.Wasserstein1Value([| 0.0; 1.0 |], [| 2.0; -1.0 |], [| 0.0 |], null))
        "W1 with sWeights"

    assertClose
        veryHigh
        1.0
        (KolmogorovSmirnov.Distance([| 0.0; 1.0 |], [| 2.0; -1.0 |], [| 0.0 |], null))
        "KS with sWeights"

let ``results carry a reproducible bootstrap uncertainty and effective sizes`` () =
    let a = Array.init 200 (fun i -> float ((i * 37) % 101))
    let b = Array.init 150 (fun i -> float ((i * 53) % 97) + 3.0)
    let wb = Array.init 150 (fun i -> 0.5 + float (i % 3))
    let r = CdfDistances.Wasserstein1(a, null, b, wb, BootstrapOptions(100, 4))
    let again = CdfDistances.Wasserstein1(a, null, b, wb, BootstrapOptions(100, 4))
    Expect.equal again r "again"
    assertClose veryHigh (CdfDistances.Wasserstein1Value(a, null, b, wb)) r.Value "value"
    assertClose veryHigh 200.0 r.EffectiveSizeA "ESS A"
    assertClose veryHigh ((Array.sum wb) ** 2.0 / (wb |> Array.sumBy (fun w -> w * w))) r.EffectiveSizeB "ESS B"
    Expect.isGreaterThan r.Uncertainty 0.0 "r.Uncertainty"
    Expect.equal r.UncertaintyMethod "poisson-bootstrap(100, seed 4)" "r.UncertaintyMethod"

let ``bootstrap uncertainty of W1 between two shifted samples matches the spread over independent samples`` () =
    // 200 independent pairs of N(0,1) and N(1,1) samples (n = 300) give the true SD of W1; the
    // bootstrap SD of one pair must match it within 35 % (5σ of both estimates' own noise).
    let draw (rng: Random) n mu =
        Array.init n (fun _ -> mu + MathNet.Numerics.Distributions.Normal.Sample(rng, 0.0, 1.0))

    let rng = Random(12)
    let values = Array.init 200 (fun _ -> w1 (draw rng 300 0.0) (draw rng 300 1.0))
    let mean = Array.average values
    let sd = sqrt ((values |> Array.sumBy (fun v -> (v - mean) ** 2.0)) / 199.0)

    let r =
        CdfDistances.Wasserstein1(draw rng 300 0.0, draw rng 300 1.0, bootstrap = BootstrapOptions(400, 2))

    let ratio = r.Uncertainty / sd
    Expect.isGreaterThanOrEqual ratio 0.65 "r.Uncertainty / sd"
    Expect.isLessThanOrEqual ratio 1.35 "r.Uncertainty / sd"

// ---- Argument order (a, weightsA, b, weightsB) ----

/// Equal-length samples whose weights differ, so that passing (a, b, wa, wb) to the
/// (a, weightsA, b, weightsB) overloads runs without error but gives another value.
let private orderA = [| 0.3; 1.1; 2.5; 3.0; 4.2; 5.9 |]
let private orderWa = [| 2.0; 0.5; 1.0; 3.0; 0.25; 1.5 |]
let private orderB = [| 0.8; 1.9; 2.2; 3.7; 4.4; 6.5 |]
let private orderWb = [| 1.0; 4.0; 0.5; 0.5; 2.0; 1.0 |]

/// ∫|F − G| dx and ∫(F − G)² dx by brute force: both weighted ECDFs recomputed from scratch on
/// every gap between consecutive pooled points (O(N²)), independent of the sorted walk.
let private bruteForceIntegrals (a: float[]) (wa: float[]) (b: float[]) (wb: float[]) =
    let ecdf (xs: float[]) (ws: float[]) t =
        (Array.fold2 (fun s x w -> if x <= t then s + w else s) 0.0 xs ws)
        / Array.sum ws

    let pts = Array.append a b |> Array.distinct |> Array.sort

    pts
    |> Array.pairwise
    |> Array.fold
        (fun (l1, l2) (x, y) ->
            let d = ecdf a wa x - ecdf b wb x
            l1 + abs d * (y - x), l2 + d * d * (y - x))
        (0.0, 0.0)

let ``W1, energy and Cramér take (a, weightsA, b, weightsB): brute force agrees, the swapped order does not`` () =
    let l1, l2 = bruteForceIntegrals orderA orderWa orderB orderWb
    let energyExpected = energyByDefinition orderA orderWa orderB orderWb
    assertClose high (sqrt (2.0 * l2)) energyExpected "brute-force integrals agree with the energy definition"
    let opts = BootstrapOptions(10, 1)
    assertClose high l1 (CdfDistances.Wasserstein1Value(orderA, orderWa, orderB, orderWb)) "Wasserstein1Value"
    assertClose high l1 (CdfDistances.Wasserstein1(orderA, orderWa, orderB, orderWb, opts).Value) "Wasserstein1"
    assertClose high l2 (CdfDistances.CramerValue(orderA, orderWa, orderB, orderWb)) "CramerValue"
    assertClose high l2 (CdfDistances.Cramer(orderA, orderWa, orderB, orderWb, opts).Value) "Cramer"
    assertClose high energyExpected (CdfDistances.EnergyValue(orderA, orderWa, orderB, orderWb)) "EnergyValue"
    assertClose high energyExpected (CdfDistances.Energy(orderA, orderWa, orderB, orderWb, opts).Value) "Energy"
    // The data tell the orders apart: the old (a, b, wa, wb) order, passed positionally, differs.
    let differs what expected actual =
        Expect.isGreaterThan (abs (actual - expected)) 1e-3 (what + ": the swapped-order call must give another value")

    differs "Wasserstein1Value" l1 (CdfDistances.Wasserstein1Value(orderA, orderB, orderWa, orderWb))
    differs "CramerValue" l2 (CdfDistances.CramerValue(orderA, orderB, orderWa, orderWb))
    differs "EnergyValue" energyExpected (CdfDistances.EnergyValue(orderA, orderB, orderWa, orderWb))

[<Tests>]
let tests =
    testList
        "Stats.CdfDistances"
        [
            testCase "scipy documented examples" ``scipy documented examples``
            testCase "hand-computed Cramér distance" ``hand-computed Cramér distance``
            testPropertyN
                100
                "energy from the CDF integral equals its definition, and Cramér is half its square"
                ``energy from the CDF integral equals its definition, and Cramér is half its square``
            testPropertyN
                100
                "W1 of equal-size unweighted samples is the mean gap between order statistics"
                ``W1 of equal-size unweighted samples is the mean gap between order statistics``
            testPropertyN
                100
                "zero on identical samples, non-negative and symmetric"
                ``zero on identical samples, non-negative and symmetric``
            testPropertyN 100 "translation and permutation invariance" ``translation and permutation invariance``
            testPropertyN
                100
                "scaling laws: W1 scales with |c|, energy with √|c|, Cramér with |c|"
                ``scaling laws: W1 scales with |c|, energy with √|c|, Cramér with |c|``
            testPropertyN
                100
                "unit weights equal no weights, integer weights equal repeated events, scaling weights changes nothing"
                ``unit weights equal no weights, integer weights equal repeated events, scaling weights changes nothing``
            testCase
                "signed sWeights are accepted and subtract as the linear CDF says"
                ``signed sWeights are accepted and subtract as the linear CDF says``
            testCase
                "results carry a reproducible bootstrap uncertainty and effective sizes"
                ``results carry a reproducible bootstrap uncertainty and effective sizes``
            testCase
                "bootstrap uncertainty of W1 between two shifted samples matches the spread over independent samples"
                ``bootstrap uncertainty of W1 between two shifted samples matches the spread over independent samples``
            testCase
                "W1, energy and Cramér take (a, weightsA, b, weightsB): brute force agrees, the swapped order does not"
                ``W1, energy and Cramér take (a, weightsA, b, weightsB): brute force agrees, the swapped order does not``
        ]
