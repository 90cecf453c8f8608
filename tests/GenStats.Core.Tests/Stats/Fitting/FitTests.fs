module GenStats.Tests.Stats.Fitting.FitTests

open Expecto
open System
open MathNet.Numerics.Integration
open GenStats.Stats
open GenStats.Physics
open GenStats.Tests.Tolerance
open GenStats.Tests
open GenStats.Tests.Expectations

let private lo, hi = 1825.0, 1910.0

let private integrate (shape: IFitShape) (pars: float[]) =
    let f x =
        FitShapes.Density(shape, x, pars, lo, hi)

    GaussLegendreRule.Integrate(Func<float, float> f, lo, hi, 512)

let ``every shape is normalised on the fit range`` () =
    assertClose medium 1.0 (integrate (GaussianShape(1864.0, 7.0)) [| 1864.0; 7.0 |]) "gauss"
    assertClose medium 1.0 (integrate (GaussianShape(1830.0, 20.0)) [| 1830.0; 20.0 |]) "gauss near edge"
    assertClose medium 1.0 (integrate (ExponentialShape()) [| -0.02 |]) "exp"
    assertClose medium 1.0 (integrate (ExponentialShape()) [| 0.03 |]) "exp rising"
    assertClose medium 1.0 (integrate (ExponentialShape()) [| 0.0 |]) "flat"
    assertClose medium 1.0 (integrate (Chebyshev2Shape()) [| -0.3; 0.2 |]) "cheb2"
    // Crystal Ball: integrate in two pieces split at the tail junction, where the density has a kink.
    let cb = CrystalBallShape(1864.0, 7.0)

    let f x =
        FitShapes.Density(cb, x, [| 1864.0; 7.0; 1.5; 3.0 |], lo, hi)

    let j = 1864.0 - 1.5 * 7.0

    assertClose
        medium
        1.0
        (GaussLegendreRule.Integrate(Func<float, float> f, lo, j, 256)
         + GaussLegendreRule.Integrate(Func<float, float> f, j, hi, 256))
        "cb"

/// One toy: Poisson yields around the expectations, Gaussian signal on an exponential background.
let private toy (seed: int) (nSig: float) (nBkg: float) =
    let rng = Random seed
    let ns = Samplers.Poisson(rng, nSig)
    let nb = Samplers.Poisson(rng, nBkg)

    Array.append
        (Array.init ns (fun _ -> Samplers.TruncatedNormal(rng, 1864.84, 7.0, lo, hi)))
        (Array.init nb (fun _ -> Samplers.TruncatedExponential(rng, -0.01, lo, hi)))

let ``fitted yields have pulls of mean 0 and width 1 over many toys`` () =
    let toys = 120
    let nSig, nBkg = 400.0, 800.0

    let pulls =
        [|
            for seed in 1..toys do
                let x = toy seed nSig nBkg

                let model =
                    FitModel(
                        lo,
                        hi,
                        [|
                            FitComponent("signal", GaussianShape(1860.0, 8.0))
                            FitComponent("background", ExponentialShape())
                        |]
                    )

                let fit = ExtendedMaximumLikelihood.Fit(x, model, FitOptions(Parallel = false))
                Expect.equal fit.Status FitStatus.Converged (sprintf "toy %d: %s" seed fit.Message)
                let s = fit.Yield "signal"
                let m = fit.Parameter "signal.mean"
                yield (s.Value - nSig) / s.Error, (m.Value - 1864.84) / m.Error
        |]

    for name, values in [ "N_signal", Array.map fst pulls; "signal.mean", Array.map snd pulls ] do
        let mean = Array.average values
        let sd = sqrt (values |> Array.averageBy (fun p -> (p - mean) ** 2.0))
        // 4σ bands for the mean (σ = 1/√toys) and the width (σ ≈ 1/√(2·toys)), plus a small
        // allowance for the O(1/√N) non-Gaussianity of ML estimates at these yields.
        Expect.isLessThan (abs mean) (4.0 / sqrt (float toys) + 0.05) (sprintf "%s pull mean %g" name mean)
        Expect.isLessThan (abs (sd - 1.0)) (4.0 / sqrt (2.0 * float toys) + 0.05) (sprintf "%s pull width %g" name sd)

/// Pull widths from enough toys to see a 10 % misestimate of the fit errors at 3σ: the sample SD
/// of T unit-Gaussian pulls has σ_w ≈ 1/√(2T) = 0.0167 for T = 1800; the band |w − 1| < 3σ_w = 0.05
/// holds for correct errors, and errors off by 10 % (w = 1/1.1 = 0.909 or 1/0.9 = 1.111) lie
/// ≥ 0.09 − 0.05 = 0.04 = 2.4σ_w beyond it (and the planted ×1.2, w = 0.833, 10σ_w).
let ``fit errors are right to 10 %: pull widths of 1800 toys within 3σ of 1`` () =
    let toys = 1800
    let nSig, nBkg = 300.0, 300.0

    let pulls =
        Array.Parallel.init toys (fun k ->
            let seed = 10_000 + k
            let x = toy seed nSig nBkg

            let model =
                FitModel(
                    lo,
                    hi,
                    [|
                        FitComponent("signal", GaussianShape(1860.0, 8.0))
                        FitComponent("background", ExponentialShape())
                    |]
                )

            let fit = ExtendedMaximumLikelihood.Fit(x, model, FitOptions(Parallel = false))

            if fit.Status <> FitStatus.Converged then
                failwithf "toy %d: %s" seed fit.Message

            let s = fit.Yield "signal"
            let m = fit.Parameter "signal.mean"
            (s.Value - nSig) / s.Error, (m.Value - 1864.84) / m.Error)

    let sigmaW = 1.0 / sqrt (2.0 * float toys)

    for name, values in [ "N_signal", Array.map fst pulls; "signal.mean", Array.map snd pulls ] do
        let mean = Array.average values

        let sd =
            sqrt ((values |> Array.sumBy (fun p -> (p - mean) ** 2.0)) / float (toys - 1))

        Expect.isLessThan (abs mean) (3.0 / sqrt (float toys) + 0.03) (sprintf "%s pull mean %g" name mean)
        Expect.isLessThan (abs (sd - 1.0)) (3.0 * sigmaW) (sprintf "%s pull width %g (σ_w = %.4f)" name sd sigmaW)

let ``Crystal Ball on a Chebyshev background: the fit recovers the generated shape`` () =
    let o =
        CalibrationOptions(
            30_000,
            77,
            Signal = SignalShapeKind.CrystalBall,
            Background = BackgroundShapeKind.Chebyshev2,
            ComputeSWeights = false
        )

    let rng = Random 77
    let ns = 12_000

    let x =
        Array.init 30_000 (fun i ->
            if i < ns then
                CalibrationSample.SampleSignalMass(rng, o)
            else
                CalibrationSample.SampleBackgroundMass(rng, o))

    let model =
        FitModel(
            lo,
            hi,
            [|
                FitComponent("signal", CrystalBallShape(1862.0, 8.0, 1.0, 4.0))
                FitComponent("background", Chebyshev2Shape())
            |]
        )

    let fit = ExtendedMaximumLikelihood.Fit(x, model)
    Expect.equal fit.Status FitStatus.Converged fit.Message

    for name, truth in
        [
            "N_signal", float ns
            "N_background", float (30_000 - ns)
            "signal.mean", 1864.84
            "signal.sigma", 7.0
            "signal.alpha", 1.5
            "signal.n", 3.0
            "background.c1", -0.3
            "background.c2", 0.05
        ] do
        let p = fit.Parameter name

        Expect.isLessThan
            (abs (p.Value - truth))
            (5.0 * p.Error)
            (sprintf "%s = %g ± %g (truth %g)" name p.Value p.Error truth)
    // The correlation matrix is a correlation matrix.
    let c = fit.Correlation

    for i in 0 .. Array2D.length1 c - 1 do
        assertClose high 1.0 c.[i, i] "diagonal"

        for j in 0 .. Array2D.length2 c - 1 do
            Expect.isLessThanOrEqual (abs c.[i, j]) (1.0 + 1e-12) "abs c.[i, j]"

let ``the 10^6-event path (warm start on a subsample) finds the same minimum`` () =
    let x = toy 5 100_000.0 150_000.0

    let model =
        FitModel(
            lo,
            hi,
            [|
                FitComponent("signal", GaussianShape(1860.0, 8.0))
                FitComponent("background", ExponentialShape())
            |]
        )

    let warm =
        ExtendedMaximumLikelihood.Fit(x, model, FitOptions(WarmStartEvents = 20_000))

    let cold = ExtendedMaximumLikelihood.Fit(x, model, FitOptions(WarmStartEvents = 0))
    Expect.equal warm.Status FitStatus.Converged warm.Message
    Expect.equal cold.Status FitStatus.Converged cold.Message

    for k in 0 .. warm.Parameters.Length - 1 do
        Expect.isLessThan
            (abs (warm.Parameters.[k].Value - cold.Parameters.[k].Value))
            (0.01 * warm.Parameters.[k].Error)
            (warm.Parameters.[k].Name)

let ``failures are reported with an explanation, bad input throws`` () =
    let x = toy 3 300.0 300.0
    // Two identical species cannot be separated: the Hessian is singular.
    let degenerate =
        FitModel(
            lo,
            hi,
            [|
                FitComponent("a", GaussianShape(1864.0, 7.0), FixedParameters = [| "mean"; "sigma" |])
                FitComponent("b", GaussianShape(1864.0, 7.0), FixedParameters = [| "mean"; "sigma" |])
            |]
        )

    let fit = ExtendedMaximumLikelihood.Fit(x, degenerate)
    Expect.equal fit.Status FitStatus.NotConverged "fit.Status"
    contains "not positive definite" fit.Message "fit.Message"
    let outside = Array.append x [| 2000.0 |]

    let ex =
        raises<ArgumentException> "ExtendedMaximumLikelihood.Fit(outside, FitModel(lo, hi, [| FitCompo..." (fun () ->
            ExtendedMaximumLikelihood.Fit(
                outside,
                FitModel(lo, hi, [| FitComponent("s", GaussianShape(1864.0, 7.0)) |])
            )
            |> ignore)

    contains "outside the fit range" ex.Message "ex.Message"

    let bad =
        raises<ArgumentException> "ExtendedMaximumLikelihood.Fit(x, FitModel(lo, hi, [| FitComponent(\"..." (fun () ->
            ExtendedMaximumLikelihood.Fit(x, FitModel(lo, hi, [| FitComponent("s", GaussianShape(1864.0, -1.0)) |]))
            |> ignore)

    contains "s.sigma" bad.Message "bad.Message"
    // A start where no event has density: the fit fails and says why.
    let far =
        ExtendedMaximumLikelihood.Fit(x, FitModel(lo, hi, [| FitComponent("s", GaussianShape(1826.0, 0.001)) |]))

    Expect.equal far.Status FitStatus.Failed "far.Status"
    contains "not finite at the starting values" far.Message "far.Message"

[<Tests>]
let tests =
    testList
        "Stats.Fitting.Fit"
        [
            testCase "every shape is normalised on the fit range" ``every shape is normalised on the fit range``
            testCase
                "fitted yields have pulls of mean 0 and width 1 over many toys"
                ``fitted yields have pulls of mean 0 and width 1 over many toys``
            testCase
                "Crystal Ball on a Chebyshev background: the fit recovers the generated shape"
                ``Crystal Ball on a Chebyshev background: the fit recovers the generated shape``
            testCase
                "failures are reported with an explanation, bad input throws"
                ``failures are reported with an explanation, bad input throws``
            TestMain.slow
                [
                    testCase
                        "fit errors are right to 10 %: pull widths of 1800 toys within 3σ of 1"
                        ``fit errors are right to 10 %: pull widths of 1800 toys within 3σ of 1``
                    testCase
                        "the 10^6-event path (warm start on a subsample) finds the same minimum"
                        ``the 10^6-event path (warm start on a subsample) finds the same minimum``
                ]
        ]
