module GenStats.Tests.Stats.Distances.MaximumMeanDiscrepancyTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats.Distances.DistanceData
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private noBoot = MaximumMeanDiscrepancyOptions(BootstrapReplicas = 0)

let private mmd a wa b wb =
    MaximumMeanDiscrepancy.Compute(a, wa, b, wb, noBoot)

let ``reference pair agrees with numpy`` () =
    // numpy/scipy 1.10.1: sigma = np.median(pdist(vstack([A, B]))); kernel matrices from
    // cdist(..., 'sqeuclidean'), diagonals zeroed, weighted U-statistic normalisation.
    let r = mmd refA null refB null
    assertClose high 1.9037119546268824 r.Bandwidth "median bandwidth"
    assertClose high 0.046322826005721573 r.Value "unweighted MMD²"
    assertClose high 0.04813383279525896 (mmd refA refWA refB refWB).Value "weighted MMD²"

let ``hand example: two points each, fixed bandwidth`` () =
    // A = {0, 1}, B = {3, 5} in 1-d, σ = 1: kxx = e^{-1/2}, kyy = e^{-2}, kxy mean of e^{-9/2}, e^{-25/2}, e^{-2}, e^{-8}.
    let a = [| [| 0.0 |]; [| 1.0 |] |]
    let b = [| [| 3.0 |]; [| 5.0 |] |]

    let expected =
        exp -0.5 + exp -2.0 - 2.0 * (exp -4.5 + exp -12.5 + exp -2.0 + exp -8.0) / 4.0

    let r =
        MaximumMeanDiscrepancy.Compute(
            a,
            null,
            b,
            null,
            MaximumMeanDiscrepancyOptions(Bandwidth = Nullable 1.0, BootstrapReplicas = 0)
        )

    assertClose veryHigh expected r.Value "MMD²"

let ``symmetric, invariant under translation, permutation and common scaling`` () =
    let g = invarianceCase 15

    Prop.forAll (Arb.fromGen g) (fun (a, wa, b, wb, t, c, perm) ->
        // Distinct coordinates make the median bandwidth positive; skip the rare degenerate draw.
        let ok = (a |> Array.distinct).Length + (b |> Array.distinct).Length > 3

        not ok
        || (let m = (mmd a wa b wb).Value

            isClose high m (mmd b wb a wa).Value
            && isClose high m (mmd (translate t a) wa (translate t b) wb).Value
            && isClose
                high
                m
                (mmd (perm |> Array.map (fun i -> a.[i])) (perm |> Array.map (fun i -> wa.[i])) b wb).Value
            // σ is the median distance, so it scales with the data and MMD² is scale-free.
            && isClose medium m (mmd (scale c a) wa (scale c b) wb).Value))

let ``identical samples give the closed-form null value and unit weights change nothing`` () =
    Prop.forAll (Arb.fromGen (cloudPair 15)) (fun (a, b) ->
        let ok = (a |> Array.distinct).Length + (b |> Array.distinct).Length > 3

        not ok
        || (let o =
                MaximumMeanDiscrepancyOptions(Bandwidth = Nullable 1.5, BootstrapReplicas = 0)

            let self = MaximumMeanDiscrepancy.Compute(a, null, a, null, o)
            // For B = A the cross mean is ((n−1)k̄ + 1)/n with k̄ the i≠j mean, so MMD²_u = (2/n)(k̄ − 1) ≤ 0.
            let n = float a.Length

            isClose high ((2.0 / n) * (self.MeanKernelWithinA - 1.0)) self.Value
            && self.Value <= 1e-12
            && isClose veryHigh (mmd a null b null).Value (mmd a (ones a.Length) b (ones b.Length)).Value))

let ``a shifted distribution is detected far beyond the bootstrap uncertainty`` () =
    let rng = Random(5)

    let gauss () =
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble())

    let a = Array.init 300 (fun _ -> [| gauss (); gauss () |])
    let same = Array.init 300 (fun _ -> [| gauss (); gauss () |])
    let shifted = Array.init 300 (fun _ -> [| gauss () + 1.0; gauss () |])
    let r0 = MaximumMeanDiscrepancy.Compute(a, null, same, null)
    let r1 = MaximumMeanDiscrepancy.Compute(a, null, shifted, null)
    Expect.isLessThan (abs r0.Value) (5.0 * r0.Uncertainty) "abs r0.Value"
    Expect.isGreaterThan r1.Value (5.0 * r1.Uncertainty) "r1.Value"

let ``degenerate input is refused with a clear message`` () =
    let same = Array.init 5 (fun _ -> [| 1.0; 1.0 |])

    let ex =
        raises<ArgumentException> "mmd same null same null |> ignore" (fun () -> mmd same null same null |> ignore)

    contains "Bandwidth" ex.Message "ex.Message"

    let ex =
        raises<ArgumentException> "mmd [| [| 0.0 |] |] null [| [| 1.0 |]; [| 2.0 |] |] null |> ignore" (fun () ->
            mmd [| [| 0.0 |] |] null [| [| 1.0 |]; [| 2.0 |] |] null |> ignore)

    contains "two events" ex.Message "ex.Message"

[<Tests>]
let tests =
    testList
        "Stats.Distances.MaximumMeanDiscrepancy"
        [
            testCase "reference pair agrees with numpy" ``reference pair agrees with numpy``
            testCase "hand example: two points each, fixed bandwidth" ``hand example: two points each, fixed bandwidth``
            testPropertyN
                50
                "symmetric, invariant under translation, permutation and common scaling"
                ``symmetric, invariant under translation, permutation and common scaling``
            testPropertyN
                50
                "identical samples give the closed-form null value and unit weights change nothing"
                ``identical samples give the closed-form null value and unit weights change nothing``
            testCase
                "a shifted distribution is detected far beyond the bootstrap uncertainty"
                ``a shifted distribution is detected far beyond the bootstrap uncertainty``
            testCase
                "degenerate input is refused with a clear message"
                ``degenerate input is refused with a clear message``
        ]
