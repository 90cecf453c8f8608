using GenStats.Tensors.Backends;
using GenStats.Tensors.Cuda.Kernels;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GenStats.Tensors.Cuda;

/// <summary>The ops of <see cref="ITensorBackend"/> on device views: argument checks live in the backend, launches here.</summary>
internal sealed partial class IlgpuDevice
{
    private Action<Index1D, FView, FView, int, float, float> unary = null!;
    private Action<Index1D, FView, FView, FView, int, float, float> mask = null!;
    private Action<Index1D, FView, FView, FView, int, Broadcast4> binary = null!;
    private Action<Index1D, FView, FView, Broadcast4> expand = null!;
    private Action<Index1D, FView, FView, FView, FView> select = null!;
    private Action<Index1D, FView, float> fill = null!;
    private Action<Index1D, FView, FView, float> axpy = null!;
    private Action<Index1D, FView, FView, int, int, int, int, int> copyBlock = null!;
    private Action<Index1D, FView, FView, int, int> sumAxis = null!, maxAxis = null!;
    private Action<Index1D, FView, FView, int, int, int> cumSum = null!;
    private Action<Index1D, FView, IView, FView, int, int, int, int> gather = null!, scatterAdd = null!;
    private Action<Index1D, FView, FView, FView, int, int, int> searchSorted = null!;
    private Action<Index1D, FView, ArrayView1D<double, Stride1D.Dense>, int, int> sumSquaresPartial = null!;
    private Action<Index1D, ArrayView1D<double, Stride1D.Dense>, int> sumPartials = null!;
    private Action<Index1D, FView, ulong, float, float> uniform = null!;
    private Action<Index1D, FView, ulong, float, float, int> normal = null!;
    private Action<Index1D, FView, FView, FView, FView, OptimizerArgs> optimizer = null!;
    private Action<KernelConfig, FView, FView, FView, FView, GemmArgs> gemmTiled = null!;
    private Action<Index1D, FView, FView, int, int, int> biasRelu = null!;
    private Action<Index1D, FView, FView, ConvGeometry> im2col = null!, col2im = null!;
    private Action<Index1D, FView, FView, FView, int, int, int, int> fromChannelMajor = null!;
    private Action<Index1D, FView, FView, int, int, int> toChannelMajor = null!;
    private Action<Index1D, FView, FView, int, int, int> upsample = null!, upsampleAdjoint = null!;
    private Action<Index1D, FView, FView, int, int, int, int, int, int> padCrop = null!;

    private void LoadKernels()
    {
        var a = Accelerator;
        unary = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, float, float>(ElementwiseKernels.Unary);
        mask = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, FView, int, float, float>(ElementwiseKernels.Mask);
        binary = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, FView, int, Broadcast4>(ElementwiseKernels.Binary);
        expand = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, Broadcast4>(ElementwiseKernels.Expand);
        select = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, FView, FView>(ElementwiseKernels.Select);
        fill = a.LoadAutoGroupedStreamKernel<Index1D, FView, float>(ElementwiseKernels.Fill);
        axpy = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, float>(ElementwiseKernels.Axpy);
        copyBlock = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, int, int, int, int>(ElementwiseKernels.CopyBlock);
        sumAxis = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, int>(AxisKernels.Sum);
        maxAxis = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, int>(AxisKernels.Max);
        cumSum = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, int, int>(AxisKernels.CumSum);
        gather = a.LoadAutoGroupedStreamKernel<Index1D, FView, IView, FView, int, int, int, int>(AxisKernels.Gather);
        scatterAdd = a.LoadAutoGroupedStreamKernel<Index1D, FView, IView, FView, int, int, int, int>(AxisKernels.ScatterAdd);
        searchSorted = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, FView, int, int, int>(AxisKernels.SearchSorted);
        sumSquaresPartial = a.LoadAutoGroupedStreamKernel<Index1D, FView, ArrayView1D<double, Stride1D.Dense>, int, int>(AxisKernels.SumSquaresPartial);
        sumPartials = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView1D<double, Stride1D.Dense>, int>(AxisKernels.SumPartials);
        uniform = a.LoadAutoGroupedStreamKernel<Index1D, FView, ulong, float, float>(RngKernels.Uniform);
        normal = a.LoadAutoGroupedStreamKernel<Index1D, FView, ulong, float, float, int>(RngKernels.Normal);
        optimizer = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, FView, FView, OptimizerArgs>(OptimizerKernels.Step);
        gemmTiled = a.LoadStreamKernel<FView, FView, FView, FView, GemmArgs>(GemmKernels.Tiled);
        biasRelu = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, int, int>(GemmKernels.BiasRelu);
        im2col = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, ConvGeometry>(ImageKernels.Im2Col);
        col2im = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, ConvGeometry>(ImageKernels.Col2Im);
        fromChannelMajor = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, FView, int, int, int, int>(ImageKernels.FromChannelMajor);
        toChannelMajor = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, int, int>(ImageKernels.ToChannelMajor);
        upsample = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, int, int>(ImageKernels.Upsample);
        upsampleAdjoint = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, int, int>(ImageKernels.UpsampleAdjoint);
        padCrop = a.LoadAutoGroupedStreamKernel<Index1D, FView, FView, int, int, int, int, int, int>(ImageKernels.PadCrop);
    }

    private static FView Head(FView v, int n) => v.SubView(0, n);

    public void Unary(UnaryOp op, FView x, FView y, int n, float p0, float p1)
    {
        if (n > 0) unary(n, Head(x, n), Head(y, n), (int)op, p0, p1);
    }

    public void MaskMultiply(MaskKind kind, FView g, FView x, FView r, int n, float p0, float p1)
    {
        if (n > 0) mask(n, Head(g, n), Head(x, n), Head(r, n), (int)kind, p0, p1);
    }

    public void Binary(BinaryOp op, FView a, Shape aShape, FView b, Shape bShape, FView y, Shape yShape)
    {
        int n = yShape.Size;
        if (n > 0) binary(n, a, b, Head(y, n), (int)op, Broadcasts.Of(aShape, bShape, yShape));
    }

    public void Expand(FView x, Shape xShape, FView y, Shape yShape)
    {
        int n = yShape.Size;
        if (n > 0) expand(n, x, Head(y, n), Broadcasts.Of(xShape, xShape, yShape));
    }

    public void Select(FView m, FView a, FView b, FView y, int n)
    {
        if (n > 0) select(n, Head(m, n), Head(a, n), Head(b, n), Head(y, n));
    }

    public void Fill(FView y, int n, float value)
    {
        if (n > 0) fill(n, Head(y, n), value);
    }

    public void Axpy(float alpha, FView x, FView y, int n)
    {
        if (n > 0) axpy(n, Head(x, n), Head(y, n), alpha);
    }

    public void CopyBlock(FView src, int srcOffset, int srcStride, FView dst, int dstOffset, int dstStride, int rows, int cols)
    {
        if (rows > 0 && cols > 0) copyBlock(rows * cols, src, dst, srcOffset, srcStride, dstOffset, dstStride, cols);
    }

    public void SumAxis(FView x, int outer, int length, int inner, FView y)
    {
        if (outer * inner > 0) sumAxis(outer * inner, x, y, length, inner);
    }

    public void MaxAxis(FView x, int outer, int length, int inner, FView y)
    {
        if (outer * inner > 0) maxAxis(outer * inner, x, y, length, inner);
    }

    public void CumSumAxis(FView x, int outer, int length, int inner, FView y, bool reverse)
    {
        if (outer * inner > 0 && length > 0) cumSum(outer * inner, x, y, length, inner, reverse ? 1 : 0);
    }

    public void GatherAxis(FView x, int outer, int length, int inner, int[] index, int count, FView y)
    {
        int n = outer * count * inner;
        if (n == 0) return;
        var idx = UploadIndex(index);
        gather(n, x, idx.View, y, length, inner, count, index.Length == count ? 1 : 0);
        ReturnIndexAfter(idx);
    }

    public void ScatterAddAxis(FView g, int outer, int length, int inner, int[] index, int count, FView y)
    {
        int n = outer * length * inner;
        if (n == 0 || count == 0) return;
        var idx = UploadIndex(index);
        scatterAdd(n, g, idx.View, y, length, inner, count, index.Length == count ? 1 : 0);
        ReturnIndexAfter(idx);
    }

    /// <summary>Back to the pool: the next upload into it is queued after the kernel that reads it (stream order).</summary>
    private void ReturnIndexAfter(MemoryBuffer1D<int, Stride1D.Dense> idx) => ReturnIndex(idx);

    public void SearchSorted(FView sorted, int rows, int sortedLength, FView values, int valuesPerRow, bool right, FView y)
    {
        int n = rows * valuesPerRow;
        if (n > 0) searchSorted(n, sorted, values, y, sortedLength, valuesPerRow, right ? 1 : 0);
    }

    public void FillNormal(FView y, int n, ulong key, float mean, float std)
    {
        if (n > 0) normal((n + 1) / 2, Head(y, n), key, mean, std, n);
    }

    public void FillUniform(FView y, int n, ulong key, float lo, float hi)
    {
        if (n > 0) uniform(n, Head(y, n), key, lo, hi - lo);
    }

    /// <summary>Σx² in float64: <see cref="SumParts"/> fixed strided partials, then one thread adds them in order (one scalar read back).</summary>
    public double SumOfSquares(FView x, int n)
    {
        if (n == 0) return 0;
        sumSquaresPartial(SumParts, x, partials.View, n, SumParts);
        sumPartials(1, partials.View, SumParts);
        var result = new double[1];
        partials.View.SubView(SumParts, 1).CopyToCPU(result);
        return result[0];
    }

    public void OptimizerStep(OptimizerUpdate u, FView w, FView g, FView? s1, FView? s2, int n)
    {
        if (n == 0) return;
        var args = new OptimizerArgs
        {
            Kind = u.Kind switch
            {
                "sgd" => 0,
                "adam" => 1,
                "adamw" => 2,
                "rmsprop" => 3,
                _ => throw new ArgumentException($"unknown optimizer kind '{u.Kind}'; allowed: sgd, adam, adamw, rmsprop.", nameof(u)),
            },
            LearningRate = u.LearningRate,
            Beta1 = u.Beta1,
            Beta2 = u.Beta2,
            Epsilon = u.Epsilon,
            WeightDecay = u.WeightDecay,
            Nesterov = u.Nesterov ? 1 : 0,
        };
        if (args.Kind is 1 or 2)
        {
            // The host computes the bias corrections exactly as OptimizerRules does.
            float c1 = 1 - MathF.Pow(u.Beta1, u.Step), c2 = 1 - MathF.Pow(u.Beta2, u.Step);
            args.AdamStep = u.LearningRate / c1;
            args.AdamSqrtC2 = MathF.Sqrt(c2);
        }
        optimizer(n, Head(w, n), Head(g, n), s1 is { } a ? Head(a, n) : Dummy, s2 is { } b ? Head(b, n) : Dummy, args);
    }

    /// <summary>Row-major SGEMM; cuBLAS (column-major, so it computes Cᵀ = op(B)ᵀ·op(A)ᵀ) when loaded, else the tiled kernel.</summary>
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, FView a, int aOffset, int lda,
                     FView b, int bOffset, int ldb, float beta, FView c, int cOffset, int ldc)
    {
        if (m == 0 || n == 0) return;
        if (cuBlas is not null && k > 0)
        {
            cuBlas.Gemm(transB ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
                        transA ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
                        n, m, k, alpha, Tail(b, bOffset), ldb, Tail(a, aOffset), lda, beta, Tail(c, cOffset), ldc);
            return;
        }
        var args = new GemmArgs
        {
            TransA = transA ? 1 : 0,
            TransB = transB ? 1 : 0,
            M = m,
            N = n,
            K = k,
            Alpha = alpha,
            Beta = beta,
            AOffset = aOffset,
            Lda = lda,
            BOffset = bOffset,
            Ldb = ldb,
            COffset = cOffset,
            Ldc = ldc,
        };
        TiledGemm(a, b, c, Dummy, args);
    }

    private static ArrayView<float> Tail(FView v, int offset) => v.SubView(offset, v.Length - offset).AsContiguous();

    private void TiledGemm(FView a, FView b, FView c, FView bias, GemmArgs args)
    {
        var grid = new Index2D((args.N + tile - 1) / tile, (args.M + tile - 1) / tile);
        gemmTiled(new KernelConfig(grid, new Index2D(tile, tile)), a, b, c, bias, args);
    }

    /// <summary>y = act(x·W + b): the tiled kernel fuses the epilogue; after cuBLAS it is one more element-wise launch.</summary>
    public void Linear(FView x, FView w, FView? bias, FView y, int batch, int fin, int fout, bool relu)
    {
        if (batch == 0 || fout == 0) return;
        if (cuBlas is not null && fin > 0)
        {
            Gemm(false, false, batch, fout, fin, 1f, x, 0, fin, w, 0, fout, 0f, y, 0, fout);
            if (bias is not null || relu) biasRelu(batch * fout, Head(y, batch * fout), bias ?? Dummy, fout, bias is null ? 0 : 1, relu ? 1 : 0);
            return;
        }
        var args = new GemmArgs
        {
            M = batch,
            N = fout,
            K = fin,
            Alpha = 1,
            Beta = 0,
            Lda = fin,
            Ldb = fout,
            Ldc = fout,
            HasBias = bias is null ? 0 : 1,
            Relu = relu ? 1 : 0,
        };
        TiledGemm(x, w, y, bias ?? Dummy, args);
    }

    public void Conv2d(FView x, FView weight, FView? bias, FView y, ConvGeometry g)
    {
        int pix = g.OutHeight * g.OutWidth, width = g.Batch * pix, ck = g.ColumnRows;
        if (g.OutputSize == 0) return;
        var cols = Rent((long)ck * width);
        var tmp = Rent((long)g.OutChannels * width);
        im2col(ck * width, x, cols.View, g);
        Gemm(false, false, g.OutChannels, width, ck, 1f, weight, 0, ck, cols.View, 0, width, 0f, tmp.View, 0, width);
        fromChannelMajor(g.OutputSize, tmp.View, bias ?? Dummy, y, g.Batch, g.OutChannels, pix, bias is null ? 0 : 1);
        ReturnAfter(cols, tmp);
    }

    public void Conv2dBackwardData(FView gradOutput, FView weight, FView gradInput, ConvGeometry g)
    {
        int pix = g.OutHeight * g.OutWidth, width = g.Batch * pix, ck = g.ColumnRows;
        if (g.InputSize == 0) return;
        var gy = Rent((long)g.OutChannels * width);
        var cols = Rent((long)ck * width);
        toChannelMajor(g.OutChannels * width, gradOutput, gy.View, g.Batch, g.OutChannels, pix);
        Gemm(true, false, ck, width, g.OutChannels, 1f, weight, 0, ck, gy.View, 0, width, 0f, cols.View, 0, width);
        col2im(g.InputSize, cols.View, gradInput, g);
        ReturnAfter(gy, cols);
    }

    public void Conv2dBackwardWeight(FView x, FView gradOutput, FView gradWeight, ConvGeometry g)
    {
        int pix = g.OutHeight * g.OutWidth, width = g.Batch * pix, ck = g.ColumnRows;
        if (g.WeightSize == 0) return;
        var gy = Rent((long)g.OutChannels * width);
        var cols = Rent((long)ck * width);
        toChannelMajor(g.OutChannels * width, gradOutput, gy.View, g.Batch, g.OutChannels, pix);
        im2col(ck * width, x, cols.View, g);
        Gemm(false, true, g.OutChannels, ck, width, 1f, gy.View, 0, width, cols.View, 0, width, 0f, gradWeight, 0, ck);
        ReturnAfter(gy, cols);
    }

    /// <summary>Scratch buffers go back to the pool at once: later users are queued after these kernels (stream order).</summary>
    private void ReturnAfter(FBuffer first, FBuffer second)
    {
        Return(first);
        Return(second);
    }

    public void Upsample2x(UpsampleMode mode, FView x, FView y, int planes, int height, int width)
    {
        int n = planes * 4 * height * width;
        if (n > 0) upsample(n, x, y, height, width, mode == UpsampleMode.Nearest ? 1 : 0);
    }

    public void Upsample2xAdjoint(UpsampleMode mode, FView gradOutput, FView gradInput, int planes, int height, int width)
    {
        int n = planes * height * width;
        if (n > 0) upsampleAdjoint(n, gradOutput, gradInput, height, width, mode == UpsampleMode.Nearest ? 1 : 0);
    }

    public void PadCrop2d(FView x, int planes, int height, int width, FView y, int outHeight, int outWidth, int top, int left)
    {
        int n = planes * outHeight * outWidth;
        if (n > 0) padCrop(n, x, y, height, width, outHeight, outWidth, top, left);
    }
}
