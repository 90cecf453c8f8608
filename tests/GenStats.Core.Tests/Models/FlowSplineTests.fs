/// The rational-quadratic spline of the neural spline flow: its inverse undoes it, its log|det J|
/// is the derivative of the map (against an independent float64 implementation of Durkan et al.'s
/// formulas differentiated numerically, and against autodiff), and it joins identity tails at ±B.
module GenStats.Tests.Models.FlowSplineTests

open Expecto
open GenStats.Models
open GenStats.Tensors

let private shape = SplineShape(8, 3.0f)

/// n values uniform on [−4, 4] (tails included) in 2 columns, and 0.5·N(0, 1) unconstrained parameters
/// (torch.randn-like, as nflows' spline tests draw them, halved so no bin is flatter than ≈ e⁻⁴).
let private draw seed n =
    let rng = Rng(uint64 seed)
    let x = rng.Uniform(Shape([| n; 2 |]), -4.0f, 4.0f)
    let p = Ops.Affine(rng.Normal(Shape([| n; 2 * shape.ParameterCount |])), 0.5f, 0.0f)
    x, p

/// The spline of one value written independently in float64 from the paper (eq. 4 and its
/// derivative) with nflows' parameterisation: softmax + floor for widths/heights, softplus + floor
/// for interior derivatives, boundary derivatives 1, identity outside [−B, B].
let private reference (s: SplineShape) (u: float[]) (x: float) =
    let k, b = s.Bins, float s.Bound

    let sizes (raw: float[]) (floor: float) =
        let m = Array.max raw
        let e = raw |> Array.map (fun v -> exp (v - m))
        let tot = Array.sum e
        e |> Array.map (fun v -> floor + (1.0 - floor * float k) * v / tot)

    let knots (fr: float[]) =
        let c = Array.scan (+) 0.0 fr
        c[k] <- 1.0
        c |> Array.map (fun v -> -b + 2.0 * b * v)

    if x < -b || x > b then
        x
    else
        let xs = knots (sizes u[0 .. k - 1] (float s.MinBinWidth))
        let ys = knots (sizes u[k .. 2 * k - 1] (float s.MinBinHeight))

        let d =
            Array.init (k + 1) (fun i ->
                if i = 0 || i = k then
                    1.0
                else
                    float s.MinDerivative + log (1.0 + exp u[2 * k + i - 1]))

        let i = max 0 (min (k - 1) ((xs |> Array.findIndexBack (fun e -> e <= x))))
        let w, h = xs[i + 1] - xs[i], ys[i + 1] - ys[i]
        let sk = h / w
        let t = (x - xs[i]) / w

        ys[i]
        + h * (sk * t * t + d[i] * t * (1.0 - t))
          / (sk + (d[i + 1] + d[i] - 2.0 * sk) * t * (1.0 - t))

let private column (t: Tensor) = t.ToArray() |> Array.map float

let private maxAbs (a: float[]) (b: float[]) =
    Array.map2 (fun u v -> abs (u - v)) a b |> Array.max

[<Tests>]
let tests =
    testList
        "Models.FlowSpline"
        [
            test "inverse(forward(x)) = x and forward(inverse(y)) = y to 1e-5 for random parameters, tails included" {
                for seed in 1..3 do
                    let x, p = draw seed 2000
                    let f = RationalQuadraticSpline.Forward(x, p, shape)
                    let back = RationalQuadraticSpline.Inverse(f.Output, p, shape)
                    let err = maxAbs (column x) (column back.Output)
                    Expect.isLessThan err 1e-5 $"seed {seed}: max |x − s⁻¹(s(x))| = {err}"
                    let again = RationalQuadraticSpline.Forward(back.Output, p, shape)
                    let err2 = maxAbs (column f.Output) (column again.Output)
                    Expect.isLessThan err2 1e-5 $"seed {seed}: max |y − s(s⁻¹(y))| = {err2}"
                    // log|(s⁻¹)′(y)| = −log|s′(x)|
                    let sum = Array.map2 (+) (column f.LogAbsDet) (column back.LogAbsDet)

                    Expect.isLessThan
                        (sum |> Array.map abs |> Array.max)
                        1e-4
                        $"seed {seed}: forward + inverse log|det|"
            }

            test "forward equals an independent float64 implementation of Durkan et al.'s formula to 1e-5" {
                let x, p = draw 4 500
                let y = column (RationalQuadraticSpline.Forward(x, p, shape)).Output
                let xs, ps = column x, column p
                let pc = shape.ParameterCount

                for i in 0 .. xs.Length - 1 do
                    let row, col = i / 2, i % 2
                    let u = ps[(row * 2 + col) * pc .. (row * 2 + col + 1) * pc - 1]
                    let r = reference shape u xs[i]
                    Expect.isLessThan (abs (y[i] - r)) 1e-5 $"value {i}: x = {xs[i]}, spline {y[i]}, reference {r}"
            }

            test
                "log|det J| equals the log of the float64 numerical derivative (central differences) of that implementation" {
                let x, p = draw 5 500
                let ld = column (RationalQuadraticSpline.Forward(x, p, shape)).LogAbsDet
                let xs, ps = column x, column p
                let pc = shape.ParameterCount
                // h = 1e−6 in float64: truncation O(h²) and rounding 1e−16/1e−6 are far below the float32 logdet's ≈ 1e−6;
                // at a knot the one-sided slopes agree (C¹ spline), so the central difference holds there too
                let h = 1e-6

                for i in 0 .. xs.Length - 1 do
                    let row, col = i / 2, i % 2
                    let u = ps[(row * 2 + col) * pc .. (row * 2 + col + 1) * pc - 1]

                    let fd =
                        log ((reference shape u (xs[i] + h) - reference shape u (xs[i] - h)) / (2.0 * h))

                    Expect.isLessThan
                        (abs (ld[i] - fd))
                        1e-4
                        $"value {i}: x = {xs[i]}, log|det| {ld[i]}, numerical {fd}"
            }

            test "log|det J| equals the log of autodiff's dy/dx of the forward map (and of the inverse map)" {
                let x, p = draw 6 1000
                let xg = Tensor.FromArray(x.ToArray(), x.Shape).RequireGrad()
                let f = RationalQuadraticSpline.Forward(xg, p, shape)
                // the map is element-wise, so the gradient of Σy is the diagonal of the Jacobian
                let dy = column (Autograd.Grad(Ops.Sum(f.Output), [| xg |])[0])
                let err = maxAbs (column f.LogAbsDet) (dy |> Array.map log)
                Expect.isLessThan err 1e-4 $"forward: max |log|det| − log dy/dx| = {err}"
                let yg = Tensor.FromArray(f.Output.ToArray(), x.Shape).RequireGrad()
                let inv = RationalQuadraticSpline.Inverse(yg, p, shape)
                let dx = column (Autograd.Grad(Ops.Sum(inv.Output), [| yg |])[0])
                let err2 = maxAbs (column inv.LogAbsDet) (dx |> Array.map log)
                Expect.isLessThan err2 1e-3 $"inverse: max |log|det| − log dx/dy| = {err2}"
            }

            test
                "the identity parameters (equal bins, unit derivatives) give s(x) = x, log|det| = 0; outside [−B, B] s is the identity" {
                let n = 200

                let x =
                    Tensor.FromArray(
                        Array.init (n * 2) (fun i -> -5.0f + 10.0f * float32 i / float32 (2 * n - 1)),
                        n,
                        2
                    )

                let k = shape.Bins

                let ident =
                    Array.init (n * 2 * shape.ParameterCount) (fun j ->
                        if j % shape.ParameterCount >= 2 * k then
                            shape.IdentityDerivative
                        else
                            0.0f)

                let f =
                    RationalQuadraticSpline.Forward(x, Tensor.FromArray(ident, n, 2 * shape.ParameterCount), shape)

                Expect.isLessThan (maxAbs (column x) (column f.Output)) 1e-5 "identity spline"
                Expect.isLessThan (column f.LogAbsDet |> Array.map abs |> Array.max) 1e-5 "identity log|det|"
                let _, p = draw 7 n
                let g = RationalQuadraticSpline.Forward(x, p, shape)
                let xs, ys, ls = column x, column g.Output, column g.LogAbsDet

                for i in 0 .. xs.Length - 1 do
                    if abs xs[i] > 3.0 then
                        Expect.equal ys[i] xs[i] $"tail value at x = {xs[i]}"
                        Expect.equal ls[i] 0.0 $"tail log|det| at x = {xs[i]}"
                    else
                        Expect.isLessThanOrEqual (abs ys[i]) 3.0 $"[−B, B] maps into itself: x = {xs[i]} → {ys[i]}"
            }

            test "is monotone increasing for random parameters" {
                let n = 4000

                let x =
                    Tensor.FromArray(Array.init n (fun i -> -3.5f + 7.0f * float32 i / float32 (n - 1)), n, 1)

                let p =
                    Ops.Affine((Rng(8UL)).Normal(Shape([| 1; shape.ParameterCount |])), 1.0f, 0.0f)

                let y =
                    column
                        (RationalQuadraticSpline.Forward(
                            x,
                            Ops.BroadcastTo(p, Shape([| n; shape.ParameterCount |])),
                            shape
                        ))
                            .Output

                y
                |> Array.pairwise
                |> Array.iteri (fun i (a, b) -> Expect.isGreaterThanOrEqual b a $"y[{i + 1}] ≥ y[{i}]")
            }

            test
                "the fused no-grad pass equals the recorded tensor path (values 1e-5, log|det| 1e-4) in both directions and is bit-identical on 1 and 2 threads" {
                // 3000 × 2 values: 24 blocks of the fused kernel, so the thread split matters
                let x, p = draw 10 3000
                // a parameter that requires a gradient makes the spline record its tensor operations
                let pg = Tensor.FromArray(p.ToArray(), p.Shape).RequireGrad()
                let saved = TensorBackend.MaxThreads

                let fused threads inverse =
                    TensorBackend.MaxThreads <- threads

                    try
                        let r =
                            if inverse then
                                RationalQuadraticSpline.Inverse(x, p, shape)
                            else
                                RationalQuadraticSpline.Forward(x, p, shape)

                        r.Output.ToArray(), r.LogAbsDet.ToArray()
                    finally
                        TensorBackend.MaxThreads <- saved

                for inverse in [ false; true ] do
                    let recorded =
                        if inverse then
                            RationalQuadraticSpline.Inverse(x, pg, shape)
                        else
                            RationalQuadraticSpline.Forward(x, pg, shape)

                    let (y1, l1), (y2, l2) = fused 1 inverse, fused 2 inverse
                    Expect.equal y1 y2 $"inverse = {inverse}: values on 1 and 2 threads"
                    Expect.equal l1 l2 $"inverse = {inverse}: log|det| on 1 and 2 threads"
                    let err = maxAbs (column recorded.Output) (y1 |> Array.map float)
                    Expect.isLessThan err 1e-5 $"inverse = {inverse}: max |fused − recorded| values"
                    // the two differ only in float32 rounding (softmax summation order, SIMD vs scalar softplus):
                    // knot differences of float32 positions on [−4, 4] (≈ 5e-7 absolute) divided by narrow bins
                    // make log|det| the sensitive one, the bound the other log|det| tests here use
                    let errL = maxAbs (column recorded.LogAbsDet) (l1 |> Array.map float)
                    Expect.isLessThan errL 1e-4 $"inverse = {inverse}: max |fused − recorded| log|det|"
            }

            test "bad shapes and options are refused with what is wrong" {
                let x, p = draw 9 10

                Expect.throwsT<System.ArgumentException>
                    (fun () -> RationalQuadraticSpline.Forward(x, Ops.SliceColumns(p, 0, 10), shape) |> ignore)
                    "parameters too narrow"

                Expect.throwsT<System.ArgumentException>
                    (fun () -> RationalQuadraticSpline.Forward(x, p, SplineShape(1, 3.0f)) |> ignore)
                    "one bin"

                Expect.throwsT<System.ArgumentException>
                    (fun () -> RationalQuadraticSpline.Forward(x, p, SplineShape(8, -1.0f)) |> ignore)
                    "negative bound"
            }
        ]
