namespace GenStats.Tensors.Cuda;

/// <summary>
/// The CUDA backend (device "cuda:0"): ILGPU kernels compiled to PTX by ILGPU itself (only the
/// NVIDIA driver's libcuda is needed at run time) and cuBLAS SGEMM when libcublas.so.12 is found
/// on the library path (a CUDA toolkit or NVIDIA's pip wheel nvidia-cublas-cu12), else ILGPU's tiled
/// GEMM kernel. <see cref="TensorBackend.TryUseCuda"/> constructs it by type name.
/// </summary>
public sealed class CudaBackend : IlgpuBackend
{
    /// <summary>Opens CUDA device 0.</summary>
    /// <exception cref="InvalidOperationException">No CUDA device or driver (message starts "no CUDA device/driver/cuBLAS found:").</exception>
    public CudaBackend() : this(0) { }

    /// <summary>Opens CUDA device <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">No such CUDA device, or no driver.</exception>
    public CudaBackend(int index) : base(IlgpuDevice.CreateCuda(index), new Device("cuda", index), "cuda") { }
}
