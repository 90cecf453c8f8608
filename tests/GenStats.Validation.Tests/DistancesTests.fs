module GenStats.Tests.Validation.DistancesTests

open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Stats
open GenStats.Validation
open GenStats.Tests.Tolerance

let private oneD (xs: float[]) = xs |> Array.map (fun x -> [| x |])

let ``the F# wrappers reproduce scipy's 1-d examples`` () =
    // scipy.stats.energy_distance([0, 8], [0, 8], [3, 1], [2, 2]) = 1;
    // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.
    let e =
        Distances.energy (Some [| 3.0; 1.0 |]) (oneD [| 0.0; 8.0 |]) (Some [| 2.0; 2.0 |]) (oneD [| 0.0; 8.0 |])

    assertClose veryHigh 1.0 e.Value "energy"

    let w1 =
        Distances.emdWith
            (EarthMoversDistanceOptions(BootstrapReplicas = 0))
            None
            (oneD [| 0.0; 1.0; 3.0 |])
            None
            (oneD [| 5.0; 6.0; 8.0 |])

    assertClose high 5.0 w1.Value "emd"

    let s =
        Distances.slicedW1 None (oneD [| 0.0; 1.0; 3.0 |]) None (oneD [| 5.0; 6.0; 8.0 |])

    assertClose high 5.0 s.Value "sliced"

    Expect.stringStarts
        (s.ToTwoSampleResult().UncertaintyMethod)
        "poisson-bootstrap"
        "s.ToTwoSampleResult().UncertaintyMethod"

let ``KPD and FPD read naturally with options and agree with jetnet's constants`` () =
    let twos = Array.init 2000 (fun _ -> [| 2.0; 2.0 |])
    let zeros = Array.init 2000 (fun _ -> [| 0.0; 0.0 |])

    let k =
        zeros
        |> Distances.kpdWith (KernelPhysicsDistanceOptions(BatchSize = 200)) None twos None

    assertClose veryHigh 15.0 k.Value "kpd"

    let f =
        zeros
        |> Distances.fpdWith
            (FrechetPhysicsDistanceOptions(MinSamples = 200, MaxSamples = 500, NumBatches = 2, Normalise = false))
            None
            twos
            None

    assertClose high 8.0 f.Value "fpd"

    let d =
        Distances.frechetFromMoments [| 0.0 |] (array2D [ [ 4.0 ] ]) [| 1.0 |] (array2D [ [ 1.0 ] ])

    assertClose high 2.0 d "(0−1)² + (2−1)²"

[<Tests>]
let tests =
    testList
        "DistancesTests"
        [
            testCase "the F# wrappers reproduce scipy's 1-d examples" ``the F# wrappers reproduce scipy's 1-d examples``
            testCase
                "KPD and FPD read naturally with options and agree with jetnet's constants"
                ``KPD and FPD read naturally with options and agree with jetnet's constants``
        ]
