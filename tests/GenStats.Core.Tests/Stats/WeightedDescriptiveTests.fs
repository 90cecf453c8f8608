module GenStats.Tests.Stats.WeightedDescriptiveTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.Statistics
open GenStats.Stats
open GenStats.Numerics
open GenStats.Tests.Tolerance
open GenStats.Tests.Generators
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private ones (xs: float[]) = Array.create xs.Length 1.0

// ---- Agreement with an independent implementation (MathNet.Numerics) on unweighted data ----

let ``unweighted mean and variance agree with MathNet`` () =
    Prop.forAll (Arb.fromGen sample) (fun xs ->
        isClose veryHigh (Statistics.Mean xs) (WeightedDescriptive.Mean xs)
        && isClose high (Statistics.Variance xs) (WeightedDescriptive.Variance xs)
        && isClose
            high
            (Statistics.StandardDeviation xs / sqrt (float xs.Length))
            (WeightedDescriptive.StandardErrorOfMean xs))

let ``unweighted quantiles agree with MathNet's R7 definition`` () =
    Prop.forAll (Arb.fromGen (Gen.zip sample probabilities)) (fun (xs, ps) ->
        let ours = WeightedDescriptive.Quantiles(xs, ps)
        Array.forall2 (fun p q -> isClose high (Statistics.QuantileCustom(xs, p, QuantileDefinition.R7)) q) ps ours)

// ---- Weights all 1 give the unweighted results ----

let ``unit weights reproduce the unweighted statistics`` () =
    Prop.forAll (Arb.fromGen (Gen.zip sample probabilities)) (fun (xs, ps) ->
        let u = WeightedDescriptive.Summarize xs
        let w = WeightedDescriptive.Summarize(xs, ones xs)

        isClose veryHigh u.Mean w.Mean
        && isClose veryHigh u.Variance w.Variance
        && isClose veryHigh u.StandardErrorOfMean w.StandardErrorOfMean
        && isClose veryHigh (float xs.Length) w.EffectiveSampleSize
        && Array.forall2
            (isClose veryHigh)
            (WeightedDescriptive.Quantiles(xs, ps))
            (WeightedDescriptive.Quantiles(xs, ps, ones xs)))

// ---- Invariances: scaling every weight, permuting the events ----

let ``scaling all weights leaves every statistic unchanged`` () =
    Prop.forAll (Arb.fromGen weightedSampleScaleAndPermutation) (fun (xs, ws, c, _) ->
        let scaled = ws |> Array.map (fun w -> c * w)
        let a = WeightedDescriptive.Summarize(xs, ws)
        let b = WeightedDescriptive.Summarize(xs, scaled)
        let ps = [| 0.0; 0.1; 0.25; 0.5; 0.9; 1.0 |]

        isClose high a.Mean b.Mean
        && isClose high a.Variance b.Variance
        && isClose high a.StandardErrorOfMean b.StandardErrorOfMean
        && isClose high a.EffectiveSampleSize b.EffectiveSampleSize
        && Array.forall2
            (isClose high)
            (WeightedDescriptive.Quantiles(xs, ps, ws))
            (WeightedDescriptive.Quantiles(xs, ps, scaled)))

let ``permuting the events leaves every statistic unchanged`` () =
    Prop.forAll (Arb.fromGen weightedSampleScaleAndPermutation) (fun (xs, ws, _, perm) ->
        let xp = perm |> Array.map (fun i -> xs.[i])
        let wp = perm |> Array.map (fun i -> ws.[i])
        let a = WeightedDescriptive.Summarize(xs, ws)
        let b = WeightedDescriptive.Summarize(xp, wp)
        let ps = [| 0.0; 0.05; 0.33; 0.5; 0.77; 1.0 |]

        isClose high a.Mean b.Mean
        && isClose high a.Variance b.Variance
        && isClose high a.StandardErrorOfMean b.StandardErrorOfMean
        && Array.forall2
            (isClose veryHigh)
            (WeightedDescriptive.Quantiles(xs, ps, ws))
            (WeightedDescriptive.Quantiles(xp, ps, wp)))

// ---- Quantile shape: monotone in p, extremes at 0 and 1, mirror symmetry ----

let ``weighted quantiles are monotone in p and span the sample`` () =
    Prop.forAll (Arb.fromGen (Gen.zip weightedSample probabilities)) (fun ((xs, ws), ps) ->
        let qs = WeightedDescriptive.Quantiles(xs, ps, ws)
        let monotone = qs |> Array.pairwise |> Array.forall (fun (a, b) -> a <= b)

        monotone
        && WeightedDescriptive.Quantile(xs, 0.0, ws) = Array.min xs
        && WeightedDescriptive.Quantile(xs, 1.0, ws) = Array.max xs)

let ``weighted quantiles are mirror symmetric`` () =
    Prop.forAll (Arb.fromGen (Gen.zip weightedSample probabilities)) (fun ((xs, ws), ps) ->
        let neg = xs |> Array.map (fun x -> -x)

        ps
        |> Array.forall (fun p ->
            isClose high (-(WeightedDescriptive.Quantile(xs, p, ws))) (WeightedDescriptive.Quantile(neg, 1.0 - p, ws))))

// ---- Hand-computed reference values ----

let ``weighted mean, variance and ESS match a hand calculation`` () =
    // x = [1, 2, 4], w = [1, 2, 1]: V1 = 4, V2 = 6, mean = 9/4, Σw(x−mean)² = 4.75,
    // variance = 4.75 / (4 − 6/4) = 1.9, ESS = 16/6.
    let xs, ws = [| 1.0; 2.0; 4.0 |], [| 1.0; 2.0; 1.0 |]
    let s = WeightedDescriptive.Summarize(xs, ws)
    assertClose veryHigh 2.25 s.Mean "mean"
    assertClose veryHigh 1.9 s.Variance "variance"
    assertClose veryHigh (16.0 / 6.0) s.EffectiveSampleSize "ESS"
    // SE² = 3/2 · Σw²(x−mean)² / 16 = 3/2 · (1.5625 + 0.25 + 3.0625) / 16
    assertClose veryHigh (sqrt (1.5 * 4.875 / 16.0)) s.StandardErrorOfMean "standard error"

let ``a symmetric weighted sample has its median at the centre`` () =
    // Events at 1, 2, 3 with weights 1, 2, 1: centres of the weight slices at 0.5, 2, 3.5.
    let xs, ws = [| 3.0; 1.0; 2.0 |], [| 1.0; 1.0; 2.0 |]
    assertClose veryHigh 2.0 (WeightedDescriptive.Quantile(xs, 0.5, ws)) "median"
    // p = 0.25 → target 0.5 + 0.25·3 = 1.25, between 1 (at 0.5) and 2 (at 2.0): 1.5.
    assertClose veryHigh 1.5 (WeightedDescriptive.Quantile(xs, 0.25, ws)) "lower quartile"

let ``signed sWeights are allowed for the mean and change it as expected`` () =
    // A background event with negative weight subtracts: (1·1 + 1·3 − 0.5·3) / 1.5 = 5/3.
    let m = WeightedDescriptive.Mean([| 1.0; 3.0; 3.0 |], [| 1.0; 1.0; -0.5 |])
    assertClose veryHigh (5.0 / 3.0) m "mean with a negative weight"

let ``compensated summation keeps digits a naive sum loses`` () =
    // 1 + 10⁶ × 1e-16: naive summation in float64 returns exactly 1.
    let values = Array.append [| 1.0 |] (Array.create 1_000_000 1e-16)
    assertClose veryHigh (1.0 + 1e-10) (CompensatedSum.Of(ReadOnlySpan values)) "compensated sum"

// ---- Bad input: clear errors naming the argument ----

let private throwsNaming (paramName: string) (f: unit -> obj) =
    let ex = raises<ArgumentException> "f () |> ignore" (fun () -> f () |> ignore)
    Expect.equal ex.ParamName paramName "ex.ParamName"
    ex.Message

let ``an empty sample is rejected`` () =
    let msg = throwsNaming "values" (fun () -> box (WeightedDescriptive.Mean [||]))
    contains "empty" msg "msg"

let private sampleWithOneNonFinite =
    gen {
        let! xs = sample
        let! bad = Gen.elements [ nan; infinity; -infinity ]
        let! at = Gen.choose (0, xs.Length - 1)
        return xs |> Array.mapi (fun i x -> if i = at then bad else x), at
    }

let ``any non-finite value is rejected with its index`` () =
    Prop.forAll (Arb.fromGen sampleWithOneNonFinite) (fun (values, i) ->
        let msg = throwsNaming "values" (fun () -> box (WeightedDescriptive.Mean values))

        let wmsg =
            throwsNaming "weights" (fun () -> box (WeightedDescriptive.Mean(Array.create values.Length 1.0, values)))

        msg.Contains(sprintf "values[%d]" i) && wmsg.Contains(sprintf "weights[%d]" i))

let ``weights of the wrong length are rejected`` () =
    let msg =
        throwsNaming "weights" (fun () -> box (WeightedDescriptive.Mean([| 1.0; 2.0 |], [| 1.0 |])))

    contains "1 entries but the sample has 2" msg "msg"

let ``weights that sum to zero or less are rejected`` () =
    throwsNaming "weights" (fun () -> box (WeightedDescriptive.Mean([| 1.0; 2.0 |], [| 1.0; -1.0 |])))
    |> ignore

    throwsNaming "weights" (fun () -> box (WeightedDescriptive.Mean([| 1.0; 2.0 |], [| 0.0; 0.0 |])))
    |> ignore

let ``quantiles reject negative weights and probabilities outside 0..1`` () =
    throwsNaming "weights" (fun () ->
        box (WeightedDescriptive.Quantile([| 1.0; 2.0; 3.0 |], 0.5, [| 1.0; 1.0; -0.1 |])))
    |> ignore

    raises<ArgumentOutOfRangeException> "WeightedDescriptive.Quantile([| 1.0 |], 1.5) |> ignore" (fun () ->
        WeightedDescriptive.Quantile([| 1.0 |], 1.5) |> ignore)
    |> ignore

let ``a variance from one event is refused`` () =
    throwsNaming "values" (fun () -> box (WeightedDescriptive.Variance [| 1.0 |]))
    |> ignore

let ``quantiles near the float64 limit interpolate without overflow`` () =
    // R7 on (-1e308, 1e308, 1e308): h = 2p, so p = 0.25 lies halfway between -1e308 and 1e308 = 0
    // and p = 0.05 at 0.1 of the way: -1e308 + 0.1 * 2e308 = -8e307 (by hand); the difference
    // 2e308 itself overflows float64.
    let q =
        WeightedDescriptive.Quantiles([| 1e308; -1e308; 1e308 |], [| 0.05; 0.25; 0.5 |])

    Expect.floatClose Accuracy.veryHigh q[0] -8e307 "p = 0.05"
    Expect.equal q[1] 0.0 "p = 0.25"
    Expect.equal q[2] 1e308 "p = 0.5"

[<Tests>]
let tests =
    testList
        "Stats.WeightedDescriptive"
        [
            testPropertyN
                200
                "unweighted mean and variance agree with MathNet"
                ``unweighted mean and variance agree with MathNet``
            testPropertyN
                200
                "unweighted quantiles agree with MathNet's R7 definition"
                ``unweighted quantiles agree with MathNet's R7 definition``
            testPropertyN
                200
                "unit weights reproduce the unweighted statistics"
                ``unit weights reproduce the unweighted statistics``
            testPropertyN
                200
                "scaling all weights leaves every statistic unchanged"
                ``scaling all weights leaves every statistic unchanged``
            testPropertyN
                200
                "permuting the events leaves every statistic unchanged"
                ``permuting the events leaves every statistic unchanged``
            testPropertyN
                200
                "weighted quantiles are monotone in p and span the sample"
                ``weighted quantiles are monotone in p and span the sample``
            testPropertyN 200 "weighted quantiles are mirror symmetric" ``weighted quantiles are mirror symmetric``
            testCase
                "weighted mean, variance and ESS match a hand calculation"
                ``weighted mean, variance and ESS match a hand calculation``
            testCase
                "a symmetric weighted sample has its median at the centre"
                ``a symmetric weighted sample has its median at the centre``
            testCase
                "signed sWeights are allowed for the mean and change it as expected"
                ``signed sWeights are allowed for the mean and change it as expected``
            testCase
                "compensated summation keeps digits a naive sum loses"
                ``compensated summation keeps digits a naive sum loses``
            testCase "an empty sample is rejected" ``an empty sample is rejected``
            testPropertyN
                100
                "any non-finite value is rejected with its index"
                ``any non-finite value is rejected with its index``
            testCase "weights of the wrong length are rejected" ``weights of the wrong length are rejected``
            testCase "weights that sum to zero or less are rejected" ``weights that sum to zero or less are rejected``
            testCase
                "quantiles reject negative weights and probabilities outside 0..1"
                ``quantiles reject negative weights and probabilities outside 0..1``
            testCase "a variance from one event is refused" ``a variance from one event is refused``
            testCase
                "quantiles near the float64 limit interpolate without overflow"
                ``quantiles near the float64 limit interpolate without overflow``
        ]
