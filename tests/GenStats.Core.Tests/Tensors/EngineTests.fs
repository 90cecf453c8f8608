/// Forward semantics: broadcasting, reductions, closed-form values, grad modes, scopes, RNG, backends.
module GenStats.Tests.Tensors.EngineTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Tensors
open GenStats.Tests.Tolerance
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

/// Index of a multi-index into a (right-aligned, broadcast) shape.
let private flatIndex (shape: int[]) (full: int[]) (idx: int[]) =
    let off = full.Length - shape.Length
    let mutable f = 0

    for i in 0 .. shape.Length - 1 do
        let v = if shape[i] = 1 then 0 else idx[off + i]
        f <- f * shape[i] + v

    f

let rec private multiIndices (dims: int list) : int list seq =
    match dims with
    | [] -> Seq.singleton []
    | d :: rest ->
        seq {
            for i in 0 .. d - 1 do
                for tail in multiIndices rest -> i :: tail
        }

let ``broadcast add, mul and div follow numpy's rules`` () =
    Prop.forAll (arb (GenStats.Tests.Tensors.GradientTests.broadcastPair (values 0.5 2.0))) (fun ins ->
        let a, b = tensorOf ins[0], tensorOf ins[1]
        let full = (Shape.Broadcast(a.Shape, b.Shape)).ToArray()
        let rank = max ins[0].Shape.Length ins[1].Shape.Length

        let expectedFull =
            Array.init rank (fun i ->
                let get (s: int[]) =
                    let j = i - (rank - s.Length) in if j < 0 then 1 else s[j]

                max (get ins[0].Shape) (get ins[1].Shape))

        let sum, prod, quot = Ops.Add(a, b), Ops.Mul(a, b), Ops.Div(a, b)

        full = expectedFull
        && sum.Shape.ToArray() = full
        && (multiIndices (List.ofArray full)
            |> Seq.forall (fun idx ->
                let idx = Array.ofList idx
                let av = ins[0].Values[flatIndex ins[0].Shape full idx]
                let bv = ins[1].Values[flatIndex ins[1].Shape full idx]
                let k = flatIndex full full idx
                sum.Values[k] = av + bv && prod.Values[k] = av * bv && quot.Values[k] = av / bv)))

let ``incompatible shapes are rejected with the shapes in the message`` () =
    let ex =
        raises<ArgumentException> "Ops.Add(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)) |> ignore" (fun () ->
            Ops.Add(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)) |> ignore)

    contains "[2, 3]" ex.Message "ex.Message"

    raises<ArgumentException> "Ops.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3)) |> ignore" (fun () ->
        Ops.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3)) |> ignore)
    |> ignore

    raises<ArgumentException> "Shape([| 1; 2; 3; 4; 5 |]) |> ignore" (fun () -> Shape([| 1; 2; 3; 4; 5 |]) |> ignore)
    |> ignore

    raises<ArgumentException> "Tensor.FromArray([| 1f; 2f |], 3) |> ignore" (fun () ->
        Tensor.FromArray([| 1f; 2f |], 3) |> ignore)
    |> ignore

let ``sums, means and maxima over axes have hand-computed values`` () =
    let x = Tensor.FromArray([| 1f; 2f; 3f; 4f; 5f; 6f |], 2, 3)
    eqArr ((Ops.Sum(x, 0)).ToArray()) ([| 5f; 7f; 9f |])
    eqArr ((Ops.Sum(x, -1)).ToArray()) ([| 6f; 15f |])
    eqArr ((Ops.Sum(x, 1, keepDims = true)).Shape.ToArray()) ([| 2; 1 |])
    eqArr [| (Ops.Mean x).ToScalar() |] [| 3.5f |]
    eqArr ((Ops.Max(x, 0)).ToArray()) ([| 4f; 5f; 6f |])
    eqArr ((Ops.Sum(Tensor.Zeros(2, 3, 4), [| 0; 2 |])).Shape.ToArray()) ([| 3 |])

let ``logsumexp does not overflow`` () =
    let x = Tensor.FromArray([| 1000f; 1000f; -1000f; -1000f |], 2, 2)
    let y = (Ops.LogSumExp(x, 1)).ToArray()
    assertClose low (1000.0 + log 2.0) (float y[0]) "row 0"
    assertClose low (-1000.0 + log 2.0) (float y[1]) "row 1"

let ``losses have their closed-form values`` () =
    // BCE(0, 1) = ln 2; BCE(100, 1) = e^-100 ≈ 0; BCE(-100, 1) = 100 (no overflow).
    let bce x t =
        (Ops.BceWithLogits(Tensor.FromArray([| x |], 1), Tensor.FromArray([| t |], 1))).ToScalar()
        |> float

    assertClose low (log 2.0) (bce 0f 1f) "bce(0,1)"
    assertClose low 0.0 (bce 100f 1f) "bce(100,1)"
    assertClose low 100.0 (bce -100f 1f) "bce(-100,1)"
    // Weighted BCE: Σ wℓ / Σ w with ℓ(0,1) = ln 2 and ℓ(0,0) = ln 2.
    let w =
        Ops.BceWithLogits(
            Tensor.FromArray([| 0f; 0f |], 2),
            Tensor.FromArray([| 1f; 0f |], 2),
            Tensor.FromArray([| 3f; -1f |], 2)
        )

    assertClose low (log 2.0) (float (w.ToScalar())) "weighted"
    // Distinct losses, so that ignoring or misusing the weights shows: ℓ(x, t) = softplus(x) − t·x for
    // x = (2, −1, 0.5), t = (1, 0, 1), w = (3, −1, 2). /usr/bin/python3 (numpy):
    //   l = np.logaddexp(0, x) − t·x = [0.1269280110429727, 0.31326168751822286, 0.4740769841801067]
    //   (w·l).sum()/w.sum() = 0.25391907849272716   (unweighted mean 0.3047555609137674)
    let distinct =
        Ops.BceWithLogits(
            Tensor.FromArray([| 2f; -1f; 0.5f |], 3),
            Tensor.FromArray([| 1f; 0f; 1f |], 3),
            Tensor.FromArray([| 3f; -1f; 2f |], 3)
        )

    assertClose low 0.25391907849272716 (float (distinct.ToScalar())) "weighted, distinct losses"
    // MSE of (1,2,3) vs (1,1,1) = 5/3.
    assertClose
        low
        (5.0 / 3.0)
        (float ((Ops.Mse(Tensor.FromArray([| 1f; 2f; 3f |], 3), Tensor.Ones 3)).ToScalar()))
        "mse"
    // Gaussian NLL: ½(ln 4 + 1/4) for μ = 0, x = 1, σ² = 4; full adds ½ ln 2π.
    let nll full =
        (Ops.GaussianNll(Tensor.Zeros 1, Tensor.Ones 1, Tensor.Full(4f, 1), full = full)).ToScalar()
        |> float

    assertClose low (0.5 * (log 4.0 + 0.25)) (nll false) "nll"
    assertClose low (0.5 * (log 4.0 + 0.25) + 0.5 * log (2.0 * Math.PI)) (nll true) "nll full"

let ``row norm of a zero row has a zero, finite gradient of every order`` () =
    let x = (Tensor.FromArray([| 0f; 0f; 3f; 4f |], 2, 2)).RequireGrad()
    let n = Ops.RowNorm x
    eqArr (n.ToArray()) ([| 0f; 5f |])
    let g = Autograd.Grad(Ops.Sum n, [| x |], createGraph = true)[0]
    eqArr (g.ToArray()) ([| 0f; 0f; 0.6f; 0.8f |])
    let gg = Autograd.Grad(Ops.Sum(Ops.Square g), [| x |])[0]
    Expect.isTrue (gg.ToArray() |> Array.forall Single.IsFinite) "gg.ToArray() |> Array.forall Single.IsFinite"

let ``no-grad mode records nothing and Backward accumulates into leaves`` () =
    let w = (Tensor.FromArray([| 2f |], 1)).RequireGrad()
    use _ng = Autograd.NoGrad()
    let y = Ops.Mul(w, w)
    Expect.isFalse y.RequiresGrad "y.RequiresGrad"
    _ng.Dispose()
    let y2 = Ops.Sum(Ops.Mul(w, w))
    y2.Backward()
    y2.Backward()
    eqArr (w.Grad.ToArray()) ([| 8f |])
    w.ZeroGrad()
    eqArr (w.Grad.ToArray()) ([| 0f |])

let ``a scope returns its buffers and kept tensors survive`` () =
    let outer = Tensor.Ones(3)

    let kept, lost =
        use scope = TensorScope.Begin()
        let a = Ops.Affine(outer, 2f, 1f)
        let b = Ops.Exp a
        scope.Keep a, b

    eqArr (kept.ToArray()) ([| 3f; 3f; 3f |])

    raises<ObjectDisposedException> "lost.ToArray() |> ignore" (fun () -> lost.ToArray() |> ignore)
    |> ignore

    eqArr (outer.ToArray()) ([| 1f; 1f; 1f |])

let ``a pooled step allocates no new tensor buffers after the first`` () =
    let w =
        (Tensor.FromArray(Array.init (64 * 64) (fun i -> float32 (sin (float i))), 64, 64)).RequireGrad()

    let x =
        Tensor.FromArray(Array.init (256 * 64) (fun i -> float32 (cos (float i))), 256, 64)

    let step () =
        use _s = TensorScope.Begin()
        let h = Ops.Tanh(Ops.MatMul(Ops.Relu(Ops.MatMul(x, w)), w))
        (Ops.Mean(Ops.Square h)).Backward()

    step ()
    step ()
    let before = GC.GetAllocatedBytesForCurrentThread()
    step ()
    let allocated = GC.GetAllocatedBytesForCurrentThread() - before
    // One 256×64 float buffer alone is 64 KiB; the whole step holds about a dozen of them.
    Expect.isLessThan allocated (64L * 1024L) (sprintf "allocated %d bytes" allocated)

let ``random draws are reproducible, thread-count independent and have the right moments`` () =
    let n = 200_000
    let a = (Rng(42UL).Normal(n)).ToArray()
    let saved = TensorBackend.MaxThreads

    let b =
        try
            TensorBackend.MaxThreads <- 1
            (Rng(42UL).Normal(n)).ToArray()
        finally
            TensorBackend.MaxThreads <- saved

    eqArr (b) (a)
    let rng = Rng(42UL)
    let first = (rng.Normal(10)).ToArray()
    let second = (rng.Normal(10)).ToArray()
    Expect.notEqual second first "successive draws use fresh streams"
    Expect.notEqual ((Rng(43UL).Normal(10)).ToArray()) first "(Rng(43UL).Normal(10)).ToArray()"
    let xs = a |> Array.map float
    let mean = Array.average xs
    let var = (xs |> Array.sumBy (fun x -> (x - mean) ** 2.0)) / float (n - 1)
    // 5σ: σ(mean) = 1/√n, σ(var) ≈ √(2/n).
    Expect.isLessThan (abs mean) (5.0 / sqrt (float n)) "abs mean"
    Expect.isLessThan (abs (var - 1.0)) (5.0 * sqrt (2.0 / float n)) "abs (var - 1.0)"
    let u = (Rng(7UL).Uniform(Shape([| n |]), -1f, 3f)).ToArray() |> Array.map float

    Expect.isTrue
        (u |> Array.forall (fun v -> v >= -1.0 && v < 3.0))
        "u |> Array.forall (fun v -> v >= -1.0 && v < 3.0)"
    // U(−1, 3): mean 1, sd 4/√12.
    Expect.isLessThan
        (abs (Array.average u - 1.0))
        (5.0 * 4.0 / sqrt 12.0 / sqrt (float n))
        "abs (Array.average u - 1.0)"

let ``backend control: managed by default, CUDA found or its absence explained, bad names rejected`` () =
    let saved = Environment.GetEnvironmentVariable TensorBackend.EnvironmentVariable

    try
        Environment.SetEnvironmentVariable(TensorBackend.EnvironmentVariable, null)
        TensorBackend.UseDefault()
        Expect.equal TensorBackend.Current.Name "managed" "TensorBackend.Current.Name"
        // GenStats.Cuda is referenced by the tests: without a GPU (CI) TryUseCuda says why in one line;
        // on a GPU machine (scripts/gpu-check.sh) it switches to the CUDA device.
        if TensorBackend.TryUseCuda() then
            Expect.equal TensorBackend.Current.Device.Kind "cuda" "TryUseCuda switches to the GPU"
            Expect.isNull TensorBackend.CudaProblem "no problem after a success"
            TensorBackend.UseManaged()
        else
            Expect.stringStarts TensorBackend.CudaProblem TensorBackend.NoCudaPrefix "the one-line reason"
            Expect.equal TensorBackend.Current.Name "managed" "the backend is unchanged"

            raises<InvalidOperationException> "TensorBackend.UseCuda()" (fun () -> TensorBackend.UseCuda())
            |> ignore

            Environment.SetEnvironmentVariable(TensorBackend.EnvironmentVariable, "cuda")
            TensorBackend.UseDefault()
            Expect.equal TensorBackend.Current.Name "managed" "cuda falls back to managed when absent"

        Environment.SetEnvironmentVariable(TensorBackend.EnvironmentVariable, "quantum")

        let ex =
            raises<ArgumentException> "TensorBackend.UseDefault()" (fun () -> TensorBackend.UseDefault())

        contains "quantum" ex.Message "ex.Message"
    finally
        Environment.SetEnvironmentVariable(TensorBackend.EnvironmentVariable, saved)
        TensorBackend.UseManaged()

let ``gradients with respect to intermediates, unused inputs and misuse`` () =
    let x = (Tensor.FromArray([| 1f; 2f |], 2)).RequireGrad()
    let unused = (Tensor.FromArray([| 5f |], 1)).RequireGrad()
    let h = Ops.Square x // intermediate
    let y = Ops.Sum(Ops.Affine(h, 3f, 0f))
    let g = Autograd.Grad(y, [| h; x; unused |])
    eqArr (g[0].ToArray()) [| 3f; 3f |]
    eqArr (g[1].ToArray()) [| 6f; 12f |]
    eqArr (g[2].ToArray()) [| 0f |]
    let constant = Tensor.FromArray([| 1f |], 1)

    raises<ArgumentException> "Autograd.Grad(y, [| constant |]) |> ignore" (fun () ->
        Autograd.Grad(y, [| constant |]) |> ignore)
    |> ignore

    raises<ArgumentException> "Autograd.Grad(Ops.Square x, [| x |]) |> ignore" (fun () ->
        Autograd.Grad(Ops.Square x, [| x |]) |> ignore)
    |> ignore

    raises<InvalidOperationException> "Autograd.Grad(Ops.Sum constant, [| x |]) |> ignore" (fun () ->
        Autograd.Grad(Ops.Sum constant, [| x |]) |> ignore)
    |> ignore
    // A vector output with an explicit seed gradient is a vector–Jacobian product.
    let vjp = Autograd.Grad(Ops.Square x, [| x |], Tensor.FromArray([| 1f; -1f |], 2))
    eqArr (vjp[0].ToArray()) [| 2f; -4f |]

/// Leaky ReLU and the gradient masks of relu, abs and clamp against their element rules written here, at 1003
/// positions (SIMD body and scalar tail) with random signs, exact zeros and the clamp bounds themselves.
let ``leaky relu and the gradient masks follow their element rules everywhere`` () =
    let rng = Random(11)

    let xs =
        Array.init 1003 (fun i ->
            match i % 7 with
            | 0 -> 0f
            | 1 -> 0.5f
            | 2 -> -0.5f
            | _ -> float32 (rng.NextDouble() * 2.0 - 1.0))

    let gs = Array.init xs.Length (fun _ -> float32 (rng.NextDouble() * 4.0 - 2.0))
    let gT = Tensor.FromArray(gs, xs.Length)
    let leaky = Ops.LeakyRelu(Tensor.FromArray(xs, xs.Length), 0.2f).ToArray()
    eqArr leaky (xs |> Array.map (fun v -> if v > 0f then v else 0.2f * v))

    let grad (f: Tensor -> Tensor) =
        let x = Tensor.FromArray(xs, xs.Length).RequireGrad()
        (Autograd.Grad(Ops.Sum(Ops.Mul(f x, gT)), [| x |])[0]).ToArray()

    let rule (m: float32 -> float32) = Array.map2 (fun v g -> m v * g) xs gs
    eqArr (grad (fun x -> Ops.LeakyRelu(x, 0.2f))) (rule (fun v -> if v > 0f then 1f else 0.2f))
    eqArr (grad Ops.Relu) (rule (fun v -> if v > 0f then 1f else 0f))

    eqArr
        (grad Ops.Abs)
        (rule (fun v ->
            if v > 0f then 1f
            elif v < 0f then -1f
            else 0f))

    eqArr (grad (fun x -> Ops.Clamp(x, -0.5f, 0.5f))) (rule (fun v -> if v >= -0.5f && v <= 0.5f then 1f else 0f))

let private cases =
    testList
        "Tensors.Engine"
        [
            testPropertyN
                100
                "broadcast add, mul and div follow numpy's rules"
                ``broadcast add, mul and div follow numpy's rules``
            testCase
                "incompatible shapes are rejected with the shapes in the message"
                ``incompatible shapes are rejected with the shapes in the message``
            testCase
                "sums, means and maxima over axes have hand-computed values"
                ``sums, means and maxima over axes have hand-computed values``
            testCase "logsumexp does not overflow" ``logsumexp does not overflow``
            testCase "losses have their closed-form values" ``losses have their closed-form values``
            testCase
                "row norm of a zero row has a zero, finite gradient of every order"
                ``row norm of a zero row has a zero, finite gradient of every order``
            testCase
                "no-grad mode records nothing and Backward accumulates into leaves"
                ``no-grad mode records nothing and Backward accumulates into leaves``
            testCase
                "a scope returns its buffers and kept tensors survive"
                ``a scope returns its buffers and kept tensors survive``
            testCase
                "a pooled step allocates no new tensor buffers after the first"
                ``a pooled step allocates no new tensor buffers after the first``
            testCase
                "random draws are reproducible, thread-count independent and have the right moments"
                ``random draws are reproducible, thread-count independent and have the right moments``
            testCase
                "backend control: managed by default, CUDA found or its absence explained, bad names rejected"
                ``backend control: managed by default, CUDA found or its absence explained, bad names rejected``
            testCase
                "leaky relu and the gradient masks follow their element rules everywhere"
                ``leaky relu and the gradient masks follow their element rules everywhere``
            testCase
                "gradients with respect to intermediates, unused inputs and misuse"
                ``gradients with respect to intermediates, unused inputs and misuse``
        ]

/// Every case on every backend of BackendCombos.all.
[<Tests>]
let tests =
    BackendCombos.onEachExcept [ "a pooled step allocates no new tensor buffers after the first" ] cases
