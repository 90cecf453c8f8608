module GenStats.Tests.Validation.Studies.TailsTests

open NUnit.Framework
open GenStats.Stats
open GenStats.Physics
open GenStats.Validation.Studies.Tails

let private opts = LogNormalPairOptions.Default
let private config = { defaultConfig with TargetEvents = 100_000; Replicas = 200; Permutations = 20; ParametricEvents = 20_000 }

[<Test>]
let ``the closed-form LogNormal mean matches a 10⁶-event toy sample within 5σ`` () =
    let s = LogNormalPair.SampleSum(1_000_000, 17, opts)
    let truth = (meanOfSum opts).Truth
    Assert.That(truth, Is.EqualTo(2.0 * exp 0.5).Within(1e-12))
    let se = sqrt (2.0 * logNormalVariance 0.0 1.0 / 1e6)
    Assert.That(abs (Array.average s - truth), Is.LessThan(5.0 * se))
    // sd of the sample variance: Var·√((κ_excess + 2)/N) = 9.34·√(57.4/10⁶) = 0.071; 5σ.
    Assert.That(WeightedDescriptive.Variance s, Is.EqualTo(2.0 * (exp 1.0 - 1.0) * exp 1.0).Within(0.36), "Var = 2(e − 1)e")

[<Test>]
let ``tail fluctuations: the bootstrap spread of the mean is √(2 Var/N)`` () =
    let d = LogNormalPair.Sample(10_000, 23, opts)
    let s = tailFluctuations config (meanOfSum opts) (d.Column "x1") (d.Column "x2")
    let expected = sqrt (2.0 * logNormalVariance 0.0 1.0 / 10_000.0)
    // Relative error of the spread: ½√((κ_excess + 2)/N) = 0.038 (κ_excess = 55.4 for the sum)
    // from the sample, 1/√(2B) = 0.05 from B = 200 replicas; 4σ of the combination = 0.25.
    Assert.That(abs (s.Spread / expected - 1.0), Is.LessThan(0.25), $"spread {s.Spread} vs {expected}")
    Assert.That(abs s.Sigma, Is.LessThan(5.0), "the training sample is a true sample")

[<Test>]
let ``cut-off marginal: the bias of the mean is 2(E[x | x < 12] − E[x])`` () =
    let s = cutOffMarginal config (meanOfSum opts)
    let expected = 2.0 * (truncatedMean 0.0 1.0 12.0 - logNormalMean 0.0 1.0)
    // E[x | x < 12] = e^{1/2} Φ(ln 12 − 1)/Φ(ln 12) = 1.5453: a bias of −0.207.
    Assert.That(expected, Is.EqualTo(-0.2067).Within(0.0005))
    Assert.That(abs (s.Bias - expected), Is.LessThan(5.0 * s.Central.Uncertainty + 1e-9), $"bias {s.Bias} vs {expected}")
    Assert.That(abs s.Sigma, Is.GreaterThan(10.0), "the truncation is a real systematic")

[<Test>]
let ``decomposition cannot help a linear quantity: permuted and paired means coincide`` () =
    let d = LogNormalPair.Sample(1000, 3, opts)
    let x1, x2 = d.Column "x1", d.Column "x2"
    // Each permutation uses every x₂ once, so the mean over R·N pairs is mean(x₁) + mean(x₂).
    Assert.That(Array.average (permutedSum 9 7 x1 x2), Is.EqualTo(Array.average (Array.map2 (+) x1 x2)).Within(1e-12))

[<TestCase(1000)>]
[<TestCase(100)>]
let ``decomposition reduces the spread of a tail fraction as the U-statistic predicts`` (events: int) =
    let q = fractionAbove 8.0 opts
    let c = { config with TrainingEvents = events }
    let d = decomposition c (Some 8.0) q
    let p = q.Truth
    let binomial = sqrt (p * (1.0 - p) / float events)
    Assert.That(abs (d.PairedSpread.Value - binomial), Is.LessThan(4.0 * d.PairedSpread.Uncertainty), $"paired {d.PairedSpread.Value} vs binomial {binomial}")
    let predicted = d.PredictedPermutedSpread.Value
    Assert.That(abs (d.PermutedSpread.Value - predicted), Is.LessThan(4.0 * d.PermutedSpread.Uncertainty), $"permuted {d.PermutedSpread.Value} vs predicted {predicted}")
    Assert.That(d.PermutedSpread.Value, Is.LessThan(d.PairedSpread.Value), "the N² combinations carry more information")

[<Test>]
let ``parametric refits: the spread of the mean follows the delta method and the fit is unbiased`` () =
    let d = LogNormalPair.Sample(1000, 31, opts)
    let s = parametric { config with Replicas = 100 } (meanOfSum opts) (d.Column "x1") (d.Column "x2")
    let expected = parametricMeanSpread 0.0 1.0 1000
    // 1/√(2·99) = 0.07 relative from 100 refits, plus the fitted (μ̂, σ̂) of the sample: 0.3.
    Assert.That(abs (s.Spread / expected - 1.0), Is.LessThan(0.3), $"spread {s.Spread} vs {expected}")
    Assert.That(abs s.Sigma, Is.LessThan(4.0))

[<Test>]
let ``ML fit of LogNormal parameters by hand`` () =
    let mu, sigma = fitLogNormal [| 1.0; exp 2.0 |]
    Assert.That(mu, Is.EqualTo(1.0).Within(1e-12))
    Assert.That(sigma, Is.EqualTo(1.0).Within(1e-12))
