module GenStats.Tests.Stats.QuantileChiSquareTests

open Expecto
open System
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Expectations

let private phi = 0.6180339887498949

let ``exact-CDF edges give scipy's Pearson chisquare on the bin counts`` () =
    // x_i = ((i·φ) mod 1)^1.3, i = 1…500, against U(0, 1) in 8 quantile bins: the counts are
    // [101 71 63 58 55 53 51 48]; scipy.stats.chisquare(counts) = (33.024, p = 2.620526973596839e-05).
    let x = Array.init 500 (fun k -> ((float (k + 1) * phi) % 1.0) ** 1.3)

    let r =
        QuantileChiSquare.Test(Func<float, float> id, x, 8, bootstrap = BootstrapOptions(50, 1))

    assertClose veryHigh 33.024 r.Value "chi2"
    Expect.equal r.Ndf 7 "r.Ndf"
    assertClose high 2.620526973596839e-05 r.PValue "p"

    Expect.equal
        (r.Fractions |> Array.map (fun f -> Math.Round(f * 500.0)))
        ([| 101.; 71.; 63.; 58.; 55.; 53.; 51.; 48. |])
        "r.Fractions |> Array.map (fun f -> Math.Round(f * 500.0))"
    // χ̂² = n_q Σ (x_j − 1/n_q)² = χ²/N.
    assertClose veryHigh (33.024 / 500.0) r.NormalizedChiSquare "chi2 hat"
    Expect.equal r.ReferenceCorrection 1.0 "r.ReferenceCorrection"

let ``a sample compared with itself has chi2 hat near zero and equal-probability fractions`` () =
    let x = Array.init 1000 (fun k -> float ((k * 7919) % 1000))
    let r = QuantileChiSquare.Test(x, x, 10, bootstrap = BootstrapOptions(20, 1))

    for f in r.Fractions do
        Expect.floatClose { absolute = 1e-12; relative = 0.0 } f 0.1 "every fraction"

    Expect.isLessThan r.NormalizedChiSquare (1e-20) "r.NormalizedChiSquare"
    Expect.floatClose { absolute = 1e-12; relative = 0.0 } r.PValue 1.0 "r.PValue"
    assertClose veryHigh 2.0 r.ReferenceCorrection "1 + N/M"

let ``the reference correction makes the p-value uniform-ish under the null`` () =
    // 400 null experiments (real and generated from the same distribution, n = 500 each, 10 bins):
    // with the (1 + N/M) correction about 5 % of p-values fall below 0.05 (binomial 5σ: 0.5 %–9.5 %);
    // without it, Pearson's p-value would reject about 22 % of the time.
    let rng = Random(5)

    let draw n =
        Array.init n (fun _ -> rng.NextDouble())

    let ps =
        Array.init 400 (fun _ ->
            let r =
                QuantileChiSquare.Test(draw 500, draw 500, 10, bootstrap = BootstrapOptions(2, 1))

            r.PValue)

    let rate = (ps |> Array.filter (fun p -> p < 0.05) |> Array.length |> float) / 400.0
    Expect.isGreaterThanOrEqual rate 0.005 "rate"
    Expect.isLessThanOrEqual rate 0.095 "rate"

let ``weights: unit weights equal no weights, integer weights equal repetition`` () =
    let reference = Array.init 300 (fun k -> (float (k + 1) * phi) % 1.0)
    let s = Array.init 40 (fun k -> ((float (k + 1) * 0.7548776662466927) % 1.0) ** 1.2)
    let k = Array.init 40 (fun i -> 1 + i % 3)
    let rep = Array.concat (Array.map2 (fun x n -> Array.create n x) s k)
    let opts = BootstrapOptions(2, 1)
    let plain = QuantileChiSquare.Test(reference, s, 6, bootstrap = opts)

    let unit =
        QuantileChiSquare.Test(reference, Array.create 300 1.0, s, Array.create 40 1.0, 6, opts)

    assertClose veryHigh plain.Value unit.Value "unit weights"
    let repeated = QuantileChiSquare.Test(reference, rep, 6, bootstrap = opts)

    let weighted =
        QuantileChiSquare.Test(reference, null, s, Array.map float k, 6, opts)
    // The fractions (and so χ̂²) are identical; χ² differs by N vs the Kish size, as documented.
    Expect.equal weighted.Fractions.Length repeated.Fractions.Length "number of fractions"

    Array.iteri2
        (fun i w r -> Expect.floatClose { absolute = 1e-12; relative = 0.0 } w r (sprintf "fraction %d" i))
        weighted.Fractions
        repeated.Fractions

    assertClose veryHigh repeated.NormalizedChiSquare weighted.NormalizedChiSquare "chi2 hat"

let ``too few bins and a decreasing inverse CDF are rejected`` () =
    raises<ArgumentOutOfRangeException> "QuantileChiSquare.SampleEdges([| 1.0; 2.0 |], 1) |> ignore" (fun () ->
        QuantileChiSquare.SampleEdges([| 1.0; 2.0 |], 1) |> ignore)
    |> ignore

    raises<ArgumentException> "QuantileChiSquare.ExactEdges(Func<float, float>(fun p -> -p), 4) |>..." (fun () ->
        QuantileChiSquare.ExactEdges(Func<float, float>(fun p -> -p), 4) |> ignore)
    |> ignore

/// A reference sample of M events on the grid (k + ½)/M, k = 0…M − 1: every definition of its
/// j/n_q quantile lies within ½/M of j/n_q, so bin counts of samples kept away from j/n_q do not
/// depend on the quantile interpolation.
let private gridReference m =
    Array.init m (fun k -> (float k + 0.5) / float m)

let ``the reference correction is 1 + N/M for unequal sizes (scipy chisquare and chi2.sf)`` () =
    // N = 100 sample events on the centres 0.01, 0.03, … of fiftieths (never within 0.01 of an edge
    // j/10) against M = 300 reference events, 10 bins. /usr/bin/python3, scipy 1.10.1:
    //   s = (floor(50·(((k+1)·ρ + 0.05) % 1)^1.3) + 0.5)/50, k = 0…99
    //   counts = [16 12 10 10 9 9 9 8 9 8]; stats.chisquare(counts).statistic = 5.2
    //   stats.chi2.sf(5.2 / (1 + 100/300), 9) = 0.9178700411914169   (1 + M/N would give 0.998376448363871)
    let rho = 0.7548776662466927

    let s =
        Array.init 100 (fun k -> (floor (50.0 * (((float (k + 1) * rho + 0.05) % 1.0) ** 1.3)) + 0.5) / 50.0)

    let r =
        QuantileChiSquare.Test(gridReference 300, s, 10, bootstrap = BootstrapOptions(2, 1))

    Expect.equal
        (r.Fractions |> Array.map (fun f -> Math.Round(f * 100.0)))
        [| 16.; 12.; 10.; 10.; 9.; 9.; 9.; 8.; 9.; 8. |]
        "bin counts"

    assertClose veryHigh 5.2 r.Value "chi2"
    assertClose veryHigh (1.0 + 100.0 / 300.0) r.ReferenceCorrection "1 + N/M"
    assertClose high 0.9178700411914169 r.PValue "p at chi2 / (1 + N/M)"
    Expect.equal (r.EffectiveSizeA, r.EffectiveSizeB) (300.0, 100.0) "(M, N)"

let ``a value on a bin edge falls into the bin above it`` () =
    // Exact edges 0.25, 0.5, 0.75 (4 bins of U(0, 1)); bins are [e_{j−1}, e_j), so the sample
    // [0.1, 0.25, 0.25, 0.5, 0.6, 0.9] has counts [1, 2, 2, 1] (by hand), scipy
    // stats.chisquare([1, 2, 2, 1]) = (0.6666666666666666, p = 0.8810148425137847).
    let s = [| 0.25; 0.1; 0.5; 0.25; 0.9; 0.6 |]

    let r =
        QuantileChiSquare.Test(Func<float, float> id, s, 4, bootstrap = BootstrapOptions(2, 1))

    Expect.equal
        (r.Fractions |> Array.map (fun f -> Math.Round(f * 6.0)))
        [| 1.; 2.; 2.; 1. |]
        "counts with values on the edges"

    assertClose veryHigh (2.0 / 3.0) r.Value "chi2"
    assertClose high 0.8810148425137847 r.PValue "p"
    // The same rule with edges from a reference sample: edges at its quantiles 1/3, 2/3 of
    // [1 … 6] are 2.6667 and 4.3333 (any interpolation puts them in (2, 3) and (4, 5)); a value
    // equal to an edge goes up: the inner edges themselves, used as a sample, fill bins 2 and 3.
    let ref6 = [| 1.0 .. 6.0 |]
    let edges = QuantileChiSquare.SampleEdges(ref6, 3)
    let onEdges = QuantileChiSquare.Test(ref6, edges, 3, BootstrapOptions(2, 1))
    Expect.equal onEdges.Fractions [| 0.0; 0.5; 0.5 |] "edge values, reference-sample edges"

let ``weighted sample: chi2 = Kish size × chi2 hat, p with 1 + N_eff/M (hand computation, scipy chi2.sf)`` () =
    // s_k = (((k+1)·φ + 0.1) % 1)^1.5, k = 0…39, weights w_k = 0.5 + k % 4; reference: 200 grid
    // events, 5 bins (no s_k within 0.005 of an edge j/5). /usr/bin/python3, scipy 1.10.1:
    //   fractions = [0.25625, 0.24375, 0.11875, 0.18125, 0.2], chi2 hat = 5 Σ (f − 0.2)² = 0.06015625
    //   Kish N_eff = (Σw)²/Σw² = 30.476190476190474 (Σw = 80 would be the unweighted count's analogue)
    //   chi2 = N_eff · chi2 hat = 1.833333333333333
    //   stats.chi2.sf(chi2 / (1 + N_eff/200), 4) = 0.8104251220939578; exact CDF edges: stats.chi2.sf(chi2, 4) = 0.7663785041609574
    let phi = 0.6180339887498949
    let s = Array.init 40 (fun k -> ((float (k + 1) * phi + 0.1) % 1.0) ** 1.5)
    let w = Array.init 40 (fun k -> 0.5 + float (k % 4))

    let r =
        QuantileChiSquare.Test(gridReference 200, null, s, w, 5, BootstrapOptions(2, 1))

    Array.iteri2
        (fun j e f -> assertClose high e f (sprintf "fraction %d" j))
        [| 0.25625; 0.24375; 0.11875; 0.18125; 0.2 |]
        r.Fractions

    assertClose high 0.06015625 r.NormalizedChiSquare "chi2 hat"
    assertClose high 30.476190476190474 r.EffectiveSizeB "Kish size of the sample"
    assertClose high 1.833333333333333 r.Value "chi2"
    assertClose high (1.0 + 30.476190476190474 / 200.0) r.ReferenceCorrection "1 + N_eff/M"
    assertClose high 0.8104251220939578 r.PValue "p"

    let exact =
        QuantileChiSquare.Test(Func<float, float> id, s, w, 5, BootstrapOptions(2, 1))

    assertClose high 1.833333333333333 exact.Value "chi2, exact edges"
    assertClose high 0.7663785041609574 exact.PValue "p, exact edges"

// ---- Argument order (reference, referenceWeights, sample, sampleWeights, bins) ----

let ``the sample test takes (a, weightsA, b, weightsB, bins): brute force agrees, the swapped order does not`` () =
    // Equal-length samples whose weights differ: passing (a, b, wa, wb, bins) runs but gives another value.
    let a = [| 0.3; 1.1; 2.5; 3.0; 4.2; 5.9 |]
    let wa = [| 2.0; 0.5; 1.0; 3.0; 0.25; 1.5 |]
    let b = [| 0.8; 1.9; 2.2; 3.7; 4.4; 6.5 |]
    let wb = [| 1.0; 4.0; 0.5; 0.5; 2.0; 1.0 |]
    let bins = 3

    let kish (w: float[]) =
        (Array.sum w) ** 2.0 / (w |> Array.sumBy (fun x -> x * x))
    // Brute force: the reference's weighted quantile edges, then b's weighted fraction in each [e_{j−1}, e_j).
    let edges = QuantileChiSquare.SampleEdges(a, bins, wa)
    let lower = Array.append [| Double.NegativeInfinity |] edges
    let upper = Array.append edges [| Double.PositiveInfinity |]

    let fractions =
        Array.init bins (fun j ->
            Array.fold2 (fun s x w -> if x >= lower.[j] && x < upper.[j] then s + w else s) 0.0 b wb
            / Array.sum wb)

    let chi2Hat =
        float bins * (fractions |> Array.sumBy (fun x -> (x - 1.0 / float bins) ** 2.0))

    let chi2 = kish wb * chi2Hat
    let r = QuantileChiSquare.Test(a, wa, b, wb, bins, BootstrapOptions(10, 1))
    assertClose high chi2 r.Value "chi2"
    assertClose high chi2Hat r.NormalizedChiSquare "chi2 hat"
    assertClose high (HistogramChiSquare.PValue(chi2 / (1.0 + kish wb / kish wa), bins - 1)) r.PValue "p"
    assertClose high (kish wa) r.EffectiveSizeA "ESS reference"
    let swapped = QuantileChiSquare.Test(a, b, wa, wb, bins, BootstrapOptions(10, 1))
    Expect.isGreaterThan (abs (swapped.Value - chi2)) 1e-3 "swapped-order call must give another chi2"

[<Tests>]
let tests =
    testList
        "Stats.QuantileChiSquare"
        [
            testCase
                "exact-CDF edges give scipy's Pearson chisquare on the bin counts"
                ``exact-CDF edges give scipy's Pearson chisquare on the bin counts``
            testCase
                "a sample compared with itself has chi2 hat near zero and equal-probability fractions"
                ``a sample compared with itself has chi2 hat near zero and equal-probability fractions``
            testCase
                "the reference correction makes the p-value uniform-ish under the null"
                ``the reference correction makes the p-value uniform-ish under the null``
            testCase
                "weights: unit weights equal no weights, integer weights equal repetition"
                ``weights: unit weights equal no weights, integer weights equal repetition``
            testCase
                "the reference correction is 1 + N/M for unequal sizes (scipy chisquare and chi2.sf)"
                ``the reference correction is 1 + N/M for unequal sizes (scipy chisquare and chi2.sf)``
            testCase
                "a value on a bin edge falls into the bin above it"
                ``a value on a bin edge falls into the bin above it``
            testCase
                "weighted sample: chi2 = Kish size × chi2 hat, p with 1 + N_eff/M (hand computation, scipy chi2.sf)"
                ``weighted sample: chi2 = Kish size × chi2 hat, p with 1 + N_eff/M (hand computation, scipy chi2.sf)``
            testCase
                "too few bins and a decreasing inverse CDF are rejected"
                ``too few bins and a decreasing inverse CDF are rejected``
            testCase
                "the sample test takes (a, weightsA, b, weightsB, bins): brute force agrees, the swapped order does not"
                ``the sample test takes (a, weightsA, b, weightsB, bins): brute force agrees, the swapped order does not``
        ]
