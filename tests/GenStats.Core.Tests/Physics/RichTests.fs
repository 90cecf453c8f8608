module GenStats.Tests.Physics.RichTests

open Expecto
open System
open GenStats.Physics
open GenStats.Tests.Tolerance
open GenStats.Tests.Expectations

let private mass = Particles.Mass

let ``threshold momenta follow p_th = m / sqrt(n^2 - 1) and the known LHCb values`` () =
    for r in [ Radiator.Aerogel; Radiator.C4F10; Radiator.CF4 ] do
        for s in Particles.All do
            let expected = mass s / sqrt (r.RefractiveIndex * r.RefractiveIndex - 1.0)
            assertClose veryHigh expected (r.ThresholdMomentum(mass s)) (sprintf "%s %A" r.Name s)
            // Just above threshold there is light, just below none.
            Expect.isTrue
                (Double.IsNaN(r.CherenkovAngle(0.999 * expected, mass s)))
                "Double.IsNaN(r.CherenkovAngle(0.999 * expected, mass s))"

            Expect.isTrue
                (r.CherenkovAngle(1.001 * expected, mass s) > 0.0)
                "r.CherenkovAngle(1.001 * expected, mass s) > 0.0"
    // Textbook values (GeV/c): C4F10 π 2.6, K 9.3, p 17.7; aerogel K 2.0; CF4 π 4.4, K 15.6.
    let within (expectedGeV: float) (actualMeV: float) =
        abs (actualMeV / 1000.0 - expectedGeV) < 0.05 * expectedGeV

    Expect.isTrue
        (within 2.6 (Radiator.C4F10.ThresholdMomentum(mass ParticleSpecies.Pion)))
        "within 2.6 (Radiator.C4F10.ThresholdMomentum(mass ParticleSpecies.P..."

    Expect.isTrue
        (within 9.3 (Radiator.C4F10.ThresholdMomentum(mass ParticleSpecies.Kaon)))
        "within 9.3 (Radiator.C4F10.ThresholdMomentum(mass ParticleSpecies.K..."

    Expect.isTrue
        (within 17.7 (Radiator.C4F10.ThresholdMomentum(mass ParticleSpecies.Proton)))
        "within 17.7 (Radiator.C4F10.ThresholdMomentum(mass ParticleSpecies...."

    Expect.isTrue
        (within 2.0 (Radiator.Aerogel.ThresholdMomentum(mass ParticleSpecies.Kaon)))
        "within 2.0 (Radiator.Aerogel.ThresholdMomentum(mass ParticleSpecies..."

    Expect.isTrue
        (within 4.4 (Radiator.CF4.ThresholdMomentum(mass ParticleSpecies.Pion)))
        "within 4.4 (Radiator.CF4.ThresholdMomentum(mass ParticleSpecies.Pion))"

    Expect.isTrue
        (within 15.6 (Radiator.CF4.ThresholdMomentum(mass ParticleSpecies.Kaon)))
        "within 15.6 (Radiator.CF4.ThresholdMomentum(mass ParticleSpecies.Ka..."

/// Saturated Cherenkov angles (mrad) of the three radiators.
let private saturatedAngles =
    [ Radiator.Aerogel, 242.0; Radiator.C4F10, 53.0; Radiator.CF4, 32.0 ]

let ``saturated Cherenkov angles are near 242, 53 and 32 mrad`` (r: Radiator, expected: float) =
    assertClose veryHigh (acos (1.0 / r.RefractiveIndex)) r.SaturatedAngle r.Name
    Expect.isLessThan (abs (1000.0 * r.SaturatedAngle - expected)) 1.0 r.Name
    // A 100 GeV electron is saturated.
    Expect.isLessThan
        (abs (r.CherenkovAngle(1e5, mass ParticleSpecies.Electron) - r.SaturatedAngle))
        1e-6
        (r.Name + ": a 100 GeV electron is saturated")

let ``no signal photons below threshold, sin^2 theta photon yield above`` () =
    let c4f10 = Radiator("C4F10", 1.0014, 1.5, 30.0, 0.0, 0.0, 1.8, 4.4)
    let detector = RichDetector([| c4f10 |])
    let rng = Random 21
    let pth = c4f10.ThresholdMomentum(mass ParticleSpecies.Kaon)

    let below =
        Array.init 500 (fun _ -> RichSimulator.SimulateTrack(ParticleSpecies.Kaon, 0.98 * pth, 3.0, 100, rng, detector))

    Expect.equal
        (below |> Array.sumBy (fun r -> r.SignalPhotons + r.BackgroundPhotons))
        0
        "below |> Array.sumBy (fun r -> r.SignalPhotons + r.BackgroundPhotons)"
    // Above threshold the mean count is N_sat sin²θ / sin²θ_sat (window losses are < 1e-6 here).
    let p = 2.0 * pth

    let theta =
        acos (
            1.0
            / (c4f10.RefractiveIndex * p / sqrt (p * p + mass ParticleSpecies.Kaon ** 2.0))
        )

    let expected =
        c4f10.SaturatedPhotons * (sin theta ** 2.0) / (sin c4f10.SaturatedAngle ** 2.0)

    let tracks = 4000

    let counts =
        Array.init tracks (fun _ ->
            RichSimulator.SimulateTrack(ParticleSpecies.Kaon, p, 3.0, 100, rng, detector).SignalPhotons)

    let mean = float (Array.sum counts) / float tracks

    Expect.isLessThan
        (abs (mean - expected))
        (5.0 * sqrt (expected / float tracks))
        (sprintf "mean %g expected %g" mean expected)

/// Separation power of DLLk between kaons and pions: (mean_K − mean_π) / √(½(var_K + var_π)).
let private separation (p: float) =
    let rng = Random(int p)

    let dll s =
        Array.init 1500 (fun _ -> RichSimulator.SimulateTrack(s, p, 3.5, 150, rng).DllK)

    let k, pi = dll ParticleSpecies.Kaon, dll ParticleSpecies.Pion
    let mean (a: float[]) = Array.average a

    let var (a: float[]) =
        let m = mean a in a |> Array.averageBy (fun x -> (x - m) ** 2.0)

    (mean k - mean pi) / sqrt (0.5 * (var k + var pi))

let ``K/pi separation falls with momentum`` () =
    let seps = [ 20_000.0; 40_000.0; 80_000.0; 140_000.0 ] |> List.map separation
    // Each step is a large physical effect compared with the ~0.05 statistical error of one estimate.
    seps
    |> List.pairwise
    |> List.iter (fun (a, b) -> Expect.isLessThan b (a - 0.2) (sprintf "%A" seps))

    Expect.isGreaterThan (List.last seps) 0.0 "List.last seps"

let ``pions prefer the pion hypothesis and kaons the kaon one`` () =
    let rng = Random 5

    let meanDll s =
        Array.init 1000 (fun _ -> RichSimulator.SimulateTrack(s, 30_000.0, 3.5, 150, rng).DllK)
        |> Array.average

    Expect.isGreaterThan (meanDll ParticleSpecies.Kaon) 5.0 "meanDll ParticleSpecies.Kaon"
    Expect.isLessThan (meanDll ParticleSpecies.Pion) -5.0 "meanDll ParticleSpecies.Pion"

let ``generated sample has the LHCb calibration columns, ranges and determinism`` () =
    let options = RichSampleOptions(5000, 42)
    let d = RichSimulator.Generate options

    Expect.equal
        (d.ColumnNames |> Seq.toArray)
        [|
            "RichDLLe"
            "RichDLLmu"
            "RichDLLk"
            "RichDLLp"
            "RichDLLbt"
            "Brunel_P"
            "Brunel_ETA"
            "nTracks_Brunel"
            "probe_sWeight"
            "truth_species"
        |]
        "d.ColumnNames |> Seq.toArray"

    Expect.equal
        (d.Features |> Seq.toArray)
        [| "RichDLLe"; "RichDLLmu"; "RichDLLk"; "RichDLLp"; "RichDLLbt" |]
        "d.Features |> Seq.toArray"

    Expect.equal
        (d.Conditions |> Seq.toArray)
        [| "Brunel_P"; "Brunel_ETA"; "nTracks_Brunel" |]
        "d.Conditions |> Seq.toArray"

    Expect.equal d.WeightColumn "probe_sWeight" "d.WeightColumn"

    Expect.isTrue
        (d.Column "Brunel_P" |> Array.forall (fun p -> p >= 2000.0 && p <= 150000.0))
        "d.Column \"Brunel_P\" |> Array.forall (fun p -> p >= 2000.0 && p <= 1..."

    Expect.isTrue
        (d.Column "Brunel_ETA" |> Array.forall (fun e -> e >= 1.8 && e <= 5.5))
        "d.Column \"Brunel_ETA\" |> Array.forall (fun e -> e >= 1.8 && e <= 5.5)"

    Expect.isTrue
        (d.Column "truth_species"
         |> Array.forall (fun s -> List.contains s [ 11.0; 13.0; 211.0; 321.0; 2212.0 ]))
        "d.Column \"truth_species\" |> Array.forall (fun s -> List.contains s ..."

    let again = RichSimulator.Generate options
    Expect.equal (again.Column "RichDLLk") (d.Column "RichDLLk") "again.Column \"RichDLLk\""

[<Tests>]
let tests =
    testList
        "Physics.Rich"
        [
            testCase
                "threshold momenta follow p_th = m / sqrt(n^2 - 1) and the known LHCb values"
                ``threshold momenta follow p_th = m / sqrt(n^2 - 1) and the known LHCb values``
            testList
                "saturated Cherenkov angles are near 242, 53 and 32 mrad"
                [
                    for (r: Radiator, _) as row in saturatedAngles ->
                        testCase r.Name (fun () -> ``saturated Cherenkov angles are near 242, 53 and 32 mrad`` row)
                ]
            testCase
                "no signal photons below threshold, sin^2 theta photon yield above"
                ``no signal photons below threshold, sin^2 theta photon yield above``
            testCase "K/pi separation falls with momentum" ``K/pi separation falls with momentum``
            testCase
                "pions prefer the pion hypothesis and kaons the kaon one"
                ``pions prefer the pion hypothesis and kaons the kaon one``
            testCase
                "generated sample has the LHCb calibration columns, ranges and determinism"
                ``generated sample has the LHCb calibration columns, ranges and determinism``
        ]
