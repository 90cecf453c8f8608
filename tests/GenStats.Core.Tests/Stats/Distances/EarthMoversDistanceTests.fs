module GenStats.Tests.Stats.Distances.EarthMoversDistanceTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats.Distances.DistanceData
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private noBoot = EarthMoversDistanceOptions(BootstrapReplicas = 0)

let private emd a wa b wb =
    (EarthMoversDistance.Compute(a, wa, b, wb, noBoot)).Value

let private oneD (xs: float[]) = xs |> Array.map (fun x -> [| x |])
// The LP optimum is exact up to the solver's reduced-cost tolerance (1e-11 of the largest cost).
let private lp = { Absolute = 1e-9; Relative = 1e-9 }

let ``reference pair agrees with an independent LP solver`` () =
    // scipy 1.10.1 linprog(method="highs") on the 40×35 transport LP with cdist costs and
    // normalised weights. HiGHS' own feasibility tolerance is 1e-7, hence the looser check.
    let tol = { Absolute = 1e-7; Relative = 1e-6 }
    assertClose tol 1.0408300519458735 (emd refA null refB null) "unweighted"
    assertClose tol 1.0967510918263699 (emd refA refWA refB refWB) "weighted"
    // 1-d slice: scipy.stats.wasserstein_distance(A[:,0], B[:,0], wa, wb) = 0.7109480395382072.
    assertClose high 0.7109480395382072 (emd (column 0 refA) refWA (column 0 refB) refWB) "1-d"

let ``hand-made cases`` () =
    // Unit square corners vs their centre: every corner moves √½.
    let corners = [| [| 0.0; 0.0 |]; [| 1.0; 0.0 |]; [| 0.0; 1.0 |]; [| 1.0; 1.0 |] |]
    assertClose lp (sqrt 0.5) (emd corners null [| [| 0.5; 0.5 |] |] null) "corners to centre"
    // Two points of mass ½ at (0,0), (0,2) vs one at (0,1) with mass ½ and one at (3,1) with mass ½:
    // the optimum sends (0,0)→(0,1) [1] and (0,2)→(3,1) [√10] or symmetrically: (1 + √10)/2.
    assertClose
        lp
        ((1.0 + sqrt 10.0) / 2.0)
        (emd [| [| 0.0; 0.0 |]; [| 0.0; 2.0 |] |] null [| [| 0.0; 1.0 |]; [| 3.0; 1.0 |] |] null)
        "two by two"
    // Unequal masses: 3/4 at 0 and 1/4 at 4 vs all at 1 in 1-d: 3/4·1 + 1/4·3 = 1.5.
    assertClose lp 1.5 (emd (oneD [| 0.0; 4.0 |]) [| 3.0; 1.0 |] (oneD [| 1.0 |]) null) "masses"

let ``one dimension equals the sorted-matching closed form`` () =
    // Equal sizes and unit weights: W1 = mean |x_(i) − y_(i)| of the order statistics.
    let g =
        gen {
            let! n = Gen.choose (1, 30)
            let! x = Gen.arrayOfLength n coordinate
            let! y = Gen.arrayOfLength n coordinate
            return x, y
        }

    Prop.forAll (Arb.fromGen g) (fun (x, y) ->
        let expected =
            Array.map2 (fun u v -> abs (u - v)) (Array.sort x) (Array.sort y)
            |> Array.average

        isClose lp expected (emd (oneD x) null (oneD y) null))

let ``zero on identical samples, symmetric, translation and permutation invariant, scales as c`` () =
    let g = invarianceCase 15

    Prop.forAll (Arb.fromGen g) (fun (a, wa, b, wb, t, c, perm) ->
        let e = emd a wa b wb

        isClose lp 0.0 (emd a wa a wa)
        && isClose lp e (emd b wb a wa)
        && isClose lp e (emd (translate t a) wa (translate t b) wb)
        && isClose lp e (emd (perm |> Array.map (fun i -> a.[i])) (perm |> Array.map (fun i -> wa.[i])) b wb)
        && isClose lp (c * e) (emd (scale c a) wa (scale c b) wb)
        && e >= 0.0)

let ``translating one copy of a sample by t costs exactly the length of t`` () =
    let g =
        gen {
            let! a, _ = cloudPair 20
            let! t, _ = shiftAndScale a.[0].Length
            return a, t
        }

    Prop.forAll (Arb.fromGen g) (fun (a, t) ->
        // W1(μ, μ(· − t)) = ‖t‖ (the mean moves by t, and moving every point by t achieves it).
        isClose lp (sqrt (Array.sumBy (fun x -> x * x) t)) (emd a null (translate t a) null))

let ``unit weights equal unweighted, integer weights equal repeated events`` () =
    Prop.forAll (Arb.fromGen (integerWeightedCloudPair 12)) (fun (a, b, ka, kb) ->
        isClose lp (emd a null b null) (emd a (ones a.Length) b (ones b.Length))
        && isClose lp (emd (repeat a ka) null (repeat b kb) null) (emd a (Array.map float ka) b (Array.map float kb)))

let ``a larger degenerate assignment problem is solved exactly`` () =
    // 400 vs 400 points of a 20×20 grid, the second a permutation shifted by (0.5, 0): the
    // optimum moves every point by 0.5 — equal weights make the LP maximally degenerate.
    let grid =
        [|
            for i in 0..19 do
                for j in 0..19 -> [| float i; float j |]
        |]

    let rng = Random(9)
    let shuffled = grid |> Array.sortBy (fun _ -> rng.Next())

    let r =
        EarthMoversDistance.Compute(grid, null, translate [| 0.5; 0.0 |] shuffled, null, noBoot)

    assertClose lp 0.5 r.Value "grid shift"
    Expect.isGreaterThan r.Pivots 0 "r.Pivots"

let ``bootstrap is seeded; inputs above the limit are refused with the limit in the message`` () =
    let r1 = EarthMoversDistance.Compute(refA, null, refB, null)
    let r2 = EarthMoversDistance.Compute(refA, null, refB, null)
    Expect.equal r1.Uncertainty r2.Uncertainty "r1.Uncertainty"
    Expect.isGreaterThan r1.Uncertainty 0.0 "r1.Uncertainty"
    let big = Array.init 3001 (fun i -> [| float i; 0.0; 1.0 |])

    let ex =
        raises<ArgumentException> "emd big null refA null |> ignore" (fun () -> emd big null refA null |> ignore)

    contains "3000" ex.Message "ex.Message"

    let ex =
        raises<ArgumentException> "emd refA [| for i in 1 .. 40 -> if i = 3 then -1.0 else 1.0 |] refB..." (fun () ->
            emd refA [| for i in 1..40 -> if i = 3 then -1.0 else 1.0 |] refB null |> ignore)

    contains "non-negative" ex.Message "ex.Message"

[<Tests>]
let tests =
    testList
        "Stats.Distances.EarthMoversDistance"
        [
            testCase
                "reference pair agrees with an independent LP solver"
                ``reference pair agrees with an independent LP solver``
            testCase "hand-made cases" ``hand-made cases``
            testPropertyN
                100
                "one dimension equals the sorted-matching closed form"
                ``one dimension equals the sorted-matching closed form``
            testPropertyN
                60
                "zero on identical samples, symmetric, translation and permutation invariant, scales as c"
                ``zero on identical samples, symmetric, translation and permutation invariant, scales as c``
            testPropertyN
                60
                "translating one copy of a sample by t costs exactly the length of t"
                ``translating one copy of a sample by t costs exactly the length of t``
            testPropertyN
                60
                "unit weights equal unweighted, integer weights equal repeated events"
                ``unit weights equal unweighted, integer weights equal repeated events``
            testCase
                "a larger degenerate assignment problem is solved exactly"
                ``a larger degenerate assignment problem is solved exactly``
            testCase
                "bootstrap is seeded; inputs above the limit are refused with the limit in the message"
                ``bootstrap is seeded; inputs above the limit are refused with the limit in the message``
        ]
