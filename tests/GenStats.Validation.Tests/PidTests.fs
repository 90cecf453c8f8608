module GenStats.Tests.Validation.PidTests

open System
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Data
open GenStats.Physics
open GenStats.Stats
open GenStats.Validation
open GenStats.Validation.FiguresOfMerit
open GenStats.Tests.Tolerance

let private pEdges = [| 2_000.0; 10_000.0; 30_000.0; 100_000.0 |]
let private etaEdges = [| 1.8; 3.2; 5.5 |]
let private kaon, pion = 321.0, 211.0

/// Pure K/π responses of the RICH simulator with the calibration-signal kinematics.
let private richKPi (seed: int) (n: int) =
    RichSimulator.Generate(RichSampleOptions(n, seed, [| 0.0; 0.0; 0.5; 0.5; 0.0 |], CalibrationSample.SignalSpectrum))

let private speciesOf (pdg: float) (weights: float[] option) (d: Dataset) =
    let s = d.Column RichColumns.TruthSpecies

    let rows =
        [|
            for i in 0 .. d.Count - 1 do
                if s.[i] = pdg then
                    i
        |]

    let sub = d.Select rows

    Pid.speciesSample
        (weights |> Option.map (fun w -> rows |> Array.map (fun i -> w.[i])))
        (sub.Column RichColumns.P)
        (sub.Column RichColumns.Eta)
        (sub.Column RichColumns.DllK)

let private withValues (f: float[] -> float[]) (s: Pid.SpeciesSample) = { s with Values = f s.Values }

// Two independent truth samples (the "real" one and the "generated" one) of 40 000 tracks each.
let private realData = lazy (richKPi 11 40_000)
let private truthGen = lazy (richKPi 12 40_000)
let private realK () = speciesOf kaon None realData.Value
let private realPi () = speciesOf pion None realData.Value
let private genK () = speciesOf kaon None truthGen.Value
let private genPi () = speciesOf pion None truthGen.Value

let private allSigmas (auc: Pid.AucBin list) (effK: Pid.EfficiencyBin list) (effPi: Pid.EfficiencyBin list) =
    (auc |> List.map (fun b -> b.Comparison.Sigma))
    @ (effK @ effPi |> List.map (fun b -> b.VsReal.Sigma))

let private cut (dll: float) = dll > 0.0

let ``the AUC of a cell is the Mann–Whitney fraction of the hand-counted pairs`` () =
    // Cell A (p 5 GeV): positives {3, 4}, negatives {1, 3}: pairs 1 + ½ + 1 + 1 → 3.5/4.
    // Cell B (p 50 GeV): positives {0}, {2}; negatives {1, 5}: 0 + 0 + 1 + 0 → 1/4.
    let pos =
        Pid.speciesSample None [| 5e3; 5e3; 5e4; 5e4 |] [| 3.0; 3.0; 3.0; 3.0 |] [| 3.0; 4.0; 0.0; 2.0 |]

    let neg =
        Pid.speciesSample None [| 5e3; 5e3; 5e4; 5e4 |] [| 3.0; 3.0; 3.0; 3.0 |] [| 1.0; 3.0; 1.0; 5.0 |]

    let bins = Pid.aucInBins [| 2e3; 1e4; 1e5 |] [| 1.8; 5.5 |] (pos, neg) (pos, neg)
    Expect.equal bins.Length 2 "bins.Length"
    assertClose veryHigh 0.875 bins.[0].Comparison.Real.Value "cell A"
    assertClose veryHigh 0.25 bins.[1].Comparison.Real.Value "cell B"
    Expect.equal (bins.[0].Comparison.Sigma) 0.0 "identical samples differ by 0 σ"

let ``the AUC in bins recovers Φ(Δμ/√2) of Gaussian scores within 5 DeLong σ`` () =
    // Positives N(Δ, 1), negatives N(0, 1) with Δ = 1 below 10 GeV and 2 above: AUC = Φ(Δ/√2).
    let rng = Random(5)

    let normal () =
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble())

    let n = 4000
    let p = Array.init n (fun i -> if i % 2 = 0 then 5e3 else 5e4)
    let eta = Array.create n 3.0
    let shift (x: float) = if x < 1e4 then 1.0 else 2.0

    let pos =
        Pid.speciesSample None p eta (p |> Array.map (fun x -> shift x + normal ()))

    let neg = Pid.speciesSample None p eta (Array.init n (fun _ -> normal ()))
    let bins = Pid.aucInBins [| 2e3; 1e4; 1e5 |] [| 1.8; 5.5 |] (pos, neg) (pos, neg)

    let expected =
        [
            MathNet.Numerics.Distributions.Normal.CDF(0.0, 1.0, 1.0 / sqrt 2.0)
            MathNet.Numerics.Distributions.Normal.CDF(0.0, 1.0, 2.0 / sqrt 2.0)
        ]

    for b, e in List.zip bins expected do
        let r = b.Comparison.Real

        Expect.isLessThan
            (abs (r.Value - e))
            (5.0 * r.Uncertainty)
            (sprintf "%s: %g vs %g ± %g" (Pid.cellLabel b.Cell) r.Value e r.Uncertainty)
        // DeLong's σ of n = 2000 per class is about 0.01 here: neither tiny nor huge.
        Expect.isGreaterThanOrEqual r.Uncertainty 0.003 "r.Uncertainty"
        Expect.isLessThanOrEqual r.Uncertainty 0.02 "r.Uncertainty"

let ``an empty cell or one with non-positive weight sum gives NaN, not an exception`` () =
    let s =
        Pid.speciesSample (Some [| 1.0; -2.0 |]) [| 5e3; 5e3 |] [| 3.0; 3.0 |] [| 1.0; 2.0 |]

    let m = Pid.auc s s
    Expect.isTrue (Double.IsNaN m.Value) "Double.IsNaN m.Value"
    let bins = Pid.aucInBins [| 2e3; 1e4; 1e5 |] [| 1.8; 5.5 |] (s, s) (s, s)
    Expect.isTrue (Double.IsNaN bins.[1].Comparison.Sigma) "Double.IsNaN bins.[1].Comparison.Sigma"
    Expect.equal ((Pid.summarizeSigmas [ nan; 1.0 ]).Undefined) 1 "(Pid.summarizeSigmas [ nan; 1.0 ]).Undefined"

let ``mismatched columns are refused with the argument named`` () =
    let ex =
        Expectations.raises<ArgumentException>
            "Pid.speciesSample None [| 1.0 |] [| 1.0; 2.0 |] [| 1.0; 2.0 |]"
            (fun () -> Pid.speciesSample None [| 1.0 |] [| 1.0; 2.0 |] [| 1.0; 2.0 |] |> ignore)

    Expect.equal ex.ParamName "p" "ex.ParamName"

let ``the truth generator passes every PID figure of merit: σ-deviations consistent with N(0, 1)`` () =
    let auc = Pid.aucInBins pEdges etaEdges (realK (), realPi ()) (genK (), genPi ())
    let effK = Pid.efficiencyComparison pEdges cut (realK ()) (genK ()) None
    let effPi = Pid.efficiencyComparison pEdges cut (realPi ()) (genPi ()) None
    let s = Pid.summarizeSigmas (allSigmas auc effK effPi)
    Expect.equal s.Count (auc.Length + effK.Length + effPi.Length) "every bin populated"
    // 12 N(0, 1) deviations: E|σ| = 0.80, RMS ≈ 1; P(max > 4) < 10⁻³.
    Expect.isLessThan s.MaxAbs 4.0 (sprintf "%A" s)
    Expect.isLessThan s.MeanAbs 1.5 (sprintf "%A" s)
    Expect.isTrue (Pid.passes 4.0 1.5 s) "Pid.passes 4.0 1.5 s"

let ``the truth generator passes against sWeighted calibration data`` () =
    // Real = kaon/pion probes of a calibration sample with background, signal sWeights from an
    // sPlot fit of D0_M (roles from the D* tag; background probes get a random role).
    let calib =
        CalibrationSample.Generate(CalibrationOptions(60_000, 21, ComputeSWeights = false))

    let rng = Random(22)

    let species, signal =
        calib.Column RichColumns.TruthSpecies, calib.Column CalibrationSample.TruthSignal

    let role =
        Array.init calib.Count (fun i ->
            if signal.[i] = 1.0 then species.[i]
            elif rng.NextDouble() < 0.5 then kaon
            else pion)

    let model =
        Splot.model (1825.0, 1910.0) (Splot.Gauss(1864.84, 7.0)) (Splot.Exponential -0.01)

    let weighted (pdg: float) =
        let rows =
            [|
                for i in 0 .. calib.Count - 1 do
                    if role.[i] = pdg then
                        i
            |]

        let d = calib.Select rows
        let mass = d.Column CalibrationSample.MassColumn
        let w = Splot.signalWeights (Splot.fit model mass) mass
        Pid.speciesSample (Some w) (d.Column RichColumns.P) (d.Column RichColumns.Eta) (d.Column RichColumns.DllK)

    let rK, rPi = weighted kaon, weighted pion
    Expect.isTrue (rK.Weights.Value |> Array.exists (fun w -> w < 0.0)) "sWeights are signed"
    let auc = Pid.aucInBins pEdges etaEdges (rK, rPi) (genK (), genPi ())
    let effK = Pid.efficiencyComparison pEdges cut rK (genK ()) None
    let effPi = Pid.efficiencyComparison pEdges cut rPi (genPi ()) None
    let s = Pid.summarizeSigmas (allSigmas auc effK effPi)
    Expect.isTrue (Pid.passes 4.0 1.5 s) (sprintf "%A" s)

let ``a biased model (kaon RichDLLk shifted by −3) fails the figures of merit`` () =
    let biasedK = genK () |> withValues (Array.map (fun x -> x - 3.0))
    let auc = Pid.aucInBins pEdges etaEdges (realK (), realPi ()) (biasedK, genPi ())
    let effK = Pid.efficiencyComparison pEdges cut (realK ()) biasedK None
    let s = Pid.summarizeSigmas (allSigmas auc effK [])
    Expect.isFalse (Pid.passes 4.0 1.5 s) (sprintf "%A" s)
    Expect.isGreaterThan s.MaxAbs 6.0 (sprintf "%A" s)

let ``a mode-collapsed model (constant RichDLLk per species) fails the figures of merit`` () =
    let constant (s: Pid.SpeciesSample) =
        s
        |> withValues (fun v -> Array.create v.Length (WeightedDescriptive.Quantile(v, 0.5)))

    let cK, cPi = constant (genK ()), constant (genPi ())
    let auc = Pid.aucInBins pEdges etaEdges (realK (), realPi ()) (cK, cPi)
    // The toy RICH separates K from π almost perfectly, so two constants in the right order keep
    // AUC ≈ 1 and a loose cut keeps ε ≈ 0 or 1: the AUC alone is weakly sensitive here. A cut at
    // the kaon median (ε ≈ ½ overall) sees the collapse: every constant event fails it.
    let median = WeightedDescriptive.Quantile((genK ()).Values, 0.5)
    let effK = Pid.efficiencyComparison pEdges (fun x -> x > median) (realK ()) cK None
    let s = Pid.summarizeSigmas (allSigmas auc effK [])
    Expect.isFalse (Pid.passes 4.0 1.5 s) (sprintf "%A" s)
    Expect.isGreaterThan s.MaxAbs 10.0 (sprintf "%A" s)

let ``efficiency comparison against truth uses the truth sample and reports σ per bin`` () =
    let bins = Pid.efficiencyComparison pEdges cut (realK ()) (genK ()) (Some(realK ()))

    for b in bins do
        Expect.isTrue b.Truth.IsSome "b.Truth.IsSome"
        assertClose veryHigh b.Real.Value b.Truth.Value.Value "truth = real here"
        assertClose veryHigh b.VsReal.Sigma b.VsTruth.Value.Sigma "same σ"
    // Binomial uncertainty of unit weights: √(ε(1 − ε)/N) per bin.
    let k = realK ()

    let inBin =
        k.P |> Array.filter (fun p -> p >= pEdges.[0] && p < pEdges.[1]) |> Array.length

    let e = bins.[0].Real.Value
    assertClose high (sqrt (e * (1.0 - e) / float inBin)) bins.[0].Real.Uncertainty "binomial"

let ``tables carry one coloured deviation per bin`` () =
    let auc = Pid.aucInBins pEdges etaEdges (realK (), realPi ()) (genK (), genPi ())
    let t = Pid.aucTable "AUC" auc
    Expect.equal t.Rows.Length auc.Length "t.Rows.Length"

    for row, b in List.zip t.Rows auc do
        match List.last row with
        | Report.Document.Deviation d -> Expect.equal d b.Comparison.Sigma "d"
        | c -> failtest (sprintf "last cell is %A" c)

[<Tests>]
let tests =
    testList
        "PidTests"
        [
            testCase
                "the AUC of a cell is the Mann–Whitney fraction of the hand-counted pairs"
                ``the AUC of a cell is the Mann–Whitney fraction of the hand-counted pairs``
            testCase
                "the AUC in bins recovers Φ(Δμ/√2) of Gaussian scores within 5 DeLong σ"
                ``the AUC in bins recovers Φ(Δμ/√2) of Gaussian scores within 5 DeLong σ``
            testCase
                "an empty cell or one with non-positive weight sum gives NaN, not an exception"
                ``an empty cell or one with non-positive weight sum gives NaN, not an exception``
            testCase
                "mismatched columns are refused with the argument named"
                ``mismatched columns are refused with the argument named``
            testCase
                "the truth generator passes every PID figure of merit: σ-deviations consistent with N(0, 1)"
                ``the truth generator passes every PID figure of merit: σ-deviations consistent with N(0, 1)``
            testCase
                "a biased model (kaon RichDLLk shifted by −3) fails the figures of merit"
                ``a biased model (kaon RichDLLk shifted by −3) fails the figures of merit``
            testCase
                "a mode-collapsed model (constant RichDLLk per species) fails the figures of merit"
                ``a mode-collapsed model (constant RichDLLk per species) fails the figures of merit``
            testCase
                "efficiency comparison against truth uses the truth sample and reports σ per bin"
                ``efficiency comparison against truth uses the truth sample and reports σ per bin``
            testCase "tables carry one coloured deviation per bin" ``tables carry one coloured deviation per bin``
            slow
                [
                    testCase
                        "the truth generator passes against sWeighted calibration data"
                        ``the truth generator passes against sWeighted calibration data``
                ]
        ]
