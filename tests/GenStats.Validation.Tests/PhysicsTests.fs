module GenStats.Tests.Validation.PhysicsTests

open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Physics
open GenStats.Validation
open GenStats.Tests.Tolerance

let ``F# pipeline: calibration sample, fit, sWeights sum to the fitted signal yield`` () =
    let data = 5000 |> Physics.calibrationSample 11
    let mass = data.Column "D0_M"

    let result =
        mass
        |> Splot.fit (Splot.model (1825.0, 1910.0) (Splot.Gauss(1860.0, 8.0)) (Splot.Exponential 0.0))

    Expect.equal result.Status GenStats.Stats.FitStatus.Converged result.Message
    let w = mass |> Splot.signalWeights result
    assertClose high (result.Yield("signal").Value) (Array.sum w) "Σ signal sWeights"
    // The truth is known: 40 % signal; the fitted yield is within 5 σ of the true count.
    let trueSignal = data.Column "truth_signal" |> Array.sum

    Expect.isLessThan
        (abs (result.Yield("signal").Value - trueSignal))
        (5.0 * result.Yield("signal").Error)
        ("abs (result.Yield(\"signal\").Value - trueSignal)")

let ``F# wrappers: thresholds and exact toy CDFs`` () =
    // Kaon threshold in C4F10: 493.677 / √(1.0014² − 1) MeV/c.
    assertClose
        veryHigh
        (493.677 / sqrt (1.0014 * 1.0014 - 1.0))
        (Physics.threshold Radiator.C4F10 ParticleSpecies.Kaon)
        "threshold"

    assertClose veryHigh 0.5 (Physics.bimodalCdf 0.0) "bimodal median"

    assertClose
        { Absolute = 1e-9; Relative = 0.0 }
        1.0
        (Physics.logNormalSumCdf (Some 12.0) 24.0)
        "Physics.logNormalSumCdf (Some 12.0) 24.0"

    let d = 1000 |> Physics.logNormalPair (Some 12.0) 3
    Expect.isLessThan (d.Column "x1" |> Array.max) 12.0 ("d.Column \"x1\" |> Array.max")

[<Tests>]
let tests =
    testList
        "PhysicsTests"
        [
            testCase
                "F# pipeline: calibration sample, fit, sWeights sum to the fitted signal yield"
                ``F# pipeline: calibration sample, fit, sWeights sum to the fitted signal yield``
            testCase "F# wrappers: thresholds and exact toy CDFs" ``F# wrappers: thresholds and exact toy CDFs``
        ]
