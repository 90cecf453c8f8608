module GenStats.Tests.Models.KernelDensityTests

open Expecto
open System
open GenStats.Models
open GenStats.Tests.Tolerance
open GenStats.Tests.Models.Toys
open GenStats.Tests
open GenStats.Tests.Expectations

// ---- scipy.stats.gaussian_kde reference numbers ----
// Computed offline with Debian python3-scipy 1.10.1:
//   x = [[0,1,2.5,-1,4,3,0.5],[1,0,2,-0.5,3,1,2]]; w = [1,2,0.5,1,3,1.5,1]
//   k = gaussian_kde(x, bw_method=..., weights=w); k.factor, k.neff, k.covariance, k.logpdf(...)

let private points2 =
    [|
        [| 0.0; 1.0 |]
        [| 1.0; 0.0 |]
        [| 2.5; 2.0 |]
        [| -1.0; -0.5 |]
        [| 4.0; 3.0 |]
        [| 3.0; 1.0 |]
        [| 0.5; 2.0 |]
    |]

let private weights2 = [| 1.0; 2.0; 0.5; 1.0; 3.0; 1.5; 1.0 |]
let private probes2 = [| [| 0.3; 0.7 |]; [| 5.0; 1.0 |]; [| -2.0; 0.0 |] |]

let ``weighted covariance, n_eff and Scott factor match scipy's gaussian_kde`` () =
    let k = KernelDensity.Fit(points2, weights2)
    assertClose veryHigh 5.405405405405404 k.EffectiveSampleSize "neff"
    assertClose veryHigh 0.754852251457533 k.Factor "scott factor"

    Array.iter2
        (fun e a -> assertClose high e a "data covariance")
        [|
            3.7814417177914117
            2.153374233128835
            2.153374233128835
            1.9815950920245406
        |]
        k.Covariance

    Array.iter2
        (fun e a -> assertClose high e a "scipy logpdf (scott)")
        [| -3.2932939728228114; -6.06926564614988; -4.366658350761094 |]
        (k.LogDensity probes2)

let ``Scott and Silverman factors follow their formulas and scipy in 1-D and 3-D`` () =
    // 1-D, unweighted: gaussian_kde([0.1,-1.3,2.2,0.7,5.0,-0.4]).
    let y = [| 0.1; -1.3; 2.2; 0.7; 5.0; -0.4 |] |> Array.map (fun v -> [| v |])
    let scott = KernelDensity.Fit(y)

    let silverman =
        KernelDensity.Fit(y, options = KdeOptions(Bandwidth = BandwidthRule.Silverman))

    assertClose veryHigh (6.0 ** (-1.0 / 5.0)) scott.Factor "scott formula"
    assertClose veryHigh (6.0 * 3.0 / 4.0) ((silverman.Factor ** -5.0)) "silverman formula"
    assertClose veryHigh 0.6988271187715792 scott.Factor "scipy scott 1-D"
    assertClose veryHigh 0.7402143449743067 silverman.Factor "scipy silverman 1-D"

    Array.iter2
        (fun e a -> assertClose high e a "scipy logpdf 1-D silverman")
        [| -1.8249549518604713; -1.897671142314289; -7.684430563303027 |]
        (silverman.LogDensity [| [| 0.0 |]; [| 1.0 |]; [| 10.0 |] |])
    // 3-D, weighted (scipy: neff 5.65993265993266, logpdf at (0.5, 0.5, 0)).
    let x3 =
        [|
            [| 0.0; 1.0; 0.3 |]
            [| 1.0; 0.0; 0.1 |]
            [| 2.5; 2.0; -0.2 |]
            [| -1.0; -0.5; 0.5 |]
            [| 4.0; 3.0; 1.0 |]
            [| 3.0; 1.0; -1.0 |]
            [| 0.5; 2.0; 0.0 |]
            [| 1.2; -2.0; 0.4 |]
        |]

    let w3 = [| 1.0; 2.0; 0.5; 1.0; 3.0; 1.5; 1.0; 0.25 |]
    let s3 = KernelDensity.Fit(x3, w3)
    let v3 = KernelDensity.Fit(x3, w3, KdeOptions(Bandwidth = BandwidthRule.Silverman))
    assertClose veryHigh 5.65993265993266 s3.EffectiveSampleSize "neff 3-D"
    assertClose veryHigh 0.7806485074383662 s3.Factor "scipy scott 3-D"
    assertClose veryHigh 0.7561557275962697 v3.Factor "scipy silverman 3-D"
    assertClose high -3.8002786051170254 (s3.LogDensity [| [| 0.5; 0.5; 0.0 |] |]).[0] "scipy logpdf 3-D scott"
    assertClose high -3.773608709898905 (v3.LogDensity [| [| 0.5; 0.5; 0.0 |] |]).[0] "scipy logpdf 3-D silverman"

let ``log-density with a fixed bandwidth equals the closed-form Gaussian mixture`` () =
    // p(z) = Σ wᵢ N(z; zᵢ, h²Σ)/Σw with Σ the weighted covariance, written out for 2×2 by hand.
    let h = 0.4

    let k =
        KernelDensity.Fit(points2, weights2, KdeOptions(Bandwidth = BandwidthRule.Fixed, Factor = h))

    let sw = Array.sum weights2

    let mean j =
        (Array.map2 (fun (p: float[]) w -> w * p.[j]) points2 weights2 |> Array.sum)
        / sw

    let m0, m1 = mean 0, mean 1
    let v1, v2 = sw, weights2 |> Array.sumBy (fun w -> w * w)

    let cov i j =
        (Array.map2
            (fun (p: float[]) w -> w * (p.[i] - (if i = 0 then m0 else m1)) * (p.[j] - (if j = 0 then m0 else m1)))
            points2
            weights2
         |> Array.sum)
        / (v1 - v2 / v1)

    let s00, s01, s11 = h * h * cov 0 0, h * h * cov 0 1, h * h * cov 1 1
    let det = s00 * s11 - s01 * s01

    let density (z: float[]) =
        Array.map2
            (fun (p: float[]) w ->
                let dx, dy = z.[0] - p.[0], z.[1] - p.[1]
                let q = (s11 * dx * dx - 2.0 * s01 * dx * dy + s00 * dy * dy) / det
                w * exp (-0.5 * q) / (2.0 * Math.PI * sqrt det))
            points2
            weights2
        |> Array.sum
        |> fun s -> s / sw

    let ours = k.LogDensity probes2
    Array.iteri (fun i z -> assertClose high (log (density z)) ours.[i] (sprintf "log p at probe %d" i)) probes2
    // And scipy: gaussian_kde(x, bw_method=0.4, weights=w).logpdf(...)
    Array.iter2
        (fun e a -> assertClose high e a "scipy logpdf (factor 0.4)")
        [| -3.535334772842085; -11.099297459399208; -6.072664704560185 |]
        ours

let ``log-density stays finite far from every event (log-sum-exp)`` () =
    let k =
        KernelDensity.Fit(points2, weights2, KdeOptions(Bandwidth = BandwidthRule.Fixed, Factor = 0.05))

    let v = (k.LogDensity [| [| 300.0; -200.0 |] |]).[0]
    Expect.isTrue (Double.IsFinite v && v < -1e5) (sprintf "log p far away = %g" v)

let ``the 1-D density integrates to one and the conditional density integrates to one over x`` () =
    let xs = bimodal 21 300
    let k = KernelDensity.Fit(xs |> Array.map (fun x -> [| x |]))
    let grid = Array.init 4001 (fun i -> -20.0 + 40.0 * float i / 4000.0)
    let p = k.LogDensity(grid |> Array.map (fun x -> [| x |])) |> Array.map exp

    let trapezoid (f: float[]) =
        (Array.sum f - 0.5 * (f.[0] + f.[f.Length - 1])) * 40.0 / 4000.0

    assertClose { Absolute = 1e-6; Relative = 0.0 } 1.0 (trapezoid p) "∫ p dx"
    let cx, cy = conditionalGaussian 22 400
    let kc = KernelDensity.Fit(dataset cx (Some cy) None)

    for y0 in [ 0.1; 0.5; 0.93 ] do
        let grid = Array.init 4001 (fun i -> -17.0 + 40.0 * float i / 4000.0)

        let pc =
            kc.ConditionalLogDensity(grid |> Array.map (fun x -> [| x |]), grid |> Array.map (fun _ -> [| y0 |]))
            |> Array.map exp

        assertClose { Absolute = 1e-6; Relative = 0.0 } 1.0 (trapezoid pc) (sprintf "∫ p(x | y=%g) dx" y0)

let ``the cross-validated factor maximises the leave-one-out likelihood, computed by hand`` () =
    let xs = bimodal 31 200

    let k =
        KernelDensity.Fit(
            xs |> Array.map (fun x -> [| x |]),
            options = KdeOptions(Bandwidth = BandwidthRule.CrossValidated)
        )
    // Direct LOO log-likelihood in 1-D (unit weights): mean over j of log(Σ_{i≠j} N(x_j; x_i, h²σ²)/(n−1)).
    let n = xs.Length
    let s2 = variance xs

    let loo h =
        xs
        |> Array.mapi (fun j xj ->
            let s =
                xs
                |> Array.mapi (fun i xi ->
                    if i = j then
                        0.0
                    else
                        exp (-0.5 * (xj - xi) ** 2.0 / (h * h * s2)) / sqrt (2.0 * Math.PI * h * h * s2))
                |> Array.sum

            log (s / float (n - 1)))
        |> Array.average

    let h = k.Factor
    assertClose high (loo h) (k.LeaveOneOutLogLikelihood h) "LOO objective vs direct formula"

    for f in [ 0.9; 0.97; 1.03; 1.1 ] do
        Expect.isGreaterThanOrEqual (loo h) (loo (h * f) - 1e-9) (sprintf "LOO at h×%g beats h" f)
    // Two well separated modes: the cross-validated kernel is narrower than Scott's.
    Expect.isLessThan h (KernelDensity.ScottFactor(float n, 1)) "h"

let ``sampled variance is the weighted sample variance plus the kernel variance h²σ²`` () =
    // Var of a KDE draw = Σw(x − x̄)²/Σw + h²Σ (a mixture identity); m = 200 000 draws give it to ±√(2/m)·σ².
    let xs = bimodal 41 500
    let k = KernelDensity.Fit(xs |> Array.map (fun x -> [| x |]))
    let s2 = variance xs
    let expected = s2 * float (xs.Length - 1) / float xs.Length + k.Factor ** 2.0 * s2
    let draws = k.Sample(200000, 7) |> Array.map (fun r -> r.[0])
    let m4 = bimodalFourthMoment
    assertWithin 5.0 (sqrt ((m4 - 17.0 ** 2.0) / 200000.0) * 1.2) expected (variance draws) "variance of KDE draws"
    assertWithin 5.0 (sqrt (expected / 200000.0)) (mean xs) (mean draws) "mean of KDE draws"

let ``the KDE learns the 1-D mixture without mode collapse`` () =
    // Training n = 2000 from ½(N(−4,1)+N(4,1)), m = 20000 draws. Each statistic must be within a
    // bound set by the truth's own sample-to-sample spread: σ² = σ²_T(n) + σ²_T(m).
    let n, m = 2000, 20000
    let xs = bimodal 51 n

    let k =
        KernelDensity.Fit(
            xs |> Array.map (fun x -> [| x |]),
            options = KdeOptions(Bandwidth = BandwidthRule.CrossValidated, CrossValidationEvents = 1000),
            seed = 5
        )

    let g = k.Sample(m, 9) |> Array.map (fun r -> r.[0])
    let both (v: float) = sqrt (v / float n + v / float m)
    assertWithin 4.0 (both 17.0) 0.0 (mean g) "mean"
    // Var of the sample variance ≈ (μ₄ − σ⁴)/N; the kernel adds its own variance h²σ̂² (≈ 1 % here).
    let kernel = k.Factor ** 2.0 * variance xs
    assertWithin 4.0 (both (bimodalFourthMoment - 289.0)) (bimodalVariance + kernel) (variance g) "variance"
    assertWithin 3.0 (both 0.25) 0.5 (fractionAbove 0.0 g) "fraction in the right mode"
    assertWithin 3.0 (both 0.25) 0.5 (1.0 - fractionAbove 0.0 g) "fraction in the left mode"
    // Each mode keeps its width: sd 1, widened by the kernel to √(1 + h²σ̂²); n/2 and m/2 events per mode.
    let right = g |> Array.filter (fun x -> x > 0.0)
    assertWithin 4.0 (both 1.0) (sqrt (1.0 + kernel)) (sqrt (variance right)) "sd of the right mode"

let ``the conditional KDE learns the mean and width of x given y`` () =
    // x | y ~ N(1 + 2y, (0.5 + y)²), n = 4000 training events; m = 4000 draws at each y0.
    // Error budget: the events inside the kernel window (≈ n · 2.5 h σ_y) set the training spread;
    // the kernel adds h²S to the variance (S the residual variance), allowed for explicitly.
    let n, m = 4000, 4000
    let xs, ys = conditionalGaussian 61 n
    let k = KernelDensity.Fit(dataset xs (Some ys) None)
    let window = float n * 2.5 * k.Factor * sqrt (1.0 / 12.0)

    for y0 in [ 0.2; 0.5; 0.8 ] do
        let g = k.Sample(Array.create m [| y0 |], 17) |> Array.map (fun r -> r.[0])
        let sd = conditionalSd y0
        let kernelVariance = k.Factor ** 2.0 * ((1.5 ** 3.0 - 0.5 ** 3.0) / 3.0)

        assertWithin
            4.0
            (sd * sqrt (1.0 / window + 1.0 / float m))
            (conditionalMean y0)
            (mean g)
            (sprintf "mean at y=%g" y0)

        assertWithin
            4.0
            (sd * sqrt (0.5 / window + 0.5 / float m))
            (sqrt (sd * sd + kernelVariance))
            (sqrt (variance g))
            (sprintf "sd at y=%g" y0)

let ``sampling is deterministic per seed and rejects bad input`` () =
    let k = KernelDensity.Fit(dataset (bimodal 1 100) None None)
    Expect.isTrue (k.Sample(1000, 3) = k.Sample(1000, 3)) "same seed, same draws"
    Expect.isTrue (k.Sample(1000, 3) <> k.Sample(1000, 4)) "another seed, other draws"
    let nanData = dataset [| 1.0; nan; 2.0 |] None None

    let ex =
        raises<ArgumentException> "KernelDensity.Fit nanData |> ignore" (fun () -> KernelDensity.Fit nanData |> ignore)

    contains "'x'" ex.Message "ex.Message"
    contains "event 1" ex.Message "ex.Message"
    let negative = dataset [| 1.0; 2.0; 3.0 |] None (Some [| 1.0; -0.2; 1.0 |])

    let ex2 =
        raises<ArgumentException> "KernelDensity.Fit negative |> ignore" (fun () ->
            KernelDensity.Fit negative |> ignore)

    contains "weights[1]" ex2.Message "ex2.Message"

    raises<ArgumentException> "KernelDensity.Fit(dataset [| 2.0; 2.0; 2.0 |] None None) |> ignore" (fun () ->
        KernelDensity.Fit(dataset [| 2.0; 2.0; 2.0 |] None None) |> ignore)
    |> ignore

    raises<InvalidOperationException>
        "KernelDensity.Fit(dataset [| 1.0; 2.0; 5.0 |] (Some [| 0.0; 1.0; 3...."
        (fun () ->
            KernelDensity.Fit(dataset [| 1.0; 2.0; 5.0 |] (Some [| 0.0; 1.0; 3.0 |]) None).Sample(5, 1)
            |> ignore)
    |> ignore

/// Squared energy distance (V-statistic) 2E|X−Y| − E|X−X'| − E|Y−Y'| between two 2-D samples.
let private energy2 (xs: float[][]) (ys: float[][]) =
    let meanDist (a: float[][]) (b: float[][]) =
        let mutable s = 0.0

        for p in a do
            let p0, p1 = p.[0], p.[1]

            for q in b do
                let d0, d1 = p0 - q.[0], p1 - q.[1]
                s <- s + sqrt (d0 * d0 + d1 * d1)

        s / float (a.Length * b.Length)

    2.0 * meanDist xs ys - meanDist xs xs - meanDist ys ys

/// n points of the GANplifying ring: radius 1 + 0.1 ε, uniform angle.
let private ring (seed: int) (n: int) =
    let g = Normal seed

    Array.init n (fun _ ->
        let r = 1.0 + 0.1 * g.Next()
        let t = 2.0 * Math.PI * g.Uniform()
        [| r * cos t; r * sin t |])

let ``the KDE and the library learn the 2-D ring within the truth's own energy-distance spread`` () =
    // Reference: D² between independent truth samples of size n (20 pairs) has mean μ₀ and sd s₀;
    // E[D²] scales as 1/a + 1/b, so a model trained on n events, drawn m = n times and compared
    // with a fresh truth sample of n expects ≈ 1.5 μ₀ (training + generation + test fluctuations).
    let n = 1500
    let refs = Array.init 20 (fun i -> energy2 (ring (100 + i) n) (ring (200 + i) n))
    let mu0 = Array.average refs
    let s0 = sqrt (variance refs)
    let bound = 1.5 * mu0 + 4.0 * 1.5 * s0
    let train = ring 1 n
    let test = ring 2 n

    let data =
        GenStats.Data.Dataset.Create([| "a"; "b" |], [| column train 0; column train 1 |]).WithRoles([| "a"; "b" |])

    let kde =
        KernelDensity.Fit(data, KdeOptions(Bandwidth = BandwidthRule.CrossValidated))

    let lib = Library.Fit data

    for name, model in [ "kde", kde :> IConditionalGenerator; "library", lib :> IConditionalGenerator ] do
        let d2 = energy2 (model.Sample(n, 3)) test
        printfn "%s D2=%g mu0=%g s0=%g bound=%g h=%g" name d2 mu0 s0 bound kde.Factor
        Expect.isLessThan d2 bound (sprintf "%s: D² = %.3g, truth spread μ₀ = %.3g, s₀ = %.3g" name d2 mu0 s0)
    // Power: a grossly oversmoothed KDE (h = 1, the ring filled in) must fail the same bound.
    let blurred =
        KernelDensity.Fit(data, KdeOptions(Bandwidth = BandwidthRule.Fixed, Factor = 1.0))

    let blurredD2 = energy2 (blurred.Sample(n, 3)) test
    printfn "blurred D2=%g" blurredD2
    Expect.isGreaterThan blurredD2 bound "an oversmoothed KDE is detected"

[<Tests>]
let tests =
    testList
        "Models.KernelDensity"
        [
            testCase
                "weighted covariance, n_eff and Scott factor match scipy's gaussian_kde"
                ``weighted covariance, n_eff and Scott factor match scipy's gaussian_kde``
            testCase
                "Scott and Silverman factors follow their formulas and scipy in 1-D and 3-D"
                ``Scott and Silverman factors follow their formulas and scipy in 1-D and 3-D``
            testCase
                "log-density with a fixed bandwidth equals the closed-form Gaussian mixture"
                ``log-density with a fixed bandwidth equals the closed-form Gaussian mixture``
            testCase
                "log-density stays finite far from every event (log-sum-exp)"
                ``log-density stays finite far from every event (log-sum-exp)``
            testCase
                "the 1-D density integrates to one and the conditional density integrates to one over x"
                ``the 1-D density integrates to one and the conditional density integrates to one over x``
            testCase
                "the cross-validated factor maximises the leave-one-out likelihood, computed by hand"
                ``the cross-validated factor maximises the leave-one-out likelihood, computed by hand``
            testCase
                "sampled variance is the weighted sample variance plus the kernel variance h²σ²"
                ``sampled variance is the weighted sample variance plus the kernel variance h²σ²``
            testCase
                "the KDE learns the 1-D mixture without mode collapse"
                ``the KDE learns the 1-D mixture without mode collapse``
            testCase
                "the conditional KDE learns the mean and width of x given y"
                ``the conditional KDE learns the mean and width of x given y``
            testCase
                "sampling is deterministic per seed and rejects bad input"
                ``sampling is deterministic per seed and rejects bad input``
            TestMain.slow
                [
                    testCase
                        "the KDE and the library learn the 2-D ring within the truth's own energy-distance spread"
                        ``the KDE and the library learn the 2-D ring within the truth's own energy-distance spread``
                ]
        ]
