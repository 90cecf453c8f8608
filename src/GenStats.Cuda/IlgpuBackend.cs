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

    /// <summary>Waits until every queued kernel and copy has finished (for timings; ops need no explicit sync).</summary>
    public void Synchronize() => device.Accelerator.Synchronize();

    /// <summary>Frees the accelerator, its pooled buffers and the cuBLAS handle.</summary>
    public void Dispose()
    {
        device.Dispose();
        GC.SuppressFinalize(this);
    }

    // ---- storage: device buffers from the pool; the only host copies are these explicit ones ----

    /// <summary>The device view of a buffer of this backend.</summary>
    /// <exception cref="InvalidOperationException">The buffer belongs to another backend or device.</exception>
    private FView V(TensorBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer is IlgpuBuffer b && ReferenceEquals(b.Backend, this)) return b.View;
        throw new InvalidOperationException(
            $"the {Name} backend ({Device}) got a buffer on {buffer.Device} ({buffer.GetType().Name}); only its own buffers are accepted — move the tensor with Tensor.To({Device}).");
    }

    private FView? VOrNull(TensorBuffer? buffer) => buffer is null ? null : V(buffer);

    /// <inheritdoc />
    public TensorBuffer Allocate(int length)
    {
        if (length < 0) throw new ArgumentException($"a buffer length is {length}; it must be non-negative.", nameof(length));
        return new IlgpuBuffer(device.Rent(Math.Max(1, length)), length, this);
    }

    /// <inheritdoc />
    public void Release(TensorBuffer buffer)
    {
        V(buffer);
        // Kernels run in stream order, so a buffer handed out again is written only after the
        // kernels already queued on it have read it.
        device.Return(((IlgpuBuffer)buffer).Memory);
    }

    /// <inheritdoc />
    public void CopyFromHost(ReadOnlySpan<float> source, TensorBuffer destination, int destinationOffset)
    {
        CheckRange(destination, destinationOffset, source.Length, nameof(destination));
        if (source.Length == 0) return;
        IlgpuDevice.CopyFromHost(source, V(destination).SubView(destinationOffset, source.Length));
    }

    /// <inheritdoc />
    public void CopyToHost(TensorBuffer source, int sourceOffset, Span<float> destination)
    {
        CheckRange(source, sourceOffset, destination.Length, nameof(source));
        if (destination.Length == 0) return;
        IlgpuDevice.CopyToHost(V(source).SubView(sourceOffset, destination.Length), destination);
    }

    /// <inheritdoc />
    public void Copy(TensorBuffer source, int sourceOffset, TensorBuffer destination, int destinationOffset, int length)
    {
        CheckRange(source, sourceOffset, length, nameof(source));
        CheckRange(destination, destinationOffset, length, nameof(destination));
        device.Copy(V(source), sourceOffset, V(destination), destinationOffset, length);
    }

    private static void CheckRange(TensorBuffer buffer, int offset, int length, string name)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.Length)
            throw new ArgumentOutOfRangeException(name, $"elements {offset}..{(long)offset + length} do not lie in a buffer of {buffer.Length}.");
    }

    /// <inheritdoc />
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     TensorBuffer a, int aOffset, int lda, TensorBuffer b, int bOffset, int ldb,
                     float beta, TensorBuffer c, int cOffset, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"GEMM sizes m={m}, n={n}, k={k} must be non-negative.");
        device.Gemm(transA, transB, m, n, k, alpha, V(a), aOffset, lda, V(b), bOffset, ldb, beta, V(c), cOffset, ldc);
    }

    /// <inheritdoc />
    public void Linear(TensorBuffer x, TensorBuffer w, TensorBuffer? bias, TensorBuffer y, int batch, int fin, int fout, bool relu)
    {
        device.Linear(V(x), V(w), VOrNull(bias), V(y), batch, fin, fout, relu);
    }

    /// <inheritdoc />
    public void Unary(UnaryOp op, TensorBuffer x, TensorBuffer y, int n, float p0 = 0, float p1 = 0)
    {
        if (!Enum.IsDefined(op)) throw new ArgumentException($"unknown unary op {op}.", nameof(op));
        device.Unary(op, V(x), V(y), n, p0, p1);
    }

    /// <inheritdoc />
    public void MaskMultiply(MaskKind kind, TensorBuffer g, TensorBuffer x, TensorBuffer r, int n, float p0 = 0, float p1 = 0)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentException($"unknown mask {kind}.", nameof(kind));
        device.MaskMultiply(kind, V(g), V(x), V(r), n, p0, p1);
    }

    /// <inheritdoc />
    public void Binary(BinaryOp op, TensorBuffer a, Shape aShape, TensorBuffer b, Shape bShape, TensorBuffer y, Shape yShape)
    {
        if (!Enum.IsDefined(op)) throw new ArgumentException($"unknown binary op {op}.", nameof(op));
        device.Binary(op, V(a), aShape, V(b), bShape, V(y), yShape);
    }

    /// <inheritdoc />
    public void Expand(TensorBuffer x, Shape xShape, TensorBuffer y, Shape yShape)
    {
        device.Expand(V(x), xShape, V(y), yShape);
    }

    /// <inheritdoc />
    public void SumAxis(TensorBuffer x, int outer, int length, int inner, TensorBuffer y)
    {
        device.SumAxis(V(x), outer, length, inner, V(y));
    }

    /// <inheritdoc />
    public void MaxAxis(TensorBuffer x, int outer, int length, int inner, TensorBuffer y)
    {
        if (length == 0) throw new ArgumentException("cannot take the maximum over an axis of length 0.", nameof(length));
        device.MaxAxis(V(x), outer, length, inner, V(y));
    }

    /// <inheritdoc />
    public void CumSumAxis(TensorBuffer x, int outer, int length, int inner, TensorBuffer y, bool reverse)
    {
        device.CumSumAxis(V(x), outer, length, inner, V(y), reverse);
    }

    /// <inheritdoc />
    public void GatherAxis(TensorBuffer x, int outer, int length, int inner, int[] index, int count, TensorBuffer y)
    {
        device.GatherAxis(V(x), outer, length, inner, index, count, V(y));
    }

    /// <inheritdoc />
    public void ScatterAddAxis(TensorBuffer g, int outer, int length, int inner, int[] index, int count, TensorBuffer y)
    {
        device.ScatterAddAxis(V(g), outer, length, inner, index, count, V(y));
    }

    /// <inheritdoc />
    public void Select(TensorBuffer mask, TensorBuffer a, TensorBuffer b, TensorBuffer y, int n)
    {
        device.Select(V(mask), V(a), V(b), V(y), n);
    }

    /// <inheritdoc />
    public void SearchSorted(TensorBuffer sorted, int rows, int sortedLength, TensorBuffer values, int valuesPerRow, bool right, TensorBuffer y)
    {
        device.SearchSorted(V(sorted), rows, sortedLength, V(values), valuesPerRow, right, V(y));
    }

    /// <inheritdoc />
    public void CopyBlock(TensorBuffer src, int srcOffset, int srcStride, TensorBuffer dst, int dstOffset, int dstStride, int rows, int cols)
    {
        device.CopyBlock(V(src), srcOffset, srcStride, V(dst), dstOffset, dstStride, rows, cols);
    }

    /// <inheritdoc />
    public void Fill(TensorBuffer y, int n, float value)
    {
        device.Fill(V(y), n, value);
    }

    /// <inheritdoc />
    public void FillNormal(TensorBuffer y, int n, ulong key, float mean, float std)
    {
        device.FillNormal(V(y), n, key, mean, std);
    }

    /// <inheritdoc />
    public void FillUniform(TensorBuffer y, int n, ulong key, float lo, float hi)
    {
        device.FillUniform(V(y), n, key, lo, hi);
    }

    /// <inheritdoc />
    public double SumOfSquares(TensorBuffer x, int n)
    {
        return device.SumOfSquares(V(x), n);
    }

    /// <inheritdoc />
    public void Axpy(float alpha, TensorBuffer x, TensorBuffer y, int n)
    {
        device.Axpy(alpha, V(x), V(y), n);
    }

    /// <inheritdoc />
    public void Conv2d(TensorBuffer x, TensorBuffer weight, TensorBuffer? bias, TensorBuffer y, ConvGeometry geometry)
    {
        device.Conv2d(V(x), V(weight), VOrNull(bias), V(y), geometry);
    }

    /// <inheritdoc />
    public void Conv2dBackwardData(TensorBuffer gradOutput, TensorBuffer weight, TensorBuffer gradInput, ConvGeometry geometry)
    {
        device.Conv2dBackwardData(V(gradOutput), V(weight), V(gradInput), geometry);
    }

    /// <inheritdoc />
    public void Conv2dBackwardWeight(TensorBuffer x, TensorBuffer gradOutput, TensorBuffer gradWeight, ConvGeometry geometry)
    {
        device.Conv2dBackwardWeight(V(x), V(gradOutput), V(gradWeight), geometry);
    }

    /// <inheritdoc />
    public void Upsample2x(UpsampleMode mode, TensorBuffer x, TensorBuffer y, int planes, int height, int width)
    {
        device.Upsample2x(mode, V(x), V(y), planes, height, width);
    }

    /// <inheritdoc />
    public void Upsample2xAdjoint(UpsampleMode mode, TensorBuffer gradOutput, TensorBuffer gradInput, int planes, int height, int width)
    {
        device.Upsample2xAdjoint(mode, V(gradOutput), V(gradInput), planes, height, width);
    }

    /// <inheritdoc />
    public void PadCrop2d(TensorBuffer x, int planes, int height, int width, TensorBuffer y, int outHeight, int outWidth, int top, int left)
    {
        device.PadCrop2d(V(x), planes, height, width, V(y), outHeight, outWidth, top, left);
    }

    /// <inheritdoc />
    public void OptimizerStep(OptimizerUpdate update, TensorBuffer w, TensorBuffer g, TensorBuffer? state1, TensorBuffer? state2, int n)
    {
        device.OptimizerStep(update, V(w), V(g), VOrNull(state1), VOrNull(state2), n);
    }
}
