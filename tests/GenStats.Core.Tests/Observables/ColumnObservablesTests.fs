/// The float64 observables against hand computations and python3 values (quoted in each test).
module GenStats.Tests.Observables.ColumnObservablesTests

open System
open Expecto
open GenStats.Observables
open GenStats.Tests.Tolerance

let private one (x: float) = [| x |]

let private single (f: float[]) =
    Expect.equal f.Length 1 "one event"
    f[0]

[<Tests>]
let tests =
    testList
        "Observables.Column"
        [
            test "two back-to-back massless muons of pT 45.6 at η = 0 have m = 91.2" {
                // m = √(2·45.6·45.6·(cosh 0 − cos π)) = 2·45.6
                let m =
                    ColumnObservables.Mass(one 45.6, one 0.0, one 0.0, one 45.6, one 0.0, one Math.PI)
                    |> single

                assertClose veryHigh 91.2 m "m"
            }
            test "two massless objects match √(2 pT1 pT2 (cosh Δη − cos Δφ))" {
                // python3: math.sqrt(2*30*40*(math.cosh(1.7)-math.cos(2.2))) = 90.55583791423253
                let m =
                    ColumnObservables.Mass(one 30.0, one 0.5, one 0.3, one 40.0, one -1.2, one 2.5)
                    |> single

                assertClose veryHigh 90.55583791423253 m "m"
            }
            test "a nearly collinear massless pair keeps its digits (2√(pT1pT2) sinh(Δη/2))" {
                // Δη = 1e-6, Δφ = 0: m = 100·sinh(5e-7) = 5e-5 (to 1e-13 relative); E² − p² would give 0 or noise.
                let m =
                    ColumnObservables.Mass(one 50.0, one 1.000001, one 0.7, one 50.0, one 1.0, one 0.7)
                    |> single

                assertClose { Absolute = 0.0; Relative = 1e-6 } 5e-5 m "m"
            }
            test "masses enter: two and three objects with (pt, eta, phi, m) match the summed four-vectors" {
                // python3, E = √(p² + m²), px = pt cos φ, py = pt sin φ, pz = pt sinh η, m = √(E² − |p|²):
                // (30, 0.5, 0.3, 5) + (40, −1.2, 2.5, 0.10566) → 90.98687358603918; + (25, 2, −1, 0) → 194.73399841971013
                let pt = [| one 30.0; one 40.0; one 25.0 |]
                let eta = [| one 0.5; one -1.2; one 2.0 |]
                let phi = [| one 0.3; one 2.5; one -1.0 |]
                let ms = [| one 5.0; one 0.10566; one 0.0 |]
                let two = ColumnObservables.Mass(pt[..1], eta[..1], phi[..1], ms[..1]) |> single
                let three = ColumnObservables.Mass(pt, eta, phi, ms) |> single
                assertClose high 90.98687358603918 two "two objects"
                assertClose high 194.73399841971013 three "three objects"
                // massless three objects: 194.35516904869303
                assertClose high 194.35516904869303 (ColumnObservables.Mass(pt, eta, phi) |> single) "massless"
            }
            test "(E, px, py, pz) mass: (5,0,0,3) + (5,0,0,−3) has m = 10; m² < 0 by rounding is clamped to 0" {
                let m =
                    ColumnObservables.MassFromFourMomenta(
                        [| one 5.0; one 5.0 |],
                        [| one 0.0; one 0.0 |],
                        [| one 0.0; one 0.0 |],
                        [| one 3.0; one -3.0 |]
                    )
                    |> single

                assertClose veryHigh 10.0 m "m"
                // a space-like 'object' (E < |p|) gives m² < 0, clamped
                let z =
                    ColumnObservables.MassFromFourMomenta([| one 1.0 |], [| one 2.0 |], [| one 0.0 |], [| one 0.0 |])
                    |> single

                Expect.equal z 0.0 "clamped"
            }
            test "system pT and φ: pT 3 at φ 0 plus pT 4 at φ π/2 give 5 and atan2(4, 3)" {
                let pt = [| one 3.0; one 4.0 |]
                let phi = [| one 0.0; one (Math.PI / 2.0) |]
                assertClose veryHigh 5.0 (ColumnObservables.SystemPt(pt, phi) |> single) "pT"
                // python3: math.atan2(4, 3) = 0.9272952180016122
                assertClose veryHigh 0.9272952180016122 (ColumnObservables.SystemPhi(pt, phi) |> single) "φ"
            }
            test "system rapidity ½ ln((E+pz)/(E−pz)) of massless and massive pairs" {
                // python3 from summed four-vectors: massless −0.4490468362735915, masses (5, 0.10566) −0.4472833579156166
                let pt = [| one 30.0; one 40.0 |]
                let eta = [| one 0.5; one -1.2 |]
                assertClose high -0.4490468362735915 (ColumnObservables.SystemRapidity(pt, eta) |> single) "massless"

                assertClose
                    high
                    -0.4472833579156166
                    (ColumnObservables.SystemRapidity(pt, eta, [| one 5.0; one 0.10566 |]) |> single)
                    "massive"
            }
            test "Δφ wraps to (−π, π]: −π maps to π, π stays, 2π → 0, 3 − (−3) → 6 − 2π" {
                Expect.equal (ColumnObservables.WrapPhi(-Math.PI)) Math.PI "−π → π"
                Expect.equal (ColumnObservables.WrapPhi Math.PI) Math.PI "π → π"
                Expect.equal (ColumnObservables.DeltaPhi(one -Math.PI, one 0.0) |> single) Math.PI "Δφ(−π, 0)"
                Expect.equal (ColumnObservables.DeltaPhi(one 0.0, one Math.PI) |> single) Math.PI "Δφ(0, π) = −π → π"
                assertClose veryHigh 0.0 (ColumnObservables.WrapPhi(2.0 * Math.PI)) "2π"
                assertClose veryHigh Math.PI (ColumnObservables.WrapPhi(3.0 * Math.PI)) "3π"
                assertClose veryHigh Math.PI (ColumnObservables.WrapPhi(-3.0 * Math.PI)) "−3π"
                // python3: 6 - 2*math.pi = -0.28318530717958623
                assertClose
                    veryHigh
                    -0.28318530717958623
                    (ColumnObservables.DeltaPhi(one 3.0, one -3.0) |> single)
                    "Δφ(3, −3)"

                for k in -50 .. 50 do
                    let w = ColumnObservables.WrapPhi(0.1 * float k + 1e-3)
                    Expect.isTrue (w > -Math.PI && w <= Math.PI) $"wrap in range at {k}"
            }
            test "ΔR across the φ = ±π seam" {
                // python3: math.sqrt(1 + (6 - 2*math.pi)**2) = 1.039323779292284
                assertClose
                    veryHigh
                    1.039323779292284
                    (ColumnObservables.DeltaR(one 0.5, one 3.0, one -0.5, one -3.0) |> single)
                    "ΔR"
            }
            test "transverse mass, massless and with masses" {
                // python3: math.sqrt(2*30*40*(1-math.cos(0.3-2.5))) = 61.744657108229454
                assertClose
                    veryHigh
                    61.744657108229454
                    (ColumnObservables.TransverseMass(one 30.0, one 0.3, one 40.0, one 2.5) |> single)
                    "massless"
                // mT² = m1² + m2² + 2(ET1 ET2 − pT1 pT2 cos Δφ) → 62.21356239659557
                assertClose
                    high
                    62.21356239659557
                    (ColumnObservables.TransverseMass(one 30.0, one 0.3, one 5.0, one 40.0, one 2.5, one 0.10566)
                     |> single)
                    "massive"
                // W at rest: back-to-back lepton and neutrino of pT 40 → mT = 80
                assertClose
                    veryHigh
                    80.0
                    (ColumnObservables.TransverseMass(one 40.0, one 0.0, one 40.0, one Math.PI)
                     |> single)
                    "80"
            }
            test "mismatched lengths and object counts are refused with a message" {
                Expect.throwsC
                    (fun () ->
                        ColumnObservables.Mass([| 1.0; 2.0 |], one 0.0, one 0.0, one 1.0, one 0.0, one 0.0)
                        |> ignore)
                    (fun e -> Expect.stringContains e.Message "same length" "message")

                Expect.throwsC
                    (fun () ->
                        ColumnObservables.Mass([| one 1.0; one 1.0 |], [| one 0.0 |], [| one 0.0; one 0.0 |])
                        |> ignore)
                    (fun e -> Expect.stringContains e.Message "one column per object" "message")
            }
        ]
