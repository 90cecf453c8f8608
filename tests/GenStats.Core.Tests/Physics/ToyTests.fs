module GenStats.Tests.Physics.ToyTests

open Expecto
open System
open MathNet.Numerics.Distributions
open MathNet.Numerics.Integration
open GenStats.Physics
open GenStats.Tests.Tolerance
open GenStats.Tests.Physics.TestHelpers
open GenStats.Tests
open GenStats.Tests.Expectations

let ``LogNormal pair: 1K training events, exact marginals agree with MathNet and the sample`` () =
    let d = LogNormalPair.Sample(LogNormalPair.TrainingEvents, 1)
    Expect.equal d.Count 1000 "d.Count"
    Expect.equal (d.Features |> Seq.toArray) [| "x1"; "x2" |] "d.Features"

    for x in [ 0.1; 1.0; 3.0; 12.0; 40.0 ] do
        assertClose veryHigh (LogNormal.CDF(0.0, 1.0, x)) (LogNormalPair.MarginalCdf x) "marginal CDF"
        assertClose veryHigh (LogNormal.PDF(0.0, 1.0, x)) (LogNormalPair.MarginalPdf x) "marginal density"

    let big = LogNormalPair.Sample(20_000, 2)

    for c in [ "x1"; "x2" ] do
        Expect.isLessThan
            (ksDistance (fun x -> LogNormalPair.MarginalCdf x) (big.Column c))
            (ksBound 20_000 1e-6)
            "ksDistance (fun x -> LogNormalPair.MarginalCdf x) (big.Column c)"

let ``LogNormal pair with the marginal cut x < 12: nothing above the cut, truncated CDF`` () =
    let o = LogNormalPairOptions.WithCut12
    let d = LogNormalPair.Sample(20_000, 3, o)
    Expect.isLessThan (Array.max (d.Column "x1")) 12.0 "Array.max (d.Column \"x1\")"
    Expect.isLessThan (Array.max (d.Column "x2")) 12.0 "Array.max (d.Column \"x2\")"
    let kept = LogNormal.CDF(0.0, 1.0, 12.0)
    assertClose veryHigh (LogNormal.CDF(0.0, 1.0, 5.0) / kept) (LogNormalPair.MarginalCdf(5.0, o)) "truncated CDF"

    Expect.isLessThan
        (ksDistance (fun x -> LogNormalPair.MarginalCdf(x, o)) (d.Column "x1"))
        (ksBound 20_000 1e-6)
        "ksDistance (fun x -> LogNormalPair.MarginalCdf(x, o)) (d.Column \"x1\")"

let ``target x1 + x2: CDF of the sum is a distribution with the right mean and matches the sample`` () =
    // E[x1 + x2] = 2 exp(μ + σ²/2) = 2√e, and E[S] = ∫ (1 − F_S(s)) ds.
    let survival s = 1.0 - LogNormalPair.SumCdf s

    let mean =
        GaussLegendreRule.Integrate(Func<float, float> survival, 0.0, 10.0, 64)
        + GaussLegendreRule.Integrate(Func<float, float> survival, 10.0, 60.0, 64)
        + GaussLegendreRule.Integrate(Func<float, float> survival, 60.0, 400.0, 64)

    assertClose low (2.0 * sqrt (exp 1.0)) mean "E[x1 + x2] from the CDF"
    // The 10⁶-event target is tested with 20 000 events against the exact CDF of the sum.
    let s = LogNormalPair.SampleSum(20_000, 4)

    Expect.isLessThan
        (ksDistance (fun v -> LogNormalPair.SumCdf v) s)
        (ksBound 20_000 1e-6)
        "ksDistance (fun v -> LogNormalPair.SumCdf v) s"

    let sc = LogNormalPair.SampleSum(20_000, 5, LogNormalPairOptions.WithCut12)
    Expect.isLessThan (Array.max sc) 24.0 "Array.max sc"

    Expect.isLessThan
        (ksDistance (fun v -> LogNormalPair.SumCdf(v, LogNormalPairOptions.WithCut12)) sc)
        (ksBound 20_000 1e-6)
        "ksDistance (fun v -> LogNormalPair.SumCdf(v, LogNormalPairOptions.W..."

let ``bimodal Gaussian: exact density, CDF and sampler`` () =
    for x in [ -6.0; -4.0; 0.0; 1.3; 4.0 ] do
        assertClose veryHigh (0.5 * (Normal.CDF(-4.0, 1.0, x) + Normal.CDF(4.0, 1.0, x))) (BimodalGaussian.Cdf x) "CDF"

        assertClose
            veryHigh
            (0.5 * (Normal.PDF(-4.0, 1.0, x) + Normal.PDF(4.0, 1.0, x)))
            (BimodalGaussian.Pdf x)
            "density"

    let d = BimodalGaussian.Sample(20_000, 6)

    Expect.isLessThan
        (ksDistance (fun x -> BimodalGaussian.Cdf x) (d.Column "x"))
        (ksBound 20_000 1e-6)
        "ksDistance (fun x -> BimodalGaussian.Cdf x) (d.Column \"x\")"

let ``Gaussian ring: density integrates to one, radius and angle follow their CDFs`` () =
    // ∫∫ p(x, y) dx dy in polar coordinates: 2π ∫ p(r, 0) r dr.
    let radial r =
        2.0 * Math.PI * r * GaussianRing.Pdf(r, 0.0)

    assertClose medium 1.0 (GaussLegendreRule.Integrate(Func<float, float> radial, 1e-9, 12.0, 256)) "∫ density"
    let d = GaussianRing.Sample(20_000, 7)
    let x, y = d.Column "x", d.Column "y"
    let r = Array.map2 (fun a b -> sqrt (a * a + b * b)) x y
    let phi = Array.map2 (fun a b -> atan2 b a) x y

    Expect.isLessThan
        (ksDistance (fun v -> GaussianRing.RadiusCdf v) r)
        (ksBound 20_000 1e-6)
        "ksDistance (fun v -> GaussianRing.RadiusCdf v) r"

    Expect.isLessThan
        (ksDistance GaussianRing.AngleCdf phi)
        (ksBound 20_000 1e-6)
        "ksDistance GaussianRing.AngleCdf phi"

    let kept = 1.0 - Normal.CDF(4.0, 1.0, 0.0)

    assertClose
        veryHigh
        ((Normal.CDF(4.0, 1.0, 5.0) - Normal.CDF(4.0, 1.0, 0.0)) / kept)
        (GaussianRing.RadiusCdf 5.0)
        "radius CDF"

[<Tests>]
let tests =
    testList
        "Physics.Toy"
        [
            testCase
                "LogNormal pair: 1K training events, exact marginals agree with MathNet and the sample"
                ``LogNormal pair: 1K training events, exact marginals agree with MathNet and the sample``
            testCase
                "LogNormal pair with the marginal cut x < 12: nothing above the cut, truncated CDF"
                ``LogNormal pair with the marginal cut x < 12: nothing above the cut, truncated CDF``
            testCase
                "bimodal Gaussian: exact density, CDF and sampler"
                ``bimodal Gaussian: exact density, CDF and sampler``
            testCase
                "Gaussian ring: density integrates to one, radius and angle follow their CDFs"
                ``Gaussian ring: density integrates to one, radius and angle follow their CDFs``
            TestMain.slow
                [
                    testCase
                        "target x1 + x2: CDF of the sum is a distribution with the right mean and matches the sample"
                        ``target x1 + x2: CDF of the sum is a distribution with the right mean and matches the sample``
                ]
        ]
