/// Every kernel of the ILGPU backend (GenStats.Cuda) on ILGPU's CPU accelerator, compared with the
/// managed backend on the same host arrays (an independent implementation of the same op), plus
/// closed-form values for the NaN/signed-zero rules and the counter-based RNG's identity. Sizes are
/// tiny: the accelerator emulates GPU threads with OS threads.
module GenStats.Tests.Tensors.IlgpuKernelTests

open Expecto
open System
open GenStats.Tensors
open GenStats.Tensors.Backends
open GenStats.Tensors.Cuda

/// The CPU-accelerator backend every engine test also runs on (one instance for the run).
let private cpuBackend = BackendCombos.ilgpuCpu

let private managed = ManagedBackend(MaxThreads = 1) :> ITensorBackend

let private rnd (seed: int) (n: int) (lo: float) (hi: float) =
    let r = Random(seed)
    Array.init n (fun _ -> float32 (lo + (hi - lo) * r.NextDouble()))

let private same (a: float32) (b: float32) = a.Equals b // NaN equals NaN, +0 ≠ −0 is checked separately

/// A buffer of backend b holding a copy of the values, and the host copy of a buffer.
let private up (b: ITensorBackend) (v: float32[]) = BackendCombos.upload b v
let private down (b: ITensorBackend) (t: TensorBuffer) = BackendCombos.download b t

/// |ilgpu − managed| ≤ atol + rtol·|managed| elementwise (NaN only where managed is NaN).
let private close (what: string) (atol: float) (rtol: float) (expected: float32[]) (actual: float32[]) =
    Expect.equal actual.Length expected.Length $"{what}: length"

    for i in 0 .. expected.Length - 1 do
        let e, a = expected[i], actual[i]

        if Single.IsNaN e || Single.IsInfinity e then
            Expect.isTrue (same e a) $"{what}[{i}]: managed {e}, ilgpu {a}"
        elif abs (float a - float e) > atol + rtol * abs (float e) then
            failtest $"{what}[{i}]: managed %.9g{e}, ilgpu %.9g{a}"

/// Runs an op on both backends over copies of the same arrays and returns both outputs.
let private both (op: ITensorBackend -> float32[]) = op managed, op (cpuBackend.Force())

let private check what atol rtol op =
    let m, g = both op
    close what atol rtol m g

/// y = zeros(n) on backend b, f y, then y's host values.
let private into (b: ITensorBackend) (init: float32[]) (f: TensorBuffer -> unit) =
    let y = up b init
    f y
    down b y

let private zeros n = Array.zeroCreate<float32> n

let unaryTests =
    testList
        "unary"
        [
            for op in Enum.GetValues<UnaryOp>() do
                test $"{op}" {
                    // Log, Sqrt and Pow on positive inputs; the rest across zero.
                    let positive = op = UnaryOp.Log || op = UnaryOp.Sqrt || op = UnaryOp.Pow
                    let x = if positive then rnd 1 37 0.05 4.0 else rnd 2 37 -4.0 4.0
                    let p0, p1 = (if op = UnaryOp.Clamp then -0.5f, 0.7f else 0.3f, 0.2f)
                    check $"{op}" 2e-6 2e-6 (fun b -> into b (zeros 37) (fun y -> b.Unary(op, up b x, y, 37, p0, p1)))
                }
            test "in place (x and y the same buffer)" {
                let x = rnd 3 9 -1.0 1.0
                let b = cpuBackend.Force()
                let y = into b x (fun y -> b.Unary(UnaryOp.Affine, y, y, 9, 2f, 1f))
                close "affine in place" 0.0 1e-7 (x |> Array.map (fun v -> 2f * v + 1f)) y
            }
            test "NaN propagates through Relu and Clamp, as in MathF.Max" {
                let b = cpuBackend.Force()

                let y =
                    into b (zeros 2) (fun y -> b.Unary(UnaryOp.Relu, up b [| nanf; -0f |], y, 2))

                Expect.isTrue (Single.IsNaN y[0]) "relu(NaN) = NaN"
                Expect.equal (BitConverter.SingleToInt32Bits y[1]) 0 "relu(−0) = +0"

                let y =
                    into b (zeros 2) (fun y -> b.Unary(UnaryOp.Clamp, up b [| nanf; 5f |], y, 2, -1f, 1f))

                Expect.isTrue (Single.IsNaN y[0]) "clamp(NaN) = NaN"
                Expect.equal y[1] 1f "clamp(5, −1, 1) = 1"
            }
        ]

let maskTests =
    testList
        "masks"
        [
            for kind in Enum.GetValues<MaskKind>() do
                test $"{kind}" {
                    let g, x = rnd 4 21 -2.0 2.0, Array.append (rnd 5 20 -2.0 2.0) [| 0f |]

                    check $"{kind}" 0.0 0.0 (fun b ->
                        into b (zeros 21) (fun r -> b.MaskMultiply(kind, up b g, up b x, r, 21, -0.5f, 0.5f)))
                }
        ]

let binaryTests =
    let shapes =
        [
            [| 2; 3; 4 |], [| 2; 3; 4 |]
            [| 2; 3; 4 |], [| 3; 1 |]
            [| 1 |], [| 2; 5 |]
            [| 4; 1; 3 |], [| 2; 1 |]
        ]

    testList
        "binary"
        [
            for op in Enum.GetValues<BinaryOp>() do
                for (sa, sb) in shapes do
                    test $"{op} %A{sa} %A{sb}" {
                        let aS, bS = Shape(sa), Shape(sb)
                        let yS = Shape.Broadcast(aS, bS)
                        let a, bv = rnd 6 aS.Size -2.0 2.0, rnd 7 bS.Size 0.1 2.0

                        check $"{op}" 1e-6 1e-6 (fun be ->
                            into be (zeros yS.Size) (fun y -> be.Binary(op, up be a, aS, up be bv, bS, y, yS)))
                    }
            test "min/max: NaN wins, −0 < +0; atan2 signed zeros (C's rules)" {
                let b = cpuBackend.Force()
                let s4 = Shape(4)

                let run op (a: float32[]) (c: float32[]) =
                    into b (zeros 4) (fun y -> b.Binary(op, up b a, s4, up b c, s4, y, s4))

                let mn = run BinaryOp.Minimum [| nanf; 1f; -0f; 0f |] [| 1f; nanf; 0f; -0f |]
                let mx = run BinaryOp.Maximum [| nanf; 1f; -0f; 0f |] [| 1f; nanf; 0f; -0f |]

                Expect.isTrue
                    (Single.IsNaN mn[0]
                     && Single.IsNaN mn[1]
                     && Single.IsNaN mx[0]
                     && Single.IsNaN mx[1])
                    "NaN"

                Expect.isTrue (Single.IsNegative mn[2] && Single.IsNegative mn[3]) "min(−0, +0) = −0"
                Expect.isFalse (Single.IsNegative mx[2] || Single.IsNegative mx[3]) "max(−0, +0) = +0"
                // atan2(+0, −0) = π, atan2(−0, −1) = −π, atan2(−0, +1) = −0, atan2(1, 0) = π/2.
                let t = run BinaryOp.Atan2 [| 0f; -0f; -0f; 1f |] [| -0f; -1f; 1f; 0f |]
                Expect.equal t[0] MathF.PI "atan2(+0, −0)"
                Expect.equal t[1] -MathF.PI "atan2(−0, −1)"
                Expect.isTrue (t[2] = 0f && Single.IsNegative t[2]) "atan2(−0, +1) = −0"
                Expect.equal t[3] (MathF.PI / 2f) "atan2(1, 0)"
            }
        ]

let axisTests =
    let x = rnd 8 (3 * 5 * 4) -2.0 2.0

    testList
        "axes"
        [
            test "expand [3,1] → [2,3,4]" {
                let v = rnd 9 3 -1.0 1.0

                check "expand" 0.0 0.0 (fun b ->
                    into b (zeros 24) (fun y -> b.Expand(up b v, Shape(3, 1), y, Shape(2, 3, 4))))
            }
            for (outer, len, inner) in [ 3, 5, 4; 1, 60, 1; 12, 5, 1 ] do
                test $"sum/max/cumsum [{outer},{len},{inner}]" {
                    check "sum" 1e-6 1e-6 (fun b ->
                        into b (zeros (outer * inner)) (fun y -> b.SumAxis(up b x, outer, len, inner, y)))

                    check "max" 0.0 0.0 (fun b ->
                        into b (zeros (outer * inner)) (fun y -> b.MaxAxis(up b x, outer, len, inner, y)))

                    for rev in [ false; true ] do
                        check $"cumsum reverse={rev}" 0.0 0.0 (fun b ->
                            into b (zeros x.Length) (fun y -> b.CumSumAxis(up b x, outer, len, inner, y, rev)))
                }
            test "gather and scatter-add, shared and per-element indices, repeats accumulate" {
                let shared = [| 4; 0; 4; 2 |]
                let perElement = Array.init (3 * 4 * 4) (fun i -> (i * 7 + 3) % 5)
                let g = rnd 10 (3 * 4 * 4) -1.0 1.0
                let y0 = rnd 11 x.Length -1.0 1.0

                for index in [ shared; perElement ] do
                    check "gather" 0.0 0.0 (fun b ->
                        into b (zeros 48) (fun y -> b.GatherAxis(up b x, 3, 5, 4, index, 4, y)))

                    check "scatter-add" 0.0 0.0 (fun b ->
                        into b y0 (fun y -> b.ScatterAddAxis(up b g, 3, 5, 4, index, 4, y)))
            }
            test "select (NaN mask is true), searchsorted left/right with ties and NaN" {
                let mask = [| 0f; 1f; nanf; -0f; 2f |]

                check "select" 0.0 0.0 (fun b ->
                    into b (zeros 5) (fun y ->
                        b.Select(up b mask, up b [| 1f; 2f; 3f; 4f; 5f |], up b [| -1f; -2f; -3f; -4f; -5f |], y, 5)))

                let sorted = [| 0f; 1f; 1f; 2f; -1f; 0f; 3f; 4f |]
                let values = [| 1f; -5f; 9f; nanf; 0f; 3f |]

                for right in [ false; true ] do
                    check $"searchsorted right={right}" 0.0 0.0 (fun b ->
                        into b (zeros 6) (fun y -> b.SearchSorted(up b sorted, 2, 4, up b values, 3, right, y)))
            }
            test "copy block, copy (overlapping too), fill, axpy, Σx² (float64)" {
                check "copyblock" 0.0 0.0 (fun b ->
                    into b (zeros 30) (fun d -> b.CopyBlock(up b x, 3, 7, d, 2, 6, 4, 5)))

                check "copy" 0.0 0.0 (fun b -> into b (zeros 30) (fun d -> b.Copy(up b x, 5, d, 3, 20)))
                let b = cpuBackend.Force()
                let shifted = into b x (fun d -> b.Copy(d, 0, d, 2, 10))
                Expect.sequenceEqual shifted[2..11] x[0..9] "overlapping copy moves the original values"
                check "fill" 0.0 0.0 (fun b -> into b (zeros 7) (fun y -> b.Fill(y, 5, 2.5f)))
                let xs, ys = rnd 13 11 -1.0 1.0, rnd 12 11 -1.0 1.0
                check "axpy" 1e-7 1e-6 (fun b -> into b ys (fun y -> b.Axpy(0.3f, up b xs, y, 11)))
                let big = rnd 14 1001 -3.0 3.0
                let expected = big |> Array.sumBy (fun v -> float v * float v)
                let got = b.SumOfSquares(up b big, 1001)
                Expect.floatClose { absolute = 0.0; relative = 1e-12 } got expected "Σx² in float64"
            }
        ]

let rngTests =
    testList
        "counter RNG"
        [
            test "uniform draws are the managed backend's floats, bit for bit" {
                let m, g =
                    both (fun b -> into b (zeros 101) (fun y -> b.FillUniform(y, 101, 0xDEADBEEFUL, -2f, 3f)))

                Expect.sequenceEqual g m "same floats"
            }
            test "normal draws match the managed backend (odd length; last bits of log/sin/cos may differ)" {
                check "normal" 2e-6 2e-6 (fun b ->
                    into b (zeros 101) (fun y -> b.FillNormal(y, 101, 12345UL, 0.5f, 2f)))
            }
        ]

let gemmTests =
    testList
        "gemm"
        [
            for ta in [ false; true ] do
                for tb in [ false; true ] do
                    test $"transA={ta} transB={tb}, offsets, padded strides, β" {
                        let m, n, k, pad = 5, 7, 9, 2

                        let lda, ldb, ldc =
                            (if ta then m else k) + pad, (if tb then k else n) + pad, n + pad

                        let a = rnd 20 (3 + (if ta then k else m) * lda) -1.0 1.0
                        let bm = rnd 21 (1 + (if tb then n else k) * ldb) -1.0 1.0
                        let c0 = rnd 22 (2 + m * ldc) -1.0 1.0

                        check "gemm" 1e-5 1e-5 (fun b ->
                            into b c0 (fun c ->
                                b.Gemm(ta, tb, m, n, k, 0.7f, up b a, 3, lda, up b bm, 1, ldb, 0.4f, c, 2, ldc)))
                    }
            test "β = 0 overwrites NaN in C" {
                let b = cpuBackend.Force()

                let c =
                    into b (Array.create 4 nanf) (fun c ->
                        b.Gemm(
                            false,
                            false,
                            2,
                            2,
                            1,
                            1f,
                            up b [| 1f; 2f |],
                            0,
                            1,
                            up b [| 3f; 4f |],
                            0,
                            2,
                            0f,
                            c,
                            0,
                            2
                        ))

                Expect.sequenceEqual c [| 3f; 4f; 6f; 8f |] "outer product [1,2]ᵀ[3,4]"
            }
            test "linear with fused bias and ReLU" {
                let x, w, bias = rnd 23 (6 * 5) -1.0 1.0, rnd 24 (5 * 3) -1.0 1.0, rnd 25 3 -0.5 0.5

                for relu in [ false; true ] do
                    for withBias in [ true; false ] do
                        check $"linear relu={relu}" 1e-6 1e-5 (fun b ->
                            let bb = if withBias then up b bias else null
                            into b (zeros 18) (fun y -> b.Linear(up b x, up b w, bb, y, 6, 5, 3, relu)))
            }
            test "deterministic: the same GEMM twice gives the same bytes" {
                let a, bm = rnd 26 (13 * 11) -1.0 1.0, rnd 27 (11 * 6) -1.0 1.0
                let b = cpuBackend.Force()

                let run () =
                    into b (zeros (13 * 6)) (fun c ->
                        b.Gemm(false, false, 13, 6, 11, 1f, up b a, 0, 11, up b bm, 0, 6, 0f, c, 0, 6))

                Expect.sequenceEqual (run ()) (run ()) "same bytes"
            }
        ]

let imageTests =
    let g = ConvGeometry(2, 3, 5, 6, 4, 3, 3, 2, 1)

    let x, w, bias =
        rnd 30 g.InputSize -1.0 1.0, rnd 31 g.WeightSize -1.0 1.0, rnd 32 4 -0.5 0.5

    let gy = rnd 33 g.OutputSize -1.0 1.0

    testList
        "images"
        [
            test "conv2d (stride 2, padding 1) and both adjoints" {
                check "conv2d" 1e-5 1e-5 (fun b ->
                    into b (zeros g.OutputSize) (fun y -> b.Conv2d(up b x, up b w, up b bias, y, g)))

                check "conv2d no bias" 1e-5 1e-5 (fun b ->
                    into b (zeros g.OutputSize) (fun y -> b.Conv2d(up b x, up b w, null, y, g)))

                check "backward data" 1e-5 1e-5 (fun b ->
                    into b (Array.create g.InputSize nanf) (fun d -> b.Conv2dBackwardData(up b gy, up b w, d, g)))

                check "backward weight" 1e-5 1e-5 (fun b ->
                    into b (Array.create g.WeightSize nanf) (fun d -> b.Conv2dBackwardWeight(up b x, up b gy, d, g)))
            }
            for mode in [ UpsampleMode.Nearest; UpsampleMode.Bilinear ] do
                test $"upsample 2× {mode} and its adjoint" {
                    let img = rnd 34 (3 * 4 * 5) -1.0 1.0

                    check "upsample" 1e-6 1e-6 (fun b ->
                        into b (zeros (3 * 8 * 10)) (fun y -> b.Upsample2x(mode, up b img, y, 3, 4, 5)))

                    let go = rnd 35 (3 * 8 * 10) -1.0 1.0

                    check "adjoint" 1e-5 1e-5 (fun b ->
                        into b (Array.create (3 * 4 * 5) nanf) (fun d ->
                            b.Upsample2xAdjoint(mode, up b go, d, 3, 4, 5)))
                }
            test "pad and crop" {
                let img = rnd 36 (2 * 4 * 5) -1.0 1.0

                for (oh, ow, top, left) in [ 6, 8, 1, 2; 3, 3, -1, -2; 4, 5, 10, 0 ] do
                    check "padcrop" 0.0 0.0 (fun b ->
                        into b (Array.create (2 * oh * ow) nanf) (fun y ->
                            b.PadCrop2d(up b img, 2, 4, 5, y, oh, ow, top, left)))
            }
        ]

let optimizerTests =
    testList
        "optimizers"
        [
            for (kind, b1, b2, wd, nesterov, states) in
                [
                    "sgd", 0.0f, 0.0f, 0.01f, false, 0
                    "sgd", 0.9f, 0.0f, 0.0f, true, 1
                    "adam", 0.9f, 0.999f, 0.01f, false, 2
                    "adamw", 0.9f, 0.999f, 0.01f, false, 2
                    "rmsprop", 0.5f, 0.99f, 0.0f, false, 2
                ] do
                test $"{kind} momentum={b1} nesterov={nesterov}: three steps" {
                    check kind 1e-6 1e-5 (fun b ->
                        let w = up b (rnd 40 13 -1.0 1.0)
                        let s1 = if states >= 1 then up b (zeros 13) else null
                        let s2 = if states >= 2 then up b (zeros 13) else null

                        for step in 1L .. 3L do
                            let g = up b (rnd (40 + int step) 13 -1.0 1.0)

                            b.OptimizerStep(
                                OptimizerUpdate(kind, 0.01f, b1, b2, 1e-8f, wd, step, nesterov),
                                w,
                                g,
                                s1,
                                s2,
                                13
                            )

                        let get (t: TensorBuffer) = if isNull t then [||] else down b t
                        Array.concat [ down b w; get s1; get s2 ])
                }
        ]

let storageTests =
    testList
        "storage"
        [
            test "a buffer of another backend is refused with the devices named" {
                let b = cpuBackend.Force()
                let host = managed.Allocate 3

                let message =
                    try
                        b.Fill(host, 3, 1f)
                        ""
                    with :? InvalidOperationException as e ->
                        e.Message

                Expect.stringContains message "cpu:0" "names the buffer's device"
                Expect.stringContains message "ilgpu-cpu:0" "names the backend's device"
                Expect.stringContains message "Tensor.To" "says how to move it"
            }
            test "host copies at an offset round-trip" {
                let b = cpuBackend.Force()
                let t = b.Allocate 6
                b.Fill(t, 6, 0f)
                b.CopyFromHost(ReadOnlySpan [| 1f; 2f; 3f |], t, 2)
                let back = Array.zeroCreate 4
                b.CopyToHost(t, 1, Span back)
                Expect.sequenceEqual back [| 0f; 1f; 2f; 3f |] "values land at the offset"
                b.Release t
            }
        ]

/// First and second derivatives through Autograd against finite differences, on every backend
/// (the ILGPU CPU accelerator included): tensors are created on the current backend, so every op
/// of the forward and both backward passes runs there.
let derivativeTests =
    let input shape (seed: int) lo hi : GradCheck.Input =
        {
            Shape = shape
            Values = rnd seed (Array.fold (*) 1 shape) lo hi
        }

    testList
        "derivatives through autograd"
        [
            BackendCombos.testOnEach "tanh(x·W + b), softplus, sum" (fun _ ->
                let ins =
                    [|
                        input [| 2; 3 |] 50 -1.0 1.0
                        input [| 3; 2 |] 51 -1.0 1.0
                        input [| 2 |] 52 -0.5 0.5
                    |]

                let f (xs: Tensor[]) =
                    Ops.Softplus(Ops.Tanh(Ops.Linear(xs[0], xs[1], xs[2])))

                Expect.isTrue (GradCheck.checkBoth f ins) "first and second order")
            BackendCombos.testOnEach "erf(x)·atan2(y, x)" (fun _ ->
                let ins = [| input [| 1; 3 |] 53 0.2 1.5; input [| 1; 3 |] 54 -1.0 1.0 |]

                let f (xs: Tensor[]) =
                    Ops.Mul(Ops.Erf xs[0], Ops.Atan2(xs[1], xs[0]))

                Expect.isTrue (GradCheck.checkBoth f ins) "first and second order")
            BackendCombos.testOnEach "conv2d (stride 2, padding 1) with bias" (fun _ ->
                let ins =
                    [|
                        input [| 1; 1; 3; 3 |] 55 -1.0 1.0
                        input [| 2; 1; 2; 2 |] 56 -0.5 0.5
                        input [| 2 |] 57 -0.5 0.5
                    |]

                let f (xs: Tensor[]) =
                    Ops.Conv2d(xs[0], xs[1], xs[2], stride = 2, padding = 1)

                Expect.isTrue
                    (GradCheck.checkAgainstFiniteDifferences "first order" 1e-2f 1e-2 2e-3 (GradCheck.firstOrder f) ins)
                    "first order")
        ]

/// A miniature Cramér-GAN critic step (DESIGN §2's pattern: MLP critic, energy surrogate, one-sided
/// gradient penalty through a double backward, RMSProp) run with the ILGPU backend current: every op
/// of modules, autograd and the optimizer stays on the device, and the parameters after two steps
/// match the managed run's within float32 rounding.
let trainingStepTest =
    test "two critic steps with gradient penalty match the managed backend" {
        let run () =
            let critic =
                GenStats.Nn.Mlp.Create(
                    [| 3; 8; 8; 4 |],
                    GenStats.Nn.Activation.Relu,
                    GenStats.Nn.Activation.Identity,
                    5UL
                )

            let opt =
                GenStats.Nn.RmsProp(critic.Parameters(), GenStats.Nn.RmsPropOptions(LearningRate = 1e-2f))

            let rng = Rng(11UL)

            let h (fx: Tensor) (fg2: Tensor) =
                Ops.Sub(Ops.RowNorm(Ops.Sub(fx, fg2)), Ops.RowNorm fx)

            for _ in 1..2 do
                let xr, xg, xg2 = rng.Normal(6, 3), rng.Normal(6, 3), rng.Normal(6, 3)
                let fg2 = critic.Forward xg2
                let loss = Ops.Mean(Ops.Sub(h (critic.Forward xr) fg2, h (critic.Forward xg) fg2))
                let eps = rng.Uniform(6, 1)

                let xhat =
                    Ops.Add(Ops.Mul(eps, xr), Ops.Mul(Ops.Affine(eps, -1f, 1f), xg)).Detach().RequireGrad()

                let grad =
                    Autograd.Grad(Ops.Sum(h (critic.Forward xhat) fg2), [| xhat |], createGraph = true)[0]

                let gp = Ops.Mean(Ops.Square(Ops.Relu(Ops.Affine(Ops.RowNorm grad, 1f, -1f))))
                opt.ZeroGrad()
                (Ops.Add(Ops.Neg loss, Ops.Affine(gp, 10f, 0f))).Backward()
                opt.Step()

            critic.Parameters() |> Seq.collect (fun p -> p.ToArray()) |> Array.ofSeq

        let m, g = BackendCombos.onBoth (cpuBackend.Force()) run
        close "critic parameters" 1e-5 1e-4 m g
    }

[<Tests>]
let tests =
    testList
        "ilgpu-cpu kernels vs managed"
        [
            unaryTests
            maskTests
            binaryTests
            axisTests
            rngTests
            gemmTests
            imageTests
            optimizerTests
            storageTests
            derivativeTests
            trainingStepTest
        ]
