/// Softmax, LogSoftmax, Cumsum, Take, TakeAlongAxis and SearchSorted: numpy/PyTorch reference
/// values, closed-form properties, errors, and gradients (first and second order) against finite
/// differences.
module GenStats.Tests.Tensors.AxisTests

open Expecto
open System
open FsCheck
open FsCheck.FSharp
open GenStats.Tensors
open GenStats.Tests.Tolerance
open GenStats.Tests.Tensors.GradCheck
open GenStats.Tests.Expectations
open GenStats.Tests.TestMain

/// A few float32 roundings of O(1)…O(5) numbers.
let private float32Accuracy = { Absolute = 1e-6; Relative = 1e-6 }

let private closeArr (expected: float[]) (actual: float32[]) (what: string) =
    Expect.equal actual.Length expected.Length (what + ": length")

    for i in 0 .. expected.Length - 1 do
        assertClose float32Accuracy expected[i] (float actual[i]) (sprintf "%s[%d]" what i)

let private m23 () =
    Tensor.FromArray([| 1f; 2f; 3f; -1f; 0f; 4f |], 2, 3)

let ``softmax and log-softmax match numpy along either axis`` () =
    // /usr/bin/python3 (numpy), x = [[1, 2, 3], [-1, 0, 4]], e = exp(x − max), e / e.sum(axis):
    let rows =
        [|
            0.09003057317038043
            0.24472847105479767
            0.6652409557748218
            0.006573263185309083
            0.0178679818703045
            0.9755587549443865
        |]

    let cols =
        [|
            0.8807970779778825
            0.8807970779778825
            0.26894142136999516
            0.11920292202211755
            0.11920292202211755
            0.7310585786300049
        |]

    let logRows =
        [|
            -2.4076059644443806
            -1.4076059644443801
            -0.40760596444438046
            -5.024744890138822
            -4.024744890138822
            -0.024744890138822577
        |]

    closeArr rows ((Ops.Softmax(m23 (), 1)).ToArray()) "softmax axis 1"
    closeArr rows ((Ops.Softmax(m23 (), -1)).ToArray()) "softmax axis -1"
    closeArr cols ((Ops.Softmax(m23 (), 0)).ToArray()) "softmax axis 0"
    closeArr logRows ((Ops.LogSoftmax(m23 (), -1)).ToArray()) "log-softmax axis -1"

let ``softmax does not overflow`` () =
    // [1000, 1000, −1000] → [½, ½, 0] (a naive exp overflows to inf/inf = NaN).
    closeArr
        [| 0.5; 0.5; 0.0 |]
        ((Ops.Softmax(Tensor.FromArray([| 1000f; 1000f; -1000f |], 1, 3), 1)).ToArray())
        "large inputs"

let ``softmax sums to one and log-softmax is finite and non-positive`` () =
    Prop.forAll (arb (anyRank (values -80.0 80.0))) (fun ins ->
        let x = tensorOf ins[0]
        let r = x.Rank
        let sums = (Ops.Sum(Ops.Softmax(x, r - 1), r - 1)).ToArray()
        let ls = (Ops.LogSoftmax(x, r - 1)).ToArray()
        // At most 4 terms, each rounded to 6e-8 relative.
        sums |> Array.forall (fun v -> abs (float v - 1.0) < 1e-6)
        && ls |> Array.forall (fun v -> Single.IsFinite v && v <= 0f))

let ``cumsum matches numpy along each axis`` () =
    // numpy.cumsum([[1, 2, 3], [-1, 0, 4]], axis=0) = [[1, 2, 3], [0, 2, 7]]; axis=1: [[1, 3, 6], [-1, -1, 3]].
    eqArr ((Ops.Cumsum(m23 (), 0)).ToArray()) [| 1f; 2f; 3f; 0f; 2f; 7f |]
    eqArr ((Ops.Cumsum(m23 (), 1)).ToArray()) [| 1f; 3f; 6f; -1f; -1f; 3f |]
    eqArr ((Ops.Cumsum(m23 (), -1)).ToArray()) [| 1f; 3f; 6f; -1f; -1f; 3f |]
    // Its gradient is the reversed cumulative sum: d/dxᵢ Σⱼ cⱼ·yⱼ = Σ_{j ≥ i} cⱼ; c = (1, 10, 100) → (111, 110, 100).
    let x = (Tensor.FromArray([| 5f; 6f; 7f |], 3)).RequireGrad()

    let g =
        Autograd.Grad(Ops.Cumsum(x, 0), [| x |], Tensor.FromArray([| 1f; 10f; 100f |], 3))

    eqArr (g[0].ToArray()) [| 111f; 110f; 100f |]

let ``take and take-along-axis match numpy`` () =
    let a = Tensor.FromArray([| 10f; 30f; 20f; 60f; 40f; 50f |], 2, 3)
    // numpy.take(a, [2, -1, 0], axis=1) = [[20, 20, 10], [50, 50, 60]]; numpy.take(a, [1, 1], axis=0) repeats row 1.
    eqArr ((Ops.Take(a, [| 2; -1; 0 |], 1)).ToArray()) [| 20f; 20f; 10f; 50f; 50f; 60f |]
    eqArr ((Ops.Take(a, [| 1; 1 |], 0)).ToArray()) [| 60f; 40f; 50f; 60f; 40f; 50f |]
    // numpy.take_along_axis(a, [[2, 0], [1, 1]], axis=1) = [[20, 10], [40, 40]];
    // numpy.take_along_axis(a, [[1, 0, 1]], axis=0) = [[60, 30, 50]].
    let t1 = Ops.TakeAlongAxis(a, Tensor.FromArray([| 2f; 0f; 1f; 1f |], 2, 2), 1)
    eqArr (t1.ToArray()) [| 20f; 10f; 40f; 40f |]
    eqArr (t1.Shape.ToArray()) [| 2; 2 |]
    eqArr ((Ops.TakeAlongAxis(a, Tensor.FromArray([| 1f; 0f; 1f |], 1, 3), 0)).ToArray()) [| 60f; 30f; 50f |]
    // torch.gather(a, 1, idx) is the same selection.
    eqArr ((Ops.Gather(a, 1, Tensor.FromArray([| 2f; 0f; 1f; 1f |], 2, 2))).ToArray()) [| 20f; 10f; 40f; 40f |]
    // The gradient scatter-adds: picking a[1, 1] twice gives it 2.
    let x = (Tensor.FromArray([| 10f; 30f; 20f; 60f; 40f; 50f |], 2, 3)).RequireGrad()

    let g =
        Autograd.Grad(Ops.Sum(Ops.TakeAlongAxis(x, Tensor.FromArray([| 2f; 0f; 1f; 1f |], 2, 2), 1)), [| x |])

    eqArr (g[0].ToArray()) [| 1f; 0f; 1f; 0f; 2f; 0f |]

let ``take-along-axis agrees with direct indexing on random rank-3 tensors`` () =
    let g =
        gen {
            let! dims = Gen.arrayOfLength 3 (Gen.choose (1, 4))
            let! axis = Gen.choose (0, 2)
            let! k = Gen.choose (1, 3)
            let idxDims = Array.mapi (fun d n -> if d = axis then k else n) dims
            let! idx = Gen.arrayOfLength (Array.fold (*) 1 idxDims) (Gen.choose (0, dims[axis] - 1))
            return dims, axis, idxDims, idx
        }

    Prop.forAll (Arb.fromGen g) (fun (dims, axis, idxDims, idx) ->
        let n = Array.fold (*) 1 dims
        let x = Tensor.FromArray(Array.init n float32, dims)
        let y = Ops.TakeAlongAxis(x, Tensor.FromArray(Array.map float32 idx, idxDims), axis)

        // x holds its own flat index, so y must hold the flat index of (i with axis replaced by idx[i]).
        let strides = [| dims[1] * dims[2]; dims[2]; 1 |]

        y.Shape.ToArray() = idxDims
        && Seq.forall
            (fun (i, j, l) ->
                let flatIdx = (i * idxDims[1] + j) * idxDims[2] + l
                let pos = [| i; j; l |]
                pos[axis] <- idx[flatIdx]
                let expected = pos[0] * strides[0] + pos[1] * strides[1] + pos[2]
                y[i, j, l] = float32 expected)
            (seq {
                for i in 0 .. idxDims[0] - 1 do
                    for j in 0 .. idxDims[1] - 1 do
                        for l in 0 .. idxDims[2] - 1 -> i, j, l
            }))

let ``bad indices are rejected naming the index`` () =
    let a = m23 ()

    let ex =
        raises<ArgumentException> "Take out of range" (fun () -> Ops.Take(a, [| 0; 3 |], 1) |> ignore)

    contains "indices[1] is 3" ex.Message "take message"

    let ex2 =
        raises<ArgumentException> "Take below −n" (fun () -> Ops.Take(a, [| -3 |], 0) |> ignore)

    contains "indices[0] is -3" ex2.Message "take message, negative"

    let ex3 =
        raises<ArgumentException> "TakeAlongAxis out of range" (fun () ->
            Ops.TakeAlongAxis(a, Tensor.FromArray([| 0f; 5f |], 2, 1), 1) |> ignore)

    contains "is 5" ex3.Message "take-along-axis message"

    let ex4 =
        raises<ArgumentException> "TakeAlongAxis non-integer" (fun () ->
            Ops.TakeAlongAxis(a, Tensor.FromArray([| 0f; 0.5f |], 2, 1), 1) |> ignore)

    contains "0.5" ex4.Message "non-integer message"

    raises<ArgumentException> "TakeAlongAxis shape" (fun () ->
        Ops.TakeAlongAxis(a, Tensor.FromArray([| 0f; 0f; 0f |], 3, 1), 1) |> ignore)
    |> ignore

let ``searchsorted matches numpy left and right, with ties, NaN and batches`` () =
    // /usr/bin/python3: seq = [1, 2, 2, 2, 5, 7], v = [0, 1, 2, 3, 7, 8, 2.5]
    //   numpy.searchsorted(seq, v, 'left')  = [0, 0, 1, 4, 5, 6, 4]
    //   numpy.searchsorted(seq, v, 'right') = [0, 1, 4, 4, 6, 6, 4]
    //   numpy.searchsorted(seq, [nan]) = [6] on both sides (torch.searchsorted agrees)
    let seq = Tensor.FromArray([| 1f; 2f; 2f; 2f; 5f; 7f |], 6)
    let v = Tensor.FromArray([| 0f; 1f; 2f; 3f; 7f; 8f; 2.5f |], 7)
    eqArr ((Ops.SearchSorted(seq, v)).ToArray()) [| 0f; 0f; 1f; 4f; 5f; 6f; 4f |]
    eqArr ((Ops.SearchSorted(seq, v, right = true)).ToArray()) [| 0f; 1f; 4f; 4f; 6f; 6f; 4f |]
    let nan = Tensor.FromArray([| Single.NaN |], 1)
    eqArr ((Ops.SearchSorted(seq, nan)).ToArray()) [| 6f |]
    eqArr ((Ops.SearchSorted(seq, nan, right = true)).ToArray()) [| 6f |]
    // A 1-D sequence serves values of any shape.
    let v2 = Tensor.FromArray([| 0f; 1f; 2f; 3f; 7f; 8f |], 2, 3)
    let r2 = Ops.SearchSorted(seq, v2)
    eqArr (r2.Shape.ToArray()) [| 2; 3 |]
    eqArr (r2.ToArray()) [| 0f; 0f; 1f; 4f; 5f; 6f |]
    // Batched, row by row: S = [[0, 1, 1, 3], [-2, 0, 0, 0]], V = [[1, 3, -1], [0, -3, 5]]
    //   left [[1, 3, 0], [1, 0, 4]], right [[3, 4, 0], [4, 0, 4]] (numpy.searchsorted per row).
    let s = Tensor.FromArray([| 0f; 1f; 1f; 3f; -2f; 0f; 0f; 0f |], 2, 4)
    let vb = Tensor.FromArray([| 1f; 3f; -1f; 0f; -3f; 5f |], 2, 3)
    eqArr ((Ops.SearchSorted(s, vb)).ToArray()) [| 1f; 3f; 0f; 1f; 0f; 4f |]
    eqArr ((Ops.SearchSorted(s, vb, right = true)).ToArray()) [| 3f; 4f; 0f; 4f; 0f; 4f |]
    // Not differentiable: never tracked, even for inputs that require grad.
    let tracked = Ops.SearchSorted(seq, (Tensor.FromArray([| 1f |], 1)).RequireGrad())
    Expect.isFalse tracked.RequiresGrad "searchsorted result is not tracked"

let ``searchsorted counts the elements below (left) or not above (right) each value`` () =
    // Independent definition: left = #{seq < v}, right = #{seq ≤ v}; values and sequence on a coarse grid, so ties occur.
    let g =
        gen {
            let! n = Gen.choose (0, 8)
            let! sq = Gen.arrayOfLength n (Gen.choose (-3, 3))
            let! vs = Gen.arrayOfLength 5 (Gen.choose (-4, 4))
            return Array.sort sq, vs
        }

    Prop.forAll (Arb.fromGen g) (fun (sq, vs) ->
        let seq = Tensor.FromArray(Array.map float32 sq, sq.Length)
        let v = Tensor.FromArray(Array.map float32 vs, vs.Length)
        let left = (Ops.SearchSorted(seq, v)).ToArray()
        let right = (Ops.SearchSorted(seq, v, right = true)).ToArray()

        vs
        |> Array.mapi (fun i x ->
            left[i] = float32 (sq |> Array.filter (fun s -> s < x) |> Array.length)
            && right[i] = float32 (sq |> Array.filter (fun s -> s <= x) |> Array.length))
        |> Array.forall id)

let ``searchsorted rejects unsorted rows and mismatched batches`` () =
    let ex =
        raises<ArgumentException> "unsorted" (fun () ->
            Ops.SearchSorted(Tensor.FromArray([| 1f; 3f; 2f |], 3), Tensor.Zeros 1)
            |> ignore)

    contains "not ascending" ex.Message "unsorted message"

    let ex2 =
        raises<ArgumentException> "batch mismatch" (fun () ->
            Ops.SearchSorted(Tensor.Zeros(2, 4), Tensor.Zeros(3, 1)) |> ignore)

    contains "[2, 4]" ex2.Message "batch message"

// ---- gradients (first and second order) ----

let ``gradients: softmax and log-softmax along the first and last axes`` () =
    Prop.forAll (arb (anyRank (values -3.0 3.0))) (fun ins ->
        checkBoth (fun xs -> Ops.Softmax(xs[0], -1)) ins
        && checkBoth (fun xs -> Ops.Softmax(xs[0], 0)) ins
        && checkBoth (fun xs -> Ops.LogSoftmax(xs[0], -1)) ins)

let ``gradients: cumsum along the first and last axes`` () =
    // Squared: cumsum is linear, so its own second derivative is zero.
    Prop.forAll (arb (anyRank (values -2.0 2.0))) (fun ins ->
        checkBoth (fun xs -> Ops.Square(Ops.Cumsum(xs[0], -1))) ins
        && checkBoth (fun xs -> Ops.Square(Ops.Cumsum(xs[0], 0))) ins)

/// A rank-1..3 input, an axis and indices (repeats and negative values included) for it.
let private indexed =
    gen {
        let! rank = Gen.choose (1, 3)
        let! dims = Gen.arrayOfLength rank (Gen.choose (1, 4))
        let! axis = Gen.choose (0, rank - 1)
        let! k = Gen.choose (1, 4)
        let len = dims[axis]
        let idxDims = Array.mapi (fun d n -> if d = axis then k else n) dims
        let! along = Gen.arrayOfLength (Array.fold (*) 1 idxDims) (Gen.choose (-len, len - 1))
        let! slices = Gen.arrayOfLength k (Gen.choose (-len, len - 1))
        let! x = inputOf dims (values -2.0 2.0)
        return [| x |], axis, idxDims, along, slices
    }

let ``gradients: take and take-along-axis`` () =
    Prop.forAll (Arb.fromGen indexed) (fun (ins, axis, idxDims, along, slices) ->
        checkBoth (fun xs -> Ops.Square(Ops.Take(xs[0], slices, axis))) ins
        && checkBoth
            (fun xs -> Ops.Square(Ops.TakeAlongAxis(xs[0], Tensor.FromArray(Array.map float32 along, idxDims), axis)))
            ins)

let private cases =
    testList
        "Tensors.Axis"
        [
            testCase
                "softmax and log-softmax match numpy along either axis"
                ``softmax and log-softmax match numpy along either axis``
            testCase "softmax does not overflow" ``softmax does not overflow``
            testPropertyN
                40
                "softmax sums to one and log-softmax is finite and non-positive"
                ``softmax sums to one and log-softmax is finite and non-positive``
            testCase "cumsum matches numpy along each axis" ``cumsum matches numpy along each axis``
            testCase "take and take-along-axis match numpy" ``take and take-along-axis match numpy``
            testPropertyN
                40
                "take-along-axis agrees with direct indexing on random rank-3 tensors"
                ``take-along-axis agrees with direct indexing on random rank-3 tensors``
            testCase "bad indices are rejected naming the index" ``bad indices are rejected naming the index``
            testCase
                "searchsorted matches numpy left and right, with ties, NaN and batches"
                ``searchsorted matches numpy left and right, with ties, NaN and batches``
            testPropertyN
                100
                "searchsorted counts the elements below (left) or not above (right) each value"
                ``searchsorted counts the elements below (left) or not above (right) each value``
            testCase
                "searchsorted rejects unsorted rows and mismatched batches"
                ``searchsorted rejects unsorted rows and mismatched batches``
            testPropertyN
                40
                "gradients: softmax and log-softmax along the first and last axes"
                ``gradients: softmax and log-softmax along the first and last axes``
            testPropertyN
                40
                "gradients: cumsum along the first and last axes"
                ``gradients: cumsum along the first and last axes``
            testPropertyN 40 "gradients: take and take-along-axis" ``gradients: take and take-along-axis``
        ]

/// Every case on every backend of BackendCombos.all.
[<Tests>]
let tests = BackendCombos.onEach cases
