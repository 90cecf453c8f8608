/// Finite-difference checking of autodiff gradients (first and second order) for the Tensors tests.
module GenStats.Tests.Tensors.GradCheck

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Tensors

/// One input of a checked function: its shape and float32 values.
type Input = { Shape: int[]; Values: float32[] }

let tensorOf (i: Input) =
    Tensor.FromArray(Array.copy i.Values, i.Shape)

let leafOf (i: Input) = (tensorOf i).RequireGrad()

/// Fixed, varied, non-zero weights so that Σ cᵢ·yᵢ exercises every output element differently.
let weightsFor (shape: Shape) =
    let n = shape.Size
    Tensor.FromArray(Array.init n (fun i -> float32 (0.5 + 0.3 * sin (1.7 * float i + 0.4))), shape)

/// Reduces any op result to a scalar loss Σ cᵢ·yᵢ.
let scalarize (y: Tensor) = Ops.Sum(Ops.Mul(y, weightsFor y.Shape))

/// The checked scalar function, its value and its autodiff gradient, for a list of inputs.
type Checked =
    {
        Value: Input[] -> float
        Gradient: Input[] -> float[][]
    }

/// First order: L(x) = Σ c·f(x).
let firstOrder (f: Tensor[] -> Tensor) =
    {
        Value = fun ins -> (scalarize (f (Array.map tensorOf ins))).ToScalar() |> float
        Gradient =
            fun ins ->
                let xs = Array.map leafOf ins

                Autograd.Grad(scalarize (f xs), xs)
                |> Array.map (fun g -> g.ToArray() |> Array.map float)
    }

/// Second order: S(x) = Σᵢ ‖∂L/∂xᵢ‖², whose gradient needs the backward pass to be differentiable.
let secondOrder (f: Tensor[] -> Tensor) =
    let s (xs: Tensor[]) =
        let gs = Autograd.Grad(scalarize (f xs), xs, createGraph = true)

        gs
        |> Array.map (fun g -> Ops.Sum(Ops.Square g))
        |> Array.reduce (fun a b -> Ops.Add(a, b))

    {
        Value = fun ins -> (s (Array.map leafOf ins)).ToScalar() |> float
        Gradient =
            fun ins ->
                let xs = Array.map leafOf ins
                let sv = s xs
                // A linear op has a constant gradient: S does not depend on x and its gradient is 0.
                if not sv.RequiresGrad then
                    ins |> Array.map (fun i -> Array.zeroCreate i.Values.Length)
                else
                    Autograd.Grad(sv, xs) |> Array.map (fun g -> g.ToArray() |> Array.map float)
    }

/// Compares the autodiff gradient with central differences (step h, float64 quotient of float32
/// evaluations); fails with the first offending element.
let checkAgainstFiniteDifferences (what: string) (h: float32) (rtol: float) (atol: float) (c: Checked) (ins: Input[]) =
    let ad = c.Gradient ins

    for k in 0 .. ins.Length - 1 do
        for j in 0 .. ins[k].Values.Length - 1 do
            let at (delta: float32) =
                let copy = ins |> Array.map (fun i -> { i with Values = Array.copy i.Values })
                copy[k].Values[ j ] <- ins[k].Values[j] + delta
                copy, copy[k].Values[j]

            let plus, xp = at h
            let minus, xm = at -h
            let fp, fm = c.Value plus, c.Value minus
            let fd = (fp - fm) / (float xp - float xm)
            // float32 evaluation noise (~1e-6 relative after a few ops) divided by the step.
            let noise = 1e-6 * max (abs fp) (abs fm) / (float xp - float xm)
            let g = ad[k][j]

            if
                not (Double.IsFinite g)
                || abs (g - fd) > atol + noise + rtol * max (abs g) (abs fd)
            then
                failtest (
                    sprintf
                        "%s: d/dx%d[%d] autodiff %.7g vs finite difference %.7g (inputs %A)"
                        what
                        k
                        j
                        g
                        fd
                        (ins |> Array.map (fun i -> i.Shape, i.Values))
                )

    true

/// Checks first- and second-order gradients of f.
let checkBoth (f: Tensor[] -> Tensor) (ins: Input[]) =
    checkAgainstFiniteDifferences "first order" 1e-2f 1e-2 2e-3 (firstOrder f) ins
    && checkAgainstFiniteDifferences "second order" 1e-2f 2e-2 5e-3 (secondOrder f) ins

// ---- generators ----

/// Values in [lo, hi] on a 1/1000 grid (built from integers: never NaN).
let values (lo: float) (hi: float) : Gen<float32> =
    Gen.choose (int (lo * 1000.0), int (hi * 1000.0))
    |> Gen.map (fun i -> float32 i / 1000f)

/// Values with |x| in [0.1, 2]: at least 0.1 away from the kink of ReLU, |x|, …
let awayFromZero: Gen<float32> =
    Gen.zip (values 0.1 2.0) (Gen.elements [ -1f; 1f ])
    |> Gen.map (fun (a, s) -> a * s)

let inputOf (shape: int[]) (vals: Gen<float32>) : Gen<Input> =
    Gen.arrayOfLength (Array.fold (*) 1 shape) vals
    |> Gen.map (fun v -> { Shape = shape; Values = v })

/// A random matrix shape, 1..4 × 1..5.
let matrixShape: Gen<int[]> =
    Gen.zip (Gen.choose (1, 4)) (Gen.choose (1, 5))
    |> Gen.map (fun (r, c) -> [| r; c |])

/// One random-shaped matrix input.
let matrix (vals: Gen<float32>) : Gen<Input[]> =
    gen {
        let! s = matrixShape
        let! i = inputOf s vals
        return [| i |]
    }

/// A random-shaped rank-1..3 input.
let anyRank (vals: Gen<float32>) : Gen<Input[]> =
    gen {
        let! rank = Gen.choose (1, 3)
        let! dims = Gen.arrayOfLength rank (Gen.choose (1, 4))
        let! i = inputOf dims vals
        return [| i |]
    }

let arb (g: Gen<Input[]>) =
    Arb.fromGenShrink (g, fun _ -> Seq.empty)

/// Asserts exact equality of two arrays, showing both when they differ.
let eqArr (actual: 'a[]) (expected: 'a[]) =
    if actual <> expected then
        failtest (sprintf "expected %A, got %A" expected actual)
