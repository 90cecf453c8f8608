module GenStats.Tests.Stats.KolmogorovSmirnovTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Generators
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

/// x_i = (i·mult + offset) mod 1, i = 1…n: samples that Python reproduces bit for bit.
let private sequence n (mult: float) (offset: float) =
    Array.init n (fun k -> (float (k + 1) * mult + offset) % 1.0)

let private phi = 0.6180339887498949
let private rho = 0.7548776662466927

/// sup|F − G| by brute force: evaluate both weighted ECDFs at every sample point.
let private bruteForceKs (a: float[]) (wa: float[]) (b: float[]) (wb: float[]) =
    let ecdf (xs: float[]) (ws: float[]) t =
        (Array.fold2 (fun s x w -> if x <= t then s + w else s) 0.0 xs ws)
        / Array.sum ws

    Array.append a b
    |> Array.map (fun t -> abs (ecdf a wa t - ecdf b wb t))
    |> Array.max

let private ones (xs: float[]) = Array.create xs.Length 1.0

// ---- Reference values from scipy 1.10.1 (Debian python3-scipy), computed with
//      a = seq(n1, φ, 0), b = seq(n2, ρ, 0.05) ** power;  stats.ks_2samp(a, b) (method='auto')
//      and stats.ks_2samp(a, b, method='asymp') ----

let private scipyKs =
    [ // n1, n2, power, D, p (auto), p (asymp)
        30, 45, 1.3, 0.13333333333333333, 0.880200562153877, 0.8652896834155508
        60, 50, 2.0, 0.24333333333333335, 0.06638711945650491, 0.06821526873267847
        200, 150, 1.15, 0.051666666666666666, 0.9683456153237207, 0.9666898636264558
        3000, 2000, 1.15, 0.051333333333333335, 0.003493954421276093, 0.0034551038812381226
        9000, 10000, 1.03, 0.011022222222222221, 0.607922565444826, 0.6086486136471501
        20000, 15000, 1.06, 0.02150000000000002, 0.0007132445258198688, 0.0007132445258198688
        12000, 400, 1.3, 0.09608333333333335, 0.0014630126713449812, 0.0014630126713449812
    ]

let ``statistic and p-values agree with scipy ks_2samp (exact and asymptotic)`` (n1, n2, power, d, pAuto, pAsymp) =
    let a = sequence n1 phi 0.0
    let b = sequence n2 rho 0.05 |> Array.map (fun x -> x ** power)
    let what = sprintf "n1=%d n2=%d" n1 n2
    assertClose veryHigh d (KolmogorovSmirnov.Distance(a, b)) (what + " D")
    assertClose { Absolute = 1e-12; Relative = 1e-8 } pAuto (KolmogorovSmirnov.PValue(a, b)) (what + " p auto")

    assertClose
        { Absolute = 1e-12; Relative = 1e-8 }
        pAsymp
        (KolmogorovDistribution.TwoSampleAsymptoticPValue(float n1, float n2, d))
        (what + " p asymp")

let ``exact p-values of small samples agree with scipy method exact`` () =
    // stats.ks_2samp(seq(8, φ, 0), seq(7, 0.1, 0.05), method='exact') etc.
    assertClose veryHigh 0.9104895104895104 (KolmogorovDistribution.TwoSampleExactPValue(8, 7, 0.25)) "8 vs 7"

    assertClose
        veryHigh
        0.9101411938912544
        (KolmogorovDistribution.TwoSampleExactPValue(20, 13, 0.18076923076923077))
        "20 vs 13"

    assertClose
        veryHigh
        0.6796015937330274
        (KolmogorovDistribution.TwoSampleExactPValue(40, 35, 0.15714285714285714))
        "40 vs 35"
    // Complete separation of n and m events: p = 2/C(n+m, n). C(10, 5) = 252.
    assertClose veryHigh (2.0 / 252.0) (KolmogorovDistribution.TwoSampleExactPValue(5, 5, 1.0)) "separated 5 vs 5"

    assertClose
        veryHigh
        (2.0 / 184756.0)
        (KolmogorovSmirnov.PValue([| 1.0 .. 10.0 |], [| 11.0 .. 20.0 |]))
        "separated 10 vs 10"

/// scipy.stats.kstwo.sf(x, n), scipy 1.10.1: n, x, sf.
let private scipyKstwo =
    [
        10, 0.05, 1.0
        10, 0.2, 0.7487190399999999
        10, 0.5, 0.00777741
        10, 0.7, 1.9544800000000034e-05
        10, 0.95, 1.9531250000000172e-13
        100, 0.05, 0.9532159710635725
        100, 0.15, 0.019839242125643017
        100, 0.3, 1.7719869892662917e-08
        1000, 0.01, 0.9999496745370611
        1000, 0.03, 0.3226902143914636
        1000, 0.05, 0.013012074781090332
        1000, 0.1, 3.703687096817711e-09
        200000, 0.001, 0.9881500208855729
        200000, 0.003, 0.0545369786611305
        200000, 0.005, 9.049367287273853e-05
        500000, 0.0005, 0.9996286945544336
        500000, 0.002, 0.036582179671620585
        5000, 0.02, 0.03613941395325637
        150, 0.01, 1.0
    ]

let ``one-sample two-sided distribution agrees with scipy kstwo sf in every regime`` (n, x, expected) =
    assertClose
        { Absolute = 1e-12; Relative = 1e-8 }
        expected
        (KolmogorovDistribution.OneSampleSurvival(n, x))
        (sprintf "kstwo n=%d x=%g" n x)

/// scipy.special.smirnov(n, x): n, x, sf.
let private scipySmirnov =
    [
        10, 0.3, 0.1354635556
        1000, 0.05, 0.006506037390545166
        100000, 0.01, 2.046639011774627e-09
    ]

let ``one-sided Smirnov tail agrees with scipy special smirnov`` (n, x, expected) =
    assertClose
        { Absolute = 1e-15; Relative = 1e-8 }
        expected
        (KolmogorovDistribution.SmirnovSurvival(n, x))
        (sprintf "smirnov n=%d" n)

let ``test result carries bootstrap uncertainty, sizes and the p-value method`` () =
    let a = sequence 300 phi 0.0
    let b = sequence 200 rho 0.05 |> Array.map (fun x -> x ** 1.5)
    let r = KolmogorovSmirnov.Test(a, b, bootstrap = BootstrapOptions(100, 5))
    Expect.equal r.PValueMethod "exact" "r.PValueMethod"
    Expect.equal (r.EffectiveSizeA, r.EffectiveSizeB) (300.0, 200.0) "(r.EffectiveSizeA, r.EffectiveSizeB)"
    Expect.isGreaterThan r.Uncertainty 0.0 "r.Uncertainty"
    let again = KolmogorovSmirnov.Test(a, b, bootstrap = BootstrapOptions(100, 5))
    Expect.equal again.Uncertainty r.Uncertainty "again.Uncertainty"
    let weighted = KolmogorovSmirnov.Test(a, ones a, b, ones b, BootstrapOptions(10, 5))
    Expect.equal weighted.PValueMethod "asymptotic-effective-sizes" "weighted.PValueMethod"

// ---- Ties on the unweighted (exact-integer) path ----

let ``identical unweighted samples have D = 0 and p = 1`` () =
    // F = G everywhere, so D = 0 exactly; scipy: stats.ks_2samp([0, 1], [0, 1]) = (0.0, 1.0).
    Expect.equal (KolmogorovSmirnov.Distance([| 0.0; 1.0 |], [| 0.0; 1.0 |])) 0.0 "D([0,1],[0,1])"
    Expect.equal (KolmogorovSmirnov.PValue([| 0.0; 1.0 |], [| 0.0; 1.0 |])) 1.0 "p([0,1],[0,1])"
    let a = [| 3.0; 1.0; 2.0; 2.0; 5.0; 1.0; 2.0 |]
    let r = KolmogorovSmirnov.QuickTest(a, Array.rev a)
    Expect.equal r.Value 0.0 "D of a sample with ties against its own permutation"
    Expect.equal r.PValue 1.0 "p of a sample with ties against its own permutation"
    Expect.equal r.PValueMethod "exact" "r.PValueMethod"

/// Samples with ties inside and across the two samples; D and p from /usr/bin/python3, scipy 1.10.1:
/// stats.ks_2samp(a, b) (method='auto', which is 'exact' here; method='exact' gives the same numbers).
let private scipyTies =
    [
        [| 1.0; 2.0; 2.0; 3.0; 3.0; 3.0; 5.0 |],
        [| 2.0; 3.0; 3.0; 4.0; 5.0; 5.0 |],
        0.35714285714285715,
        0.7115384615384616
        [| 0.0; 0.0; 0.0; 1.0; 1.0; 2.0; 2.0; 2.0; 2.0; 3.0 |],
        [| 0.0; 1.0; 1.0; 1.0; 2.0; 3.0; 3.0; 3.0 |],
        0.275,
        0.8227067050596463
        // a = [i % 7 for i in range(60)], b = [(3 i) % 8 for i in range(45)]
        Array.init 60 (fun i -> float (i % 7)),
        Array.init 45 (fun i -> float ((3 * i) % 8)),
        0.1111111111111111,
        0.8793072802816579
    ]

let ``ties across the two samples agree with scipy on the unweighted exact path`` (a: float[], b: float[], d, p) =
    let what = sprintf "n1=%d n2=%d" a.Length b.Length
    assertClose veryHigh d (KolmogorovSmirnov.Distance(a, b)) (what + " D")
    assertClose veryHigh d (KolmogorovSmirnov.Distance(b, a)) (what + " D swapped")
    assertClose { Absolute = 1e-12; Relative = 1e-8 } p (KolmogorovSmirnov.PValue(a, b)) (what + " p")
    let r = KolmogorovSmirnov.QuickTest(a, b)
    assertClose veryHigh d r.Value (what + " QuickTest D")
    Expect.equal r.PValueMethod "exact" "r.PValueMethod"

let ``unweighted D equals the brute-force supremum on samples full of ties`` () =
    // Values from {0, …, 4}: nearly every value is tied within and across the samples.
    let tied =
        gen {
            let! n = Gen.choose (1, 25)
            return! Gen.arrayOfLength n (Gen.choose (0, 4) |> Gen.map float)
        }

    Prop.forAll (Arb.fromGen (Gen.zip tied tied)) (fun (a, b) ->
        let d = KolmogorovSmirnov.Distance(a, b)

        isClose veryHigh (bruteForceKs a (ones a) b (ones b)) d
        && KolmogorovSmirnov.Distance(a, a) = 0.0)

let ``bootstrap SD of D matches the spread over 400 independent experiments (F band)`` () =
    // N(0, 1) against N(0.5, 1), n = 300 each (shifted, so that D is asymptotically normal). K = 400
    // experiments give S²; m = 10 more give bootstrap SDs with R = 200 replicas each.
    // Band: scipy.stats.f.ppf([0.0005, 0.9995], 10·199, 399) = [0.7809745482729483, 1.3026382361375928].
    let rng = Random(41)

    let draw n mu =
        Array.init n (fun _ -> mu + MathNet.Numerics.Distributions.Normal.Sample(rng, 0.0, 1.0))

    let values =
        Array.init 400 (fun _ -> KolmogorovSmirnov.Distance(draw 300 0.0, draw 300 0.5))
    // The bootstrapped pairs are coupled event by event (b_i = a_i + 0.5): the bootstrap sees only the
    // two empirical distributions, so its variance is unchanged when the two samples are resampled
    // independently, as they must be — and collapses when both get the same multipliers.
    let sds =
        Array.init 10 (fun k ->
            let a = draw 300 0.0
            (KolmogorovSmirnov.Test(a, a |> Array.map (fun x -> x + 0.5), BootstrapOptions(200, k + 1))).Uncertainty)

    BootstrapCheck.assertBootstrapVariance "KS D" 0.7809745482729483 1.3026382361375928 sds values

// ---- Properties ----

let ``D is the brute-force supremum, weighted, and lies in 0..1`` () =
    Prop.forAll (Arb.fromGen (Gen.zip weightedSample weightedSample)) (fun ((a, wa), (b, wb)) ->
        let d = KolmogorovSmirnov.Distance(a, wa, b, wb)
        isClose high (bruteForceKs a wa b wb) d && d >= 0.0 && d <= 1.0 + 1e-12)

let ``D is zero on identical samples, symmetric and unchanged by permutations`` () =
    Prop.forAll
        (Arb.fromGen (Gen.zip weightedSampleScaleAndPermutation weightedSample))
        (fun ((a, wa, _, perm), (b, wb)) ->
            let ap = perm |> Array.map (fun i -> a.[i])
            let wp = perm |> Array.map (fun i -> wa.[i])

            KolmogorovSmirnov.Distance(a, wa, a, wa) = 0.0
            && isClose veryHigh (KolmogorovSmirnov.Distance(a, wa, b, wb)) (KolmogorovSmirnov.Distance(b, wb, a, wa))
            && isClose high (KolmogorovSmirnov.Distance(a, wa, b, wb)) (KolmogorovSmirnov.Distance(ap, wp, b, wb)))

let ``D is invariant under strictly monotone maps, increasing or decreasing`` () =
    Prop.forAll (Arb.fromGen (Gen.zip sample sample)) (fun (a, b) ->
        let d = KolmogorovSmirnov.Distance(a, b)
        let cube (x: float) = x * x * x + x
        let shifted = KolmogorovSmirnov.Distance(a |> Array.map cube, b |> Array.map cube)
        let squash (x: float) = 1.0 / (1.0 + exp (-x / 300.0))

        let logistic =
            KolmogorovSmirnov.Distance(a |> Array.map squash, b |> Array.map squash)
        // A decreasing map turns F into a survival function; sup|F − G| takes the same values.
        let flipped =
            KolmogorovSmirnov.Distance(a |> Array.map (fun x -> -(cube x)), b |> Array.map (fun x -> -(cube x)))

        isClose veryHigh d shifted
        && isClose veryHigh d logistic
        && isClose veryHigh d flipped)

let ``unit weights equal no weights and integer weights equal repeated events`` () =
    let withCounts =
        gen {
            let! a = sample
            let! b = sample
            let! ka = Gen.arrayOfLength a.Length (Gen.choose (1, 4))
            return a, b, ka
        }

    Prop.forAll (Arb.fromGen withCounts) (fun (a, b, ka) ->
        let repeated = Array.concat (Array.map2 (fun x k -> Array.create k x) a ka)

        isClose veryHigh (KolmogorovSmirnov.Distance(a, b)) (KolmogorovSmirnov.Distance(a, ones a, b, ones b))
        && isClose
            high
            (KolmogorovSmirnov.Distance(repeated, b))
            (KolmogorovSmirnov.Distance(a, Array.map float ka, b, null)))

let ``exact p-values lie in 0..1 and fall as D grows`` () =
    Prop.forAll (Arb.fromGen (Gen.zip (Gen.choose (1, 40)) (Gen.choose (1, 40)))) (fun (n1, n2) ->
        let ps =
            [ 0.0..0.05..1.0 ]
            |> List.map (fun d -> KolmogorovDistribution.TwoSampleExactPValue(n1, n2, d))

        List.forall (fun p -> p >= 0.0 && p <= 1.0) ps
        && ps |> List.pairwise |> List.forall (fun (p, q) -> q <= p + 1e-12))

let ``bad input is rejected with the argument named`` () =
    let ex =
        raises<ArgumentException> "KolmogorovSmirnov.Distance([||], [| 1.0 |]) |> ignore" (fun () ->
            KolmogorovSmirnov.Distance([||], [| 1.0 |]) |> ignore)

    Expect.equal ex.ParamName "a" "ex.ParamName"

    let ex =
        raises<ArgumentException> "KolmogorovSmirnov.Distance([| 1.0 |], [| nan |]) |> ignore" (fun () ->
            KolmogorovSmirnov.Distance([| 1.0 |], [| nan |]) |> ignore)

    Expect.equal ex.ParamName "b" "ex.ParamName"

    let ex =
        raises<ArgumentException>
            "KolmogorovSmirnov.Distance([| 1.0; 2.0 |], [| 1.0; -1.0 |], [| 1.0 |], null) |> ignore"
            (fun () ->
                KolmogorovSmirnov.Distance([| 1.0; 2.0 |], [| 1.0; -1.0 |], [| 1.0 |], null)
                |> ignore)

    Expect.equal ex.ParamName "weightsA" "ex.ParamName"

// ---- Argument order (a, weightsA, b, weightsB) ----

/// Equal-length samples whose weights differ, so that passing (a, b, wa, wb) to the
/// (a, weightsA, b, weightsB) overloads runs without error but gives another value.
let private orderA = [| 0.3; 1.1; 2.5; 3.0; 4.2; 5.9 |]
let private orderWa = [| 2.0; 0.5; 1.0; 3.0; 0.25; 1.5 |]
let private orderB = [| 0.8; 1.9; 2.2; 3.7; 4.4; 6.5 |]
let private orderWb = [| 1.0; 4.0; 0.5; 0.5; 2.0; 1.0 |]

let ``KS takes (a, weightsA, b, weightsB): brute force agrees, the swapped order does not`` () =
    let kish (w: float[]) =
        (Array.sum w) ** 2.0 / (w |> Array.sumBy (fun x -> x * x))

    let expected = bruteForceKs orderA orderWa orderB orderWb

    let pExpected =
        KolmogorovDistribution.TwoSampleAsymptoticPValue(kish orderWa, kish orderWb, expected)

    assertClose high expected (KolmogorovSmirnov.Distance(orderA, orderWa, orderB, orderWb)) "Distance"

    let r =
        KolmogorovSmirnov.Test(orderA, orderWa, orderB, orderWb, BootstrapOptions(10, 1))

    assertClose high expected r.Value "Test.Value"
    assertClose high (kish orderWa) r.EffectiveSizeA "Test.EffectiveSizeA"
    assertClose high pExpected r.PValue "Test.PValue"
    assertClose high expected (KolmogorovSmirnov.QuickTest(orderA, orderWa, orderB, orderWb).Value) "QuickTest.Value"
    assertClose high pExpected (KolmogorovSmirnov.PValue(orderA, orderWa, orderB, orderWb)) "PValue"
    // The data tell the orders apart: the old (a, b, wa, wb) order, passed positionally, differs.
    let swapped = KolmogorovSmirnov.Distance(orderA, orderB, orderWa, orderWb)
    Expect.isGreaterThan (abs (swapped - expected)) 1e-3 "swapped-order call must give another D"

    Expect.isGreaterThan
        (abs (KolmogorovSmirnov.PValue(orderA, orderB, orderWa, orderWb) - pExpected))
        1e-6
        "swapped-order call must give another p-value"

[<Tests>]
let tests =
    testList
        "Stats.KolmogorovSmirnov"
        [
            testList
                "statistic and p-values agree with scipy ks_2samp (exact and asymptotic)"
                [
                    for (n1, n2, power, _, _, _) as row in scipyKs ->
                        testCase (sprintf "n1=%d n2=%d power=%g" n1 n2 power) (fun () ->
                            ``statistic and p-values agree with scipy ks_2samp (exact and asymptotic)`` row)
                ]
            testCase
                "exact p-values of small samples agree with scipy method exact"
                ``exact p-values of small samples agree with scipy method exact``
            testList
                "one-sample two-sided distribution agrees with scipy kstwo sf in every regime"
                [
                    for (n, x, _) as row in scipyKstwo ->
                        testCase (sprintf "n=%d x=%g" n x) (fun () ->
                            ``one-sample two-sided distribution agrees with scipy kstwo sf in every regime`` row)
                ]
            testList
                "one-sided Smirnov tail agrees with scipy special smirnov"
                [
                    for (n, x, _) as row in scipySmirnov ->
                        testCase (sprintf "n=%d x=%g" n x) (fun () ->
                            ``one-sided Smirnov tail agrees with scipy special smirnov`` row)
                ]
            testCase
                "identical unweighted samples have D = 0 and p = 1"
                ``identical unweighted samples have D = 0 and p = 1``
            testList
                "ties across the two samples agree with scipy on the unweighted exact path"
                [
                    for (a, b, _, _) as row in scipyTies ->
                        testCase (sprintf "n1=%d n2=%d" a.Length b.Length) (fun () ->
                            ``ties across the two samples agree with scipy on the unweighted exact path`` row)
                ]
            testPropertyN
                100
                "unweighted D equals the brute-force supremum on samples full of ties"
                ``unweighted D equals the brute-force supremum on samples full of ties``
            testCase
                "test result carries bootstrap uncertainty, sizes and the p-value method"
                ``test result carries bootstrap uncertainty, sizes and the p-value method``
            testCase
                "bootstrap SD of D matches the spread over 400 independent experiments (F band)"
                ``bootstrap SD of D matches the spread over 400 independent experiments (F band)``
            testPropertyN
                100
                "D is the brute-force supremum, weighted, and lies in 0..1"
                ``D is the brute-force supremum, weighted, and lies in 0..1``
            testPropertyN
                100
                "D is zero on identical samples, symmetric and unchanged by permutations"
                ``D is zero on identical samples, symmetric and unchanged by permutations``
            testPropertyN
                100
                "D is invariant under strictly monotone maps, increasing or decreasing"
                ``D is invariant under strictly monotone maps, increasing or decreasing``
            testPropertyN
                100
                "unit weights equal no weights and integer weights equal repeated events"
                ``unit weights equal no weights and integer weights equal repeated events``
            testPropertyN
                30
                "exact p-values lie in 0..1 and fall as D grows"
                ``exact p-values lie in 0..1 and fall as D grows``
            testCase "bad input is rejected with the argument named" ``bad input is rejected with the argument named``
            testCase
                "KS takes (a, weightsA, b, weightsB): brute force agrees, the swapped order does not"
                ``KS takes (a, weightsA, b, weightsB): brute force agrees, the swapped order does not``
        ]
