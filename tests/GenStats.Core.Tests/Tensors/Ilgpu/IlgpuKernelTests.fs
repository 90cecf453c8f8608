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

/// One CPU-accelerator backend for the whole run (loading the kernels takes a few seconds).
let cpuBackend = lazy (IlgpuBackend.CreateCpu())

let private managed = ManagedBackend(MaxThreads = 1)

let private rnd (seed: int) (n: int) (lo: float) (hi: float) =
    let r = Random(seed)
    Array.init n (fun _ -> float32 (lo + (hi - lo) * r.NextDouble()))

let private same (a: float32) (b: float32) = a.Equals b // NaN equals NaN, +0 ≠ −0 is checked separately

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
                    check $"{op}" 2e-6 2e-6 (fun b ->
                        let y = Array.zeroCreate 37
                        b.Unary(op, Array.copy x, y, 37, p0, p1)
                        y)
                }
            test "in place (x and y the same array)" {
                let x = rnd 3 9 -1.0 1.0
                let y = Array.copy x
                cpuBackend.Force().Unary(UnaryOp.Affine, y, y, 9, 2f, 1f)
                close "affine in place" 0.0 1e-7 (x |> Array.map (fun v -> 2f * v + 1f)) y
            }
            test "NaN propagates through Relu and Clamp, as in MathF.Max" {
                let b = cpuBackend.Force()
                let y = Array.zeroCreate 2
                b.Unary(UnaryOp.Relu, [| nanf; -0f |], y, 2)
                Expect.isTrue (Single.IsNaN y[0]) "relu(NaN) = NaN"
                Expect.equal (BitConverter.SingleToInt32Bits y[1]) 0 "relu(−0) = +0"
                b.Unary(UnaryOp.Clamp, [| nanf; 5f |], y, 2, -1f, 1f)
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
                        let r = Array.zeroCreate 21
                        b.MaskMultiply(kind, g, x, r, 21, -0.5f, 0.5f)
                        r)
                }
        ]

let binaryTests =
    let shapes =
        [ [| 2; 3; 4 |], [| 2; 3; 4 |]; [| 2; 3; 4 |], [| 3; 1 |]; [| 1 |], [| 2; 5 |]; [| 4; 1; 3 |], [| 2; 1 |] ]

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
                            let y = Array.zeroCreate yS.Size
                            be.Binary(op, a, aS, bv, bS, y, yS)
                            y)
                    }
            test "min/max: NaN wins, −0 < +0; atan2 signed zeros (C's rules)" {
                let b = cpuBackend.Force()
                let s4 = Shape(4)
                let run op (a: float32[]) (c: float32[]) =
                    let y = Array.zeroCreate 4
                    b.Binary(op, a, s4, c, s4, y, s4)
                    y

                let mn = run BinaryOp.Minimum [| nanf; 1f; -0f; 0f |] [| 1f; nanf; 0f; -0f |]
                let mx = run BinaryOp.Maximum [| nanf; 1f; -0f; 0f |] [| 1f; nanf; 0f; -0f |]
                Expect.isTrue (Single.IsNaN mn[0] && Single.IsNaN mn[1] && Single.IsNaN mx[0] && Single.IsNaN mx[1]) "NaN"
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
                check "expand" 0.0 0.0 (fun b ->
                    let y = Array.zeroCreate 24
                    b.Expand(rnd 9 3 -1.0 1.0, Shape(3, 1), y, Shape(2, 3, 4))
                    y)
            }
            for (outer, len, inner) in [ 3, 5, 4; 1, 60, 1; 12, 5, 1 ] do
                test $"sum/max/cumsum [{outer},{len},{inner}]" {
                    check "sum" 1e-6 1e-6 (fun b ->
                        let y = Array.zeroCreate (outer * inner)
                        b.SumAxis(x, outer, len, inner, y)
                        y)
                    check "max" 0.0 0.0 (fun b ->
                        let y = Array.zeroCreate (outer * inner)
                        b.MaxAxis(x, outer, len, inner, y)
                        y)
                    for rev in [ false; true ] do
                        check $"cumsum reverse={rev}" 0.0 0.0 (fun b ->
                            let y = Array.zeroCreate x.Length
                            b.CumSumAxis(x, outer, len, inner, y, rev)
                            y)
                }
            test "gather and scatter-add, shared and per-element indices, repeats accumulate" {
                let shared = [| 4; 0; 4; 2 |]
                let perElement = Array.init (3 * 4 * 4) (fun i -> (i * 7 + 3) % 5)
                for index in [ shared; perElement ] do
                    check "gather" 0.0 0.0 (fun b ->
                        let y = Array.zeroCreate (3 * 4 * 4)
                        b.GatherAxis(x, 3, 5, 4, index, 4, y)
                        y)
                    let g = rnd 10 (3 * 4 * 4) -1.0 1.0
                    check "scatter-add" 0.0 0.0 (fun b ->
                        let y = rnd 11 x.Length -1.0 1.0
                        b.ScatterAddAxis(g, 3, 5, 4, index, 4, y)
                        y)
            }
            test "select (NaN mask is true), searchsorted left/right with ties and NaN" {
                let mask = [| 0f; 1f; nanf; -0f; 2f |]
                check "select" 0.0 0.0 (fun b ->
                    let y = Array.zeroCreate 5
                    b.Select(mask, [| 1f; 2f; 3f; 4f; 5f |], [| -1f; -2f; -3f; -4f; -5f |], y, 5)
                    y)
                let sorted = [| 0f; 1f; 1f; 2f; -1f; 0f; 3f; 4f |]
                let values = [| 1f; -5f; 9f; nanf; 0f; 3f |]
                for right in [ false; true ] do
                    check $"searchsorted right={right}" 0.0 0.0 (fun b ->
                        let y = Array.zeroCreate 6
                        b.SearchSorted(sorted, 2, 4, values, 3, right, y)
                        y)
            }
            test "copy block, fill, axpy, Σx² (float64)" {
                check "copyblock" 0.0 0.0 (fun b ->
                    let d = Array.zeroCreate 30
                    b.CopyBlock(x, 3, 7, d, 2, 6, 4, 5)
                    d)
                check "fill" 0.0 0.0 (fun b ->
                    let y = Array.zeroCreate 7
                    b.Fill(y, 5, 2.5f)
                    y)
                check "axpy" 1e-7 1e-6 (fun b ->
                    let y = rnd 12 11 -1.0 1.0
                    b.Axpy(0.3f, rnd 13 11 -1.0 1.0, y, 11)
                    y)
                let big = rnd 14 1001 -3.0 3.0
                let expected = big |> Array.sumBy (fun v -> float v * float v)
                let got = cpuBackend.Force().SumOfSquares(big, 1001)
                Expect.floatClose { absolute = 0.0; relative = 1e-12 } got expected "Σx² in float64"
            }
        ]

let rngTests =
    testList
        "counter RNG"
        [
            test "uniform draws are the managed backend's floats, bit for bit" {
                let m, g = both (fun b -> let y = Array.zeroCreate 101 in b.FillUniform(y, 101, 0xDEADBEEFUL, -2f, 3f); y)
                Expect.sequenceEqual g m "same floats"
            }
            test "normal draws match the managed backend (odd length; last bits of log/sin/cos may differ)" {
                check "normal" 2e-6 2e-6 (fun b -> let y = Array.zeroCreate 101 in b.FillNormal(y, 101, 12345UL, 0.5f, 2f); y)
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
                        let lda, ldb, ldc = (if ta then m else k) + pad, (if tb then k else n) + pad, n + pad
                        let a = rnd 20 (3 + (if ta then k else m) * lda) -1.0 1.0
                        let bm = rnd 21 (1 + (if tb then n else k) * ldb) -1.0 1.0
                        let c0 = rnd 22 (2 + m * ldc) -1.0 1.0
                        check "gemm" 1e-5 1e-5 (fun b ->
                            let c = Array.copy c0
                            b.Gemm(ta, tb, m, n, k, 0.7f, a, 3, lda, bm, 1, ldb, 0.4f, c, 2, ldc)
                            c)
                    }
            test "β = 0 overwrites NaN in C" {
                let c = Array.create 4 nanf
                cpuBackend.Force().Gemm(false, false, 2, 2, 1, 1f, [| 1f; 2f |], 0, 1, [| 3f; 4f |], 0, 2, 0f, c, 0, 2)
                Expect.sequenceEqual c [| 3f; 4f; 6f; 8f |] "outer product [1,2]ᵀ[3,4]"
            }
            test "linear with fused bias and ReLU" {
                let x, w, bias = rnd 23 (6 * 5) -1.0 1.0, rnd 24 (5 * 3) -1.0 1.0, rnd 25 3 -0.5 0.5
                for relu in [ false; true ] do
                    for bb in [ Some bias; None ] do
                        check $"linear relu={relu}" 1e-6 1e-5 (fun b ->
                            let y = Array.zeroCreate 18
                            b.Linear(x, w, Option.toObj bb, y, 6, 5, 3, relu)
                            y)
            }
            test "deterministic: the same GEMM twice gives the same bytes" {
                let a, bm = rnd 26 (13 * 11) -1.0 1.0, rnd 27 (11 * 6) -1.0 1.0
                let run () =
                    let c = Array.zeroCreate (13 * 6)
                    cpuBackend.Force().Gemm(false, false, 13, 6, 11, 1f, a, 0, 11, bm, 0, 6, 0f, c, 0, 6)
                    c
                Expect.sequenceEqual (run ()) (run ()) "same bytes"
            }
        ]

let imageTests =
    let g = ConvGeometry(2, 3, 5, 6, 4, 3, 3, 2, 1)
    let x, w, bias = rnd 30 g.InputSize -1.0 1.0, rnd 31 g.WeightSize -1.0 1.0, rnd 32 4 -0.5 0.5
    let gy = rnd 33 g.OutputSize -1.0 1.0

    testList
        "images"
        [
            test "conv2d (stride 2, padding 1) and both adjoints" {
                check "conv2d" 1e-5 1e-5 (fun b -> let y = Array.zeroCreate g.OutputSize in b.Conv2d(x, w, bias, y, g); y)
                check "conv2d no bias" 1e-5 1e-5 (fun b -> let y = Array.zeroCreate g.OutputSize in b.Conv2d(x, w, null, y, g); y)
                check "backward data" 1e-5 1e-5 (fun b -> let d = Array.create g.InputSize nanf in b.Conv2dBackwardData(gy, w, d, g); d)
                check "backward weight" 1e-5 1e-5 (fun b -> let d = Array.create g.WeightSize nanf in b.Conv2dBackwardWeight(x, gy, d, g); d)
            }
            for mode in [ UpsampleMode.Nearest; UpsampleMode.Bilinear ] do
                test $"upsample 2× {mode} and its adjoint" {
                    let img = rnd 34 (3 * 4 * 5) -1.0 1.0
                    check "upsample" 1e-6 1e-6 (fun b -> let y = Array.zeroCreate (3 * 8 * 10) in b.Upsample2x(mode, img, y, 3, 4, 5); y)
                    let go = rnd 35 (3 * 8 * 10) -1.0 1.0
                    check "adjoint" 1e-5 1e-5 (fun b -> let d = Array.create (3 * 4 * 5) nanf in b.Upsample2xAdjoint(mode, go, d, 3, 4, 5); d)
                }
            test "pad and crop" {
                let img = rnd 36 (2 * 4 * 5) -1.0 1.0
                for (oh, ow, top, left) in [ 6, 8, 1, 2; 3, 3, -1, -2; 4, 5, 10, 0 ] do
                    check "padcrop" 0.0 0.0 (fun b ->
                        let y = Array.create (2 * oh * ow) nanf
                        b.PadCrop2d(img, 2, 4, 5, y, oh, ow, top, left)
                        y)
            }
        ]

let optimizerTests =
    testList
        "optimizers"
        [
            for (kind, b1, b2, wd, nesterov, states) in
                [ "sgd", 0.0f, 0.0f, 0.01f, false, 0
                  "sgd", 0.9f, 0.0f, 0.0f, true, 1
                  "adam", 0.9f, 0.999f, 0.01f, false, 2
                  "adamw", 0.9f, 0.999f, 0.01f, false, 2
                  "rmsprop", 0.5f, 0.99f, 0.0f, false, 2 ] do
                test $"{kind} momentum={b1} nesterov={nesterov}: three steps" {
                    check kind 1e-6 1e-5 (fun b ->
                        let w = rnd 40 13 -1.0 1.0
                        let s1 = if states >= 1 then Array.zeroCreate 13 else null
                        let s2 = if states >= 2 then Array.zeroCreate 13 else null
                        for step in 1L .. 3L do
                            let g = rnd (40 + int step) 13 -1.0 1.0
                            b.OptimizerStep(OptimizerUpdate(kind, 0.01f, b1, b2, 1e-8f, wd, step, nesterov), w, g, s1, s2, 13)
                        Array.concat [ w; (if isNull s1 then [||] else s1); (if isNull s2 then [||] else s2) ])
                }
        ]

[<Tests>]
let tests =
    testList
        "ilgpu-cpu kernels vs managed"
        [ unaryTests; maskTests; binaryTests; axisTests; rngTests; gemmTests; imageTests; optimizerTests ]
