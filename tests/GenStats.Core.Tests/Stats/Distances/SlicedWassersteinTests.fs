module GenStats.Tests.Stats.Distances.SlicedWassersteinTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats.Distances.DistanceData
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private opts = SlicedWassersteinOptions(Projections = 16, BootstrapReplicas = 0)

let private sliced a wa b wb =
    (SlicedWasserstein.Compute(a, wa, b, wb, opts)).Value

let private oneD (xs: float[]) = xs |> Array.map (fun x -> [| x |])

let ``one dimension reproduces scipy's wasserstein_distance examples`` () =
    // scipy.stats.wasserstein_distance docstring: ([0, 1, 3], [5, 6, 8]) = 5;
    // ([0, 1], [0, 1], [3, 1], [2, 2]) = 0.25; ([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]) = 4.0781331438047861.
    assertClose veryHigh 5.0 (sliced (oneD [| 0.0; 1.0; 3.0 |]) null (oneD [| 5.0; 6.0; 8.0 |]) null) "example 1"

    assertClose
        veryHigh
        0.25
        (sliced (oneD [| 0.0; 1.0 |]) [| 3.0; 1.0 |] (oneD [| 0.0; 1.0 |]) [| 2.0; 2.0 |])
        "example 2"

    assertClose
        high
        4.0781331438047861
        (sliced (oneD [| 3.4; 3.9; 7.5; 7.8 |]) [| 1.4; 0.9; 3.1; 7.2 |] (oneD [| 4.5; 1.4 |]) [| 3.2; 3.5 |])
        "example 3"

let ``a pure translation along one axis is seen as the mean |θ·t| over directions`` () =
    // B = A + t: every projection is shifted by θ·t, so W1 = |θ·t| and the exact sliced value is
    // E|θ₁|·‖t‖ with E|θ₁| = Γ(d/2) / (√π Γ((d+1)/2)) on S^{d−1} (2/π for d = 2).
    let rng = Random(2)
    let a = Array.init 50 (fun _ -> [| rng.NextDouble(); rng.NextDouble() |])
    let b = translate [| 3.0; 0.0 |] a

    let r =
        SlicedWasserstein.Compute(a, null, b, null, SlicedWassersteinOptions(Projections = 4000, BootstrapReplicas = 0))

    let expected = 3.0 * 2.0 / Math.PI
    // Monte-Carlo error of the direction average: ≤ 5 reported projection errors.
    Expect.isLessThan (abs (r.Value - expected)) (5.0 * r.ProjectionUncertainty) "abs (r.Value - expected)"

let ``zero on identical samples, symmetric, invariant, homogeneous of degree one`` () =
    let g = invarianceCase 15

    Prop.forAll (Arb.fromGen g) (fun (a, wa, b, wb, t, c, perm) ->
        let s = sliced a wa b wb

        isClose high 0.0 (sliced a wa a wa)
        && isClose high s (sliced b wb a wa)
        && isClose high s (sliced (translate t a) wa (translate t b) wb)
        && isClose high s (sliced (perm |> Array.map (fun i -> a.[i])) (perm |> Array.map (fun i -> wa.[i])) b wb)
        && isClose high (c * s) (sliced (scale c a) wa (scale c b) wb)
        && s >= 0.0)

let ``unit weights equal unweighted, integer weights equal repeated events`` () =
    Prop.forAll (Arb.fromGen (integerWeightedCloudPair 12)) (fun (a, b, ka, kb) ->
        isClose veryHigh (sliced a null b null) (sliced a (ones a.Length) b (ones b.Length))
        && isClose
            high
            (sliced (repeat a ka) null (repeat b kb) null)
            (sliced a (Array.map float ka) b (Array.map float kb)))

let ``uncertainty combines a seeded bootstrap with the projection spread`` () =
    let r1 = SlicedWasserstein.Compute(refA, refWA, refB, refWB)
    let r2 = SlicedWasserstein.Compute(refA, refWA, refB, refWB)
    Expect.equal r1.Value r2.Value "r1.Value"
    Expect.equal r1.Uncertainty r2.Uncertainty "r1.Uncertainty"

    assertClose
        veryHigh
        (sqrt (r1.StatisticalUncertainty ** 2.0 + r1.ProjectionUncertainty ** 2.0))
        r1.Uncertainty
        "quadrature"

    Expect.isGreaterThan r1.StatisticalUncertainty 0.0 "r1.StatisticalUncertainty"
    Expect.equal r1.Projections 128 "r1.Projections"

[<Tests>]
let tests =
    testList
        "Stats.Distances.SlicedWasserstein"
        [
            testCase
                "one dimension reproduces scipy's wasserstein_distance examples"
                ``one dimension reproduces scipy's wasserstein_distance examples``
            testCase
                "a pure translation along one axis is seen as the mean |θ·t| over directions"
                ``a pure translation along one axis is seen as the mean |θ·t| over directions``
            testPropertyN
                50
                "zero on identical samples, symmetric, invariant, homogeneous of degree one"
                ``zero on identical samples, symmetric, invariant, homogeneous of degree one``
            testPropertyN
                50
                "unit weights equal unweighted, integer weights equal repeated events"
                ``unit weights equal unweighted, integer weights equal repeated events``
            testCase
                "uncertainty combines a seeded bootstrap with the projection spread"
                ``uncertainty combines a seeded bootstrap with the projection spread``
        ]
