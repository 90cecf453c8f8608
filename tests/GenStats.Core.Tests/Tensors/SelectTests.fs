/// Minimum, Maximum and Where: numpy semantics (broadcasting, NaN), the tie rule of the gradient,
/// and first- and second-order gradients against finite differences away from ties.
module GenStats.Tests.Tensors.SelectTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Tensors
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.Tensors.GradientTests
open GenStats.Tests.TestMain

let private vec (v: float32[]) = Tensor.FromArray(v, v.Length)

let ``minimum and maximum broadcast and propagate NaN like numpy`` () =
    // numpy.minimum/maximum([[1, 5], [-2, 0]], [0, 3]) = [[0, 3], [-2, 0]] / [[1, 5], [0, 3]].
    let a = Tensor.FromArray([| 1f; 5f; -2f; 0f |], 2, 2)
    let b = vec [| 0f; 3f |]
    eqArr ((Ops.Minimum(a, b)).ToArray()) [| 0f; 3f; -2f; 0f |]
    eqArr ((Ops.Maximum(a, b)).ToArray()) [| 1f; 5f; 0f; 3f |]
    // numpy.maximum(nan, 1) and numpy.maximum(1, nan) are both nan (likewise minimum).
    let n = vec [| Single.NaN; 1f |]
    let m = vec [| 1f; Single.NaN |]

    for r in [ Ops.Maximum(n, m); Ops.Minimum(n, m) ] do
        Expect.isTrue (r.ToArray() |> Array.forall Single.IsNaN) "NaN propagates from either side"

let ``the gradient goes to the chosen input and is split in halves at a tie`` () =
    let a = (vec [| 1f; 2f; 3f |]).RequireGrad()
    let b = (vec [| 2f; 2f; 1f |]).RequireGrad()
    // max picks b, tie, a: d/da = (0, ½, 1), d/db = (1, ½, 0); min the complement.
    let gmax = Autograd.Grad(Ops.Sum(Ops.Maximum(a, b)), [| a; b |])
    eqArr (gmax[0].ToArray()) [| 0f; 0.5f; 1f |]
    eqArr (gmax[1].ToArray()) [| 1f; 0.5f; 0f |]
    let gmin = Autograd.Grad(Ops.Sum(Ops.Minimum(a, b)), [| a; b |])
    eqArr (gmin[0].ToArray()) [| 1f; 0.5f; 0f |]
    eqArr (gmin[1].ToArray()) [| 0f; 0.5f; 1f |]
    // A broadcast scalar collects the gradient of every element where it is chosen: max(a, 2.5) picks it twice.
    let s = (Tensor.Scalar 2.5f).RequireGrad()
    let gs = Autograd.Grad(Ops.Sum(Ops.Maximum(a, s)), [| a; s |])
    eqArr (gs[0].ToArray()) [| 0f; 0f; 1f |]
    eqArr (gs[1].ToArray()) [| 2f |]

let ``where picks by a broadcast float mask, NaN counting as true`` () =
    // numpy.where([1, 0, nan] != 0, [[10, 20, 30], [40, 50, 60]], -1) = [[10, -1, 30], [40, -1, 60]]
    let mask = vec [| 1f; 0f; Single.NaN |]
    let a = (Tensor.FromArray([| 10f; 20f; 30f; 40f; 50f; 60f |], 2, 3)).RequireGrad()
    let b = (Tensor.Scalar -1f).RequireGrad()
    let y = Ops.Where(mask, a, b)
    eqArr (y.ToArray()) [| 10f; -1f; 30f; 40f; -1f; 60f |]
    // d/da = mask pattern; d/db = number of false elements (2), weighted by the seed 1.
    let g = Autograd.Grad(Ops.Sum y, [| a; b |])
    eqArr (g[0].ToArray()) [| 1f; 0f; 1f; 1f; 0f; 1f |]
    eqArr (g[1].ToArray()) [| 2f |]
    // A column mask [2, 1] broadcasts along rows.
    let col = Ops.Where(Tensor.FromArray([| 0f; -3f |], 2, 1), a, b)
    eqArr (col.ToArray()) [| -1f; -1f; -1f; 40f; 50f; 60f |]

/// a on the grid 0.1·k + 0.05, b on 0.1·k: |a − b| ≥ 0.05, never within the finite-difference step of a tie.
let private untied =
    let va = Gen.choose (-20, 19) |> Gen.map (fun k -> float32 k * 0.1f + 0.05f)
    let vb = Gen.choose (-20, 20) |> Gen.map (fun k -> float32 k * 0.1f)
    broadcastPairOf va vb

let ``gradients: maximum and minimum away from ties`` () =
    Prop.forAll (arb untied) (fun ins ->
        // Squared, so that the second derivative is not identically zero.
        checkBoth (fun xs -> Ops.Square(Ops.Maximum(xs[0], xs[1]))) ins
        && checkBoth (fun xs -> Ops.Mul(Ops.Minimum(xs[0], xs[1]), xs[0])) ins)

let ``gradients: where with full and broadcast masks`` () =
    Prop.forAll (arb (broadcastPair (values -2.0 2.0))) (fun ins ->
        let full = (Shape.Broadcast(Shape(ins[0].Shape), Shape(ins[1].Shape))).ToArray()

        let pattern n =
            Array.init n (fun i -> [| 1f; 0f; -2f; 0f; 0.5f |][i % 5])

        let fullMask () =
            Tensor.FromArray(pattern (Array.fold (*) 1 full), full)

        let lastMask () =
            let c = if full.Length = 0 then 1 else full[full.Length - 1]
            Tensor.FromArray(pattern c, c)

        checkBoth (fun xs -> Ops.Where(fullMask (), Ops.Square xs[0], Ops.Exp xs[1])) ins
        && checkBoth (fun xs -> Ops.Where(lastMask (), Ops.Sin xs[1], Ops.Mul(xs[0], xs[0]))) ins)

let private cases =
    testList
        "Tensors.Select"
        [
            testCase
                "minimum and maximum broadcast and propagate NaN like numpy"
                ``minimum and maximum broadcast and propagate NaN like numpy``
            testCase
                "the gradient goes to the chosen input and is split in halves at a tie"
                ``the gradient goes to the chosen input and is split in halves at a tie``
            testCase
                "where picks by a broadcast float mask, NaN counting as true"
                ``where picks by a broadcast float mask, NaN counting as true``
            testPropertyN
                40
                "gradients: maximum and minimum away from ties"
                ``gradients: maximum and minimum away from ties``
            testPropertyN
                40
                "gradients: where with full and broadcast masks"
                ``gradients: where with full and broadcast masks``
        ]

/// Every case on every backend of BackendCombos.all.
[<Tests>]
let tests = BackendCombos.onEach cases
