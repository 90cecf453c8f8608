using GenStats.Tensors.Backends;

namespace GenStats.Tensors.Cuda;

/// <summary>
/// A tensor backend whose ops are ILGPU kernels: on a CUDA GPU (<see cref="CudaBackend"/>) or on
/// ILGPU's CPU accelerator (<see cref="CreateCpu"/>, a multi-threaded emulator of the GPU
/// execution model that CI uses to check every kernel without a GPU). Results are deterministic:
/// no kernel uses atomics, every reduction sums in a fixed order.
/// </summary>
public class IlgpuBackend : ITensorBackend, IDisposable
{
    private readonly IlgpuDevice device;
    private int maxThreads = 1;

    private protected IlgpuBackend(IlgpuDevice device, Device deviceId, string name)
    {
        this.device = device;
        Device = deviceId;
        Name = name;
    }

    /// <summary>The backend on ILGPU's CPU accelerator (device kind "ilgpu-cpu"): slow, for tests of the kernels.</summary>
    public static IlgpuBackend CreateCpu() => new(IlgpuDevice.CreateCpu(), new Device("ilgpu-cpu", 0), "ilgpu-cpu");

    internal IlgpuDevice Accelerator => device;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>True when GEMMs run in cuBLAS SGEMM (CUDA with libcublas.so.12 loaded); false: the ILGPU tiled kernel.</summary>
    public bool UsesCuBlas => device.UsesCuBlas;

    /// <summary>Why cuBLAS is not used on a CUDA device (null when it is, or on the CPU accelerator).</summary>
    public string? CuBlasProblem => device.CuBlasProblem;

    /// <summary>Kept for the interface; the accelerator decides its own parallelism.</summary>
    public int MaxThreads
    {
        get => maxThreads;
        set
        {
            if (value < 1) throw new ArgumentException($"MaxThreads is {value}; at least 1 thread is required.", nameof(value));
            maxThreads = value;
        }
    }

    /// <summary>Frees the accelerator, its pooled buffers and the cuBLAS handle.</summary>
    public void Dispose()
    {
        device.Dispose();
        GC.SuppressFinalize(this);
    }

    private HostStaging Stage() => new(device);

    /// <inheritdoc />
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"GEMM sizes m={m}, n={n}, k={k} must be non-negative.");
        using var s = Stage();
        device.Gemm(transA, transB, m, n, k, alpha, s.In(a), aOffset, lda, s.In(b), bOffset, ldb, beta, s.Out(c), cOffset, ldc);
    }

    /// <inheritdoc />
    public void Linear(float[] x, float[] w, float[]? bias, float[] y, int batch, int fin, int fout, bool relu)
    {
        using var s = Stage();
        device.Linear(s.In(x), s.In(w), s.InOrNull(bias), s.Out(y), batch, fin, fout, relu);
    }

    /// <inheritdoc />
    public void Unary(UnaryOp op, float[] x, float[] y, int n, float p0 = 0, float p1 = 0)
    {
        if (!Enum.IsDefined(op)) throw new ArgumentException($"unknown unary op {op}.", nameof(op));
        using var s = Stage();
        device.Unary(op, s.In(x), s.Out(y), n, p0, p1);
    }

    /// <inheritdoc />
    public void MaskMultiply(MaskKind kind, float[] g, float[] x, float[] r, int n, float p0 = 0, float p1 = 0)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentException($"unknown mask {kind}.", nameof(kind));
        using var s = Stage();
        device.MaskMultiply(kind, s.In(g), s.In(x), s.Out(r), n, p0, p1);
    }

    /// <inheritdoc />
    public void Binary(BinaryOp op, float[] a, Shape aShape, float[] b, Shape bShape, float[] y, Shape yShape)
    {
        if (!Enum.IsDefined(op)) throw new ArgumentException($"unknown binary op {op}.", nameof(op));
        using var s = Stage();
        device.Binary(op, s.In(a), aShape, s.In(b), bShape, s.Out(y), yShape);
    }

    /// <inheritdoc />
    public void Expand(float[] x, Shape xShape, float[] y, Shape yShape)
    {
        using var s = Stage();
        device.Expand(s.In(x), xShape, s.Out(y), yShape);
    }

    /// <inheritdoc />
    public void SumAxis(float[] x, int outer, int length, int inner, float[] y)
    {
        using var s = Stage();
        device.SumAxis(s.In(x), outer, length, inner, s.Out(y));
    }

    /// <inheritdoc />
    public void MaxAxis(float[] x, int outer, int length, int inner, float[] y)
    {
        if (length == 0) throw new ArgumentException("cannot take the maximum over an axis of length 0.", nameof(length));
        using var s = Stage();
        device.MaxAxis(s.In(x), outer, length, inner, s.Out(y));
    }

    /// <inheritdoc />
    public void CumSumAxis(float[] x, int outer, int length, int inner, float[] y, bool reverse)
    {
        using var s = Stage();
        device.CumSumAxis(s.In(x), outer, length, inner, s.Out(y), reverse);
    }

    /// <inheritdoc />
    public void GatherAxis(float[] x, int outer, int length, int inner, int[] index, int count, float[] y)
    {
        using var s = Stage();
        device.GatherAxis(s.In(x), outer, length, inner, index, count, s.Out(y));
    }

    /// <inheritdoc />
    public void ScatterAddAxis(float[] g, int outer, int length, int inner, int[] index, int count, float[] y)
    {
        using var s = Stage();
        device.ScatterAddAxis(s.In(g), outer, length, inner, index, count, s.Out(y));
    }

    /// <inheritdoc />
    public void Select(float[] mask, float[] a, float[] b, float[] y, int n)
    {
        using var s = Stage();
        device.Select(s.In(mask), s.In(a), s.In(b), s.Out(y), n);
    }

    /// <inheritdoc />
    public void SearchSorted(float[] sorted, int rows, int sortedLength, float[] values, int valuesPerRow, bool right, float[] y)
    {
        using var s = Stage();
        device.SearchSorted(s.In(sorted), rows, sortedLength, s.In(values), valuesPerRow, right, s.Out(y));
    }

    /// <inheritdoc />
    public void CopyBlock(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset, int dstStride, int rows, int cols)
    {
        using var s = Stage();
        device.CopyBlock(s.In(src), srcOffset, srcStride, s.Out(dst), dstOffset, dstStride, rows, cols);
    }

    /// <inheritdoc />
    public void Fill(float[] y, int n, float value)
    {
        using var s = Stage();
        device.Fill(s.Out(y), n, value);
    }

    /// <inheritdoc />
    public void FillNormal(float[] y, int n, ulong key, float mean, float std)
    {
        using var s = Stage();
        device.FillNormal(s.Out(y), n, key, mean, std);
    }

    /// <inheritdoc />
    public void FillUniform(float[] y, int n, ulong key, float lo, float hi)
    {
        using var s = Stage();
        device.FillUniform(s.Out(y), n, key, lo, hi);
    }

    /// <inheritdoc />
    public double SumOfSquares(float[] x, int n)
    {
        using var s = Stage();
        return device.SumOfSquares(s.In(x), n);
    }

    /// <inheritdoc />
    public void Axpy(float alpha, float[] x, float[] y, int n)
    {
        using var s = Stage();
        device.Axpy(alpha, s.In(x), s.Out(y), n);
    }

    /// <inheritdoc />
    public void Conv2d(float[] x, float[] weight, float[]? bias, float[] y, ConvGeometry geometry)
    {
        using var s = Stage();
        device.Conv2d(s.In(x), s.In(weight), s.InOrNull(bias), s.Out(y), geometry);
    }

    /// <inheritdoc />
    public void Conv2dBackwardData(float[] gradOutput, float[] weight, float[] gradInput, ConvGeometry geometry)
    {
        using var s = Stage();
        device.Conv2dBackwardData(s.In(gradOutput), s.In(weight), s.Out(gradInput), geometry);
    }

    /// <inheritdoc />
    public void Conv2dBackwardWeight(float[] x, float[] gradOutput, float[] gradWeight, ConvGeometry geometry)
    {
        using var s = Stage();
        device.Conv2dBackwardWeight(s.In(x), s.In(gradOutput), s.Out(gradWeight), geometry);
    }

    /// <inheritdoc />
    public void Upsample2x(UpsampleMode mode, float[] x, float[] y, int planes, int height, int width)
    {
        using var s = Stage();
        device.Upsample2x(mode, s.In(x), s.Out(y), planes, height, width);
    }

    /// <inheritdoc />
    public void Upsample2xAdjoint(UpsampleMode mode, float[] gradOutput, float[] gradInput, int planes, int height, int width)
    {
        using var s = Stage();
        device.Upsample2xAdjoint(mode, s.In(gradOutput), s.Out(gradInput), planes, height, width);
    }

    /// <inheritdoc />
    public void PadCrop2d(float[] x, int planes, int height, int width, float[] y, int outHeight, int outWidth, int top, int left)
    {
        using var s = Stage();
        device.PadCrop2d(s.In(x), planes, height, width, s.Out(y), outHeight, outWidth, top, left);
    }

    /// <inheritdoc />
    public void OptimizerStep(OptimizerUpdate update, float[] w, float[] g, float[]? state1, float[]? state2, int n)
    {
        using var s = Stage();
        device.OptimizerStep(update, s.Out(w), s.In(g), s.OutOrNull(state1), s.OutOrNull(state2), n);
    }
}
