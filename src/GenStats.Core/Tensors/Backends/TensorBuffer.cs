namespace GenStats.Tensors.Backends;

/// <summary>
/// The storage of a tensor: a flat float32 buffer owned by the backend that allocated it (host
/// memory for the managed backend, device memory for a GPU backend). Only that backend's
/// operations accept it; code outside the backend reads or writes it through explicit host copies
/// (<see cref="ITensorBackend.CopyToHost"/>, <see cref="ITensorBackend.CopyFromHost"/>).
/// </summary>
public abstract class TensorBuffer
{
    /// <summary>A buffer of <paramref name="length"/> floats allocated by <paramref name="backend"/>.</summary>
    /// <exception cref="ArgumentException">A negative length.</exception>
    protected TensorBuffer(int length, ITensorBackend backend)
    {
        if (length < 0) throw new ArgumentException($"a buffer length is {length}; it must be non-negative.", nameof(length));
        Length = length;
        Backend = backend ?? throw new ArgumentNullException(nameof(backend));
    }

    /// <summary>Number of floats.</summary>
    public int Length { get; }

    /// <summary>The device whose memory holds the buffer (the backend's device).</summary>
    public Device Device => Backend.Device;

    /// <summary>The backend that allocated the buffer and the only one whose operations accept it.</summary>
    public ITensorBackend Backend { get; }
}

/// <summary>A buffer in managed host memory: the managed backend's storage (<see cref="Device.Cpu"/>).</summary>
public sealed class HostBuffer : TensorBuffer
{
    /// <summary>Wraps <paramref name="array"/> (not copied) as a buffer of <paramref name="backend"/>.</summary>
    public HostBuffer(float[] array, ITensorBackend backend) : base(array?.Length ?? 0, backend)
    {
        ArgumentNullException.ThrowIfNull(array);
        Array = array;
    }

    /// <summary>The managed array holding the values.</summary>
    public float[] Array { get; }
}
