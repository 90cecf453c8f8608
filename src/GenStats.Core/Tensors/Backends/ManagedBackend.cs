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

    /// <inheritdoc />
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"GEMM sizes m={m}, n={n}, k={k} must be non-negative.");
        CpuGemm.Gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, maxThreads);
    }

    /// <inheritdoc />
    public void Linear(float[] x, float[] w, float[]? bias, float[] y, int batch, int fin, int fout, bool relu) =>
        CpuGemm.Gemm(false, false, batch, fout, fin, 1f, x, 0, fin, w, 0, fout, 0f, y, 0, fout, maxThreads, bias, relu);

    private void Chunked(int n, Action<int, int> body)
    {
        if (n <= ParallelChunk * 2 || maxThreads == 1) { body(0, n); return; }
        int chunks = (n + ParallelChunk - 1) / ParallelChunk;
        WorkerPool.Run(chunks, maxThreads, ci => body(ci * ParallelChunk, Math.Min(ParallelChunk, n - ci * ParallelChunk)));
    }

    /// <inheritdoc />
    public void Unary(UnaryOp op, float[] x, float[] y, int n, float p0 = 0, float p1 = 0) =>
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
            case UnaryOp.LeakyRelu: CpuElementwise.LeakyRelu(x, y, p0); break;
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

    /// <inheritdoc />
    public void MaskMultiply(MaskKind kind, float[] g, float[] x, float[] r, int n, float p0 = 0, float p1 = 0) =>
        Chunked(n, (s, len) => MaskSpan(kind, g.AsSpan(s, len), x.AsSpan(s, len), r.AsSpan(s, len), p0, p1));

    private static void MaskSpan(MaskKind kind, ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> r, float p0, float p1)
    {
        CpuElementwise.Mask(kind, g, x, r, p0, p1);
    }

    /// <inheritdoc />
    public void Binary(BinaryOp op, float[] a, Shape aShape, float[] b, Shape bShape, float[] y, Shape yShape)
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

    /// <inheritdoc />
    public void Expand(float[] x, Shape xShape, float[] y, Shape yShape)
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

    /// <inheritdoc />
    public void SumAxis(float[] x, int outer, int length, int inner, float[] y)
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

    /// <inheritdoc />
    public void MaxAxis(float[] x, int outer, int length, int inner, float[] y)
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

    /// <inheritdoc />
    public void CumSumAxis(float[] x, int outer, int length, int inner, float[] y, bool reverse)
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

    /// <inheritdoc />
    public void GatherAxis(float[] x, int outer, int length, int inner, int[] index, int count, float[] y)
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

    /// <inheritdoc />
    public void ScatterAddAxis(float[] g, int outer, int length, int inner, int[] index, int count, float[] y)
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

    /// <inheritdoc />
    public void Select(float[] mask, float[] a, float[] b, float[] y, int n)
    {
        for (int i = 0; i < n; i++) y[i] = mask[i] != 0 ? a[i] : b[i];
    }

    /// <inheritdoc />
    public void SearchSorted(float[] sorted, int rows, int sortedLength, float[] values, int valuesPerRow, bool right, float[] y)
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

    /// <inheritdoc />
    public void CopyBlock(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset, int dstStride, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            src.AsSpan(srcOffset + r * srcStride, cols).CopyTo(dst.AsSpan(dstOffset + r * dstStride, cols));
    }

    /// <inheritdoc />
    public void Fill(float[] y, int n, float value) => y.AsSpan(0, n).Fill(value);

    /// <inheritdoc />
    public void FillNormal(float[] y, int n, ulong key, float mean, float std) =>
        Chunked(n, (s, len) => CounterRng.FillNormal(y.AsSpan(s, len), key, (ulong)s / 2, mean, std));

    /// <inheritdoc />
    public void FillUniform(float[] y, int n, ulong key, float lo, float hi) =>
        Chunked(n, (s, len) => CounterRng.FillUniform(y.AsSpan(s, len), key, (ulong)s, lo, hi));

    /// <inheritdoc />
    public double SumOfSquares(float[] x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double)x[i] * x[i];
        return s;
    }

    /// <inheritdoc />
    public void Axpy(float alpha, float[] x, float[] y, int n) =>
        TensorPrimitives.FusedMultiplyAdd(x.AsSpan(0, n), alpha, y.AsSpan(0, n), y.AsSpan(0, n));

    /// <inheritdoc />
    public void Conv2d(float[] x, float[] weight, float[]? bias, float[] y, ConvGeometry geometry) =>
        CpuConv.Forward(x, weight, bias, y, geometry, maxThreads);

    /// <inheritdoc />
    public void Conv2dBackwardData(float[] gradOutput, float[] weight, float[] gradInput, ConvGeometry geometry) =>
        CpuConv.BackwardData(gradOutput, weight, gradInput, geometry, maxThreads);

    /// <inheritdoc />
    public void Conv2dBackwardWeight(float[] x, float[] gradOutput, float[] gradWeight, ConvGeometry geometry) =>
        CpuConv.BackwardWeight(x, gradOutput, gradWeight, geometry, maxThreads);

    /// <inheritdoc />
    public void Upsample2x(UpsampleMode mode, float[] x, float[] y, int planes, int height, int width) =>
        CpuResample.Upsample(mode, x, y, planes, height, width, maxThreads);

    /// <inheritdoc />
    public void Upsample2xAdjoint(UpsampleMode mode, float[] gradOutput, float[] gradInput, int planes, int height, int width) =>
        CpuResample.UpsampleAdjoint(mode, gradOutput, gradInput, planes, height, width, maxThreads);

    /// <inheritdoc />
    public void PadCrop2d(float[] x, int planes, int height, int width, float[] y, int outHeight, int outWidth, int top, int left) =>
        CpuResample.PadCrop(x, planes, height, width, y, outHeight, outWidth, top, left, maxThreads);

    /// <inheritdoc />
    public void OptimizerStep(OptimizerUpdate u, float[] w, float[] g, float[]? state1, float[]? state2, int n) =>
        Chunked(n, (s, len) => OptimizerRules.Apply(u, w.AsSpan(s, len), g.AsSpan(s, len),
            state1 is null ? default : state1.AsSpan(s, len), state2 is null ? default : state2.AsSpan(s, len)));
}
