using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenStats.Tensors.Backends;

/// <summary>
/// 2-D convolution kernels for the managed backend (NCHW, float32): im2col + the packed SGEMM of
/// <see cref="CpuGemm"/>. Images are processed in groups whose size depends on the geometry only
/// (enough images that the GEMM has about <see cref="TargetColumns"/> columns), groups run in
/// parallel on the <see cref="WorkerPool"/>, and the weight gradient sums a fixed number of partial
/// products in a fixed order — so results do not depend on the thread count.
/// </summary>
internal static class CpuConv
{
    /// <summary>GEMM width (output pixels × images) a group aims at: narrower products waste the 6×32 tiles.</summary>
    private const int TargetColumns = 256;

    /// <summary>At most this many partial weight gradients (fixed, so the summation order is too).</summary>
    private const int MaxPartials = 8;

    [ThreadStatic] private static float[]? colsBuffer;
    [ThreadStatic] private static float[]? gatherBuffer;

    private static float[] Rent(ref float[]? buffer, int size)
    {
        if (buffer is null || buffer.Length < size) buffer = GC.AllocateUninitializedArray<float>(size);
        return buffer;
    }

    private static int GroupSize(in ConvGeometry g)
    {
        int ohw = g.OutHeight * g.OutWidth;
        return Math.Clamp((TargetColumns + ohw - 1) / Math.Max(1, ohw), 1, Math.Max(1, g.Batch));
    }

    /// <summary>Runs body over groups: in parallel (serial GEMMs) when there are several, else one GEMM on every thread.</summary>
    private static void ForGroups(int groups, int threads, Action<int, int> body)
    {
        bool parallel = threads > 1 && groups > 1;
        int gemmThreads = parallel ? 1 : threads;
        WorkerPool.Run(groups, parallel ? threads : 1, t => body(t, gemmThreads));
    }

    /// <summary>y = conv2d(x, w) + bias (PyTorch's cross-correlation).</summary>
    public static void Forward(float[] x, float[] w, float[]? bias, float[] y, ConvGeometry g, int threads)
    {
        int ohw = g.OutHeight * g.OutWidth, ck = g.ColumnRows, inImage = g.InChannels * g.Height * g.Width;
        int outImage = g.OutChannels * ohw, gs = GroupSize(g), groups = (g.Batch + gs - 1) / gs;
        ForGroups(groups, threads, (t, gemmThreads) =>
        {
            int n0 = t * gs, count = Math.Min(gs, g.Batch - n0), width = count * ohw;
            var cols = Rent(ref colsBuffer, ck * width);
            for (int i = 0; i < count; i++) Im2Col(x, (n0 + i) * inImage, g, cols, i * ohw, width);
            if (count == 1)
                CpuGemm.Gemm(false, false, g.OutChannels, ohw, ck, 1f, w, 0, ck, cols, 0, width, 0f, y, n0 * outImage, ohw, gemmThreads);
            else
            {
                var tmp = Rent(ref gatherBuffer, g.OutChannels * width);
                CpuGemm.Gemm(false, false, g.OutChannels, width, ck, 1f, w, 0, ck, cols, 0, width, 0f, tmp, 0, width, gemmThreads);
                for (int i = 0; i < count; i++)
                    for (int o = 0; o < g.OutChannels; o++)
                        tmp.AsSpan(o * width + i * ohw, ohw).CopyTo(y.AsSpan((n0 + i) * outImage + o * ohw, ohw));
            }
            if (bias is not null)
                for (int i = 0; i < count; i++)
                    for (int o = 0; o < g.OutChannels; o++)
                        System.Numerics.Tensors.TensorPrimitives.Add(y.AsSpan((n0 + i) * outImage + o * ohw, ohw), bias[o], y.AsSpan((n0 + i) * outImage + o * ohw, ohw));
        });
    }

    /// <summary>The gradient with respect to the input (a transposed convolution): dx = col2im(wᵀ·dy).</summary>
    public static void BackwardData(float[] gy, float[] w, float[] dx, ConvGeometry g, int threads)
    {
        int ohw = g.OutHeight * g.OutWidth, ck = g.ColumnRows, inImage = g.InChannels * g.Height * g.Width;
        int outImage = g.OutChannels * ohw, gs = GroupSize(g), groups = (g.Batch + gs - 1) / gs;
        ForGroups(groups, threads, (t, gemmThreads) =>
        {
            int n0 = t * gs, count = Math.Min(gs, g.Batch - n0), width = count * ohw;
            float[] src;
            int srcOff;
            if (count == 1) { src = gy; srcOff = n0 * outImage; }
            else
            {
                src = GatherGroup(gy, n0, count, g.OutChannels, ohw);
                srcOff = 0;
            }
            var cols = Rent(ref colsBuffer, ck * width);
            CpuGemm.Gemm(true, false, ck, width, g.OutChannels, 1f, w, 0, ck, src, srcOff, width, 0f, cols, 0, width, gemmThreads);
            dx.AsSpan(n0 * inImage, count * inImage).Clear();
            for (int i = 0; i < count; i++) Col2Im(cols, i * ohw, width, g, dx, (n0 + i) * inImage);
        });
    }

    /// <summary>The gradient with respect to the weight: dw = Σₙ dyₙ·im2col(xₙ)ᵀ, summed in fixed partials.</summary>
    public static void BackwardWeight(float[] x, float[] gy, float[] dw, ConvGeometry g, int threads)
    {
        int ohw = g.OutHeight * g.OutWidth, ck = g.ColumnRows, inImage = g.InChannels * g.Height * g.Width;
        int outImage = g.OutChannels * ohw, gs = GroupSize(g), groups = (g.Batch + gs - 1) / gs;
        int wsize = g.WeightSize;
        if (groups == 0) { dw.AsSpan(0, wsize).Clear(); return; }
        // The partial count depends on the geometry only (a memory cap of 4M floats), never on threads.
        int partials = Math.Clamp(Math.Min(groups, (1 << 22) / Math.Max(1, wsize)), 1, MaxPartials);
        var buffer = partials == 1 ? dw : ArrayPool<float>.Shared.Rent(partials * wsize);
        try
        {
            ForGroups(partials, threads, (p, gemmThreads) =>
            {
                int t0 = (int)((long)p * groups / partials), t1 = (int)((long)(p + 1) * groups / partials);
                int off = partials == 1 ? 0 : p * wsize;
                for (int t = t0; t < t1; t++)
                {
                    int n0 = t * gs, count = Math.Min(gs, g.Batch - n0), width = count * ohw;
                    var cols = Rent(ref colsBuffer, ck * width);
                    for (int i = 0; i < count; i++) Im2Col(x, (n0 + i) * inImage, g, cols, i * ohw, width);
                    float[] src;
                    int srcOff;
                    if (count == 1) { src = gy; srcOff = n0 * outImage; }
                    else { src = GatherGroup(gy, n0, count, g.OutChannels, ohw); srcOff = 0; }
                    CpuGemm.Gemm(false, true, g.OutChannels, ck, width, 1f, src, srcOff, width, cols, 0, width,
                                 t == t0 ? 0f : 1f, buffer, off, ck, gemmThreads);
                }
            });
            if (partials > 1)
            {
                buffer.AsSpan(0, wsize).CopyTo(dw);
                for (int p = 1; p < partials; p++)
                    System.Numerics.Tensors.TensorPrimitives.Add(dw.AsSpan(0, wsize), buffer.AsSpan(p * wsize, wsize), dw.AsSpan(0, wsize));
            }
        }
        finally
        {
            if (partials > 1) ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Rearranges images n0..n0+count of dy [N, O, ohw] as one [O, count·ohw] matrix (thread-local buffer).</summary>
    private static float[] GatherGroup(float[] gy, int n0, int count, int outChannels, int ohw)
    {
        int width = count * ohw, outImage = outChannels * ohw;
        var buf = Rent(ref gatherBuffer, outChannels * width);
        for (int i = 0; i < count; i++)
            for (int o = 0; o < outChannels; o++)
                gy.AsSpan((n0 + i) * outImage + o * ohw, ohw).CopyTo(buf.AsSpan(o * width + i * ohw, ohw));
        return buf;
    }

    /// <summary>The output columns [lo, hi) whose input column ow·s − p + kj lies inside 0..W−1.</summary>
    private static (int lo, int hi) ValidRange(int shift, int stride, int inLen, int outLen)
    {
        // Input index = o·stride + shift; valid for 0 ≤ … ≤ inLen − 1.
        int lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        int last = inLen - 1 - shift;
        int hi = last < 0 ? 0 : Math.Min(outLen, last / stride + 1);
        return (Math.Min(lo, hi), hi);
    }

    /// <summary>cols[(c·kh + ki)·kw + kj, colOff + oh·OW + ow] = x[c, oh·s − p + ki, ow·s − p + kj] (0 outside).</summary>
    private static void Im2Col(float[] x, int xOff, in ConvGeometry g, float[] cols, int colOff, int ld)
    {
        int oh = g.OutHeight, ow = g.OutWidth, s = g.Stride, p = g.Padding;
        for (int c = 0; c < g.InChannels; c++)
            for (int ki = 0; ki < g.KernelH; ki++)
            {
                var (rlo, rhi) = ValidRange(ki - p, s, g.Height, oh);
                for (int kj = 0; kj < g.KernelW; kj++)
                {
                    int row = (c * g.KernelH + ki) * g.KernelW + kj;
                    var dst = cols.AsSpan(row * ld + colOff, oh * ow);
                    var (clo, chi) = ValidRange(kj - p, s, g.Width, ow);
                    dst[..(rlo * ow)].Clear();
                    dst[(rhi * ow)..].Clear();
                    for (int r = rlo; r < rhi; r++)
                    {
                        int ih = r * s - p + ki;
                        var line = dst.Slice(r * ow, ow);
                        line[..clo].Clear();
                        line[chi..].Clear();
                        int srcRow = xOff + (c * g.Height + ih) * g.Width;
                        if (s == 1)
                            x.AsSpan(srcRow + clo - p + kj, chi - clo).CopyTo(line[clo..chi]);
                        else if (s == 2)
                            GatherEven(x, srcRow - p + kj, line, clo, chi);
                        else
                            for (int q = clo; q < chi; q++) line[q] = x[srcRow + q * s - p + kj];
                    }
                }
            }
    }

    /// <summary>line[q] = x[start + 2q] for q in [lo, hi): the stride-2 rows of im2col, eight at a time (AVX2 shuffle of 16 loaded values).</summary>
    private static unsafe void GatherEven(float[] x, int start, Span<float> line, int lo, int hi)
    {
        int q = lo;
        if (Avx2.IsSupported)
        {
            fixed (float* xp = x, lp = line)
            {
                // Reads stop inside x: the odd lanes of the last pair may belong to the next row and are dropped.
                for (; q + 8 <= hi && start + 2 * q + 16 <= x.Length; q += 8)
                {
                    var a = Avx.LoadVector256(xp + start + 2 * q);
                    var b = Avx.LoadVector256(xp + start + 2 * q + 8);
                    // [a0 a2 b0 b2 | a4 a6 b4 b6] → 64-bit pairs reordered 0, 2, 1, 3 → [a0 a2 a4 a6 b0 b2 b4 b6].
                    var even = Avx.Shuffle(a, b, 0b10_00_10_00);
                    Avx.Store(lp + q, Avx2.Permute4x64(even.AsDouble(), 0b11_01_10_00).AsSingle());
                }
            }
        }
        for (; q < hi; q++) line[q] = x[start + 2 * q];
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: dx[c, ih, iw] += cols[row, col] (dx cleared by the caller).</summary>
    private static void Col2Im(float[] cols, int colOff, int ld, in ConvGeometry g, float[] dx, int dxOff)
    {
        int oh = g.OutHeight, ow = g.OutWidth, s = g.Stride, p = g.Padding;
        for (int c = 0; c < g.InChannels; c++)
            for (int ki = 0; ki < g.KernelH; ki++)
            {
                var (rlo, rhi) = ValidRange(ki - p, s, g.Height, oh);
                for (int kj = 0; kj < g.KernelW; kj++)
                {
                    int row = (c * g.KernelH + ki) * g.KernelW + kj;
                    int src = row * ld + colOff;
                    var (clo, chi) = ValidRange(kj - p, s, g.Width, ow);
                    for (int r = rlo; r < rhi; r++)
                    {
                        int ih = r * s - p + ki;
                        int dstRow = dxOff + (c * g.Height + ih) * g.Width;
                        if (s == 1)
                        {
                            var d = dx.AsSpan(dstRow + clo - p + kj, chi - clo);
                            System.Numerics.Tensors.TensorPrimitives.Add(d, cols.AsSpan(src + r * ow + clo, chi - clo), d);
                        }
                        else
                            for (int q = clo; q < chi; q++) dx[dstRow + q * s - p + kj] += cols[src + r * ow + q];
                    }
                }
            }
    }
}
