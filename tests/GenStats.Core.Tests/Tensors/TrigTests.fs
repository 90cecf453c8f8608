/// Sin, Cos, Sinh, Cosh, Asinh, Erf and Atan2: closed-form identities, reference values, and
/// first- and second-order gradients against finite differences.
module GenStats.Tests.Tensors.TrigTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Tensors
open GenStats.Tests.Tolerance
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.Tensors.GradientTests
open GenStats.Tests.TestMain

/// A few float32 roundings of O(1) numbers: 1e-6 absolute (≈ 8 ulp at 1).
let private float32Accuracy = { Absolute = 1e-6; Relative = 1e-6 }

let private unary (vals: Gen<float32>) (f: Tensor -> Tensor) =
    Prop.forAll (arb (anyRank vals)) (checkBoth (fun xs -> f xs[0]))

let private grid lo hi n =
    Array.init n (fun i -> float32 (lo + (hi - lo) * float i / float (n - 1)))

let ``identities: sin²+cos² = 1, cosh²−sinh² = 1, asinh(sinh x) = x`` () =
    let x = grid -5.0 5.0 1001
    let t = Tensor.FromArray(x, x.Length)
    let s, c = (Ops.Sin t).ToArray(), (Ops.Cos t).ToArray()
    let sh, ch = (Ops.Sinh t).ToArray(), (Ops.Cosh t).ToArray()
    let back = (Ops.Asinh(Ops.Sinh t)).ToArray()

    for i in 0 .. x.Length - 1 do
        let xi = float x[i]
        assertClose float32Accuracy 1.0 (float s[i] ** 2.0 + float c[i] ** 2.0) (sprintf "sin²+cos² at %g" xi)
        // cosh² ≤ 5.5e3 here: float32 rounding of each square is ~1e-7 relative to cosh².
        let ch2 = float ch[i] ** 2.0

        assertClose
            {
                Absolute = 1e-6 * ch2
                Relative = 0.0
            }
            1.0
            (ch2 - float sh[i] ** 2.0)
            (sprintf "cosh²−sinh² at %g" xi)
        // asinh∘sinh = id; sinh's rounding (relative 1e-7) maps to ≈1e-7·tanh(x)·… absolute, below 1e-6.
        assertClose float32Accuracy xi (float back[i]) (sprintf "asinh(sinh %g)" xi)

let ``sin, cos and asinh have their exact values at simple points`` () =
    // sin 0 = 0, cos 0 = 1, asinh 0 = 0, asinh(3/4) = ln 2 (since 3/4 + √(1+9/16) = 2), sinh(ln 2) = 3/4.
    let v (f: Tensor -> Tensor) (x: float32) =
        float ((f (Tensor.FromArray([| x |], 1))).ToScalar())

    assertClose float32Accuracy 0.0 (v Ops.Sin 0f) "sin 0"
    assertClose float32Accuracy 1.0 (v Ops.Cos 0f) "cos 0"
    assertClose float32Accuracy 1.0 (v Ops.Cosh 0f) "cosh 0"
    assertClose float32Accuracy (Math.Log 2.0) (v Ops.Asinh 0.75f) "asinh 3/4"
    assertClose float32Accuracy (-(Math.Log 2.0)) (v Ops.Asinh (-0.75f)) "asinh −3/4"
    assertClose float32Accuracy 0.75 (v Ops.Sinh (float32 (Math.Log 2.0))) "sinh ln 2"
    // Large arguments: asinh(1e30) = ln(2e30) = 69.7799…; no overflow inside.
    assertClose float32Accuracy (Math.Log 2e30) (v Ops.Asinh 1e30f) "asinh 1e30"

let ``erf matches Python's math.erf and MathNet on a grid`` () =
    // /usr/bin/python3: [math.erf(x) for x in (-3, -1, -0.5, 0, 0.1, 0.5, 1, 2, 2.5, 3.5, 5)]
    let xs = [| -3f; -1f; -0.5f; 0f; 0.1f; 0.5f; 1f; 2f; 2.5f; 3.5f; 5f |]

    let expected =
        [|
            -0.9999779095030014
            -0.8427007929497149
            -0.5204998778130465
            0.0
            0.1124629160182849
            0.5204998778130465
            0.8427007929497149
            0.9953222650189527
            0.999593047982555
            0.9999992569016276
            0.9999999999984626
        |]

    let y = (Ops.Erf(Tensor.FromArray(xs, xs.Length))).ToArray()
    // float32 rounding of a value near 1 is at most 3e-8 (half an ulp); 1e-7 leaves room.
    let acc = { Absolute = 1e-7; Relative = 0.0 }

    for i in 0 .. xs.Length - 1 do
        assertClose acc expected[i] (float y[i]) (sprintf "erf %g" xs[i])
    // A dense grid over [−7, 7] (every branch of the kernel) against MathNet's float64 erf.
    let g = grid -7.0 7.0 4001
    let yg = (Ops.Erf(Tensor.FromArray(g, g.Length))).ToArray()

    for i in 0 .. g.Length - 1 do
        assertClose acc (MathNet.Numerics.SpecialFunctions.Erf(float g[i])) (float yg[i]) (sprintf "erf %g" g[i])

let ``atan2 follows numpy's quadrants and signed zeros`` () =
    // /usr/bin/python3: numpy.arctan2(y, x) for these pairs →
    //   0.7853981633974483, 2.356194490192345, -2.356194490192345, -0.7853981633974483,
    //   3.141592653589793 (y = +0, x < 0), -3.141592653589793 (y = −0, x < 0), 0.0, 1.5707963267948966,
    //   -1.5707963267948966, 0.0 (0, 0), 2.498091544796509 (3, −4)
    let ys = [| 1f; 1f; -1f; -1f; 0f; -0f; 0f; 1f; -1f; 0f; 3f |]
    let xs = [| 1f; -1f; -1f; 1f; -1f; -1f; 1f; 0f; 0f; 0f; -4f |]

    let expected =
        [|
            0.7853981633974483
            2.356194490192345
            -2.356194490192345
            -0.7853981633974483
            3.141592653589793
            -3.141592653589793
            0.0
            1.5707963267948966
            -1.5707963267948966
            0.0
            2.498091544796509
        |]

    let r =
        (Ops.Atan2(Tensor.FromArray(ys, ys.Length), Tensor.FromArray(xs, xs.Length))).ToArray()

    for i in 0 .. ys.Length - 1 do
        // float32(π) is 8.7e-8 above π.
        assertClose { Absolute = 2e-7; Relative = 0.0 } expected[i] (float r[i]) (sprintf "atan2(%g, %g)" ys[i] xs[i])
    // Broadcasting: y [2, 1] against x [3] gives [2, 3] with y varying down the rows.
    let b =
        Ops.Atan2(Tensor.FromArray([| 1f; -2f |], 2, 1), Tensor.FromArray([| 1f; 2f; -3f |], 3))

    eqArr (b.Shape.ToArray()) [| 2; 3 |]

    for i in 0..1 do
        for j in 0..2 do
            let yv, xv = [| 1.0; -2.0 |][i], [| 1.0; 2.0; -3.0 |][j]
            assertClose { Absolute = 2e-7; Relative = 0.0 } (Math.Atan2(yv, xv)) (float b[i, j]) "broadcast"

/// y and x kept off the origin (r ≥ 0.5) and off the branch cut (|y| ≥ 0.1 when x < 0).
let private atan2Inputs =
    let awayHalf =
        Gen.zip (values 0.5 2.0) (Gen.elements [ -1f; 1f ])
        |> Gen.map (fun (a, s) -> a * s)

    broadcastPairOf awayFromZero awayHalf

let ``gradients: sin`` () = unary (values -3.0 3.0) Ops.Sin
let ``gradients: cos`` () = unary (values -3.0 3.0) Ops.Cos
let ``gradients: sinh`` () = unary (values -2.0 2.0) Ops.Sinh
let ``gradients: cosh`` () = unary (values -2.0 2.0) Ops.Cosh
let ``gradients: asinh`` () = unary (values -3.0 3.0) Ops.Asinh
let ``gradients: erf`` () = unary (values -2.0 2.0) Ops.Erf

let ``gradients: atan2 with broadcasting`` () =
    Prop.forAll (arb atan2Inputs) (checkBoth (fun xs -> Ops.Atan2(xs[0], xs[1])))

let private cases =
    testList
        "Tensors.Trig"
        [
            testCase
                "identities: sin²+cos² = 1, cosh²−sinh² = 1, asinh(sinh x) = x"
                ``identities: sin²+cos² = 1, cosh²−sinh² = 1, asinh(sinh x) = x``
            testCase
                "sin, cos and asinh have their exact values at simple points"
                ``sin, cos and asinh have their exact values at simple points``
            testCase
                "erf matches Python's math.erf and MathNet on a grid"
                ``erf matches Python's math.erf and MathNet on a grid``
            testCase
                "atan2 follows numpy's quadrants and signed zeros"
                ``atan2 follows numpy's quadrants and signed zeros``
            testPropertyN 40 "gradients: sin" ``gradients: sin``
            testPropertyN 40 "gradients: cos" ``gradients: cos``
            testPropertyN 40 "gradients: sinh" ``gradients: sinh``
            testPropertyN 40 "gradients: cosh" ``gradients: cosh``
            testPropertyN 40 "gradients: asinh" ``gradients: asinh``
            testPropertyN 40 "gradients: erf" ``gradients: erf``
            testPropertyN 40 "gradients: atan2 with broadcasting" ``gradients: atan2 with broadcasting``
        ]

/// Every case on every backend of BackendCombos.all.
[<Tests>]
let tests = BackendCombos.onEach cases
