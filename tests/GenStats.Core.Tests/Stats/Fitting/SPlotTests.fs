module GenStats.Tests.Stats.Fitting.SPlotTests

open Expecto
open System
open GenStats.Stats
open GenStats.Physics
open GenStats.Tests.Tolerance
open GenStats.Tests.Expectations

let ``four-event closed form: yields 2 and 2, signal sWeights 11/6, -1/2, 5/6, -1/6`` () =
    // Per-event signal probabilities p = N_s f_s / (N_s f_s + N_b f_b). With fixed densities
    // f_s = p_s/2, f_b = p_b/2 the total density N_s f_s + N_b f_b is 1 at N_s = N_b = 2, and
    // ∂(−ln L)/∂N_s = 1 − Σ f_s/D = 1 − Σ p_s / 2 = 0: (2, 2) is the ML point. Then
    // V⁻¹ = diag(1/N) P diag(1/N) with P = [[1.3, .7], [.7, 1.3]] and sW_s = N_s (P⁻¹ p)_s = (1.3 p_s − 0.7 p_b)/0.6.
    let ps = [| 0.9; 0.2; 0.6; 0.3 |]
    let fs = ps |> Array.map (fun p -> p / 2.0)
    let fb = ps |> Array.map (fun p -> (1.0 - p) / 2.0)

    let fit =
        ExtendedMaximumLikelihood.FitYields([| fs; fb |], [| "signal"; "background" |], [| 1.0; 3.0 |])

    Expect.equal fit.Status FitStatus.Converged fit.Message
    assertClose low 2.0 (fit.Yield("signal").Value) "N_signal"
    assertClose low 2.0 (fit.Yield("background").Value) "N_background"
    // The yield covariance is V = diag(N) P⁻¹ diag(N): V_ss = 4 · 1.3 / 1.2 = 13/3.
    // The finite-difference Hessian (steps of 0.1σ) sees the strong non-parabolicity of a 4-event
    // likelihood at the 10⁻³ level; the sPlot's analytic V below is exact.
    let loose = { Absolute = 1e-6; Relative = 1e-2 }
    assertClose loose (13.0 / 3.0) fit.Covariance.[0, 0] "fit covariance V_ss"
    assertClose loose (-7.0 / 3.0) fit.Covariance.[0, 1] "fit covariance V_sb"
    let sp = SPlot.Compute([| fs; fb |], fit.Yields, fit.Species)
    let expected = [| 11.0 / 6.0; -0.5; 5.0 / 6.0; -1.0 / 6.0 |]
    Array.iteri2 (fun i e a -> assertClose low e a (sprintf "sW_signal(%d)" i)) expected (sp.WeightsOf "signal")
    assertClose low (13.0 / 3.0) sp.Covariance.[0, 0] "sPlot V_ss"
    assertClose low (-7.0 / 3.0) sp.Covariance.[0, 1] "sPlot V_sb"
    // Exactly at the ML yields the closed form holds to rounding.
    let exact = SPlot.Compute([| fs; fb |], [| 2.0; 2.0 |])
    Array.iteri2 (fun i e a -> assertClose veryHigh e a (sprintf "exact sW_signal(%d)" i)) expected exact.Weights.[0]

let private calibration =
    lazy (CalibrationSample.Generate(CalibrationOptions(20_000, 2024)))

let ``sum rules: per event the species sum to one, per species the sum is the fitted yield`` () =
    let d = calibration.Force()
    let mass = d.Column CalibrationSample.MassColumn

    let model =
        FitModel(
            1825.0,
            1910.0,
            [|
                FitComponent("signal", GaussianShape(1860.0, 9.0))
                FitComponent("background", ExponentialShape(0.0))
            |]
        )

    let fit = ExtendedMaximumLikelihood.Fit(mass, model)
    Expect.equal fit.Status FitStatus.Converged fit.Message
    let sp = SPlot.FromFit(mass, fit)
    // Both rules hold where ∂(−ln L)/∂N_k = 1 − Σ_e f_k/D = 0; the fit polishes the yields by
    // Newton steps with the shapes fixed, so they hold to rounding.
    for e in 0 .. mass.Length - 1 do
        assertClose high 1.0 (sp.Weights.[0].[e] + sp.Weights.[1].[e]) "Σ_species sW"

    let sums = sp.SumsOfWeights

    for k in 0..1 do
        assertClose high fit.Yields.[k] sums.[k] (sprintf "Σ_e sW of species %d" k)

let ``sWeighted histogram of a control variable matches the truth-labelled signal within pulls`` () =
    let d = calibration.Force()
    let sw = d.Column "probe_sWeight"
    let truth = d.Column "truth_signal"

    for control, edges in
        [
            "RichDLLk", [| -200.0; -40.0; -20.0; -10.0; -5.0; 0.0; 5.0; 10.0; 20.0; 40.0; 200.0 |]
            "Brunel_P",
            [|
                2000.0
                8000.0
                12000.0
                16000.0
                20000.0
                25000.0
                32000.0
                45000.0
                150000.0
            |]
        ] do
        let v = d.Column control

        let bin x =
            edges
            |> Array.tryFindIndexBack (fun e -> x >= e)
            |> Option.map (fun i -> min i (edges.Length - 2))

        let sums = Array.zeroCreate (edges.Length - 1)
        let sums2 = Array.zeroCreate (edges.Length - 1)
        let truthCounts = Array.zeroCreate (edges.Length - 1)

        for e in 0 .. v.Length - 1 do
            match bin v.[e] with
            | Some b ->
                sums.[b] <- sums.[b] + sw.[e]
                sums2.[b] <- sums2.[b] + sw.[e] * sw.[e]
                truthCounts.[b] <- truthCounts.[b] + truth.[e]
            | None -> ()

        let pulls =
            Array.init sums.Length (fun b -> (sums.[b] - truthCounts.[b]) / sqrt sums2.[b])
        // √Σw² over-estimates the spread of (sWeighted − true) counts, so |pull| < 4 is a strict bound.
        Expect.isTrue (pulls |> Array.forall (fun p -> abs p < 4.0)) (sprintf "%s pulls %A" control pulls)

        Expect.isLessThan
            (pulls |> Array.sumBy (fun p -> p * p))
            (float pulls.Length + 5.0 * sqrt (2.0 * float pulls.Length))
            control

let ``the independence check passes the mass within a pure component and flags a dependent variable`` () =
    let d = calibration.Force()

    let signalRows =
        [|
            for i in 0 .. d.Count - 1 do
                if d.Column("truth_signal").[i] = 1.0 then
                    yield i
        |]

    let s = d.Select signalRows
    let mass = s.Column CalibrationSample.MassColumn

    for control in [ "RichDLLk"; "Brunel_P"; "nTracks_Brunel" ] do
        let r = IndependenceCheck.Test(mass, s.Column control)
        Expect.isFalse r.Warning r.Message
    // A control variable that leaks mass information: DLLk (spread ≈ 100) shifted by 5 × (m − 1865).
    let leaky =
        Array.map2 (fun m k -> k + 5.0 * (m - 1865.0)) mass (s.Column "RichDLLk")

    let bad = IndependenceCheck.Test(mass, leaky)
    Expect.isTrue bad.Warning bad.Message
    contains "WARNING" bad.Message "bad.Message"
    // The full (mixed) sample is dependent: background has a different PID mix.
    let mixed =
        IndependenceCheck.Test(d.Column CalibrationSample.MassColumn, d.Column "RichDLLk")

    Expect.isTrue mixed.Warning mixed.Message

let ``sPlot rejects bad input with a clear message`` () =
    let ex =
        raises<ArgumentException> "SPlot.Compute([| [| 0.1; 0.2 |]; [| 0.3 |] |], [| 1.0; 1.0 |]) |> i..." (fun () ->
            SPlot.Compute([| [| 0.1; 0.2 |]; [| 0.3 |] |], [| 1.0; 1.0 |]) |> ignore)

    contains "densities[1]" ex.Message "ex.Message"

    let same =
        raises<ArgumentException> "SPlot.Compute([| [| 0.1; 0.2 |]; [| 0.1; 0.2 |] |], [| 1.0; 1.0 |])..." (fun () ->
            SPlot.Compute([| [| 0.1; 0.2 |]; [| 0.1; 0.2 |] |], [| 1.0; 1.0 |]) |> ignore)

    contains "singular" same.Message "same.Message"

[<Tests>]
let tests =
    testList
        "Stats.Fitting.SPlot"
        [
            testCase
                "four-event closed form: yields 2 and 2, signal sWeights 11/6, -1/2, 5/6, -1/6"
                ``four-event closed form: yields 2 and 2, signal sWeights 11/6, -1/2, 5/6, -1/6``
            testCase
                "sum rules: per event the species sum to one, per species the sum is the fitted yield"
                ``sum rules: per event the species sum to one, per species the sum is the fitted yield``
            testCase
                "sWeighted histogram of a control variable matches the truth-labelled signal within pulls"
                ``sWeighted histogram of a control variable matches the truth-labelled signal within pulls``
            testCase
                "the independence check passes the mass within a pure component and flags a dependent variable"
                ``the independence check passes the mass within a pure component and flags a dependent variable``
            testCase "sPlot rejects bad input with a clear message" ``sPlot rejects bad input with a clear message``
        ]
