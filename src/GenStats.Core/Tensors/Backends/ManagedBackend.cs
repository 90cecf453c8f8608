using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace GenStats.Tensors.Backends;

/// <summary>
/// The managed CPU backend: SIMD element-wise kernels and reductions from
/// <see cref="TensorPrimitives"/>, the packed SGEMM of <c>CpuGemm</c>, a counter-based RNG.
/// Large element-wise work is split in fixed chunks over <see cref="MaxThreads"/> threads; chunk
/// boundaries do not depend on the thread count, so results are bit-identical for any count.
/// </summary>
public sealed class ManagedBackend : ITensorBackend
{
    private const int ParallelChunk = 1 << 16;
    private int maxThreads = Environment.ProcessorCount;

    /// <inheritdoc />
    public string Name => "managed";

    /// <inheritdoc />
    public Device Device => Device.Cpu;

    /// <inheritdoc />
    public int MaxThreads
    {
        get => maxThreads;
        set
        {
            if (value < 1) throw new ArgumentException($"MaxThreads is {value}; at least 1 thread is required.", nameof(value));
            maxThreads = value;
        }
    }

    // ---- storage ----

    /// <summary>The managed array behind a buffer of this backend.</summary>
    /// <exception cref="ArgumentException">The buffer is not a host buffer (it belongs to another device's backend).</exception>
    internal static float[] H(TensorBuffer buffer) => buffer is HostBuffer h ? h.Array
        : throw new ArgumentException($"the managed backend got a buffer on {buffer.Device} ({buffer.GetType().Name}); only host buffers are accepted — move the tensor with Tensor.To(Device.Cpu).", nameof(buffer));

    /// <inheritdoc />
    public TensorBuffer Allocate(int length)
    {
        if (length < 0) throw new ArgumentException($"a buffer length is {length}; it must be non-negative.", nameof(length));
        return new HostBuffer(TensorPool.Rent(length), this);
    }

    /// <inheritdoc />
    public void Release(TensorBuffer buffer) => TensorPool.Return(H(buffer));

    /// <inheritdoc />
    public void CopyFromHost(ReadOnlySpan<float> source, TensorBuffer destination, int destinationOffset) =>
        source.CopyTo(H(destination).AsSpan(destinationOffset));

    /// <inheritdoc />
    public void CopyToHost(TensorBuffer source, int sourceOffset, Span<float> destination) =>
        H(source).AsSpan(sourceOffset, destination.Length).CopyTo(destination);

    /// <inheritdoc />
    public void Copy(TensorBuffer source, int sourceOffset, TensorBuffer destination, int destinationOffset, int length) =>
        H(source).AsSpan(sourceOffset, length).CopyTo(H(destination).AsSpan(destinationOffset, length));

    // ---- the interface on buffers: unwraps the arrays and runs the float[] kernels below ----

    /// <inheritdoc />
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, TensorBuffer a, int aOffset, int lda, TensorBuffer b, int bOffset, int ldb, float beta, TensorBuffer c, int cOffset, int ldc) =>
        Gemm(transA, transB, m, n, k, alpha, H(a), aOffset, lda, H(b), bOffset, ldb, beta, H(c), cOffset, ldc);

    /// <inheritdoc />
    public void Linear(TensorBuffer x, TensorBuffer w, TensorBuffer? bias, TensorBuffer y, int batch, int fin, int fout, bool relu) =>
        Linear(H(x), H(w), bias is null ? null : H(bias), H(y), batch, fin, fout, relu);

    /// <inheritdoc />
    public void Unary(UnaryOp op, TensorBuffer x, TensorBuffer y, int n, float p0 = 0, float p1 = 0) =>
        Unary(op, H(x), H(y), n, p0, p1);

    /// <inheritdoc />
    public void MaskMultiply(MaskKind kind, TensorBuffer g, TensorBuffer x, TensorBuffer r, int n, float p0 = 0, float p1 = 0) =>
        MaskMultiply(kind, H(g), H(x), H(r), n, p0, p1);

    /// <inheritdoc />
    public void Binary(BinaryOp op, TensorBuffer a, Shape aShape, TensorBuffer b, Shape bShape, TensorBuffer y, Shape yShape) =>
        Binary(op, H(a), aShape, H(b), bShape, H(y), yShape);

    /// <inheritdoc />
    public void Expand(TensorBuffer x, Shape xShape, TensorBuffer y, Shape yShape) =>
        Expand(H(x), xShape, H(y), yShape);

    /// <inheritdoc />
    public void SumAxis(TensorBuffer x, int outer, int length, int inner, TensorBuffer y) =>
        SumAxis(H(x), outer, length, inner, H(y));

    /// <inheritdoc />
    public void MaxAxis(TensorBuffer x, int outer, int length, int inner, TensorBuffer y) =>
        MaxAxis(H(x), outer, length, inner, H(y));

    /// <inheritdoc />
    public void CumSumAxis(TensorBuffer x, int outer, int length, int inner, TensorBuffer y, bool reverse) =>
        CumSumAxis(H(x), outer, length, inner, H(y), reverse);

    /// <inheritdoc />
    public void GatherAxis(TensorBuffer x, int outer, int length, int inner, int[] index, int count, TensorBuffer y) =>
        GatherAxis(H(x), outer, length, inner, index, count, H(y));

    /// <inheritdoc />
    public void ScatterAddAxis(TensorBuffer g, int outer, int length, int inner, int[] index, int count, TensorBuffer y) =>
        ScatterAddAxis(H(g), outer, length, inner, index, count, H(y));

    /// <inheritdoc />
    public void Select(TensorBuffer mask, TensorBuffer a, TensorBuffer b, TensorBuffer y, int n) =>
        Select(H(mask), H(a), H(b), H(y), n);

    /// <inheritdoc />
    public void SearchSorted(TensorBuffer sorted, int rows, int sortedLength, TensorBuffer values, int valuesPerRow, bool right, TensorBuffer y) =>
        SearchSorted(H(sorted), rows, sortedLength, H(values), valuesPerRow, right, H(y));

    /// <inheritdoc />
    public void CopyBlock(TensorBuffer src, int srcOffset, int srcStride, TensorBuffer dst, int dstOffset, int dstStride, int rows, int cols) =>
        CopyBlock(H(src), srcOffset, srcStride, H(dst), dstOffset, dstStride, rows, cols);

    /// <inheritdoc />
    public void Fill(TensorBuffer y, int n, float value) =>
        Fill(H(y), n, value);

    /// <inheritdoc />
    public void FillNormal(TensorBuffer y, int n, ulong key, float mean, float std) =>
        FillNormal(H(y), n, key, mean, std);

    /// <inheritdoc />
    public void FillUniform(TensorBuffer y, int n, ulong key, float lo, float hi) =>
        FillUniform(H(y), n, key, lo, hi);

    /// <inheritdoc />
    public double SumOfSquares(TensorBuffer x, int n) =>
        SumOfSquares(H(x), n);

    /// <inheritdoc />
    public void Axpy(float alpha, TensorBuffer x, TensorBuffer y, int n) =>
        Axpy(alpha, H(x), H(y), n);

    /// <inheritdoc />
    public void Conv2d(TensorBuffer x, TensorBuffer weight, TensorBuffer? bias, TensorBuffer y, ConvGeometry geometry) =>
        Conv2d(H(x), H(weight), bias is null ? null : H(bias), H(y), geometry);

    /// <inheritdoc />
    public void Conv2dBackwardData(TensorBuffer gradOutput, TensorBuffer weight, TensorBuffer gradInput, ConvGeometry geometry) =>
        Conv2dBackwardData(H(gradOutput), H(weight), H(gradInput), geometry);

    /// <inheritdoc />
    public void Conv2dBackwardWeight(TensorBuffer x, TensorBuffer gradOutput, TensorBuffer gradWeight, ConvGeometry geometry) =>
        Conv2dBackwardWeight(H(x), H(gradOutput), H(gradWeight), geometry);

    /// <inheritdoc />
    public void Upsample2x(UpsampleMode mode, TensorBuffer x, TensorBuffer y, int planes, int height, int width) =>
        Upsample2x(mode, H(x), H(y), planes, height, width);

    /// <inheritdoc />
    public void Upsample2xAdjoint(UpsampleMode mode, TensorBuffer gradOutput, TensorBuffer gradInput, int planes, int height, int width) =>
        Upsample2xAdjoint(mode, H(gradOutput), H(gradInput), planes, height, width);

    /// <inheritdoc />
    public void PadCrop2d(TensorBuffer x, int planes, int height, int width, TensorBuffer y, int outHeight, int outWidth, int top, int left) =>
        PadCrop2d(H(x), planes, height, width, H(y), outHeight, outWidth, top, left);

    /// <inheritdoc />
    public void OptimizerStep(OptimizerUpdate update, TensorBuffer w, TensorBuffer g, TensorBuffer? state1, TensorBuffer? state2, int n) =>
        OptimizerStep(update, H(w), H(g), state1 is null ? null : H(state1), state2 is null ? null : H(state2), n);

    // ---- float[] kernels ----

    /// <summary>The float[] kernel behind <see cref="Gemm(bool, bool, int, int, int, float, TensorBuffer, int, int, TensorBuffer, int, int, float, TensorBuffer, int, int)"/>.</summary>
    internal void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"GEMM sizes m={m}, n={n}, k={k} must be non-negative.");
        CpuGemm.Gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, maxThreads);
    }

    /// <summary>The float[] kernel behind <see cref="Linear(TensorBuffer, TensorBuffer, TensorBuffer, TensorBuffer, int, int, int, bool)"/>.</summary>
    internal void Linear(float[] x, float[] w, float[]? bias, float[] y, int batch, int fin, int fout, bool relu) =>
        CpuGemm.Gemm(false, false, batch, fout, fin, 1f, x, 0, fin, w, 0, fout, 0f, y, 0, fout, maxThreads, bias, relu);

    private void Chunked(int n, Action<int, int> body)
    {
        if (n <= ParallelChunk * 2 || maxThreads == 1) { body(0, n); return; }
        int chunks = (n + ParallelChunk - 1) / ParallelChunk;
        WorkerPool.Run(chunks, maxThreads, ci => body(ci * ParallelChunk, Math.Min(ParallelChunk, n - ci * ParallelChunk)));
    }

    /// <summary>The float[] kernel behind <see cref="Unary(UnaryOp, TensorBuffer, TensorBuffer, int, float, float)"/>.</summary>
    internal void Unary(UnaryOp op, float[] x, float[] y, int n, float p0 = 0, float p1 = 0) =>
        Chunked(n, (s, len) => UnarySpan(op, x.AsSpan(s, len), y.AsSpan(s, len), p0, p1));

    private static void UnarySpan(UnaryOp op, ReadOnlySpan<float> x, Span<float> y, float p0, float p1)
    {
        switch (op)
        {
            case UnaryOp.Affine:
                if (p1 == 0) TensorPrimitives.Multiply(x, p0, y);
                else { TensorPrimitives.Multiply(x, p0, y); TensorPrimitives.Add(y, p1, y); }
                break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, y); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryOp.Softplus:
                for (int i = 0; i < x.Length; i++)
                {
                    float v = x[i];
                    y[i] = MathF.Max(v, 0) + MathF.Log(1 + MathF.Exp(-MathF.Abs(v)));
                }
                break;
            case UnaryOp.Relu: TensorPrimitives.Max(x, 0f, y); break;
            case UnaryOp.LeakyRelu:
                for (int i = 0; i < x.Length; i++) { float v = x[i]; y[i] = v > 0 ? v : p0 * v; }
                break;
            case UnaryOp.Elu:
                for (int i = 0; i < x.Length; i++) { float v = x[i]; y[i] = v > 0 ? v : p0 * (MathF.Exp(v) - 1); }
                break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryOp.Sign:
                for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0;
                break;
            case UnaryOp.Clamp:
                TensorPrimitives.Max(x, p0, y);
                TensorPrimitives.Min(y, p1, y);
                break;
            case UnaryOp.Pow:
                if (p0 == 2) TensorPrimitives.Multiply(x, x, y);
                else if (p0 == 1) x.CopyTo(y);
                else TensorPrimitives.Pow(x, p0, y);
                break;
            case UnaryOp.Sin: TensorPrimitives.Sin(x, y); break;
            case UnaryOp.Cos: TensorPrimitives.Cos(x, y); break;
            case UnaryOp.Sinh: TensorPrimitives.Sinh(x, y); break;
            case UnaryOp.Cosh: TensorPrimitives.Cosh(x, y); break;
            case UnaryOp.Asinh: TensorPrimitives.Asinh(x, y); break;
            case UnaryOp.Erf:
                for (int i = 0; i < x.Length; i++) y[i] = ErfKernel.Erf(x[i]);
                break;
            default: throw new ArgumentException($"unknown unary op {op}.", nameof(op));
        }
    }

    /// <summary>The float[] kernel behind <see cref="MaskMultiply(MaskKind, TensorBuffer, TensorBuffer, TensorBuffer, int, float, float)"/>.</summary>
    internal void MaskMultiply(MaskKind kind, float[] g, float[] x, float[] r, int n, float p0 = 0, float p1 = 0) =>
        Chunked(n, (s, len) => MaskSpan(kind, g.AsSpan(s, len), x.AsSpan(s, len), r.AsSpan(s, len), p0, p1));

    private static void MaskSpan(MaskKind kind, ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> r, float p0, float p1)
    {
        int i = 0;
        if (kind == MaskKind.Positive && Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= x.Length; i += 8)
            {
                var xv = Vector256.Create(x.Slice(i, 8));
                var gv = Vector256.Create(g.Slice(i, 8));
                Vector256.ConditionalSelect(Vector256.GreaterThan(xv, Vector256<float>.Zero), gv, Vector256<float>.Zero).CopyTo(r.Slice(i, 8));
            }
        }
        for (; i < x.Length; i++)
        {
            float v = x[i];
            r[i] = kind switch
            {
                MaskKind.Positive => v > 0 ? g[i] : 0,
                MaskKind.NonPositive => v <= 0 ? g[i] : 0,
                MaskKind.Leaky => v > 0 ? g[i] : p0 * g[i],
                MaskKind.Between => v >= p0 && v <= p1 ? g[i] : 0,
                MaskKind.Sign => v > 0 ? g[i] : v < 0 ? -g[i] : 0,
                _ => throw new ArgumentException($"unknown mask {kind}.", nameof(kind)),
            };
        }
    }

    /// <summary>The float[] kernel behind <see cref="Binary(BinaryOp, TensorBuffer, Shape, TensorBuffer, Shape, TensorBuffer, Shape)"/>.</summary>
    internal void Binary(BinaryOp op, float[] a, Shape aShape, float[] b, Shape bShape, float[] y, Shape yShape)
    {
        if (aShape == bShape)
        {
            Chunked(yShape.Size, (s, len) => BinarySpan(op, a.AsSpan(s, len), b.AsSpan(s, len), y.AsSpan(s, len)));
            return;
        }
        if (bShape.Size == 1 && aShape == yShape)
        {
            float bv = b[0];
            Chunked(yShape.Size, (s, len) => BinarySpanScalar(op, a.AsSpan(s, len), bv, y.AsSpan(s, len)));
            return;
        }
        if (aShape.Size == 1 && bShape == yShape)
        {
            float av = a[0];
            Chunked(yShape.Size, (s, len) => ScalarBinarySpan(op, av, b.AsSpan(s, len), y.AsSpan(s, len)));
            return;
        }
        // General case: pad to rank 4; broadcast dimensions get stride 0; the innermost dimension is a span op.
        Pad4(aShape, yShape, out var sa);
        Pad4(bShape, yShape, out var sb);
        var yd = Dims4(yShape);
        int inner = yd[3];
        int ya = 0;
        for (int i0 = 0; i0 < yd[0]; i0++)
            for (int i1 = 0; i1 < yd[1]; i1++)
                for (int i2 = 0; i2 < yd[2]; i2++)
                {
                    int oa = i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
                    int ob = i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
                    var yy = y.AsSpan(ya, inner);
                    if (sa[3] == 1 && sb[3] == 1) BinarySpan(op, a.AsSpan(oa, inner), b.AsSpan(ob, inner), yy);
                    else if (sa[3] == 1) BinarySpanScalar(op, a.AsSpan(oa, inner), b[ob], yy);
                    else if (sb[3] == 1) ScalarBinarySpan(op, a[oa], b.AsSpan(ob, inner), yy);
                    else yy.Fill(Scalar(op, a[oa], b[ob]));
                    ya += inner;
                }
    }

    private static int[] Dims4(Shape s)
    {
        var d = new int[] { 1, 1, 1, 1 };
        var sd = s.Dims;
        for (int i = 0; i < sd.Length; i++) d[4 - sd.Length + i] = sd[i];
        return d;
    }

    /// <summary>Strides of <paramref name="s"/> broadcast to <paramref name="target"/> (0 where broadcast).</summary>
    private static void Pad4(Shape s, Shape target, out int[] strides)
    {
        var d = Dims4(s);
        var t = Dims4(target);
        strides = new int[4];
        int acc = 1;
        for (int i = 3; i >= 0; i--)
        {
            strides[i] = d[i] == 1 && t[i] != 1 ? 0 : acc;
            acc *= d[i];
        }
    }

    private static float Scalar(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        BinaryOp.SafeDivide => b == 0 ? 0 : a / b,
        BinaryOp.Atan2 => MathF.Atan2(a, b),
        BinaryOp.Minimum => MathF.Min(a, b),
        BinaryOp.Maximum => MathF.Max(a, b),
        _ => throw new ArgumentException($"unknown binary op {op}.", nameof(op)),
    };

    private static void BinarySpan(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(a, b, y); break;
            default: for (int i = 0; i < y.Length; i++) y[i] = Scalar(op, a[i], b[i]); break;
        }
    }

    private static void BinarySpanScalar(BinaryOp op, ReadOnlySpan<float> a, float b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(a, b, y); break;
            default: for (int i = 0; i < y.Length; i++) y[i] = Scalar(op, a[i], b); break;
        }
    }

    private static void ScalarBinarySpan(BinaryOp op, float a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(b, a, y); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(b, a, y); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(a, b, y); break;
            default: for (int i = 0; i < y.Length; i++) y[i] = Scalar(op, a, b[i]); break;
        }
    }

    /// <summary>The float[] kernel behind <see cref="Expand(TensorBuffer, Shape, TensorBuffer, Shape)"/>.</summary>
    internal void Expand(float[] x, Shape xShape, float[] y, Shape yShape)
    {
        if (xShape.Size == yShape.Size) { x.AsSpan(0, xShape.Size).CopyTo(y); return; }
        if (xShape.Size == 1) { y.AsSpan(0, yShape.Size).Fill(x[0]); return; }
        Pad4(xShape, yShape, out var sx);
        var yd = Dims4(yShape);
        int inner = yd[3], yo = 0;
        for (int i0 = 0; i0 < yd[0]; i0++)
            for (int i1 = 0; i1 < yd[1]; i1++)
                for (int i2 = 0; i2 < yd[2]; i2++)
                {
                    int ox = i0 * sx[0] + i1 * sx[1] + i2 * sx[2];
                    if (sx[3] == 1) x.AsSpan(ox, inner).CopyTo(y.AsSpan(yo, inner));
                    else y.AsSpan(yo, inner).Fill(x[ox]);
                    yo += inner;
                }
    }

    /// <summary>The float[] kernel behind <see cref="SumAxis(TensorBuffer, int, int, int, TensorBuffer)"/>.</summary>
    internal void SumAxis(float[] x, int outer, int length, int inner, float[] y)
    {
        for (int o = 0; o < outer; o++)
        {
            int src = o * length * inner;
            if (inner == 1) { y[o] = TensorPrimitives.Sum(x.AsSpan(src, length)); continue; }
            var dst = y.AsSpan(o * inner, inner);
            if (length == 0) { dst.Clear(); continue; }
            x.AsSpan(src, inner).CopyTo(dst);
            for (int r = 1; r < length; r++) TensorPrimitives.Add(dst, x.AsSpan(src + r * inner, inner), dst);
        }
    }

    /// <summary>The float[] kernel behind <see cref="MaxAxis(TensorBuffer, int, int, int, TensorBuffer)"/>.</summary>
    internal void MaxAxis(float[] x, int outer, int length, int inner, float[] y)
    {
        if (length == 0) throw new ArgumentException("cannot take the maximum over an axis of length 0.", nameof(length));
        for (int o = 0; o < outer; o++)
        {
            int src = o * length * inner;
            if (inner == 1) { y[o] = TensorPrimitives.Max(x.AsSpan(src, length)); continue; }
            var dst = y.AsSpan(o * inner, inner);
            x.AsSpan(src, inner).CopyTo(dst);
            for (int r = 1; r < length; r++) TensorPrimitives.Max(dst, x.AsSpan(src + r * inner, inner), dst);
        }
    }

    /// <summary>The float[] kernel behind <see cref="CumSumAxis(TensorBuffer, int, int, int, TensorBuffer, bool)"/>.</summary>
    internal void CumSumAxis(float[] x, int outer, int length, int inner, float[] y, bool reverse)
    {
        for (int o = 0; o < outer; o++)
        {
            int start = o * length * inner;
            for (int r = 0; r < length; r++)
            {
                int row = reverse ? length - 1 - r : r;
                var dst = y.AsSpan(start + row * inner, inner);
                var src = x.AsSpan(start + row * inner, inner);
                if (r == 0) src.CopyTo(dst);
                else TensorPrimitives.Add(src, y.AsSpan(start + (reverse ? row + 1 : row - 1) * inner, inner), dst);
            }
        }
    }

    /// <summary>The float[] kernel behind <see cref="GatherAxis(TensorBuffer, int, int, int, int[], int, TensorBuffer)"/>.</summary>
    internal void GatherAxis(float[] x, int outer, int length, int inner, int[] index, int count, float[] y)
    {
        bool shared = index.Length == count;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < count; j++)
            {
                int yo = (o * count + j) * inner;
                if (shared)
                {
                    x.AsSpan((o * length + index[j]) * inner, inner).CopyTo(y.AsSpan(yo, inner));
                    continue;
                }
                for (int i = 0; i < inner; i++) y[yo + i] = x[(o * length + index[yo + i]) * inner + i];
            }
    }

    /// <summary>The float[] kernel behind <see cref="ScatterAddAxis(TensorBuffer, int, int, int, int[], int, TensorBuffer)"/>.</summary>
    internal void ScatterAddAxis(float[] g, int outer, int length, int inner, int[] index, int count, float[] y)
    {
        bool shared = index.Length == count;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < count; j++)
            {
                int go = (o * count + j) * inner;
                if (shared)
                {
                    var dst = y.AsSpan((o * length + index[j]) * inner, inner);
                    TensorPrimitives.Add(dst, g.AsSpan(go, inner), dst);
                    continue;
                }
                for (int i = 0; i < inner; i++) y[(o * length + index[go + i]) * inner + i] += g[go + i];
            }
    }

    /// <summary>The float[] kernel behind <see cref="Select(TensorBuffer, TensorBuffer, TensorBuffer, TensorBuffer, int)"/>.</summary>
    internal void Select(float[] mask, float[] a, float[] b, float[] y, int n)
    {
        for (int i = 0; i < n; i++) y[i] = mask[i] != 0 ? a[i] : b[i];
    }

    /// <summary>The float[] kernel behind <see cref="SearchSorted(TensorBuffer, int, int, TensorBuffer, int, bool, TensorBuffer)"/>.</summary>
    internal void SearchSorted(float[] sorted, int rows, int sortedLength, float[] values, int valuesPerRow, bool right, float[] y)
    {
        for (int r = 0; r < rows; r++)
        {
            var seq = sorted.AsSpan(r * sortedLength, sortedLength);
            for (int k = r * valuesPerRow; k < (r + 1) * valuesPerRow; k++)
            {
                float v = values[k];
                int lo = 0, hi = sortedLength;
                while (lo < hi)
                {
                    int mid = lo + ((hi - lo) >> 1);
                    // Written as negations so that a NaN value moves right and ends at sortedLength.
                    bool before = right ? !(seq[mid] > v) : !(seq[mid] >= v);
                    if (before) lo = mid + 1;
                    else hi = mid;
                }
                y[k] = lo;
            }
        }
    }

    /// <summary>The float[] kernel behind <see cref="CopyBlock(TensorBuffer, int, int, TensorBuffer, int, int, int, int)"/>.</summary>
    internal void CopyBlock(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset, int dstStride, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            src.AsSpan(srcOffset + r * srcStride, cols).CopyTo(dst.AsSpan(dstOffset + r * dstStride, cols));
    }

    /// <summary>The float[] kernel behind <see cref="Fill(TensorBuffer, int, float)"/>.</summary>
    internal void Fill(float[] y, int n, float value) => y.AsSpan(0, n).Fill(value);

    /// <summary>The float[] kernel behind <see cref="FillNormal(TensorBuffer, int, ulong, float, float)"/>.</summary>
    internal void FillNormal(float[] y, int n, ulong key, float mean, float std) =>
        Chunked(n, (s, len) => CounterRng.FillNormal(y.AsSpan(s, len), key, (ulong)s / 2, mean, std));

    /// <summary>The float[] kernel behind <see cref="FillUniform(TensorBuffer, int, ulong, float, float)"/>.</summary>
    internal void FillUniform(float[] y, int n, ulong key, float lo, float hi) =>
        Chunked(n, (s, len) => CounterRng.FillUniform(y.AsSpan(s, len), key, (ulong)s, lo, hi));

    /// <summary>The float[] kernel behind <see cref="SumOfSquares(TensorBuffer, int)"/>.</summary>
    internal double SumOfSquares(float[] x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double)x[i] * x[i];
        return s;
    }

    /// <summary>The float[] kernel behind <see cref="Axpy(float, TensorBuffer, TensorBuffer, int)"/>.</summary>
    internal void Axpy(float alpha, float[] x, float[] y, int n) =>
        TensorPrimitives.FusedMultiplyAdd(x.AsSpan(0, n), alpha, y.AsSpan(0, n), y.AsSpan(0, n));

    /// <summary>The float[] kernel behind <see cref="Conv2d(TensorBuffer, TensorBuffer, TensorBuffer, TensorBuffer, ConvGeometry)"/>.</summary>
    internal void Conv2d(float[] x, float[] weight, float[]? bias, float[] y, ConvGeometry geometry) =>
        CpuConv.Forward(x, weight, bias, y, geometry, maxThreads);

    /// <summary>The float[] kernel behind <see cref="Conv2dBackwardData(TensorBuffer, TensorBuffer, TensorBuffer, ConvGeometry)"/>.</summary>
    internal void Conv2dBackwardData(float[] gradOutput, float[] weight, float[] gradInput, ConvGeometry geometry) =>
        CpuConv.BackwardData(gradOutput, weight, gradInput, geometry, maxThreads);

    /// <summary>The float[] kernel behind <see cref="Conv2dBackwardWeight(TensorBuffer, TensorBuffer, TensorBuffer, ConvGeometry)"/>.</summary>
    internal void Conv2dBackwardWeight(float[] x, float[] gradOutput, float[] gradWeight, ConvGeometry geometry) =>
        CpuConv.BackwardWeight(x, gradOutput, gradWeight, geometry, maxThreads);

    /// <summary>The float[] kernel behind <see cref="Upsample2x(UpsampleMode, TensorBuffer, TensorBuffer, int, int, int)"/>.</summary>
    internal void Upsample2x(UpsampleMode mode, float[] x, float[] y, int planes, int height, int width) =>
        CpuResample.Upsample(mode, x, y, planes, height, width, maxThreads);

    /// <summary>The float[] kernel behind <see cref="Upsample2xAdjoint(UpsampleMode, TensorBuffer, TensorBuffer, int, int, int)"/>.</summary>
    internal void Upsample2xAdjoint(UpsampleMode mode, float[] gradOutput, float[] gradInput, int planes, int height, int width) =>
        CpuResample.UpsampleAdjoint(mode, gradOutput, gradInput, planes, height, width, maxThreads);

    /// <summary>The float[] kernel behind <see cref="PadCrop2d(TensorBuffer, int, int, int, TensorBuffer, int, int, int, int)"/>.</summary>
    internal void PadCrop2d(float[] x, int planes, int height, int width, float[] y, int outHeight, int outWidth, int top, int left) =>
        CpuResample.PadCrop(x, planes, height, width, y, outHeight, outWidth, top, left, maxThreads);

    /// <summary>The float[] kernel behind <see cref="OptimizerStep(OptimizerUpdate, TensorBuffer, TensorBuffer, TensorBuffer, TensorBuffer, int)"/>.</summary>
    internal void OptimizerStep(OptimizerUpdate u, float[] w, float[] g, float[]? state1, float[]? state2, int n) =>
        Chunked(n, (s, len) => OptimizerRules.Apply(u, w.AsSpan(s, len), g.AsSpan(s, len),
            state1 is null ? default : state1.AsSpan(s, len), state2 is null ? default : state2.AsSpan(s, len)));
}
