using GenStats.Tensors.Backends;

namespace GenStats.Tensors.Cuda;

/// <summary>
/// A tensor buffer in the memory of an ILGPU accelerator (GPU memory on CUDA): the storage of the
/// tensors of an <see cref="IlgpuBackend"/>. The device memory comes from the backend's pool and
/// goes back to it on <see cref="ITensorBackend.Release"/>.
/// </summary>
public sealed class IlgpuBuffer : TensorBuffer
{
    internal IlgpuBuffer(FBuffer memory, int length, IlgpuBackend backend) : base(length, backend) => Memory = memory;

    /// <summary>The pooled device allocation (at least one element, so a zero-length tensor still has a view).</summary>
    internal FBuffer Memory { get; }

    /// <summary>The whole allocation as a dense view (kernels index from 0).</summary>
    internal FView View => Memory.View;
}
