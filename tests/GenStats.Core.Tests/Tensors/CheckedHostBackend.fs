/// A second ITensorBackend, for tests only: its buffers are a TensorBuffer subclass of their own on a
/// device of their own ("checked:0"), so any code that still reaches for the host array of a tensor
/// (Tensor.Data / Values, or the managed backend unwrapping a HostBuffer) throws instead of reading
/// it. The arithmetic is the managed backend's, run on the unwrapped arrays — results must equal the
/// managed ones bit for bit, which proves the harness and the storage boundary, not new kernels.
module GenStats.Tests.Tensors.CheckedHostBackend

open System
open GenStats.Tensors
open GenStats.Tensors.Backends

/// The device the checked backend claims: not the CPU, so tensors on it are "device" tensors.
let device = Device("checked", 0)

/// A buffer the managed backend does not accept (it is no HostBuffer).
[<Sealed; AllowNullLiteral>]
type CheckedBuffer(array: float32[], backend: ITensorBackend) =
    inherit TensorBuffer(array.Length, backend)
    member _.Array = array

/// The checked backend: allocation and copies of its own, arithmetic delegated to ManagedBackend.
type CheckedHostBackend() =
    let inner = ManagedBackend()
    let mutable released = 0L

    let a (b: TensorBuffer) : float32[] =
        match b with
        | :? CheckedBuffer as c -> c.Array
        | null -> nullArg "buffer"
        | _ -> invalidOp (sprintf "the checked backend got a %s on %O; only its own buffers are accepted" (b.GetType().Name) b.Device)

    let opt (b: TensorBuffer) : float32[] = if isNull b then null else a b

    /// Buffers handed back through Release (a scope's pooled buffers).
    member _.Released = released

    interface ITensorBackend with
        member _.Name = "checked-host"
        member _.Device = device

        member _.MaxThreads
            with get () = inner.MaxThreads
            and set v = inner.MaxThreads <- v

        member this.Allocate(length) =
            if length < 0 then invalidArg "length" (sprintf "a buffer length is %d" length)
            // NaN fill: a kernel that reads memory it never wrote shows up in the comparisons.
            CheckedBuffer(Array.create length nanf, this) :> TensorBuffer

        member _.Release(buffer) =
            a buffer |> ignore
            released <- released + 1L

        member _.CopyFromHost(source, destination, destinationOffset) =
            source.CopyTo((a destination).AsSpan(destinationOffset))

        member _.CopyToHost(source, sourceOffset, destination) =
            (a source).AsSpan(sourceOffset, destination.Length).CopyTo(destination)

        member _.Copy(source, sourceOffset, destination, destinationOffset, length) =
            (a source).AsSpan(sourceOffset, length).CopyTo((a destination).AsSpan(destinationOffset, length))

        member _.Gemm(transA, transB, m, n, k, alpha, x, xOffset, lda, y, yOffset, ldb, beta, c, cOffset, ldc) =
            inner.Gemm(transA, transB, m, n, k, alpha, a x, xOffset, lda, a y, yOffset, ldb, beta, a c, cOffset, ldc)

        member _.Linear(x, w, bias, y, batch, fin, fout, relu) =
            inner.Linear(a x, a w, opt bias, a y, batch, fin, fout, relu)

        member _.Unary(op, x, y, n, p0, p1) = inner.Unary(op, a x, a y, n, p0, p1)
        member _.MaskMultiply(kind, g, x, r, n, p0, p1) = inner.MaskMultiply(kind, a g, a x, a r, n, p0, p1)
        member _.Binary(op, x, xs, y, ys, z, zs) = inner.Binary(op, a x, xs, a y, ys, a z, zs)
        member _.Expand(x, xs, y, ys) = inner.Expand(a x, xs, a y, ys)
        member _.SumAxis(x, outer, length, innerLen, y) = inner.SumAxis(a x, outer, length, innerLen, a y)
        member _.MaxAxis(x, outer, length, innerLen, y) = inner.MaxAxis(a x, outer, length, innerLen, a y)

        member _.CumSumAxis(x, outer, length, innerLen, y, reverse) =
            inner.CumSumAxis(a x, outer, length, innerLen, a y, reverse)

        member _.GatherAxis(x, outer, length, innerLen, index, count, y) =
            inner.GatherAxis(a x, outer, length, innerLen, index, count, a y)

        member _.ScatterAddAxis(g, outer, length, innerLen, index, count, y) =
            inner.ScatterAddAxis(a g, outer, length, innerLen, index, count, a y)

        member _.Select(mask, x, y, z, n) = inner.Select(a mask, a x, a y, a z, n)

        member _.SearchSorted(sorted, rows, sortedLength, values, perRow, right, y) =
            inner.SearchSorted(a sorted, rows, sortedLength, a values, perRow, right, a y)

        member _.CopyBlock(src, so, ss, dst, d0, ds, rows, cols) = inner.CopyBlock(a src, so, ss, a dst, d0, ds, rows, cols)
        member _.Fill(y, n, value) = inner.Fill(a y, n, value)
        member _.FillNormal(y, n, key, mean, std) = inner.FillNormal(a y, n, key, mean, std)
        member _.FillUniform(y, n, key, lo, hi) = inner.FillUniform(a y, n, key, lo, hi)
        member _.SumOfSquares(x, n) = inner.SumOfSquares(a x, n)
        member _.Axpy(alpha, x, y, n) = inner.Axpy(alpha, a x, a y, n)
        member _.Conv2d(x, w, bias, y, g) = inner.Conv2d(a x, a w, opt bias, a y, g)
        member _.Conv2dBackwardData(gy, w, gx, g) = inner.Conv2dBackwardData(a gy, a w, a gx, g)
        member _.Conv2dBackwardWeight(x, gy, gw, g) = inner.Conv2dBackwardWeight(a x, a gy, a gw, g)
        member _.Upsample2x(mode, x, y, planes, h, w) = inner.Upsample2x(mode, a x, a y, planes, h, w)

        member _.Upsample2xAdjoint(mode, gy, gx, planes, h, w) =
            inner.Upsample2xAdjoint(mode, a gy, a gx, planes, h, w)

        member _.PadCrop2d(x, planes, h, w, y, oh, ow, top, left) =
            inner.PadCrop2d(a x, planes, h, w, a y, oh, ow, top, left)

        member _.OptimizerStep(u, w, g, s1, s2, n) = inner.OptimizerStep(u, a w, a g, opt s1, opt s2, n)
