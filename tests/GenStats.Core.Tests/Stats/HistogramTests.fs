module GenStats.Tests.Stats.HistogramTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Generators
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private hist (sumw: float[]) (sumw2: float[]) =
    WeightedHistogram(Histogram.UniformEdges(0.0, float sumw.Length, sumw.Length), sumw, sumw2, 0.0, 0.0)

let private counts (c: float[]) = hist c c

// ---- Filling ----

let ``fill keeps sum of weights, sum of squared weights and the flows`` () =
    let h =
        Histogram.Fill(
            [| -1.0; 0.0; 0.5; 1.0; 2.0; 2.0; 3.5 |],
            [| 0.0; 1.0; 2.0 |],
            [| 5.0; 1.0; 2.0; 3.0; -1.0; 2.0; 7.0 |]
        )
    // [0, 1) holds 0 and 0.5; the last bin [1, 2] holds 1 and both 2s (upper edge included).
    Expect.equal h.SumOfWeights ([| 3.0; 4.0 |]) "h.SumOfWeights"
    Expect.equal h.SumOfSquaredWeights ([| 5.0; 14.0 |]) "h.SumOfSquaredWeights"
    Expect.equal (h.Underflow, h.Overflow) (5.0, 7.0) "(h.Underflow, h.Overflow)"

let ``bad edges are rejected`` () =
    raises<ArgumentException> "Histogram.Fill([| 1.0 |], [| 0.0; 0.0 |]) |> ignore" (fun () ->
        Histogram.Fill([| 1.0 |], [| 0.0; 0.0 |]) |> ignore)
    |> ignore

    raises<ArgumentException> "Histogram.Fill([| 1.0 |], [| 0.0 |]) |> ignore" (fun () ->
        Histogram.Fill([| 1.0 |], [| 0.0 |]) |> ignore)
    |> ignore

    raises<ArgumentException> "Histogram.Fill([| 1.0 |], [| 0.0; nan |]) |> ignore" (fun () ->
        Histogram.Fill([| 1.0 |], [| 0.0; nan |]) |> ignore)
    |> ignore

// ---- Gagunashvili χ²: ROOT's documented example (TH1::Chi2Test, tutorial math/chi2test.C) ----

let private rootUnweighted (w: float) =
    [|
        0.
        1.
        0.
        1.
        1.
        6.
        7.
        2.
        22.
        30.
        27.
        20.
        13.
        9.
        9. + w
        13.
        19.
        11.
        9.
        0.
    |]

let private rootWeighted =
    [|
        2.20173025
        3.30143857
        2.5892849
        2.99990201
        4.92877054
        8.33036995
        6.95084763
        15.206357
        23.9236012
        44.3848114
        49.4465599
        25.1868858
        16.3129692
        13.0289612
        16.7857609
        22.9914703
        30.5279255
        12.5252123
        16.4104557
        7.86067867
    |]

let private rootWeightedErrors =
    [|
        0.38974303
        0.536510944
        0.529702604
        0.642001867
        0.969341516
        1.47611344
        1.69797957
        3.28577447
        5.40784931
        9.10106468
        9.73541737
        5.55019951
        3.57914758
        2.77877331
        3.23697519
        4.3608489
        5.77172089
        3.38666105
        2.98861837
        1.58402085
    |]

let ``ROOT's documented UW example: Chi2 = 21.085124, Prob = 0.332116, NDF = 19`` () =
    let h2 = hist rootWeighted (rootWeightedErrors |> Array.map (fun e -> e * e))

    let r =
        HistogramChiSquare.Compare(counts (rootUnweighted 0.0), h2, HistogramComparison.UnweightedWeighted)

    assertClose { Absolute = 0.0; Relative = 1e-7 } 21.085124 r.Value "chi2"
    assertClose { Absolute = 1e-6; Relative = 0.0 } 0.332116 r.PValue "p"
    Expect.equal r.Ndf 19 "r.Ndf"
    // The second picture of the documentation: 17 more events in bin 15 give χ² = 32.33, p = 0.029.
    let r17 =
        HistogramChiSquare.Compare(counts (rootUnweighted 17.0), h2, HistogramComparison.UnweightedWeighted)

    assertClose { Absolute = 0.005; Relative = 0.0 } 32.33 r17.Value "chi2 (w = 17)"
    assertClose { Absolute = 0.0005; Relative = 0.0 } 0.029 r17.PValue "p (w = 17)"

let ``UU and WW match hand calculations`` () =
    // UU: (10, 20) vs (20, 10): Σ (30·10 − 30·20)²/(30·30·(30)) ·2 = 20/3, ndf 1; scipy chi2.sf(20/3, 1).
    let uu =
        HistogramChiSquare.Compare(
            counts [| 10.0; 20.0 |],
            counts [| 20.0; 10.0 |],
            HistogramComparison.UnweightedUnweighted
        )

    assertClose veryHigh (20.0 / 3.0) uu.Value "UU chi2"
    assertClose high 0.009823274507519235 uu.PValue "UU p (scipy chi2.sf)"
    // WW: sums 6 and 6; bin 1: 36/(36·3 + 36·2) = 0.2, bin 2: 36/(36·3 + 36·8) = 1/11.
    let ww =
        HistogramChiSquare.Compare(
            hist [| 2.0; 4.0 |] [| 2.0; 8.0 |],
            hist [| 3.0; 3.0 |] [| 3.0; 3.0 |],
            HistogramComparison.WeightedWeighted
        )

    assertClose veryHigh (0.2 + 1.0 / 11.0) ww.Value "WW chi2"
    assertClose high 0.5896385516265671 ww.PValue "WW p (scipy chi2.sf)"

let ``bins empty in both histograms remove a degree of freedom`` () =
    let r =
        HistogramChiSquare.Compare(
            counts [| 5.0; 0.0; 7.0; 0.0 |],
            counts [| 6.0; 0.0; 4.0; 0.0 |],
            HistogramComparison.UnweightedUnweighted
        )

    Expect.equal r.Ndf 1 "r.Ndf"

let private positiveCounts =
    gen {
        let! bins = Gen.choose (2, 12)
        let! a = Gen.arrayOfLength bins (Gen.choose (1, 200) |> Gen.map float)
        let! b = Gen.arrayOfLength bins (Gen.choose (1, 200) |> Gen.map float)
        return a, b
    }

let ``with unit weights and equal totals WW reduces to UU`` () =
    // (N m − M n)²/(N² m + M² n) = (M n − N m)²/(N M (n + m)) when N = M and s² = counts.
    let sameTotal =
        gen {
            let! a, _ = positiveCounts
            let! b = Gen.shuffle a
            return a, b
        }

    Prop.forAll (Arb.fromGen sameTotal) (fun (a, b) ->
        let uu =
            HistogramChiSquare.Compare(counts a, counts b, HistogramComparison.UnweightedUnweighted).Value

        let ww =
            HistogramChiSquare.Compare(counts a, counts b, HistogramComparison.WeightedWeighted).Value

        isClose high uu ww)

let ``chi2 is zero for proportional histograms and symmetric for UU and WW`` () =
    Prop.forAll (Arb.fromGen positiveCounts) (fun (a, b) ->
        let uu x y =
            HistogramChiSquare.Compare(counts x, counts y, HistogramComparison.UnweightedUnweighted).Value

        let ww x y =
            HistogramChiSquare.Compare(counts x, counts y, HistogramComparison.WeightedWeighted).Value

        abs (uu a (Array.map ((*) 3.0) a)) < 1e-9
        && isClose veryHigh (uu a b) (uu b a)
        && isClose veryHigh (ww a b) (ww b a))

/// scipy.stats.chi2.sf(chi2, ndf): chi2, ndf, sf.
let private scipyChi2Sf =
    [
        3.0, 2, 0.22313016014842982
        30.0, 10, 0.000856641210775301
        100.0, 19, 5.355560750435117e-13
        500.0, 19, 5.587489434461123e-94
    ]

let ``chi2 p-values agree with scipy chi2 sf, far into the tail`` (chi2, ndf, expected) =
    assertClose
        { Absolute = 0.0; Relative = 1e-9 }
        expected
        (HistogramChiSquare.PValue(chi2, ndf))
        (sprintf "chi2.sf(%g, %d)" chi2 ndf)

let ``sample overload picks UU, UW or WW from the weights`` () =
    let a = Array.init 100 (fun i -> float (i % 10))
    let b = Array.init 80 (fun i -> float ((i * 3) % 10))
    let edges = Histogram.UniformEdges(0.0, 10.0, 5)
    let opts = BootstrapOptions(20, 1)

    Expect.equal
        (HistogramChiSquare.Test(a, b, edges, bootstrap = opts).Comparison)
        HistogramComparison.UnweightedUnweighted
        "HistogramChiSquare.Test(a, b, edges, bootstrap = opts).Comparison"

    Expect.equal
        (HistogramChiSquare.Test(a, null, b, Array.create 80 2.0, edges, opts).Comparison)
        HistogramComparison.UnweightedWeighted
        "HistogramChiSquare.Test(a, null, b, Array.create 80 2.0, edges, opt..."

    Expect.equal
        (HistogramChiSquare.Test(a, Array.create 100 2.0, b, null, edges, opts).Comparison)
        HistogramComparison.UnweightedWeighted
        "HistogramChiSquare.Test(a, Array.create 100 2.0, b, null, edges, op..."

    Expect.equal
        (HistogramChiSquare.Test(a, Array.create 100 2.0, b, Array.create 80 2.0, edges, opts).Comparison)
        HistogramComparison.WeightedWeighted
        "HistogramChiSquare.Test(a, Array.create 100 2.0, b, Array.create 80..."

// ---- JSD and separation power ----

let ``JSD in bits and separation power match hand calculations`` () =
    let p, q = counts [| 1.0; 1.0 |], counts [| 2.0; 0.0 |]
    // scipy: jensenshannon([.5, .5], [1, 0], base=2)**2 = 0.3112781244591328.
    assertClose veryHigh 0.3112781244591328 (HistogramDivergences.JensenShannonValue(p, q)) "JSD"
    // ½ [(0.5 − 1)²/1.5 + 0.5²/0.5] = 1/3.
    assertClose veryHigh (1.0 / 3.0) (HistogramDivergences.SeparationPowerValue(p, q)) "separation power"
    // Disjoint supports: both reach their maximum 1.
    assertClose
        veryHigh
        1.0
        (HistogramDivergences.JensenShannonValue(counts [| 3.0; 0.0 |], counts [| 0.0; 5.0 |]))
        "JSD disjoint"

    assertClose
        veryHigh
        1.0
        (HistogramDivergences.SeparationPowerValue(counts [| 3.0; 0.0 |], counts [| 0.0; 5.0 |]))
        "SP disjoint"

let ``JSD and separation power are in 0..1, symmetric, zero for proportional histograms`` () =
    Prop.forAll (Arb.fromGen positiveCounts) (fun (a, b) ->
        let j x y =
            HistogramDivergences.JensenShannonValue(counts x, counts y)

        let s x y =
            HistogramDivergences.SeparationPowerValue(counts x, counts y)

        let inRange v = v >= 0.0 && v <= 1.0

        inRange (j a b)
        && inRange (s a b)
        && isClose veryHigh (j a b) (j b a)
        && isClose veryHigh (s a b) (s b a)
        && abs (j a (Array.map ((*) 2.0) a)) < 1e-12
        && abs (s a (Array.map ((*) 2.0) a)) < 1e-12)

let ``integer weights equal repeated events for the histogram metrics`` () =
    let withCounts =
        gen {
            let! a = sample
            let! b = sample
            let! ka = Gen.arrayOfLength a.Length (Gen.choose (1, 3))
            return a, b, ka
        }

    Prop.forAll (Arb.fromGen withCounts) (fun (a, b, ka) ->
        let rep = Array.concat (Array.map2 (fun x k -> Array.create k x) a ka)
        let edges = Histogram.PooledUniformEdges(a, b, 7)
        let opts = BootstrapOptions(2, 1)

        isClose
            high
            (HistogramDivergences.JensenShannon(rep, b, edges, bootstrap = opts).Value)
            (HistogramDivergences.JensenShannon(a, Array.map float ka, b, null, edges, opts).Value)
        && isClose
            high
            (HistogramDivergences.SeparationPower(rep, b, edges, bootstrap = opts).Value)
            (HistogramDivergences.SeparationPower(a, Array.map float ka, b, null, edges, opts).Value))

let ``negative weights are refused by JSD and separation power`` () =
    let ex =
        raises<ArgumentException> "HistogramDivergences.JensenShannon([| 1.0; 2.0 |], [| 1.0; -0.5 |], ..." (fun () ->
            HistogramDivergences.JensenShannon([| 1.0; 2.0 |], [| 1.0; -0.5 |], [| 1.0 |], null, [| 0.0; 3.0 |])
            |> ignore)

    contains "non-negative" ex.Message "ex.Message"

// ---- Argument order (a, weightsA, b, weightsB, edges) ----

/// Equal-length samples whose weights differ, so that passing (a, b, wa, wb, edges) to the
/// (a, weightsA, b, weightsB, edges) overloads runs without error but gives another value.
let private orderA = [| 0.3; 1.1; 2.5; 3.0; 4.2; 5.9 |]
let private orderWa = [| 2.0; 0.5; 1.0; 3.0; 0.25; 1.5 |]
let private orderB = [| 0.8; 1.9; 2.2; 3.7; 4.4; 6.5 |]
let private orderWb = [| 1.0; 4.0; 0.5; 0.5; 2.0; 1.0 |]
let private orderEdges = [| 0.0; 2.0; 4.0; 7.0 |]

/// Per-bin Σw and Σw² of a sample in orderEdges, by brute force.
let private binSums (xs: float[]) (ws: float[]) (power: float) =
    Array.init 3 (fun j ->
        Array.fold2
            (fun s x w ->
                if x >= orderEdges.[j] && x < orderEdges.[j + 1] then
                    s + w ** power
                else
                    s)
            0.0
            xs
            ws)

let ``chi2, JSD and separation power take (a, weightsA, b, weightsB, edges): closed forms agree, the swapped order does not``
    ()
    =
    let w1, w2 = binSums orderA orderWa 1.0, binSums orderB orderWb 1.0
    let s1, s2 = binSums orderA orderWa 2.0, binSums orderB orderWb 2.0
    let t1, t2 = Array.sum w1, Array.sum w2
    // WW (Gagunashvili / ROOT "WW"): Σ (W₁w₂ᵢ − W₂w₁ᵢ)² / (W₁²s₂ᵢ² + W₂²s₁ᵢ²).
    let chi2 =
        Array.init 3 (fun i -> (t1 * w2.[i] - t2 * w1.[i]) ** 2.0 / (t1 * t1 * s2.[i] + t2 * t2 * s1.[i]))
        |> Array.sum

    let p, q = Array.map (fun x -> x / t1) w1, Array.map (fun x -> x / t2) w2

    let jsd =
        Array.map2
            (fun pi qi ->
                let m = 0.5 * (pi + qi)

                (if pi > 0.0 then 0.5 * pi * Math.Log2(pi / m) else 0.0)
                + (if qi > 0.0 then 0.5 * qi * Math.Log2(qi / m) else 0.0))
            p
            q
        |> Array.sum

    let sp =
        0.5 * (Array.map2 (fun pi qi -> (pi - qi) ** 2.0 / (pi + qi)) p q |> Array.sum)

    let opts = BootstrapOptions(10, 1)
    let r = HistogramChiSquare.Test(orderA, orderWa, orderB, orderWb, orderEdges, opts)
    Expect.equal r.Comparison HistogramComparison.WeightedWeighted "r.Comparison"
    assertClose high chi2 r.Value "chi2 WW"
    Expect.equal r.Ndf 2 "r.Ndf"

    assertClose
        high
        jsd
        (HistogramDivergences.JensenShannon(orderA, orderWa, orderB, orderWb, orderEdges, opts).Value)
        "JSD"

    assertClose
        high
        sp
        (HistogramDivergences.SeparationPower(orderA, orderWa, orderB, orderWb, orderEdges, opts).Value)
        "separation power"
    // The data tell the orders apart: the old (a, b, wa, wb) order, passed positionally, differs.
    let differs what expected actual =
        Expect.isGreaterThan (abs (actual - expected)) 1e-3 (what + ": the swapped-order call must give another value")

    differs
        "HistogramChiSquare.Test"
        chi2
        (HistogramChiSquare.Test(orderA, orderB, orderWa, orderWb, orderEdges, opts).Value)

    differs
        "JensenShannon"
        jsd
        (HistogramDivergences.JensenShannon(orderA, orderB, orderWa, orderWb, orderEdges, opts).Value)

    differs
        "SeparationPower"
        sp
        (HistogramDivergences.SeparationPower(orderA, orderB, orderWa, orderWb, orderEdges, opts).Value)

[<Tests>]
let tests =
    testList
        "Stats.Histogram"
        [
            testCase
                "fill keeps sum of weights, sum of squared weights and the flows"
                ``fill keeps sum of weights, sum of squared weights and the flows``
            testCase "bad edges are rejected" ``bad edges are rejected``
            testCase
                "ROOT's documented UW example: Chi2 = 21.085124, Prob = 0.332116, NDF = 19"
                ``ROOT's documented UW example: Chi2 = 21.085124, Prob = 0.332116, NDF = 19``
            testCase "UU and WW match hand calculations" ``UU and WW match hand calculations``
            testCase
                "bins empty in both histograms remove a degree of freedom"
                ``bins empty in both histograms remove a degree of freedom``
            testPropertyN
                100
                "with unit weights and equal totals WW reduces to UU"
                ``with unit weights and equal totals WW reduces to UU``
            testPropertyN
                100
                "chi2 is zero for proportional histograms and symmetric for UU and WW"
                ``chi2 is zero for proportional histograms and symmetric for UU and WW``
            testList
                "chi2 p-values agree with scipy chi2 sf, far into the tail"
                [
                    for (chi2, ndf, _) as row in scipyChi2Sf ->
                        testCase (sprintf "chi2=%g ndf=%d" chi2 ndf) (fun () ->
                            ``chi2 p-values agree with scipy chi2 sf, far into the tail`` row)
                ]
            testCase
                "sample overload picks UU, UW or WW from the weights"
                ``sample overload picks UU, UW or WW from the weights``
            testCase
                "JSD in bits and separation power match hand calculations"
                ``JSD in bits and separation power match hand calculations``
            testPropertyN
                100
                "JSD and separation power are in 0..1, symmetric, zero for proportional histograms"
                ``JSD and separation power are in 0..1, symmetric, zero for proportional histograms``
            testPropertyN
                50
                "integer weights equal repeated events for the histogram metrics"
                ``integer weights equal repeated events for the histogram metrics``
            testCase
                "negative weights are refused by JSD and separation power"
                ``negative weights are refused by JSD and separation power``
            testCase
                "chi2, JSD and separation power take (a, weightsA, b, weightsB, edges): closed forms agree, the swapped order does not"
                ``chi2, JSD and separation power take (a, weightsA, b, weightsB, edges): closed forms agree, the swapped order does not``
        ]
