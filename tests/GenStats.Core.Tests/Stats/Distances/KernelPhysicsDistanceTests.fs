module GenStats.Tests.Stats.Distances.KernelPhysicsDistanceTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Stats.Distances.DistanceData
open GenStats.Tests
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private constant n d (v: float) =
    Array.init n (fun _ -> Array.create d v)

let ``jetnet's test values for constant samples`` () =
    // jetnet tests/evaluation/test_gen_metrics.py: 50 000 × 2 arrays of 2s and 0s (jetnet defaults:
    // 10 batches of 5000). kpd(twos, zeros) = [15, 0]; normalise=False: [624, 0]; zeros vs zeros: [0, 0].
    let twos, zeros = constant 50_000 2 2.0, constant 50_000 2 0.0
    let r = KernelPhysicsDistance.Compute(twos, null, zeros, null)
    assertClose veryHigh 15.0 r.Value "KPD normalised"
    assertClose veryHigh 0.0 r.Uncertainty "KPD error"

    let r =
        KernelPhysicsDistance.Compute(twos, null, zeros, null, KernelPhysicsDistanceOptions(Normalise = false))

    assertClose veryHigh 624.0 r.Value "KPD not normalised"
    assertClose veryHigh 0.0 r.Uncertainty "KPD error"
    let r = KernelPhysicsDistance.Compute(zeros, null, zeros, null)
    assertClose veryHigh 0.0 r.Value "KPD zeros"
    Expect.equal r.BatchValues.Length 10 "r.BatchValues.Length"

let ``median and half 16-84 percentile range follow numpy's linear percentiles`` () =
    // A batch of the whole samples drawn with replacement differs per batch; check the summary
    // against numpy's conventions on the batch values it reports.
    let r =
        KernelPhysicsDistance.Compute(
            refA,
            null,
            refB,
            null,
            KernelPhysicsDistanceOptions(NumBatches = 7, BatchSize = 30)
        )

    let sorted = Array.sort r.BatchValues

    let pct (p: float) =
        let h = p * 6.0
        let lo = int (floor h)
        sorted.[lo] + (h - float lo) * (sorted.[min 6 (lo + 1)] - sorted.[lo])

    assertClose veryHigh sorted.[3] r.Value "median of 7"
    assertClose veryHigh ((pct 0.83725 - pct 0.16275) / 2.0) r.Uncertainty "half IQR"

let ``unit weights equal unweighted; normalised KPD is invariant under a common positive scale`` () =
    // Identical samples do not give exactly 0 (each batch draws its own events, and the
    // U-statistic scatters around 0); the constant-sample test above covers the null value.
    let g =
        gen {
            let! a, b = cloudPair 12
            let! c = Gen.choose (1, 100) |> Gen.map (fun i -> float i / 10.0)
            return a, b, c
        }

    Prop.forAll (Arb.fromGen g) (fun (a, b, c) ->
        let o = KernelPhysicsDistanceOptions(NumBatches = 3, BatchSize = 20)
        let u = KernelPhysicsDistance.Compute(a, null, b, null, o)
        let w = KernelPhysicsDistance.Compute(a, ones a.Length, b, ones b.Length, o)
        let scaled = KernelPhysicsDistance.Compute(scale c a, null, scale c b, null, o)

        Array.forall2 (isClose veryHigh) u.BatchValues w.BatchValues
        && isClose veryHigh u.Value w.Value
        && Array.forall2 (isClose medium) u.BatchValues scaled.BatchValues)

let ``a single batch of a two-point sample matches the hand-computed U-statistic`` () =
    // With two events per sample and batches of 2 drawn with replacement the batch content varies,
    // so use constant-per-sample data in 1-d: A = {1, 1}, B = {3, 3}, normalise off, d = 1:
    // k(1,1) = 2⁴ = 16, k(3,3) = 10⁴, k(1,3) = 4⁴ = 256 → 16 + 10000 − 512 = 9504.
    let r =
        KernelPhysicsDistance.Compute(
            [| [| 1.0 |]; [| 1.0 |] |],
            null,
            [| [| 3.0 |]; [| 3.0 |] |],
            null,
            KernelPhysicsDistanceOptions(NumBatches = 1, BatchSize = 2, Normalise = false)
        )

    assertClose veryHigh 9504.0 r.Value "KPD"

let ``the per-batch polynomial U-statistic agrees with jetnet's formula in numpy`` () =
    // numpy 1.24, jetnet's _mmd_poly_quadratic_unbiased on the reference pair (no normalisation):
    // (XX.sum() − trace)/(m(m−1)) + (YY.sum() − trace)/(n(n−1)) − 2 XY.mean() with k = (x·y/3 + 1)⁴.
    let kernel = PairKernel(PairKernelKind.Polynomial4, 1.0 / 3.0)

    let u =
        UStatistic.Evaluate(
            PackedSample.Pack refA,
            null,
            PackedSample.Pack refB,
            null,
            kernel,
            0,
            1,
            Threading.CancellationToken.None
        )

    assertClose high 3.1365243824023956 u.Value "unbiased poly MMD²"

[<Tests>]
let tests =
    testList
        "Stats.Distances.KernelPhysicsDistance"
        [
            testCase
                "median and half 16-84 percentile range follow numpy's linear percentiles"
                ``median and half 16-84 percentile range follow numpy's linear percentiles``
            testPropertyN
                30
                "unit weights equal unweighted; normalised KPD is invariant under a common positive scale"
                ``unit weights equal unweighted; normalised KPD is invariant under a common positive scale``
            testCase
                "a single batch of a two-point sample matches the hand-computed U-statistic"
                ``a single batch of a two-point sample matches the hand-computed U-statistic``
            testCase
                "the per-batch polynomial U-statistic agrees with jetnet's formula in numpy"
                ``the per-batch polynomial U-statistic agrees with jetnet's formula in numpy``
            TestMain.slow
                [
                    testCase "jetnet's test values for constant samples" ``jetnet's test values for constant samples``
                ]
        ]
