module GenStats.Tests.Validation.Studies.TailsTests

open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Stats
open GenStats.Physics
open GenStats.Validation.Studies.Tails
open GenStats.Tests.Tolerance

let private opts = LogNormalPairOptions.Default

let private config =
    { defaultConfig with
        TargetEvents = 100_000
        Replicas = 200
        Permutations = 20
        ParametricEvents = 20_000
    }

let ``the closed-form LogNormal mean matches a 10⁶-event toy sample within 5σ`` () =
    let s = LogNormalPair.SampleSum(1_000_000, 17, opts)
    let truth = (meanOfSum opts).Truth
    assertClose { Absolute = 1e-12; Relative = 0.0 } (2.0 * exp 0.5) truth "truth"
    let se = sqrt (2.0 * logNormalVariance 0.0 1.0 / 1e6)
    Expect.isLessThan (abs (Array.average s - truth)) (5.0 * se) "abs (Array.average s - truth)"
    // sd of the sample variance: Var·√((κ_excess + 2)/N) = 9.34·√(57.4/10⁶) = 0.071; 5σ.
    assertClose
        { Absolute = 0.36; Relative = 0.0 }
        (2.0 * (exp 1.0 - 1.0) * exp 1.0)
        (WeightedDescriptive.Variance s)
        "Var = 2(e − 1)e"

let ``tail fluctuations: the bootstrap spread of the mean is √(2 Var/N)`` () =
    let d = LogNormalPair.Sample(10_000, 23, opts)
    let s = tailFluctuations config (meanOfSum opts) (d.Column "x1") (d.Column "x2")
    let expected = sqrt (2.0 * logNormalVariance 0.0 1.0 / 10_000.0)
    // Relative error of the spread: ½√((κ_excess + 2)/N) = 0.038 (κ_excess = 55.4 for the sum)
    // from the sample, 1/√(2B) = 0.05 from B = 200 replicas; 4σ of the combination = 0.25.
    Expect.isLessThan (abs (s.Spread / expected - 1.0)) 0.25 ($"spread {s.Spread} vs {expected}")
    Expect.isLessThan (abs s.Sigma) 5.0 "the training sample is a true sample"

let ``cut-off marginal: the bias of the mean is 2(E[x | x < 12] − E[x])`` () =
    let s = cutOffMarginal config (meanOfSum opts)
    let expected = 2.0 * (truncatedMean 0.0 1.0 12.0 - logNormalMean 0.0 1.0)
    // E[x | x < 12] = e^{1/2} Φ(ln 12 − 1)/Φ(ln 12) = 1.5453: a bias of −0.207.
    assertClose { Absolute = 0.0005; Relative = 0.0 } -0.2067 expected "expected"
    Expect.isLessThan (abs (s.Bias - expected)) (5.0 * s.Central.Uncertainty + 1e-9) ($"bias {s.Bias} vs {expected}")
    Expect.isGreaterThan (abs s.Sigma) 10.0 "the truncation is a real systematic"

let ``decomposition cannot help a linear quantity: permuted and paired means coincide`` () =
    let d = LogNormalPair.Sample(1000, 3, opts)
    let x1, x2 = d.Column "x1", d.Column "x2"
    // Each permutation uses every x₂ once, so the mean over R·N pairs is mean(x₁) + mean(x₂).
    assertClose
        { Absolute = 1e-12; Relative = 0.0 }
        (Array.average (Array.map2 (+) x1 x2))
        (Array.average (permutedSum 9 7 x1 x2))
        "Array.average (permutedSum 9 7 x1 x2)"

let ``decomposition reduces the spread of a tail fraction as the U-statistic predicts`` (events: int) =
    let q = fractionAbove 8.0 opts
    let c = { config with TrainingEvents = events }
    let d = decomposition c (Some 8.0) q
    let p = q.Truth
    let binomial = sqrt (p * (1.0 - p) / float events)

    Expect.isLessThan
        (abs (d.PairedSpread.Value - binomial))
        (4.0 * d.PairedSpread.Uncertainty)
        ($"paired {d.PairedSpread.Value} vs binomial {binomial}")

    let predicted = d.PredictedPermutedSpread.Value

    Expect.isLessThan
        (abs (d.PermutedSpread.Value - predicted))
        (4.0 * d.PermutedSpread.Uncertainty)
        ($"permuted {d.PermutedSpread.Value} vs predicted {predicted}")

    Expect.isLessThan d.PermutedSpread.Value d.PairedSpread.Value "the N² combinations carry more information"

let ``parametric refits: the spread of the mean follows the delta method and the fit is unbiased`` () =
    let d = LogNormalPair.Sample(1000, 31, opts)

    let s =
        parametric { config with Replicas = 100 } (meanOfSum opts) (d.Column "x1") (d.Column "x2")

    let expected = parametricMeanSpread 0.0 1.0 1000
    // 1/√(2·99) = 0.07 relative from 100 refits, plus the fitted (μ̂, σ̂) of the sample: 0.3.
    Expect.isLessThan (abs (s.Spread / expected - 1.0)) 0.3 ($"spread {s.Spread} vs {expected}")
    Expect.isLessThan (abs s.Sigma) 4.0 "abs s.Sigma"

let ``ML fit of LogNormal parameters by hand`` () =
    let mu, sigma = fitLogNormal [| 1.0; exp 2.0 |]
    assertClose { Absolute = 1e-12; Relative = 0.0 } 1.0 mu "mu"
    assertClose { Absolute = 1e-12; Relative = 0.0 } 1.0 sigma "sigma"

[<Tests>]
let tests =
    testList
        "TailsTests"
        [
            testCase
                "the closed-form LogNormal mean matches a 10⁶-event toy sample within 5σ"
                ``the closed-form LogNormal mean matches a 10⁶-event toy sample within 5σ``
            testCase
                "tail fluctuations: the bootstrap spread of the mean is √(2 Var/N)"
                ``tail fluctuations: the bootstrap spread of the mean is √(2 Var/N)``
            testCase
                "cut-off marginal: the bias of the mean is 2(E[x | x < 12] − E[x])"
                ``cut-off marginal: the bias of the mean is 2(E[x | x < 12] − E[x])``
            testCase
                "decomposition cannot help a linear quantity: permuted and paired means coincide"
                ``decomposition cannot help a linear quantity: permuted and paired means coincide``
            testCase
                "parametric refits: the spread of the mean follows the delta method and the fit is unbiased"
                ``parametric refits: the spread of the mean follows the delta method and the fit is unbiased``
            testCase "ML fit of LogNormal parameters by hand" ``ML fit of LogNormal parameters by hand``
            testList
                "decomposition reduces the spread of a tail fraction as the U-statistic predicts"
                [
                    for events in [ 1000; 100 ] ->
                        testCase (sprintf "%d training events" events) (fun () ->
                            ``decomposition reduces the spread of a tail fraction as the U-statistic predicts`` events)
                ]
        ]
