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
    let r = QuantileChiSquare.Test(Func<float, float> id, x, 8, bootstrap = BootstrapOptions(50, 1))
    assertClose veryHigh 33.024 r.Value "chi2"
    Expect.equal r.Ndf 7 "r.Ndf"
    assertClose high 2.620526973596839e-05 r.PValue "p"
    Expect.equal (r.Fractions |> Array.map (fun f -> Math.Round(f * 500.0))) ([| 101.; 71.; 63.; 58.; 55.; 53.; 51.; 48. |]) "r.Fractions |> Array.map (fun f -> Math.Round(f * 500.0))"
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
    let draw n = Array.init n (fun _ -> rng.NextDouble())
    let ps = Array.init 400 (fun _ ->
        let r = QuantileChiSquare.Test(draw 500, draw 500, 10, bootstrap = BootstrapOptions(2, 1))
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
    let unit = QuantileChiSquare.Test(reference, Array.create 300 1.0, s, Array.create 40 1.0, 6, opts)
    assertClose veryHigh plain.Value unit.Value "unit weights"
    let repeated = QuantileChiSquare.Test(reference, rep, 6, bootstrap = opts)
    let weighted = QuantileChiSquare.Test(reference, null, s, Array.map float k, 6, opts)
    // The fractions (and so χ̂²) are identical; χ² differs by N vs the Kish size, as documented.
    Expect.equal weighted.Fractions.Length repeated.Fractions.Length "number of fractions"
    Array.iteri2 (fun i w r -> Expect.floatClose { absolute = 1e-12; relative = 0.0 } w r (sprintf "fraction %d" i)) weighted.Fractions repeated.Fractions
    assertClose veryHigh repeated.NormalizedChiSquare weighted.NormalizedChiSquare "chi2 hat"

let ``too few bins and a decreasing inverse CDF are rejected`` () =
    raises<ArgumentOutOfRangeException> "QuantileChiSquare.SampleEdges([| 1.0; 2.0 |], 1) |> ignore" (fun () -> QuantileChiSquare.SampleEdges([| 1.0; 2.0 |], 1) |> ignore) |> ignore
    raises<ArgumentException> "QuantileChiSquare.ExactEdges(Func<float, float>(fun p -> -p), 4) |>..." (fun () -> QuantileChiSquare.ExactEdges(Func<float, float>(fun p -> -p), 4) |> ignore) |> ignore

// ---- Argument order (reference, referenceWeights, sample, sampleWeights, bins) ----

let ``the sample test takes (a, weightsA, b, weightsB, bins): brute force agrees, the swapped order does not`` () =
    // Equal-length samples whose weights differ: passing (a, b, wa, wb, bins) runs but gives another value.
    let a = [| 0.3; 1.1; 2.5; 3.0; 4.2; 5.9 |]
    let wa = [| 2.0; 0.5; 1.0; 3.0; 0.25; 1.5 |]
    let b = [| 0.8; 1.9; 2.2; 3.7; 4.4; 6.5 |]
    let wb = [| 1.0; 4.0; 0.5; 0.5; 2.0; 1.0 |]
    let bins = 3
    let kish (w: float[]) = (Array.sum w) ** 2.0 / (w |> Array.sumBy (fun x -> x * x))
    // Brute force: the reference's weighted quantile edges, then b's weighted fraction in each [e_{j−1}, e_j).
    let edges = QuantileChiSquare.SampleEdges(a, bins, wa)
    let lower = Array.append [| Double.NegativeInfinity |] edges
    let upper = Array.append edges [| Double.PositiveInfinity |]
    let fractions =
        Array.init bins (fun j -> Array.fold2 (fun s x w -> if x >= lower.[j] && x < upper.[j] then s + w else s) 0.0 b wb / Array.sum wb)
    let chi2Hat = float bins * (fractions |> Array.sumBy (fun x -> (x - 1.0 / float bins) ** 2.0))
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
    testList "Stats.QuantileChiSquare" [
        testCase "exact-CDF edges give scipy's Pearson chisquare on the bin counts" ``exact-CDF edges give scipy's Pearson chisquare on the bin counts``
        testCase "a sample compared with itself has chi2 hat near zero and equal-probability fractions" ``a sample compared with itself has chi2 hat near zero and equal-probability fractions``
        testCase "the reference correction makes the p-value uniform-ish under the null" ``the reference correction makes the p-value uniform-ish under the null``
        testCase "weights: unit weights equal no weights, integer weights equal repetition" ``weights: unit weights equal no weights, integer weights equal repetition``
        testCase "too few bins and a decreasing inverse CDF are rejected" ``too few bins and a decreasing inverse CDF are rejected``
        testCase "the sample test takes (a, weightsA, b, weightsB, bins): brute force agrees, the swapped order does not" ``the sample test takes (a, weightsA, b, weightsB, bins): brute force agrees, the swapped order does not``
    ]
