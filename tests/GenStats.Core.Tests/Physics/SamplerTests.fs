module GenStats.Tests.Physics.SamplerTests

open Expecto
open System
open MathNet.Numerics.Distributions
open MathNet.Numerics.Integration
open GenStats.Physics
open GenStats.Stats
open GenStats.Tests.Tolerance
open GenStats.Tests.Physics.TestHelpers
open GenStats.Tests.Expectations

let private n = 20_000
let private bound = ksBound n 1e-6

let private draw (f: Random -> float) seed =
    let rng = Random(seed: int) in Array.init n (fun _ -> f rng)

let ``normal and exponential samplers match their exact CDFs`` () =
    let normal = draw (fun r -> Samplers.Normal(r, 1.5, 2.0)) 11

    Expect.isLessThan
        (ksDistance (fun x -> Normal.CDF(1.5, 2.0, x)) normal)
        bound
        "ksDistance (fun x -> Normal.CDF(1.5, 2.0, x)) normal"

    let expo = draw (fun r -> Samplers.Exponential(r, 3.0)) 12

    Expect.isLessThan
        (ksDistance (fun x -> Exponential.CDF(1.0 / 3.0, x)) expo)
        bound
        "ksDistance (fun x -> Exponential.CDF(1.0 / 3.0, x)) expo"

    let gamma = draw (fun r -> Samplers.GammaInteger(r, 2, 0.6)) 13

    Expect.isLessThan
        (ksDistance (fun x -> Gamma.CDF(2.0, 1.0 / 0.6, x)) gamma)
        bound
        "ksDistance (fun x -> Gamma.CDF(2.0, 1.0 / 0.6, x)) gamma"

    // Real shapes: Marsaglia–Tsang (k ≥ 1) and its boosted form (k < 1) against MathNet's CDF.
    for shape, seed in [ 4.37, 15; 0.45, 16 ] do
        let g = draw (fun r -> Samplers.Gamma(r, shape, 1.75)) seed

        Expect.isLessThan
            (ksDistance (fun x -> Gamma.CDF(shape, 1.0 / 1.75, x)) g)
            bound
            (sprintf "Gamma(%g, 1.75) KS distance" shape)

let private poissonMeans = [ 0.7; 4.2; 37.5; 2500.0 ]

let ``Poisson sampler matches the exact CDF at every count`` (mean: float) =
    let ks = draw (fun r -> float (Samplers.Poisson(r, mean))) (int mean + 5)
    let counts = ks |> Array.countBy id |> Map.ofArray
    let kmax = int (Array.max ks)
    let mutable running = 0
    let mutable worst = 0.0

    for k in 0..kmax do
        running <- running + (counts |> Map.tryFind (float k) |> Option.defaultValue 0)
        worst <- max worst (abs (float running / float n - Poisson.CDF(mean, float k)))
    // The DKW bound holds for discrete distributions too (it is conservative there).
    Expect.isLessThan worst bound (sprintf "λ = %g" mean)

let ``Crystal Ball sampler matches the CDF of the normalised shape`` () =
    let lo, hi, mu, sigma, alpha, nn = 1825.0, 1910.0, 1864.84, 7.0, 1.2, 2.5
    let shape = CrystalBallShape(mu, sigma, alpha, nn)

    let density x =
        FitShapes.Density(shape, x, [| mu; sigma; alpha; nn |], lo, hi)
    // The analytic normalisation integrates to 1 (checked by quadrature, split at the tail junction).
    let junction = mu - alpha * sigma

    let integral =
        GaussLegendreRule.Integrate(density, lo, junction, 256)
        + GaussLegendreRule.Integrate(density, junction, hi, 256)

    assertClose high 1.0 integral "∫ Crystal Ball"

    let cdf x =
        if x <= junction then
            GaussLegendreRule.Integrate(density, lo, x, 64)
        else
            GaussLegendreRule.Integrate(density, lo, junction, 64)
            + GaussLegendreRule.Integrate(density, junction, x, 64)

    let sample =
        draw (fun r -> Samplers.CrystalBall(r, mu, sigma, alpha, nn, lo, hi)) 14
        |> Array.take 5000

    Expect.isLessThan (ksDistance cdf sample) (ksBound 5000 1e-6) "ksDistance cdf sample"

let ``truncated exponential sampler matches its CDF for both signs of the slope`` () =
    for slope in [ -0.02; 0.015; 0.0 ] do
        let lo, hi = 1825.0, 1910.0

        let cdf x =
            if slope = 0.0 then
                (x - lo) / (hi - lo)
            else
                (exp (slope * (x - lo)) - 1.0) / (exp (slope * (hi - lo)) - 1.0)

        let sample = draw (fun r -> Samplers.TruncatedExponential(r, slope, lo, hi)) 15
        Expect.isLessThan (ksDistance cdf sample) bound (sprintf "slope %g" slope)

let ``the same seed gives the same draws`` () =
    let a = draw (fun r -> Samplers.Poisson(r, 55.0) |> float) 99
    let b = draw (fun r -> Samplers.Poisson(r, 55.0) |> float) 99
    Expect.equal a b "same seed, same draws"

[<Tests>]
let tests =
    testList
        "Physics.Sampler"
        [
            testCase
                "normal and exponential samplers match their exact CDFs"
                ``normal and exponential samplers match their exact CDFs``
            testList
                "Poisson sampler matches the exact CDF at every count"
                [
                    for mean in poissonMeans ->
                        testCase (sprintf "mean %g" mean) (fun () ->
                            ``Poisson sampler matches the exact CDF at every count`` mean)
                ]
            testCase
                "Crystal Ball sampler matches the CDF of the normalised shape"
                ``Crystal Ball sampler matches the CDF of the normalised shape``
            testCase
                "truncated exponential sampler matches its CDF for both signs of the slope"
                ``truncated exponential sampler matches its CDF for both signs of the slope``
            testCase "the same seed gives the same draws" ``the same seed gives the same draws``
        ]
