module GenStats.Tests.Stats.Distances.EnergyDistanceNdTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats
open GenStats.Tests.Stats.Distances.DistanceData
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private noBoot = EnergyDistanceNdOptions(BootstrapReplicas = 0)

let private energy a wa b wb =
    (EnergyDistanceNd.Compute(a, wa, b, wb, noBoot)).Value

// ---- scipy's documented examples (scipy.stats.energy_distance docstring) ----

let ``scipy docstring examples in one dimension`` () =
    assertClose veryHigh 2.0 (energy [| [| 0.0 |] |] null [| [| 2.0 |] |] null) "energy_distance([0], [2])"

    assertClose
        veryHigh
        1.0
        (energy [| [| 0.0 |]; [| 8.0 |] |] [| 3.0; 1.0 |] [| [| 0.0 |]; [| 8.0 |] |] [| 2.0; 2.0 |])
        "energy_distance([0, 8], [0, 8], [3, 1], [2, 2])"
    // scipy: energy_distance([0.7, 7.4, 2.4, 6.8], [1.4, 8.0], [2.1, 4.2, 7.4, 8.0], [7.6, 8.8]) = 0.88003340976158217
    let u = [| 0.7; 7.4; 2.4; 6.8 |] |> Array.map (fun x -> [| x |])
    let v = [| 1.4; 8.0 |] |> Array.map (fun x -> [| x |])

    assertClose
        high
        0.88003340976158217
        (energy u [| 2.1; 4.2; 7.4; 8.0 |] v [| 7.6; 8.8 |])
        "weighted docstring example"

// ---- independent reference numbers (numpy/scipy, /usr/bin/python3, scipy 1.10.1) ----

let ``3-d reference pair agrees with a cdist-based V-statistic`` () =
    // sqrt(2 wa·cdist(A,B)·wb − wa·cdist(A,A)·wa − wb·cdist(B,B)·wb), weights normalised.
    assertClose high 0.5076321538167723 (energy refA null refB null) "unweighted"
    assertClose high 0.5279644127656727 (energy refA refWA refB refWB) "weighted"
    // 1-d slice: scipy.stats.energy_distance(A[:,0], B[:,0], wa, wb) = 0.6033946296626119
    assertClose high 0.6033946296626119 (energy (column 0 refA) refWA (column 0 refB) refWB) "1-d weighted vs scipy"

// ---- properties ----

let ``zero on identical samples, symmetric and non-negative`` () =
    Prop.forAll (Arb.fromGen (weightedCloudPair 20)) (fun (a, wa, b, wb) ->
        let ab = energy a wa b wb
        let self = EnergyDistanceNd.Compute(a, wa, a, wa, noBoot)
        // 2E|X−Y| − E|X−X'| − E|Y−Y'| cancels to rounding level; the square root magnifies that
        // to ~√ε of the scale, so the squared distance is checked at rounding level.
        abs self.SquaredDistance <= 1e-13 * (1.0 + self.MeanCrossDistance)
        && self.Value <= 1e-6 * (1.0 + sqrt self.MeanCrossDistance)
        && isClose high ab (energy b wb a wa)
        && ab >= 0.0)

let ``invariant under translation and permutation, grows as sqrt of a scale factor`` () =
    let g = invarianceCase 20

    Prop.forAll (Arb.fromGen g) (fun (a, wa, b, wb, t, c, perm) ->
        let e = energy a wa b wb
        let ap = perm |> Array.map (fun i -> a.[i])
        let wp = perm |> Array.map (fun i -> wa.[i])

        isClose high e (energy (translate t a) wa (translate t b) wb)
        && isClose high e (energy ap wp b wb)
        && isClose high (sqrt c * e) (energy (scale c a) wa (scale c b) wb))

let ``unit weights equal the unweighted statistic and integer weights equal repeated events`` () =
    Prop.forAll (Arb.fromGen (integerWeightedCloudPair 15)) (fun (a, b, ka, kb) ->
        isClose veryHigh (energy a null b null) (energy a (ones a.Length) b (ones b.Length))
        && isClose
            high
            (energy (repeat a ka) null (repeat b kb) null)
            (energy a (Array.map float ka) b (Array.map float kb)))

let ``blocked sums across many tiles agree with a direct double loop`` () =
    // 300 × 270 events in 5-d cross several 32-row blocks and 256-column tiles (diagonal tiles included).
    let rng = Random(7)

    let cloud n shift =
        Array.init n (fun _ -> Array.init 5 (fun _ -> rng.NextDouble() + shift))

    let a, b = cloud 300 0.0, cloud 270 0.2

    let mean (x: float[][]) (y: float[][]) =
        let mutable s = 0.0

        for p in x do
            for q in y do
                s <- s + sqrt (Array.fold2 (fun acc u v -> acc + (u - v) * (u - v)) 0.0 p q)

        s / float (x.Length * y.Length)

    let expected = sqrt (2.0 * mean a b - mean a a - mean b b)
    let r = EnergyDistanceNd.Compute(a, null, b, null)
    assertClose high expected r.Value "energy distance"
    assertClose high (mean a b) r.MeanCrossDistance "E|X-Y|"
    Expect.equal r.EventsUsedA 300 "r.EventsUsedA"

let ``bootstrap uncertainty is deterministic and matches the spread over independent experiments (F band)`` () =
    // 3-d U(0, 1)³ against the same shifted by 0.3 in the first coordinate, n = 200 each (different
    // distributions: the statistic is smooth there). K = 200 experiments give S²; m = 8 more give
    // bootstrap SDs with R = 100 replicas each.
    // Band: scipy.stats.f.ppf([0.0005, 0.9995], 8·99, 199) = [0.7015798309073339, 1.472214364743765].
    let rng = Random(11)

    let draw n shift =
        Array.init n (fun _ -> Array.init 3 (fun k -> rng.NextDouble() + (if k = 0 then shift else 0.0)))

    let values =
        Array.init 200 (fun _ -> energy (draw 200 0.0) null (draw 200 0.3) null)

    let sds =
        Array.init 8 (fun k ->
            // Coupled event by event (b_i = a_i + 0.3 e₁): the bootstrap sees only the two empirical
            // distributions, so its variance is that of independent samples when the two are
            // resampled independently — and collapses when both get the same multipliers.
            let a = draw 200 0.0
            let b = a |> Array.map (fun r -> [| r.[0] + 0.3; r.[1]; r.[2] |])

            (EnergyDistanceNd.Compute(a, null, b, null, EnergyDistanceNdOptions(BootstrapReplicas = 100, Seed = k + 1)))
                .Uncertainty)

    BootstrapCheck.assertBootstrapVariance "energy distance" 0.7015798309073339 1.472214364743765 sds values
    let a, b = draw 400 0.0, draw 400 0.0
    let r1 = EnergyDistanceNd.Compute(a, null, b, null)
    let r2 = EnergyDistanceNd.Compute(a, null, b, null)
    Expect.equal r1.Uncertainty r2.Uncertainty "r1.Uncertainty"
    Expect.equal r1.UncertaintyMethod "poisson-bootstrap(32, seed 1)" "r1.UncertaintyMethod"

let ``subsampling is seeded and reported`` () =
    let rng = Random(3)
    let a = Array.init 500 (fun _ -> [| rng.NextDouble(); rng.NextDouble() |])
    let b = Array.init 450 (fun _ -> [| rng.NextDouble() + 0.5; rng.NextDouble() |])
    let o = EnergyDistanceNdOptions(BootstrapReplicas = 0, MaxEvents = Nullable 200)
    let r1 = EnergyDistanceNd.Compute(a, null, b, null, o)
    let r2 = EnergyDistanceNd.Compute(a, null, b, null, o)
    let full = EnergyDistanceNd.Compute(a, null, b, null, noBoot)
    Expect.equal (r1.EventsUsedA, r1.EventsUsedB) (200, 200) "(r1.EventsUsedA, r1.EventsUsedB)"
    Expect.equal r1.Value r2.Value "r1.Value"
    // A shift of 0.5 in one coordinate is far above the subsampling noise (≈ 0.05).
    Expect.isLessThan (abs (r1.Value - full.Value)) 0.15 "abs (r1.Value - full.Value)"

let ``bad input is rejected with a clear message`` () =
    let a = [| [| 1.0; 2.0 |]; [| 3.0; 4.0 |] |]

    let ex =
        raises<ArgumentException> "energy a [| 1.0; -1.0 |] a null |> ignore" (fun () ->
            energy a [| 1.0; -1.0 |] a null |> ignore)

    contains "non-negative" ex.Message "ex.Message"

    let ex =
        raises<ArgumentException> "energy a null [| [| 1.0 |] |] null |> ignore" (fun () ->
            energy a null [| [| 1.0 |] |] null |> ignore)

    contains "dimensions" ex.Message "ex.Message"

    let ex =
        raises<ArgumentException> "energy [| [| 1.0; 2.0 |]; [| 1.0 |] |] null a null |> ignore" (fun () ->
            energy [| [| 1.0; 2.0 |]; [| 1.0 |] |] null a null |> ignore)

    contains "a[1]" ex.Message "ex.Message"

    let ex =
        raises<ArgumentException> "energy a null [| [| 1.0; nan |] |] null |> ignore" (fun () ->
            energy a null [| [| 1.0; nan |] |] null |> ignore)

    contains "b[0][1]" ex.Message "ex.Message"

    raises<ArgumentException> "energy [||] null a null |> ignore" (fun () -> energy [||] null a null |> ignore)
    |> ignore

    raises<ArgumentException> "energy a [| 0.0; 0.0 |] a null |> ignore" (fun () ->
        energy a [| 0.0; 0.0 |] a null |> ignore)
    |> ignore

[<Tests>]
let tests =
    testList
        "Stats.Distances.EnergyDistanceNd"
        [
            testCase "scipy docstring examples in one dimension" ``scipy docstring examples in one dimension``
            testCase
                "3-d reference pair agrees with a cdist-based V-statistic"
                ``3-d reference pair agrees with a cdist-based V-statistic``
            testPropertyN
                60
                "zero on identical samples, symmetric and non-negative"
                ``zero on identical samples, symmetric and non-negative``
            testPropertyN
                60
                "invariant under translation and permutation, grows as sqrt of a scale factor"
                ``invariant under translation and permutation, grows as sqrt of a scale factor``
            testPropertyN
                60
                "unit weights equal the unweighted statistic and integer weights equal repeated events"
                ``unit weights equal the unweighted statistic and integer weights equal repeated events``
            testCase
                "blocked sums across many tiles agree with a direct double loop"
                ``blocked sums across many tiles agree with a direct double loop``
            testCase
                "bootstrap uncertainty is deterministic and matches the spread over independent experiments (F band)"
                ``bootstrap uncertainty is deterministic and matches the spread over independent experiments (F band)``
            testCase "subsampling is seeded and reported" ``subsampling is seeded and reported``
            testCase "bad input is rejected with a clear message" ``bad input is rejected with a clear message``
        ]
