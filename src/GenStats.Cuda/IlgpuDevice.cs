using System.Runtime.InteropServices;
using GenStats.Tensors.Backends;
using GenStats.Tensors.Cuda.Kernels;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace GenStats.Tensors.Cuda;

/// <summary>
/// One ILGPU accelerator with its loaded kernels, its cuBLAS handle (CUDA only, when libcublas
/// loads) and its buffer pool. The ops here take device views and launch kernels; they never copy
/// through the host except to upload int index arrays and to read back one scalar.
/// </summary>
internal sealed partial class IlgpuDevice : IDisposable
{
    private readonly Context context;
    private readonly CuBlas? cuBlas;
    private readonly FBuffer dummy;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> partials;
    private const int SumParts = 256;

    public Accelerator Accelerator { get; }

    /// <summary>Why cuBLAS is not used (null when it is, or on the CPU accelerator).</summary>
    public string? CuBlasProblem { get; }

    /// <summary>True when GEMMs go to cuBLAS SGEMM.</summary>
    public bool UsesCuBlas => cuBlas is not null;

    private int tile;

    private IlgpuDevice(Context context, Accelerator accelerator, bool tryCuBlas)
    {
        this.context = context;
        Accelerator = accelerator;
        // The tiled GEMM's side: 16 × 16 on a GPU; the CPU emulator runs one OS thread per group thread, so keep it small.
        tile = accelerator is CudaAccelerator ? GemmKernels.MaxTile : 4;
        if (tryCuBlas && accelerator is CudaAccelerator cuda)
        {
            try { cuBlas = new CuBlas(cuda); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or CuBlasException or InvalidOperationException)
            {
                CuBlasProblem = $"libcublas.so.12 did not load ({e.GetBaseException().Message}); GEMMs use the ILGPU tiled kernel";
            }
        }
        dummy = accelerator.Allocate1D<float>(1);
        partials = accelerator.Allocate1D<double>(SumParts + 1);
        LoadKernels();
    }

    /// <summary>ILGPU's CPU accelerator (a multi-threaded emulator of the GPU execution model): 4 threads per warp, 4 warps per group.</summary>
    public static IlgpuDevice CreateCpu()
    {
        var device = new CPUDevice(4, 4, 1);
        var context = Context.Create(b => b.CPU(device).EnableAlgorithms());
        return new IlgpuDevice(context, context.CreateCPUAccelerator(0), tryCuBlas: false);
    }

    /// <summary>The CUDA device <paramref name="index"/>; throws <see cref="InvalidOperationException"/> with one clear line when there is none.</summary>
    public static IlgpuDevice CreateCuda(int index)
    {
        Context? context = null;
        try
        {
            context = Context.Create(b => b.Cuda().EnableAlgorithms());
            var devices = context.GetCudaDevices();
            if (devices.Count <= index)
                throw new InvalidOperationException(
                    $"no CUDA device/driver/cuBLAS found: ILGPU sees {devices.Count} CUDA device(s) (needs the NVIDIA driver's libcuda.so.1 and a GPU; device index {index} asked)");
            var accelerator = context.CreateCudaAccelerator(index);
            return new IlgpuDevice(context, accelerator, tryCuBlas: true);
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            context?.Dispose();
            throw new InvalidOperationException($"no CUDA device/driver/cuBLAS found: {e.GetBaseException().Message}", e);
        }
        catch
        {
            context?.Dispose();
            throw;
        }
    }

    /// <summary>A view of the dummy 1-element buffer, passed where an optional operand (bias, state) is absent.</summary>
    public FView Dummy => dummy.View;

    public void Dispose()
    {
        ClearPool();
        cuBlas?.Dispose();
        dummy.Dispose();
        partials.Dispose();
        Accelerator.Dispose();
        context.Dispose();
    }

    // ---- pool: buffers by exact length (tensor sizes recur every training step) ----
    private readonly Dictionary<long, Stack<FBuffer>> pool = new();
    private readonly Dictionary<long, Stack<MemoryBuffer1D<int, Stride1D.Dense>>> intPool = new();
    private readonly object poolLock = new();

    public FBuffer Rent(long length)
    {
        lock (poolLock)
            if (pool.TryGetValue(length, out var s) && s.Count > 0) return s.Pop();
        return Accelerator.Allocate1D<float>(Math.Max(1, length));
    }

    public void Return(FBuffer buffer)
    {
        lock (poolLock)
        {
            if (!pool.TryGetValue(buffer.Length, out var s)) pool[buffer.Length] = s = new Stack<FBuffer>();
            s.Push(buffer);
        }
    }

    /// <summary>Uploads an index array (the only host-to-device copy inside an op).</summary>
    public MemoryBuffer1D<int, Stride1D.Dense> UploadIndex(int[] index)
    {
        MemoryBuffer1D<int, Stride1D.Dense>? b = null;
        long len = Math.Max(1, index.Length);
        lock (poolLock)
            if (intPool.TryGetValue(len, out var s) && s.Count > 0) b = s.Pop();
        b ??= Accelerator.Allocate1D<int>(len);
        if (index.Length > 0) b.View.SubView(0, index.Length).CopyFromCPU(index);
        return b;
    }

    public void ReturnIndex(MemoryBuffer1D<int, Stride1D.Dense> buffer)
    {
        lock (poolLock)
        {
            if (!intPool.TryGetValue(buffer.Length, out var s)) intPool[buffer.Length] = s = new();
            s.Push(buffer);
        }
    }

    private void ClearPool()
    {
        lock (poolLock)
        {
            foreach (var s in pool.Values) foreach (var b in s) b.Dispose();
            foreach (var s in intPool.Values) foreach (var b in s) b.Dispose();
            pool.Clear();
            intPool.Clear();
        }
    }

    /// <summary>dst[dstOffset + i] = src[srcOffset + i] on the device (in stream order; overlapping ranges go through the copy kernel).</summary>
    public void Copy(FView src, int srcOffset, FView dst, int dstOffset, int length)
    {
        if (length == 0) return;
        if (src.Equals(dst) && Math.Abs(srcOffset - dstOffset) < length)
        {
            var tmp = Rent(length);
            src.SubView(srcOffset, length).CopyTo(tmp.View.SubView(0, length));
            tmp.View.SubView(0, length).CopyTo(dst.SubView(dstOffset, length));
            Return(tmp);
            return;
        }
        src.SubView(srcOffset, length).CopyTo(dst.SubView(dstOffset, length));
    }

    public static void CopyFromHost(ReadOnlySpan<float> source, FView destination)
    {
        if (source.Length == 0) return;
        destination.SubView(0, source.Length).CopyFromCPU(ref MemoryMarshal.GetReference(source), source.Length);
    }

    public static void CopyToHost(FView source, Span<float> destination)
    {
        if (destination.Length == 0) return;
        source.SubView(0, destination.Length).CopyToCPU(ref MemoryMarshal.GetReference(destination), destination.Length);
    }
}
