/// The dimuon toy against its own truth: line shape, spectra and decay angle against their closed
/// forms, the Collins–Soper angle recomputed from the muons, acceptance, charges and resolution.
module GenStats.Tests.Physics.DimuonToyTests

open System
open Expecto
open MathNet.Numerics.Integration
open GenStats.Physics
open GenStats.Observables
open GenStats.Tests.Physics.TestHelpers

/// Generator level: no smearing, no cuts — every drawn quantity follows its formula exactly.
let private truth =
    lazy (DimuonToy.Generate(20_000, 7, DimuonOptions(Smear = false, ApplyCuts = false)))

let private reco = lazy (DimuonToy.Generate(20_000, 11))

/// DKW bound at false-alarm rate 10⁻³ (fixed seeds: the test is deterministic; a correct
/// generator exceeds it for one seed in a thousand).
let private bound n = ksBound n 1e-3

/// cos θ of the μ⁻ in the Collins–Soper frame from lab four-vectors (Collins & Soper 1977):
/// sign(Qz)·2(P1⁺P2⁻ − P1⁻P2⁺)/(Q√(Q² + QT²)), P± = (E ± pz)/√2, particle 1 the μ⁻.
let private collinsSoper (pt1, eta1, phi1) (pt2, eta2, phi2) =
    let v (pt: float) eta phi =
        let px, py, pz = pt * cos phi, pt * sin phi, pt * sinh eta
        sqrt (px * px + py * py + pz * pz + DimuonOptions.MuonMass ** 2.0), px, py, pz

    let e1, x1, y1, z1 = v pt1 eta1 phi1
    let e2, x2, y2, z2 = v pt2 eta2 phi2
    let e, x, y, z = e1 + e2, x1 + x2, y1 + y2, z1 + z2
    let q2 = e * e - x * x - y * y - z * z
    let p1p, p1m = (e1 + z1) / sqrt 2.0, (e1 - z1) / sqrt 2.0
    let p2p, p2m = (e2 + z2) / sqrt 2.0, (e2 - z2) / sqrt 2.0

    float (sign z) * 2.0 * (p1p * p2m - p1m * p2p)
    / (sqrt q2 * sqrt (q2 + x * x + y * y))

[<Tests>]
let tests =
    testList
        "Physics.DimuonToy"
        [
            test "truth mass follows the truncated relativistic Breit–Wigner CDF (KS within the DKW bound)" {
                let m = truth.Value.Data.Column "M_true"
                let d = ksDistance (fun x -> DimuonToy.MassCdf x) m
                Expect.isLessThan d (bound m.Length) "KS distance"
                Expect.isTrue (m |> Array.forall (fun x -> x >= 60.0 && x <= 120.0)) "window"
            }
            test "MassCdf is the normalised integral of the Breit–Wigner density 2m/((m² − M²)² + M²Γ²)" {
                let o = DimuonOptions.Default

                let density (m: float) =
                    2.0 * m / ((m * m - o.Mass * o.Mass) ** 2.0 + (o.Mass * o.Width) ** 2.0)
                // split at the pole so the quadrature resolves the 2.5 GeV-wide peak
                let integral a b =
                    let mid = Math.Clamp(o.Mass, a, b)

                    GaussLegendreRule.Integrate(density, a, mid, 128)
                    + GaussLegendreRule.Integrate(density, mid, b, 128)

                let total = integral 60.0 120.0

                for m in [ 70.0; 88.0; 91.1876; 93.0; 110.0 ] do
                    Expect.floatClose Accuracy.high (DimuonToy.MassCdf m) (integral 60.0 m / total) $"F({m})"
            }
            test "Z pT and cos θ* follow their CDFs (1 − (1 + pT²/p₀²)^(1−k) and (c³ + 3c + 4)/8)" {
                let t = truth.Value
                Expect.isLessThan (ksDistance (fun x -> DimuonToy.PtCdf x) t.ZPt) (bound t.ZPt.Length) "pT"

                Expect.isLessThan
                    (ksDistance DimuonToy.CosThetaCdf t.CosThetaStar)
                    (bound t.CosThetaStar.Length)
                    "cos θ*"
                // the default spectrum has mean p₀ = 10 GeV for k = 2.5 (E = ∫(1 − F) = p₀, up to the 500 GeV cap)
                Expect.isLessThan (abs (Array.average t.ZPt - 10.0)) 0.5 "mean Z pT"
            }
            test "cos θ recomputed from the muons in the Collins–Soper frame equals the drawn one" {
                let t = truth.Value
                let d = t.Data
                let col = d.Column

                for i in 0..999 do
                    let a = (col "pt1").[i], (col "eta1").[i], (col "phi1").[i]
                    let b = (col "pt2").[i], (col "eta2").[i], (col "phi2").[i]

                    let c =
                        if (col "Q1").[i] < 0.0 then
                            collinsSoper a b
                        else
                            collinsSoper b a
                    // the formula assumes massless leptons: for m_μ > 0 it gives β*·cos θ, β* = √(1 − 4m_μ²/m²)
                    let beta = sqrt (1.0 - 4.0 * (DimuonOptions.MuonMass / (col "M_true").[i]) ** 2.0)
                    Expect.floatClose { absolute = 1e-9; relative = 0.0 } c (beta * t.CosThetaStar[i]) $"event {i}"
                    // unsmeared: the muons' mass is the drawn mass
                    Expect.floatClose
                        { absolute = 1e-9; relative = 1e-11 }
                        ((col "M").[i])
                        ((col "M_true").[i])
                        $"mass {i}"
            }
            test "every accepted event passes pT > 20, |η| < 2.4; charges opposite; φ in (−π, π]; leading first" {
                let d = reco.Value.Data

                for i in 0 .. d.Count - 1 do
                    for k in [ "1"; "2" ] do
                        Expect.isGreaterThan ((d.Column("pt" + k)).[i]) 20.0 "pT cut"
                        Expect.isLessThan (abs ((d.Column("eta" + k)).[i])) 2.4 "η cut"
                        let phi = (d.Column("phi" + k)).[i]
                        Expect.isTrue (phi > -Math.PI && phi <= Math.PI) "φ range"

                    Expect.equal ((d.Column "Q1").[i]) (-((d.Column "Q2").[i])) "opposite charges"
                    Expect.isTrue (abs ((d.Column "Q1").[i]) = 1.0) "unit charge"
                    Expect.isGreaterThanOrEqual ((d.Column "pt1").[i]) ((d.Column "pt2").[i]) "leading first"

                let eff = reco.Value.Efficiency
                Expect.isTrue (eff > 0.2 && eff < 0.9) $"efficiency {eff}"
            }
            test "reconstructed mass residuals have the width the pT resolution predicts (pull width 1 ± 0.03)" {
                // m ∝ √(pT1 pT2): σ_m/m = ½√(σ1² + σ2²) with σᵢ = σ(ηᵢ)/pT; the pull sd has standard error 1/√(2n) = 0.005.
                let d = reco.Value.Data
                let col = d.Column

                let pulls =
                    Array.init d.Count (fun i ->
                        // the documented resolution, written out here: 1 % + 2 %·(|η|/2.4)²
                        let sigma (eta: float) = 0.01 + 0.02 * (eta / 2.4) ** 2.0
                        let s1, s2 = sigma (col "eta1").[i], sigma (col "eta2").[i]

                        ((col "M").[i] - (col "M_true").[i])
                        / (0.5 * (col "M_true").[i] * sqrt (s1 * s1 + s2 * s2)))

                let mean = Array.average pulls
                let sd = sqrt (pulls |> Array.averageBy (fun p -> (p - mean) ** 2.0))
                Expect.isLessThan (abs (sd - 1.0)) 0.03 $"pull sd {sd}"
                Expect.isLessThan (abs mean) 0.03 $"pull mean {mean}"
            }
            test "same seed, same sample; another seed, another sample" {
                let a = DimuonToy.Sample(200, 3)
                let b = DimuonToy.Sample(200, 3)
                let c = DimuonToy.Sample(200, 4)
                Expect.sequenceEqual (a.Column "pt1") (b.Column "pt1") "same seed"
                Expect.notEqual (a.Column "pt1") (c.Column "pt1") "other seed"
            }
        ]
