module GenStats.Tests.Stats.PrecisionRecall.ImprovedPrecisionRecallTests

open Expecto
open FsCheck.FSharp
open GenStats.Stats.PrecisionRecall
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats.PointGenerators
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private ipr a b =
    ImprovedPrecisionRecall.Compute(a, null, b, null)

let ``matches the NVlabs convention (k = 3, d <= r) on a fixed example`` () =
    // Same data as the prdc reference test: precision 0.9, recall 1 (computed offline).
    let r = ipr fixedA fixedB
    assertClose veryHigh 0.9 r.Precision.Value "precision"
    assertClose veryHigh 1.0 r.Recall.Value "recall"
    Expect.equal r.K 3 "r.K"

let ``identical samples give 1, swapping swaps, values lie in 0..1`` () =
    Prop.forAll (Arb.fromGen integerPairShiftAndPermutations) (fun (a, b, _, _, _) ->
        let same = ipr a (Array.map Array.copy a)
        let ab, ba = ipr a b, ipr b a

        same.Precision.Value = 1.0
        && same.Recall.Value = 1.0 // d <= r holds at distance 0 even for duplicates
        && ab.Precision.Value = ba.Recall.Value
        && ab.Recall.Value = ba.Precision.Value
        && ab.Precision.Value >= 0.0
        && ab.Precision.Value <= 1.0)

let ``improved precision is at least prdc precision with the same k`` () =
    // <= admits every event < admits, with identical radii.
    Prop.forAll (Arb.fromGen integerPairShiftAndPermutations) (fun (a, b, _, _, _) ->
        let i = ipr a b
        let p = Prdc.Compute(a, null, b, null, PrdcOptions(K = 3))
        i.Precision.Value >= p.Precision.Value && i.Recall.Value >= p.Recall.Value)

[<Tests>]
let tests =
    testList
        "Stats.PrecisionRecall.ImprovedPrecisionRecall"
        [
            testCase
                "matches the NVlabs convention (k = 3, d <= r) on a fixed example"
                ``matches the NVlabs convention (k = 3, d <= r) on a fixed example``
            testPropertyN
                60
                "identical samples give 1, swapping swaps, values lie in 0..1"
                ``identical samples give 1, swapping swaps, values lie in 0..1``
            testPropertyN
                60
                "improved precision is at least prdc precision with the same k"
                ``improved precision is at least prdc precision with the same k``
        ]
