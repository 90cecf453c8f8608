/// The ECAL shower toy against the formulas of its parametrisation (docs/physics.md): response
/// and resolution vs E, second moments vs E and angle (profile ⊕ depth × tan θ ⊕ cell size),
/// the barycentre shift ⟨z⟩ tan θ, the asymmetry vs impact point, noise occupancy above the
/// threshold and the threshold edge of the log10(cell energy) spectrum. Expected values are
/// restated here from the parameters, not read from the toy's helpers. Tolerances are 4σ of the
/// estimator (fixed seeds; a correct toy fails for about one seed in 10⁴).
module GenStats.Tests.Physics.EcalToyTests

open System
open Expecto
open GenStats.Physics
open GenStats.Observables

let private d = 2.0 // cell size, cm (the default)
let private rm = 3.5 // Molière radius, cm
let private x0 = 1.75 // radiation length, cm

/// Per-axis variance of the transverse profile: each radial component is Gamma(2, λ R_M), whose
/// ⟨r²⟩ = 2·3·(λ R_M)², split equally over x and y: 3 R_M² (p λ_c² + (1 − p) λ_t²).
let private profileVariance =
    3.0 * rm * rm * (0.85 * 0.15 ** 2.0 + 0.15 * 0.6 ** 2.0)

/// Longitudinal Gamma(a, 1/b) in X0 with (a − 1)/b = ln(E/E_c) − 0.5, b = 0.5, E_c = 0.01 GeV.
let private shape e = 1.0 + 0.5 * (log (e / 0.01) - 0.5)
let private meanDepth e = x0 * shape e / 0.5
let private depthVariance e = x0 * x0 * shape e / 0.25

/// No noise, no threshold, one energy E, slopes up to maxSlope, spots per GeV.
let private noiseless (e: float) (maxSlope: float) (spotsPerGeV: float) (minSpots: int) =
    EcalOptions(
        NoiseSigma = 0.0,
        Threshold = 0.0,
        EnergyMin = e,
        EnergyMax = e,
        MaxSlope = maxSlope,
        SpotsPerGeV = spotsPerGeV,
        MinSpots = minSpots
    )

let private mean (xs: float[]) = Array.average xs

let private sd (xs: float[]) =
    let m = mean xs
    sqrt (Array.sumBy (fun x -> (x - m) ** 2.0) xs / float (xs.Length - 1))

let private features (o: ShowerFeatureOptions) (s: EcalShowers) = ShowerFeatures.Compute(s.Data, o)

let ``response and resolution follow f and a/√E ⊕ b`` () =
    // Spots only move energy around; few are enough for the total.
    for e, seed in [ 4.0, 1; 16.0, 2; 64.0, 3 ] do
        let n = 4000

        let s = EcalToy.Generate(n, seed, noiseless e 0.25 0.5 20)

        let total = (features ShowerFeatureOptions.Default s).Column "energy"
        let r = total |> Array.map (fun t -> t / e)
        let sigma = 0.3 * sqrt (0.1 * 0.1 / e + 0.01 * 0.01) // σ of the response
        let m = mean r
        Expect.isLessThan (abs (m - 0.3)) (4.0 * sigma / sqrt (float n)) $"mean response at E = {e} GeV"
        // The sample standard deviation of a Gaussian has relative error 1/√(2(n − 1)).
        let relErr = 1.0 / sqrt (2.0 * float (n - 1))
        Expect.isLessThan (abs (sd r / sigma - 1.0)) (4.0 * relErr) $"resolution at E = {e} GeV"
        // Spots that leave the grid (deep showers at 14° reach 15 cm sideways) lose ~1e-5 of it.
        Expect.floatClose
            { absolute = 0.0; relative = 1e-4 }
            (mean total)
            (mean s.VisibleEnergy)
            "the total is the visible energy (no noise)"

/// Events × (dx, dy, width², …) at one energy with slopes up to 0.3, no noise, whole-grid moments.
let private angled =
    lazy
        (let e = 16.0
         let s = EcalToy.Generate(3000, 5, noiseless e 0.3 50.0 100)
         let f = features (ShowerFeatureOptions(CellSize = d, Window = 0)) s
         let c = s.Data.ConditionColumn
         let tx = Array.map2 (/) (c "px") (c "pz")
         let ty = Array.map2 (/) (c "py") (c "pz")
         e, s, f, tx, ty)

let ``the barycentre moves by the mean depth × tan θ along pT`` () =
    let e, s, f, tx, _ = angled.Force()
    let dx = Array.map2 (-) (f.Column "x") (s.Data.ConditionColumn "x")
    // E[x̄ − x0 | tx] = ⟨z⟩ tx exactly (cell quantisation averages out over the uniform impact
    // point); residual variance per event ≤ (σ² + tx² Var z + Δ²/12)/K.
    let residual = Array.map2 (fun dx t -> dx - meanDepth e * t) dx tx
    let k = 800.0

    let sePerEvent =
        sqrt ((profileVariance + 0.09 * depthVariance e + d * d / 12.0) / k)

    Expect.isLessThan (abs (mean residual)) (4.0 * sePerEvent / sqrt (float dx.Length)) "mean residual"

    let slope =
        Array.fold2 (fun acc a t -> acc + a * t) 0.0 dx tx
        / Array.sumBy (fun t -> t * t) tx

    Expect.isLessThan (abs (slope / meanDepth e - 1.0)) 0.01 $"fitted depth {slope:F3} cm vs ⟨z⟩ = {meanDepth e:F3} cm"

let ``second moments grow with the angle along pT only: σ² + tan²θ Var z + Δ²/12`` () =
    let e, _, f, tx, ty = angled.Force()
    let k = 800.0
    // Moment about the per-event barycentre of K equal spots: (1 − 1/K) × the population moment;
    // quantisation adds Δ²/12 when the impact point is uniform over whole cells (Sheppard).
    let expected (t2: float) =
        (1.0 - 1.0 / k) * (profileVariance + t2 * depthVariance e + d * d / 12.0)

    // Each axis is binned in its own slope: the expectation holds only if the other slope adds nothing.
    let check (name: string) (width: float[]) (slope: float[]) =
        let m2 = width |> Array.map (fun w -> w * w)
        // Bins in |slope| along the axis; within each, the mean of slope² sets the expectation.
        let edges = [| 0.0; 0.1; 0.2; 0.3 |]

        let binMeans =
            [
                for b in 0..2 ->
                    let idx =
                        [|
                            for i in 0 .. m2.Length - 1 do
                                if abs slope[i] >= edges[b] && abs slope[i] < edges[b + 1] then
                                    yield i
                        |]

                    let v = idx |> Array.map (fun i -> m2[i])
                    let t2 = idx |> Array.averageBy (fun i -> slope[i] * slope[i])
                    let exp = expected t2
                    // 4σ of the bin mean, plus 0.3 % for the cell-quantisation bias of the barycentre.
                    let tol = 4.0 * sd v / sqrt (float v.Length) + 0.003 * exp
                    Expect.isLessThan (abs (mean v - exp)) tol $"{name}: |slope| in [{edges[b]}, {edges[b + 1]})"
                    mean v
            ]

        Expect.isTrue (binMeans[0] < binMeans[1] && binMeans[1] < binMeans[2]) $"{name} grows with the slope"

    check "width_x" (f.Column "width_x") tx
    check "width_y" (f.Column "width_y") ty
    // At normal incidence the moment is the same at every energy (the profile does not scale with E).
    let flat e seed =
        let s = EcalToy.Generate(1500, seed, noiseless e 0.0 50.0 100)

        let w =
            (features (ShowerFeatureOptions(CellSize = d, Window = 0)) s).Column "width_x"

        let m2 = w |> Array.map (fun x -> x * x)
        let k = float (max 100 (int (Math.Round(50.0 * e))))
        let exp = (1.0 - 1.0 / k) * (profileVariance + d * d / 12.0)
        Expect.isLessThan (abs (mean m2 - exp)) (4.0 * sd m2 / sqrt 1500.0 + 0.003 * exp) $"width² at E = {e} GeV"

    flat 3.0 6
    flat 30.0 7

let ``the asymmetry has the sign of the impact offset and grows with it`` () =
    let s = EcalToy.Generate(4000, 9, EcalOptions(MaxSlope = 0.0, SpotsPerGeV = 10.0))

    let f = features (ShowerFeatureOptions(CellSize = d)) s
    let asym = f.Column "asym_x"
    let x = s.Data.ConditionColumn "x"
    let w = s.Data.Width
    // Offset of the impact point from the centre of the hottest cell's column, in cells.
    let offset =
        Array.init s.Data.Count (fun i ->
            let img = s.Data.Image(i).ToArray()
            let k = Array.findIndex ((=) (Array.max img)) img
            let centre = (float (k % w) + 0.5 - float w / 2.0) * d
            (x[i] - centre) / d)

    let bins = 10

    let means =
        Array.init bins (fun b ->
            let lo, hi = -0.5 + float b / float bins, -0.5 + float (b + 1) / float bins

            let v =
                [|
                    for i in 0 .. asym.Length - 1 do
                        if offset[i] >= lo && offset[i] < hi then
                            yield asym[i]
                |]

            Expect.isGreaterThan v.Length 100 "populated bin"
            mean v, sd v / sqrt (float v.Length))

    for b in 0 .. bins - 1 do
        let m, se = means[b]

        if b < bins / 2 then
            Expect.isLessThan (m + 4.0 * se) 0.0 $"bin {b}: offset < 0 → asymmetry < 0"
        else
            Expect.isGreaterThan (m - 4.0 * se) 0.0 $"bin {b}: offset > 0 → asymmetry > 0"

    for b in 1 .. bins - 1 do
        let m0, s0 = means[b - 1]
        let m1, s1 = means[b]
        Expect.isGreaterThan (m1 - m0 + 4.0 * sqrt (s0 * s0 + s1 * s1)) 0.0 $"monotonic between bins {b - 1} and {b}"

let ``cells without signal read non-zero with probability 1 − Φ(threshold/σ)`` () =
    let n = 2000

    let s =
        EcalToy.Generate(n, 11, EcalOptions(MaxSlope = 0.0, EnergyMin = 10.0, EnergyMax = 10.0, SpotsPerGeV = 5.0))

    let h, w = s.Data.Height, s.Data.Width
    // 6 × 6 blocks in the four corners: ≥ 25 cm from any impact point, where the tail holds < 1e-7 GeV per cell.
    let corner r c =
        (r < 6 || r >= h - 6) && (c < 6 || c >= w - 6)

    let mutable fired = 0
    let mutable cells = 0

    for i in 0 .. n - 1 do
        let img = s.Data.Image(i)

        for r in 0 .. h - 1 do
            for c in 0 .. w - 1 do
                if corner r c then
                    cells <- cells + 1

                    if img[r * w + c] <> 0.0f then
                        fired <- fired + 1
    // 1 − Φ(3) = 0.0013498980316301 (scipy.stats.norm.sf(3)).
    let p = 0.0013498980316301
    let expected = p * float cells
    Expect.isLessThan (abs (float fired - expected)) (4.0 * sqrt (expected * (1.0 - p))) "noise occupancy"

let ``the log10 cell-energy spectrum has its edge at the threshold`` () =
    let s = EcalToy.Generate(500, 12)
    let cells = s.Data.Images |> Array.filter (fun v -> v <> 0.0f)
    Expect.isGreaterThanOrEqual (float (Array.min cells)) (float 0.006f) "no non-zero cell below the threshold"
    // Just above the edge the density is highest: the Gaussian noise tail and the shower's outer
    // cells pile up there, so the first 0.05 decade holds more cells than the next one.
    let lt = log10 0.006

    let inBin lo hi =
        cells
        |> Array.filter (fun v -> let l = log10 (float v) in l >= lo && l < hi)
        |> Array.length

    let first, second = inBin lt (lt + 0.05), inBin (lt + 0.05) (lt + 0.1)
    Expect.isGreaterThan first second $"edge: {first} cells in the first 0.05 decade, {second} in the next"

let ``the same seed gives the same showers`` () =
    let a = EcalToy.Sample(20, 3)
    let b = EcalToy.Sample(20, 3)
    let c = EcalToy.Sample(20, 4)
    Expect.equal a.Images b.Images "same seed, same images"
    Expect.equal a.Conditions b.Conditions "same seed, same conditions"
    Expect.notEqual a.Images c.Images "another seed, other images"
    Expect.sequenceEqual a.ConditionNames [ "px"; "py"; "pz"; "x"; "y" ] "condition names"
    // |p| = E and the slopes stay within ±0.25.
    let p i =
        let c = a.Conditions
        sqrt (float c[5 * i] ** 2.0 + float c[5 * i + 1] ** 2.0 + float c[5 * i + 2] ** 2.0)

    for i in 0..19 do
        Expect.isGreaterThanOrEqual (p i) (2.0 * (1.0 - 1e-6)) "E ≥ 2 GeV"
        Expect.isLessThanOrEqual (p i) (100.0 * (1.0 + 1e-6)) "E ≤ 100 GeV"

[<Tests>]
let tests =
    testList
        "Physics.EcalToy"
        [
            testCase "response and resolution follow f and a/√E ⊕ b" ``response and resolution follow f and a/√E ⊕ b``
            testCase
                "the barycentre moves by the mean depth × tan θ along pT"
                ``the barycentre moves by the mean depth × tan θ along pT``
            testCase
                "second moments grow with the angle along pT only: σ² + tan²θ Var z + Δ²/12"
                ``second moments grow with the angle along pT only: σ² + tan²θ Var z + Δ²/12``
            testCase
                "the asymmetry has the sign of the impact offset and grows with it"
                ``the asymmetry has the sign of the impact offset and grows with it``
            testCase
                "cells without signal read non-zero with probability 1 − Φ(threshold/σ)"
                ``cells without signal read non-zero with probability 1 − Φ(threshold/σ)``
            testCase
                "the log10 cell-energy spectrum has its edge at the threshold"
                ``the log10 cell-energy spectrum has its edge at the threshold``
            testCase "the same seed gives the same showers" ``the same seed gives the same showers``
        ]
