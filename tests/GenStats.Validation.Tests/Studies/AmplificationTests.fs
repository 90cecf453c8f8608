module GenStats.Tests.Validation.Studies.AmplificationTests

open System
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Stats
open GenStats.Physics
open GenStats.Validation.Studies.Amplification
open GenStats.Tests.Tolerance

let private uniform: Sampler =
    fun n seed -> let r = Random(seed) in Array.init n (fun _ -> r.NextDouble())

let private bimodal: Sampler =
    fun n seed -> BimodalGaussian.Sample(n, seed).Column "x"

let private bimodalTruth =
    InverseCdf(inverseByBisection (fun x -> BimodalGaussian.Cdf x) -20.0 20.0)

let ``χ̂² by hand: fractions 2/3 and 1/3 in two bins give 2·2·(1/6)² = 1/9`` () =
    assertClose veryHigh (1.0 / 9.0) (chiSquareHat [| 0.0 |] [| -1.0; -2.0; 1.0 |]) "χ̂²"

let ``χ̂² agrees with the core QuantileChiSquare normalised statistic`` () =
    let x = uniform 777 3

    let r =
        QuantileChiSquare.Test(Func<_, _>(id), x, 13, bootstrap = BootstrapOptions(10, 1))

    assertClose high r.NormalizedChiSquare (chiSquareHat (edges (InverseCdf id) 13) x) "χ̂²"

let ``a true sample has E[χ̂²] = (n_q − 1)/N`` () =
    // N χ̂² ~ χ²_{n_q−1} asymptotically: sd(χ̂²) = √(2(n_q − 1))/N; 400 seeds, 5σ of the mean.
    let n, nq, seeds = 500, 10, 400

    let p =
        curvePoint (InverseCdf id) { defaultConfig with Seeds = seeds } 0 "truth" uniform n nq

    let expected = float (nq - 1) / float n
    let se = sqrt (2.0 * float (nq - 1)) / float n / sqrt (float seeds)
    Expect.isLessThan (abs (p.ChiSquare.Value - expected)) (5.0 * se) ($"mean χ̂² {p.ChiSquare.Value} vs {expected}")

let ``the truth sampler's amplification equals the ratio of sample sizes`` () =
    let training = bimodal 1000 99

    let config =
        {
            SampleSizes = [ 10_000 ]
            QuantileCounts = [ 20 ]
            Seeds = 30
            Seed = 5
        }

    let r = run config bimodalTruth [ "truth", bimodal ] training
    let a = r.Factors.Head.Amplification

    Expect.isLessThan
        (abs (a.Value - 10.0))
        (4.0 * a.Uncertainty)
        ($"amplification {a.Value} ± {a.Uncertainty}, expected 10")
    // σ(A)/A = √(2/((n_q − 1)·seeds)) = 0.059 for a true sample: the propagated error must agree.
    Expect.isGreaterThanOrEqual (a.Uncertainty / a.Value) 0.03 "relative uncertainty"
    Expect.isLessThanOrEqual (a.Uncertainty / a.Value) 0.10 "relative uncertainty"

let ``the truth sampler is also recovered with edges from a large truth sample (floor subtracted)`` () =
    let training = bimodal 1000 98
    let truth = TruthSample(bimodal 400_000 4242)

    let config =
        {
            SampleSizes = [ 5_000 ]
            QuantileCounts = [ 10 ]
            Seeds = 40
            Seed = 6
        }

    let a = (run config truth [ "truth", bimodal ] training).Factors.Head.Amplification

    Expect.isLessThan
        (abs (a.Value - 5.0))
        (4.0 * a.Uncertainty + 0.3)
        ($"amplification {a.Value} ± {a.Uncertainty}, expected 5")

let ``resampling the training sample cannot amplify it`` () =
    // Bootstrap of n events from the training sample: E[χ̂²] ≈ χ̂²_train + (n_q − 1)/n, so its
    // N_eq tends to the training sample's own (n_q − 1)/χ̂²_train, ≈ N_train.
    let training = bimodal 1000 7
    let nq, n = 20, 50_000

    let config =
        {
            SampleSizes = [ n ]
            QuantileCounts = [ nq ]
            Seeds = 10
            Seed = 3
        }

    let r = run config bimodalTruth [ "bootstrap", bootstrap training ] training
    let a = r.Factors.Head.Amplification
    let train = r.Training.Head.ChiSquare.Value
    let predicted = float (nq - 1) / (train + float (nq - 1) / float n) / 1000.0

    Expect.isLessThan
        (abs (a.Value - predicted))
        (4.0 * a.Uncertainty)
        ($"bootstrap amplification {a.Value} ± {a.Uncertainty} vs predicted {predicted}")

    Expect.isLessThan a.Value 1.5 "a resampled training sample is worth about N_train events or fewer"

let ``a KDE on the bimodal toy: its factor follows its curve, whose n-dependence is (n_q − 1)/n`` () =
    let training = bimodal 1000 11

    let config =
        {
            SampleSizes = [ 1_000; 20_000 ]
            QuantileCounts = [ 10; 20 ]
            Seeds = 8
            Seed = 4
        }

    let r = run config bimodalTruth [ "KDE", kde training ] training

    for f in r.Factors do
        printfn
            "%s"
            ($"KDE n_q = {f.Quantiles}: amplification {f.Amplification.Value:G4} ± {f.Amplification.Uncertainty:G3}")

        Expect.isTrue
            (Double.IsFinite f.Amplification.Value && f.Amplification.Value > 0.0)
            ($"amplification {f.Amplification.Value}")
        // The factor is read off the largest-n curve point: A = (n_q − 1)/(χ̂² N_train), σ(A) = A σ(χ̂²)/χ̂².
        let point =
            r.Curves |> List.find (fun p -> p.Quantiles = f.Quantiles && p.Events = 20_000)

        let expected = float (f.Quantiles - 1) / (point.ChiSquare.Value * 1000.0)
        assertClose high expected f.Amplification.Value "A = (n_q − 1)/(χ̂² N_train)"

        assertClose
            high
            (expected * point.ChiSquare.Uncertainty / point.ChiSquare.Value)
            f.Amplification.Uncertainty
            "σ(A)"
        // A model of fixed density p_j per bin has E[χ̂²(n)] = n_q Σ (p_j − 1/n_q)² + n_q Σ p_j(1 − p_j)/n:
        // the model term cancels between n = 1 000 and 20 000, leaving ≈ (n_q − 1)(1/1000 − 1/20000)
        // (n_q Σ p_j(1 − p_j) = n_q − 1 for equal p_j), within 4σ of the two seed averages.
        let small =
            r.Curves |> List.find (fun p -> p.Quantiles = f.Quantiles && p.Events = 1_000)

        let diff = small.ChiSquare.Value - point.ChiSquare.Value
        let predicted = float (f.Quantiles - 1) * (1.0 / 1000.0 - 1.0 / 20000.0)

        let sigma =
            sqrt (small.ChiSquare.Uncertainty ** 2.0 + point.ChiSquare.Uncertainty ** 2.0)

        Expect.isLessThan
            (abs (diff - predicted))
            (4.0 * sigma)
            ($"n_q = {f.Quantiles}: χ̂²(1000) − χ̂²(20000) = {diff} vs {predicted} ± {sigma}")
        // A KDE of 1000 events is worth less than 20 000 true events (the truth sampler's A = 20).
        Expect.isLessThan
            (f.Amplification.Value + 3.0 * f.Amplification.Uncertainty)
            20.0
            "below the truth's amplification"

    let s = toSection r
    Expect.equal s.Tables.Head.Rows.Length 2 "s.Tables.Head.Rows.Length"
    Expect.equal s.Figures.Length 2 "s.Figures.Length"

[<Tests>]
let tests =
    testList
        "AmplificationTests"
        [
            testCase
                "χ̂² by hand: fractions 2/3 and 1/3 in two bins give 2·2·(1/6)² = 1/9"
                ``χ̂² by hand: fractions 2/3 and 1/3 in two bins give 2·2·(1/6)² = 1/9``
            testCase
                "χ̂² agrees with the core QuantileChiSquare normalised statistic"
                ``χ̂² agrees with the core QuantileChiSquare normalised statistic``
            testCase "a true sample has E[χ̂²] = (n_q − 1)/N" ``a true sample has E[χ̂²] = (n_q − 1)/N``
            testCase
                "the truth sampler's amplification equals the ratio of sample sizes"
                ``the truth sampler's amplification equals the ratio of sample sizes``
            testCase
                "the truth sampler is also recovered with edges from a large truth sample (floor subtracted)"
                ``the truth sampler is also recovered with edges from a large truth sample (floor subtracted)``
            testCase
                "resampling the training sample cannot amplify it"
                ``resampling the training sample cannot amplify it``
            testCase
                "a KDE on the bimodal toy: its factor follows its curve, whose n-dependence is (n_q − 1)/n"
                ``a KDE on the bimodal toy: its factor follows its curve, whose n-dependence is (n_q − 1)/n``
        ]
