/// SGEMM against a naive float64 reference, all transpose combinations, odd sizes, α/β, strides.
module GenStats.Tests.Tensors.GemmTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Tensors
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

let private rnd (seed: int) (n: int) =
    let r = Random(seed)
    Array.init n (fun _ -> float32 (r.NextDouble() * 2.0 - 1.0))

/// Checks C = α·op(A)·op(B) + β·C0 elementwise against float64 sums, within the classical
/// rounding bound 2k·u·Σ|a||b| (u = 2⁻²⁴) plus the rounding of the β term.
let private check
    (ta: bool)
    (tb: bool)
    (m: int)
    (n: int)
    (k: int)
    (alpha: float32)
    (beta: float32)
    (pad: int)
    (seed: int)
    =
    let lda = (if ta then m else k) + pad
    let ldb = (if tb then k else n) + pad
    let ldc = n + pad
    let a = rnd seed ((if ta then k else m) * lda)
    let b = rnd (seed + 1) ((if tb then n else k) * ldb)
    let c0 = rnd (seed + 2) (m * ldc)
    let be = TensorBackend.Current
    let cb = BackendCombos.upload be c0
    be.Gemm(ta, tb, m, n, k, alpha, BackendCombos.upload be a, 0, lda, BackendCombos.upload be b, 0, ldb, beta, cb, 0, ldc)
    let c = BackendCombos.download be cb
    let u = 1.0 / 16777216.0

    for i in 0 .. m - 1 do
        for j in 0 .. n - 1 do
            let mutable s = 0.0
            let mutable sabs = 0.0

            for p in 0 .. k - 1 do
                let av = float (if ta then a[p * lda + i] else a[i * lda + p])
                let bv = float (if tb then b[j * ldb + p] else b[p * ldb + j])
                s <- s + av * bv
                sabs <- sabs + abs (av * bv)

            let expected = float alpha * s + float beta * float c0[i * ldc + j]

            let bound =
                2.0
                * float (k + 2)
                * u
                * (abs (float alpha) * sabs + abs (float beta * float c0[i * ldc + j]))
                + 1e-30

            let got = float c[i * ldc + j]

            if abs (got - expected) > bound then
                failtest (
                    sprintf
                        "ta=%b tb=%b m=%d n=%d k=%d: C[%d,%d] = %.9g, reference %.9g (bound %.3g)"
                        ta
                        tb
                        m
                        n
                        k
                        i
                        j
                        got
                        expected
                        bound
                )
    // Padding columns of C are untouched.
    for i in 0 .. m - 1 do
        for j in n .. ldc - 1 do
            if c[i * ldc + j] <> c0[i * ldc + j] then
                failtest (sprintf "padding C[%d,%d] was overwritten" i j)

let sizes = [ 1; 7; 33; 130 ]

let ``all transpose combinations at odd sizes 1, 7, 33, 130`` () =
    for ta in [ false; true ] do
        for tb in [ false; true ] do
            for m in sizes do
                for n in sizes do
                    for k in sizes do
                        check ta tb m n k 1.0f 0.0f 0 (m * 7 + n * 3 + k)

let ``alpha, beta, leading dimensions and a depth beyond one cache block`` () =
    for ta in [ false; true ] do
        for tb in [ false; true ] do
            check ta tb 37 45 300 0.75f -0.5f 3 11
            check ta tb 131 17 513 -1.25f 1.0f 0 12
            check ta tb 5 200 64 2.0f 0.25f 1 13

let ``random shapes agree with the reference`` () =
    let g = Gen.zip3 (Gen.choose (1, 70)) (Gen.choose (1, 70)) (Gen.choose (0, 90))

    Prop.forAll
        (Arb.fromGen (Gen.zip g (Gen.zip (Gen.elements [ false; true ]) (Gen.elements [ false; true ]))))
        (fun ((m, n, k), (ta, tb)) ->
            check ta tb m n k 1.0f 0.5f 0 (m + 100 * n + 10000 * k)
            true)

let ``the result does not depend on the number of threads`` () =
    let saved = TensorBackend.MaxThreads

    try
        let a = Tensor.FromArray(rnd 1 (300 * 200), 300, 200)
        let b = Tensor.FromArray(rnd 2 (200 * 150), 200, 150)
        TensorBackend.MaxThreads <- 1
        let one = (Ops.MatMul(a, b)).ToArray()
        TensorBackend.MaxThreads <- 3
        let three = (Ops.MatMul(a, b)).ToArray()
        eqArr (three) (one)
    finally
        TensorBackend.MaxThreads <- saved

let ``a product with itself transposed is symmetric and matches Ops.Transpose`` () =
    let a = Tensor.FromArray(rnd 5 (40 * 23), 40, 23)
    let viaFlag = Ops.MatMul(a, a, false, true)
    let viaCopy = Ops.MatMul(a, Ops.Transpose a)
    eqArr (viaFlag.ToArray()) (viaCopy.ToArray())

    for i in 0..39 do
        for j in 0..39 do
            eqArr [| viaFlag[i, j] |] [| viaFlag[j, i] |]

let ``the fused linear kernel adds the bias and applies ReLU only after the full depth`` () =
    // k = 300 spans two depth blocks and n = 3100 two column panels: a ReLU applied to a partial
    // sum, or a bias added twice, would show.
    for (batch, fin, fout) in [ (7, 300, 3100); (130, 33, 17); (5, 8, 256); (1, 1, 1) ] do
        for relu in [ false; true ] do
            let x = rnd 21 (batch * fin)
            let w = rnd 22 (fin * fout)
            let b = rnd 23 fout
            let be = TensorBackend.Current
            let yb = BackendCombos.upload be (Array.create (batch * fout) nanf)
            let up = BackendCombos.upload be
            be.Linear(up x, up w, up b, yb, batch, fin, fout, relu)
            let y = BackendCombos.download be yb

            for i in 0 .. batch - 1 do
                for j in 0 .. fout - 1 do
                    let mutable s = float b[j]
                    let mutable sabs = abs (float b[j])

                    for p in 0 .. fin - 1 do
                        s <- s + float x[i * fin + p] * float w[p * fout + j]
                        sabs <- sabs + abs (float x[i * fin + p] * float w[p * fout + j])

                    let expected = if relu then max s 0.0 else s
                    let bound = 2.0 * float (fin + 2) * sabs / 16777216.0 + 1e-30

                    if abs (float y[i * fout + j] - expected) > bound then
                        failtest (
                            sprintf
                                "batch=%d fin=%d fout=%d relu=%b: y[%d,%d] = %g, reference %g"
                                batch
                                fin
                                fout
                                relu
                                i
                                j
                                y[i * fout + j]
                                expected
                        )

let ``LinearRelu equals Relu of Linear in value, gradient and second-order gradient`` () =
    let x0 = rnd 31 (6 * 5)
    let w0 = rnd 32 (5 * 4)
    let b0 = rnd 33 4

    let run fused =
        let x = Tensor.FromArray(Array.copy x0, 6, 5).RequireGrad()
        let w = Tensor.FromArray(Array.copy w0, 5, 4).RequireGrad()
        let b = Tensor.FromArray(Array.copy b0, 4).RequireGrad()

        let y =
            if fused then
                Ops.LinearRelu(x, w, b)
            else
                Ops.Relu(Ops.Linear(x, w, b))

        let l = Ops.Sum(Ops.Mul(Ops.Tanh y, y))
        let g = Autograd.Grad(l, [| x; w; b |], createGraph = true)

        let s =
            g
            |> Array.map (fun t -> Ops.Sum(Ops.Square t))
            |> Array.reduce (fun a c -> Ops.Add(a, c))

        let gg = Autograd.Grad(s, [| x; w; b |])

        Array.concat
            [
                [| y.ToArray() |]
                g |> Array.map (fun t -> t.ToArray())
                gg |> Array.map (fun t -> t.ToArray())
            ]

    let a, b = run true, run false

    for i in 0 .. a.Length - 1 do
        eqArr a[i] b[i]

[<Tests>]
let tests =
    testList
        "Tensors.Gemm"
        [
            testCase
                "all transpose combinations at odd sizes 1, 7, 33, 130"
                ``all transpose combinations at odd sizes 1, 7, 33, 130``
            testCase
                "alpha, beta, leading dimensions and a depth beyond one cache block"
                ``alpha, beta, leading dimensions and a depth beyond one cache block``
            testPropertyN 40 "random shapes agree with the reference" ``random shapes agree with the reference``
            testCase
                "the result does not depend on the number of threads"
                ``the result does not depend on the number of threads``
            testCase
                "a product with itself transposed is symmetric and matches Ops.Transpose"
                ``a product with itself transposed is symmetric and matches Ops.Transpose``
            testCase
                "the fused linear kernel adds the bias and applies ReLU only after the full depth"
                ``the fused linear kernel adds the bias and applies ReLU only after the full depth``
            testCase
                "LinearRelu equals Relu of Linear in value, gradient and second-order gradient"
                ``LinearRelu equals Relu of Linear in value, gradient and second-order gradient``
        ]
