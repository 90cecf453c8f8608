module GenStats.Tests.Stats.PrecisionRecall.PrdcTests

open Expecto
open System
open FsCheck.FSharp
open GenStats.Stats.PrecisionRecall
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats.PointGenerators
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private prdc a b = Prdc.Compute(a, null, b, null)
let private ones (x: float[][]) = Array.create x.Length 1.0

let private col (xs: float list) =
    xs |> List.map (fun x -> [| x |]) |> Array.ofList

// ---- Reference values from the prdc package's compute_prdc (sklearn pairwise distances) ----

let ``matches prdc on a fixed 2-D example with k = 5 and k = 3`` () =
    let r5 = Prdc.Compute(fixedA, null, fixedB, null)
    assertClose veryHigh 0.9 r5.Precision.Value "precision k=5"
    assertClose veryHigh 1.0 r5.Recall.Value "recall k=5"
    assertClose veryHigh 0.96 r5.Density.Value "density k=5"
    assertClose veryHigh 1.0 r5.Coverage.Value "coverage k=5"
    let r3 = Prdc.Compute(fixedA, null, fixedB, null, PrdcOptions(K = 3))
    assertClose veryHigh 0.9 r3.Precision.Value "precision k=3"
    assertClose veryHigh 1.0 r3.Recall.Value "recall k=3"
    assertClose veryHigh 0.93333333333333324 r3.Density.Value "density k=3"
    assertClose veryHigh 0.75 r3.Coverage.Value "coverage k=3"

let ``mode collapse: every generated event on one real event gives recall 0`` () =
    // Real = 0…9 on a line, all 10 generated events at 0, k = 5. prdc gives precision 1,
    // recall 0 (generated radii are 0), density 0.6 and coverage 0.3: the real balls of 0, 1, 2
    // (radii 5, 4, 3) contain 0 strictly, those of 3… (radius 3, distance ≥ 3) do not.
    let r = prdc (col [ 0.0 .. 9.0 ]) (Array.init 10 (fun _ -> [| 0.0 |]))
    assertClose veryHigh 1.0 r.Precision.Value "precision"
    assertClose veryHigh 0.0 r.Recall.Value "recall"
    assertClose veryHigh 0.6 r.Density.Value "density"
    assertClose veryHigh 0.3 r.Coverage.Value "coverage"
    assertClose veryHigh (sqrt (0.3 * 0.7 / 10.0)) r.Coverage.Uncertainty "binomial error of coverage"

let ``a grid example matches prdc with k = 3`` () =
    // Real 0…9, generated {2, 5, 11, 13, 14, 20}; prdc: (0.5, 1.0, 4/9, 0.8).
    let r =
        Prdc.Compute(col [ 0.0 .. 9.0 ], null, col [ 2.0; 5.0; 11.0; 13.0; 14.0; 20.0 ], null, PrdcOptions(K = 3))

    assertClose veryHigh 0.5 r.Precision.Value "precision"
    assertClose veryHigh 1.0 r.Recall.Value "recall"
    assertClose veryHigh (4.0 / 9.0) r.Density.Value "density"
    assertClose veryHigh 0.8 r.Coverage.Value "coverage"

let ``a point exactly on a ball's surface is outside for prdc and inside for improved precision`` () =
    // k = 1: real {0, 2, 4, 6} have radius 2; generated 8 lies at distance exactly 2 from 6.
    // Generated radii: 8 → 1, 9 → 1, 30 → 21; no real event lies within them.
    let real, gen = col [ 0.0; 2.0; 4.0; 6.0 ], col [ 8.0; 9.0; 30.0 ]
    let strict = Prdc.Compute(real, null, gen, null, PrdcOptions(K = 1))

    let loose =
        ImprovedPrecisionRecall.Compute(real, null, gen, null, ImprovedPrecisionRecallOptions(K = 1))

    assertClose veryHigh 0.0 strict.Precision.Value "prdc precision (strict <)"
    assertClose veryHigh (1.0 / 3.0) loose.Precision.Value "improved precision (<=)"
    assertClose veryHigh 0.0 strict.Recall.Value "prdc recall"
    assertClose veryHigh 0.0 loose.Recall.Value "improved recall"

let ``identical Gaussian samples give precision, recall, density and coverage 1`` () =
    let a = gaussian 11 300 3 0.0
    let r = prdc a (Array.map Array.copy a)

    for (name, v) in
        [
            "precision", r.Precision.Value
            "recall", r.Recall.Value
            "density", r.Density.Value
            "coverage", r.Coverage.Value
        ] do
        assertClose veryHigh 1.0 v name

    Expect.equal r.Precision.EffectiveSizeA 300.0 "r.Precision.EffectiveSizeA"

let ``k-th neighbour radii exclude the event itself but count its duplicates`` () =
    // Points 0, 0, 1, 3: 1st neighbour of each: 0 (duplicate), 0, 1, 2; 2nd: 1, 1, 1, 3.
    let x = col [ 0.0; 0.0; 1.0; 3.0 ]

    Expect.equal
        (NearestNeighbours.KthNeighbourDistances(x, 1))
        ([| 0.0; 0.0; 1.0; 2.0 |])
        "NearestNeighbours.KthNeighbourDistances(x, 1)"

    Expect.equal
        (NearestNeighbours.KthNeighbourDistances(x, 2))
        ([| 1.0; 1.0; 1.0; 3.0 |])
        "NearestNeighbours.KthNeighbourDistances(x, 2)"

let ``blocked k-NN radii agree with a direct search on a sample larger than one block`` () =
    let x = gaussian 5 700 5 0.0
    let got = NearestNeighbours.KthNeighbourDistances(x, 5)

    let dist (p: float[]) (q: float[]) =
        Array.fold2 (fun s u v -> s + (u - v) * (u - v)) 0.0 p q |> sqrt

    for i in [ 0; 31; 32; 255; 256; 511; 699 ] do
        let expected =
            x
            |> Array.mapi (fun j q -> if j = i then infinity else dist x.[i] q)
            |> Array.sort
            |> fun d -> d.[4]

        assertClose high expected got.[i] (sprintf "radius %d" i)

// ---- Properties ----

let ``identical samples give precision, recall and coverage 1 and density at most 1`` () =
    Prop.forAll (Arb.fromGen continuousPair) (fun (a, _) ->
        let r = prdc a (Array.map Array.copy a)

        r.Precision.Value = 1.0
        && r.Recall.Value = 1.0
        && r.Coverage.Value = 1.0
        && r.Density.Value <= 1.0 + 1e-12)

let ``precision, recall and coverage lie in 0..1 and density is non-negative`` () =
    Prop.forAll (Arb.fromGen continuousPair) (fun (a, b) ->
        let r = prdc a b
        let unit (v: float) = v >= 0.0 && v <= 1.0

        unit r.Precision.Value
        && unit r.Recall.Value
        && unit r.Coverage.Value
        && r.Density.Value >= 0.0
        && r.Density.Value <= float a.Length / 5.0)

let ``swapping the samples swaps precision and recall`` () =
    Prop.forAll (Arb.fromGen continuousPair) (fun (a, b) ->
        let ab, ba = prdc a b, prdc b a
        ab.Precision.Value = ba.Recall.Value && ab.Recall.Value = ba.Precision.Value)

let ``permuting events and translating both samples change nothing`` () =
    Prop.forAll (Arb.fromGen integerPairShiftAndPermutations) (fun (a, b, shift, pa, pb) ->
        let move (x: float[][]) = x |> Array.map (Array.map2 (+) shift)
        let r0 = prdc a b

        let r1 =
            prdc (pa |> Array.map (fun i -> a.[i]) |> move) (pb |> Array.map (fun j -> b.[j]) |> move)

        r0.Precision.Value = r1.Precision.Value
        && r0.Recall.Value = r1.Recall.Value
        && isClose veryHigh r0.Density.Value r1.Density.Value
        && r0.Coverage.Value = r1.Coverage.Value)

let ``weights of 1 give the unweighted metrics and uncertainties`` () =
    Prop.forAll (Arb.fromGen continuousPair) (fun (a, b) ->
        let u = prdc a b
        let w = Prdc.Compute(a, ones a, b, ones b)

        [
            u.Precision, w.Precision
            u.Recall, w.Recall
            u.Density, w.Density
            u.Coverage, w.Coverage
        ]
        |> List.forall (fun (x, y) -> isClose veryHigh x.Value y.Value && isClose veryHigh x.Uncertainty y.Uncertainty))

let ``weights weight the fractions: a zero-weight generated event drops out of precision`` () =
    // Generated {8, 9, 30} against real {0, 2, 4, 6}, k = 1, d <= r: only 8 is inside.
    let real, gen = col [ 0.0; 2.0; 4.0; 6.0 ], col [ 8.0; 9.0; 30.0 ]

    let p =
        ImprovedPrecisionRecall.Precision(real, null, gen, [| 3.0; 1.0; 0.0 |], ImprovedPrecisionRecallOptions(K = 1))

    assertClose veryHigh 0.75 p.Value "weighted precision"
    assertClose veryHigh (sqrt (9.0 * 0.0625 + 1.0 * 0.5625) / 4.0) p.Uncertainty "sandwich error"
    assertClose veryHigh 1.6 p.EffectiveSizeB "Kish ESS (4²/10)"

let ``bad input is rejected with a clear message`` () =
    let a = gaussian 1 10 2 0.0

    let ex =
        raises<ArgumentException> "Prdc.Compute(a, [| for i in 1 .. 10 -> if i = 3 then -1.0 else 1.0 ..." (fun () ->
            Prdc.Compute(a, [| for i in 1..10 -> if i = 3 then -1.0 else 1.0 |], a, null)
            |> ignore)

    contains "realWeights[2]" ex.Message "ex.Message"
    contains "non-negative" ex.Message "ex.Message"

    let ex =
        raises<ArgumentException> "prdc a (gaussian 2 10 3 0.0) |> ignore" (fun () ->
            prdc a (gaussian 2 10 3 0.0) |> ignore)

    contains "3 dimensions" ex.Message "ex.Message"

    let ex =
        raises<ArgumentException> "prdc a (gaussian 2 5 2 0.0) |> ignore" (fun () ->
            prdc a (gaussian 2 5 2 0.0) |> ignore)

    contains "k + 1 = 6" ex.Message "ex.Message"
    let bad = Array.map Array.copy a
    bad.[4].[1] <- nan

    let ex =
        raises<ArgumentException> "prdc a bad |> ignore" (fun () -> prdc a bad |> ignore)

    contains "generated[4][1]" ex.Message "ex.Message"

[<Tests>]
let tests =
    testList
        "Stats.PrecisionRecall.Prdc"
        [
            testCase
                "matches prdc on a fixed 2-D example with k = 5 and k = 3"
                ``matches prdc on a fixed 2-D example with k = 5 and k = 3``
            testCase
                "mode collapse: every generated event on one real event gives recall 0"
                ``mode collapse: every generated event on one real event gives recall 0``
            testCase "a grid example matches prdc with k = 3" ``a grid example matches prdc with k = 3``
            testCase
                "a point exactly on a ball's surface is outside for prdc and inside for improved precision"
                ``a point exactly on a ball's surface is outside for prdc and inside for improved precision``
            testCase
                "identical Gaussian samples give precision, recall, density and coverage 1"
                ``identical Gaussian samples give precision, recall, density and coverage 1``
            testCase
                "k-th neighbour radii exclude the event itself but count its duplicates"
                ``k-th neighbour radii exclude the event itself but count its duplicates``
            testCase
                "blocked k-NN radii agree with a direct search on a sample larger than one block"
                ``blocked k-NN radii agree with a direct search on a sample larger than one block``
            testPropertyN
                60
                "identical samples give precision, recall and coverage 1 and density at most 1"
                ``identical samples give precision, recall and coverage 1 and density at most 1``
            testPropertyN
                80
                "precision, recall and coverage lie in 0..1 and density is non-negative"
                ``precision, recall and coverage lie in 0..1 and density is non-negative``
            testPropertyN
                80
                "swapping the samples swaps precision and recall"
                ``swapping the samples swaps precision and recall``
            testPropertyN
                80
                "permuting events and translating both samples change nothing"
                ``permuting events and translating both samples change nothing``
            testPropertyN
                60
                "weights of 1 give the unweighted metrics and uncertainties"
                ``weights of 1 give the unweighted metrics and uncertainties``
            testCase
                "weights weight the fractions: a zero-weight generated event drops out of precision"
                ``weights weight the fractions: a zero-weight generated event drops out of precision``
            testCase "bad input is rejected with a clear message" ``bad input is rejected with a clear message``
        ]
