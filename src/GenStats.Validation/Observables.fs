/// HEP observables for F# pipelines: thin curried wrappers over GenStats.Observables (float64 columns,
/// one array per quantity, one entry per event; GeV and radians). Lists of objects are `float[][]`
/// (one column per object); masses are `float[][] option` (None = massless). φ results lie in (−π, π].
/// Expressions such as `"mass(pt1,eta1,phi1,pt2,eta2,phi2)"` evaluate on a `Dataset`, data last:
/// `data |> Observables.derive "M=mass(pt1,eta1,phi1,pt2,eta2,phi2)"`. See docs/observables.md.
module GenStats.Validation.Observables

open GenStats.Data
open GenStats.Observables

let private masses (m: float[][] option) = Option.toObj m

/// φ wrapped into (−π, π] (−π maps to π).
let wrapPhi (phi: float) = ColumnObservables.WrapPhi phi

/// Δφ = φ₁ − φ₂ wrapped into (−π, π].
let deltaPhi (phi1: float[]) (phi2: float[]) = ColumnObservables.DeltaPhi(phi1, phi2)

/// ΔR = √(Δη² + Δφ²).
let deltaR (eta1: float[]) (phi1: float[]) (eta2: float[]) (phi2: float[]) =
    ColumnObservables.DeltaR(eta1, phi1, eta2, phi2)

/// The invariant mass of two massless objects, √(2 pT₁ pT₂ (cosh Δη − cos Δφ)).
let mass (pt1: float[]) (eta1: float[]) (phi1: float[]) (pt2: float[]) (eta2: float[]) (phi2: float[]) =
    ColumnObservables.Mass(pt1, eta1, phi1, pt2, eta2, phi2)

/// The invariant mass of k objects (pT, η, φ) with optional masses.
let massOf (m: float[][] option) (pt: float[][]) (eta: float[][]) (phi: float[][]) =
    ColumnObservables.Mass(pt, eta, phi, masses m)

/// The invariant mass of k objects (E, px, py, pz), m² clamped at 0.
let massFromFourMomenta (e: float[][]) (px: float[][]) (py: float[][]) (pz: float[][]) =
    ColumnObservables.MassFromFourMomenta(e, px, py, pz)

/// The transverse momentum of a system of objects.
let systemPt (pt: float[][]) (phi: float[][]) = ColumnObservables.SystemPt(pt, phi)

/// The azimuth of a system of objects, in (−π, π].
let systemPhi (pt: float[][]) (phi: float[][]) = ColumnObservables.SystemPhi(pt, phi)

/// The rapidity of a system of objects with optional masses.
let systemRapidity (m: float[][] option) (pt: float[][]) (eta: float[][]) =
    ColumnObservables.SystemRapidity(pt, eta, masses m)

/// The transverse mass of two massless objects, √(2 pT₁ pT₂ (1 − cos Δφ)).
let transverseMass (pt1: float[]) (phi1: float[]) (pt2: float[]) (phi2: float[]) =
    ColumnObservables.TransverseMass(pt1, phi1, pt2, phi2)

/// The transverse mass of two objects with masses m1, m2.
let transverseMassWith (m1: float[]) (m2: float[]) (pt1: float[]) (phi1: float[]) (pt2: float[]) (phi2: float[]) =
    ColumnObservables.TransverseMass(pt1, phi1, m1, pt2, phi2, m2)

/// Parses an observable expression (errors name the position and what is allowed).
let parse (expression: string) = ObservableExpression.Parse expression

/// The functions of the expression language with their argument order, one line each.
let functions () =
    List.ofSeq ObservableExpression.Functions

/// Evaluates an expression over the columns of a dataset.
let inline evaluate (expression: string) (table: ^T) =
    (ObservableExpression.Parse expression).Evaluate(Data.dataset table)

/// The dataset with a derived column added (or replaced), from `"NAME=expression"`.
let inline derive (definition: string) (table: ^T) =
    (ObservableDefinition.Parse definition).AddTo(Data.dataset table)
