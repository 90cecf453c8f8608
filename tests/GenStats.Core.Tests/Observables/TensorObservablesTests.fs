/// The tensor observables: equal to the float64 ones (float32 tolerance), wrapped angles in range,
/// and autodiff gradients equal to finite differences (first and second order).
module GenStats.Tests.Observables.TensorObservablesTests

open System
open System.Collections.Generic
open Expecto
open GenStats.Tensors
open GenStats.Observables
open GenStats.Tests.Tensors.GradCheck

/// 64 events of two objects with fixed pseudo-random kinematics, rounded to float32 so both
/// versions see the same inputs.
let private events =
    let rng = Random 5

    let draw lo hi =
        Array.init 64 (fun _ -> float (float32 (lo + (hi - lo) * rng.NextDouble())))

    dict
        [
            "pt1", draw 5.0 80.0
            "eta1", draw -2.5 2.5
            "phi1", draw -3.14 3.14
            "m1", draw 0.0 5.0
            "pt2", draw 5.0 80.0
            "eta2", draw -2.5 2.5
            "phi2", draw -3.14 3.14
            "m2", draw 0.0 5.0
        ]
    |> Dictionary<string, float[]>

let private tensors =
    events
    |> Seq.map (fun kv -> KeyValuePair(kv.Key, Tensor.FromArray(Array.map float32 kv.Value, [| kv.Value.Length; 1 |])))
    |> Dictionary<string, Tensor>

let private expressions =
    [
        "mass(pt1,eta1,phi1,pt2,eta2,phi2)"
        "mass(pt1,eta1,phi1,m1,pt2,eta2,phi2,m2)"
        "mass(pt1,eta1,phi1,pt2,eta2,phi2,pt2,eta1,phi1)"
        "mass4(pt1,eta1,phi1,pt2,pt2,eta2,phi2,pt1)"
        "pt(pt1,eta1,phi1,pt2,eta2,phi2)"
        "phi(pt1,eta1,phi1,pt2,eta2,phi2)"
        "rapidity(pt1,eta1,phi1,pt2,eta2,phi2)"
        "rapidity(pt1,eta1,phi1,m1,pt2,eta2,phi2,m2)"
        "dphi(phi1,phi2)"
        "dr(eta1,phi1,eta2,phi2)"
        "mt(pt1,phi1,pt2,phi2)"
        "mt(pt1,phi1,m1,pt2,phi2,m2)"
    ]

/// Two events [2, 1] of a massive pair, physical ranges (GeV), away from the m = 0 and Δφ = ±π points.
let private pairInputs =
    [|
        [| 30f; 45f |]
        [| 0.5f; -1.1f |]
        [| 0.3f; 2.0f |]
        [| 40f; 25f |]
        [| -1.2f; 0.4f |]
        [| 2.5f; -0.7f |]
    |]
    |> Array.map (fun v -> { Shape = [| 2; 1 |]; Values = v })

[<Tests>]
let tests =
    testList
        "Observables.Tensor"
        [
            for text in expressions do
                test $"{text}: tensor value = float64 value (float32 tolerance)" {
                    let e = ObservableExpression.Parse text
                    let d = e.Evaluate events
                    let t = (e.EvaluateTensor tensors).ToArray()
                    Expect.equal t.Length d.Length "length"

                    for i in 0 .. d.Length - 1 do
                        // float32 arithmetic: ~10 ops of relative error 6e-8 each, amplified ≤ 10× by
                        // the sinh/cosh of |Δη| ≤ 5 and the log of the rapidity; angles near 0 get an absolute floor.
                        Expect.floatClose { absolute = 2e-4; relative = 2e-5 } (float t[i]) d[i] $"event {i}"
                }
            test "tensor Δφ and system φ stay in (−π, π] at the seam" {
                let phi1 =
                    Tensor.FromArray([| float32 Math.PI; -float32 Math.PI; 3f; 0f |], [| 4; 1 |])

                let phi2 = Tensor.FromArray([| 0f; 0f; -3f; float32 Math.PI |], [| 4; 1 |])
                let d = (TensorObservables.DeltaPhi(phi1, phi2)).ToArray()
                let pi32 = float32 Math.PI

                for x in d do
                    Expect.isTrue (x > -pi32 && x <= pi32) $"Δφ {x} in range"
                // 3 − (−3) = 6 → 6 − 2π
                Expect.floatClose Accuracy.low (float d[2]) (6.0 - 2.0 * Math.PI) "wrapped"
            }
            for name, make in GenStats.Tests.Tensors.BackendCombos.all do
                test $"tensor Δφ wraps several turns like the float64 version ({name})" {
                    // Differences of up to ±7 turns: the shift 2πk is float32(2π)·k, within a few
                    // float32 ulps of |Δφ| ≤ 45 (ulp 3.8e-6) of the float64 result.
                    let a = [| 10.0; -20.0; 45.0; -44.0; 7.0; 0.5; -3.5 |]
                    let b = [| 0.0; 1.0; -0.3; 0.2; 0.0; -0.25; 0.0 |]

                    let col (v: float[]) =
                        Tensor.FromArray(Array.map float32 v, [| v.Length; 1 |])

                    let d =
                        GenStats.Tests.Tensors.BackendCombos.withBackend (make ()) (fun () ->
                            (TensorObservables.DeltaPhi(col a, col b)).ToArray())

                    let expected =
                        ColumnObservables.DeltaPhi(
                            Array.map float32 a |> Array.map float,
                            Array.map float32 b |> Array.map float
                        )

                    for i in 0 .. a.Length - 1 do
                        Expect.floatClose
                            { absolute = 2e-5; relative = 0.0 }
                            (float d[i])
                            expected[i]
                            $"Δφ {a[i]} − {b[i]}"
                }
            test "gradients of the massless pair mass match finite differences (first and second order)" {
                let f (x: Tensor[]) =
                    TensorObservables.Mass(x[0], x[1], x[2], x[3], x[4], x[5])

                Expect.isTrue (checkBoth f pairInputs) "mass"
            }
            test "gradients of the massive mass, ΔR, mT and system rapidity match finite differences" {
                let m = Tensor.Full(1.5f, [| 2; 1 |])

                let withMass (x: Tensor[]) =
                    TensorObservables.Mass([| x[0]; x[3] |], [| x[1]; x[4] |], [| x[2]; x[5] |], [| m; m |])

                let dr (x: Tensor[]) =
                    TensorObservables.DeltaR(x[1], x[2], x[4], x[5])

                let mt (x: Tensor[]) =
                    TensorObservables.TransverseMass(x[0], x[2], m, x[3], x[5], m)

                let y (x: Tensor[]) =
                    TensorObservables.SystemRapidity([| x[0]; x[3] |], [| x[1]; x[4] |], [| m; m |])

                let pt (x: Tensor[]) =
                    TensorObservables.SystemPt([| x[0]; x[3] |], [| x[2]; x[5] |])

                Expect.isTrue (checkBoth withMass pairInputs) "massive mass"
                Expect.isTrue (checkBoth dr pairInputs) "ΔR"
                Expect.isTrue (checkBoth mt pairInputs) "mT"
                Expect.isTrue (checkBoth y pairInputs) "rapidity"
                Expect.isTrue (checkBoth pt pairInputs) "system pT"
            }
            test "the mass gradient stays finite for a zero-mass pair (identical massless objects)" {
                let x =
                    [| 40f; 0.3f; 1.0f |]
                    |> Array.map (fun v -> Tensor.FromArray([| v |], [| 1; 1 |]).RequireGrad())

                let m = TensorObservables.Mass(x[0], x[1], x[2], x[0], x[1], x[2])
                Expect.floatClose Accuracy.low (float (m.ToArray()[0])) 1e-6 "m at the floor √1e-12"

                for g in Autograd.Grad(Ops.Sum m, x) do
                    Expect.isTrue (g.ToArray() |> Array.forall Single.IsFinite) "finite gradient"
            }
        ]
