module GenStats.Tests.Physics.RichTests

open System
open NUnit.Framework
open GenStats.Physics
open GenStats.Tests.Tolerance

let private mass = Particles.Mass

[<Test>]
let ``threshold momenta follow p_th = m / sqrt(n^2 - 1) and the known LHCb values`` () =
    for r in [ Radiator.Aerogel; Radiator.C4F10; Radiator.CF4 ] do
        for s in Particles.All do
            let expected = mass s / sqrt (r.RefractiveIndex * r.RefractiveIndex - 1.0)
            assertClose veryHigh expected (r.ThresholdMomentum(mass s)) (sprintf "%s %A" r.Name s)
            // Just above threshold there is light, just below none.
            Assert.That(Double.IsNaN(r.CherenkovAngle(0.999 * expected, mass s)), Is.True)
            Assert.That(r.CherenkovAngle(1.001 * expected, mass s) > 0.0, Is.True)
    // Textbook values (GeV/c): C4F10 π 2.6, K 9.3, p 17.7; aerogel K 2.0; CF4 π 4.4, K 15.6.
    let within (expectedGeV: float) (actualMeV: float) = abs (actualMeV / 1000.0 - expectedGeV) < 0.05 * expectedGeV
    Assert.That(within 2.6 (Radiator.C4F10.ThresholdMomentum(mass ParticleSpecies.Pion)), Is.True)
    Assert.That(within 9.3 (Radiator.C4F10.ThresholdMomentum(mass ParticleSpecies.Kaon)), Is.True)
    Assert.That(within 17.7 (Radiator.C4F10.ThresholdMomentum(mass ParticleSpecies.Proton)), Is.True)
    Assert.That(within 2.0 (Radiator.Aerogel.ThresholdMomentum(mass ParticleSpecies.Kaon)), Is.True)
    Assert.That(within 4.4 (Radiator.CF4.ThresholdMomentum(mass ParticleSpecies.Pion)), Is.True)
    Assert.That(within 15.6 (Radiator.CF4.ThresholdMomentum(mass ParticleSpecies.Kaon)), Is.True)

[<Test>]
let ``saturated Cherenkov angles are near 242, 53 and 32 mrad`` () =
    for r, expected in [ Radiator.Aerogel, 242.0; Radiator.C4F10, 53.0; Radiator.CF4, 32.0 ] do
        assertClose veryHigh (acos (1.0 / r.RefractiveIndex)) r.SaturatedAngle r.Name
        Assert.That(abs (1000.0 * r.SaturatedAngle - expected), Is.LessThan 1.0, r.Name)
        // A 100 GeV electron is saturated.
        Assert.That(abs (r.CherenkovAngle(1e5, mass ParticleSpecies.Electron) - r.SaturatedAngle), Is.LessThan 1e-6)

[<Test>]
let ``no signal photons below threshold, sin^2 theta photon yield above`` () =
    let c4f10 = Radiator("C4F10", 1.0014, 1.5, 30.0, 0.0, 0.0, 1.8, 4.4)
    let detector = RichDetector([| c4f10 |])
    let rng = Random 21
    let pth = c4f10.ThresholdMomentum(mass ParticleSpecies.Kaon)
    let below = Array.init 500 (fun _ -> RichSimulator.SimulateTrack(ParticleSpecies.Kaon, 0.98 * pth, 3.0, 100, rng, detector))
    Assert.That(below |> Array.sumBy (fun r -> r.SignalPhotons + r.BackgroundPhotons), Is.EqualTo 0)
    // Above threshold the mean count is N_sat sin²θ / sin²θ_sat (window losses are < 1e-6 here).
    let p = 2.0 * pth
    let theta = acos (1.0 / (c4f10.RefractiveIndex * p / sqrt (p * p + mass ParticleSpecies.Kaon ** 2.0)))
    let expected = c4f10.SaturatedPhotons * (sin theta ** 2.0) / (sin c4f10.SaturatedAngle ** 2.0)
    let tracks = 4000
    let counts = Array.init tracks (fun _ -> RichSimulator.SimulateTrack(ParticleSpecies.Kaon, p, 3.0, 100, rng, detector).SignalPhotons)
    let mean = float (Array.sum counts) / float tracks
    Assert.That(abs (mean - expected), Is.LessThan(5.0 * sqrt (expected / float tracks)), sprintf "mean %g expected %g" mean expected)

/// Separation power of DLLk between kaons and pions: (mean_K − mean_π) / √(½(var_K + var_π)).
let private separation (p: float) =
    let rng = Random(int p)
    let dll s = Array.init 1500 (fun _ -> RichSimulator.SimulateTrack(s, p, 3.5, 150, rng).DllK)
    let k, pi = dll ParticleSpecies.Kaon, dll ParticleSpecies.Pion
    let mean (a: float[]) = Array.average a
    let var (a: float[]) = let m = mean a in a |> Array.averageBy (fun x -> (x - m) ** 2.0)
    (mean k - mean pi) / sqrt (0.5 * (var k + var pi))

[<Test>]
let ``K/pi separation falls with momentum`` () =
    let seps = [ 20_000.0; 40_000.0; 80_000.0; 140_000.0 ] |> List.map separation
    // Each step is a large physical effect compared with the ~0.05 statistical error of one estimate.
    seps |> List.pairwise |> List.iter (fun (a, b) -> Assert.That(b, Is.LessThan(a - 0.2), sprintf "%A" seps))
    Assert.That(List.last seps, Is.GreaterThan 0.0)

[<Test>]
let ``pions prefer the pion hypothesis and kaons the kaon one`` () =
    let rng = Random 5
    let meanDll s = Array.init 1000 (fun _ -> RichSimulator.SimulateTrack(s, 30_000.0, 3.5, 150, rng).DllK) |> Array.average
    Assert.That(meanDll ParticleSpecies.Kaon, Is.GreaterThan 5.0)
    Assert.That(meanDll ParticleSpecies.Pion, Is.LessThan -5.0)

[<Test>]
let ``generated sample has the LHCb calibration columns, ranges and determinism`` () =
    let options = RichSampleOptions(5000, 42)
    let d = RichSimulator.Generate options
    Assert.That(d.ColumnNames |> Seq.toArray,
                Is.EqualTo(box [| "RichDLLe"; "RichDLLmu"; "RichDLLk"; "RichDLLp"; "RichDLLbt"; "Brunel_P"; "Brunel_ETA"; "nTracks_Brunel"; "probe_sWeight"; "truth_species" |]))
    Assert.That(d.Features |> Seq.toArray, Is.EqualTo(box [| "RichDLLe"; "RichDLLmu"; "RichDLLk"; "RichDLLp"; "RichDLLbt" |]))
    Assert.That(d.Conditions |> Seq.toArray, Is.EqualTo(box [| "Brunel_P"; "Brunel_ETA"; "nTracks_Brunel" |]))
    Assert.That(d.WeightColumn, Is.EqualTo "probe_sWeight")
    Assert.That(d.Column "Brunel_P" |> Array.forall (fun p -> p >= 2000.0 && p <= 150000.0), Is.True)
    Assert.That(d.Column "Brunel_ETA" |> Array.forall (fun e -> e >= 1.8 && e <= 5.5), Is.True)
    Assert.That(d.Column "truth_species" |> Array.forall (fun s -> List.contains s [ 11.0; 13.0; 211.0; 321.0; 2212.0 ]), Is.True)
    let again = RichSimulator.Generate options
    Assert.That(again.Column "RichDLLk", Is.EqualTo(box (d.Column "RichDLLk")))
