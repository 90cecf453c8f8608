namespace GenStats.Tensors.Cuda;

/// <summary>
/// The temporary bridge from today's host-array interface to device views: uploads each array an
/// op reads, and copies back the ones it writes when disposed. It goes away once tensors own device
/// buffers (issue 15, backend-owned storage); every kernel and op below it stays.
/// </summary>
internal sealed class HostStaging : IDisposable
{
    private readonly IlgpuDevice device;
    private readonly List<(float[] Array, FBuffer Buffer, bool WriteBack)> rented = new();

    public HostStaging(IlgpuDevice device) => this.device = device;

    /// <summary>A device copy of an array the op only reads.</summary>
    public FView In(float[] array) => Stage(array, writeBack: false);

    /// <summary>A device copy of an array the op writes (and may read): copied back on dispose.</summary>
    public FView Out(float[] array) => Stage(array, writeBack: true);

    public FView? InOrNull(float[]? array) => array is null ? null : In(array);

    public FView? OutOrNull(float[]? array) => array is null ? null : Out(array);

    private FView Stage(float[] array, bool writeBack)
    {
        // The same array staged twice (e.g. an in-place op) shares one device copy.
        for (int i = 0; i < rented.Count; i++)
            if (ReferenceEquals(rented[i].Array, array))
            {
                if (writeBack) rented[i] = rented[i] with { WriteBack = true };
                return rented[i].Buffer.View;
            }
        var buffer = device.Rent(array.Length);
        IlgpuDevice.CopyFromHost(array, buffer.View);
        rented.Add((array, buffer, writeBack));
        return buffer.View;
    }

    public void Dispose()
    {
        device.Accelerator.Synchronize();
        foreach (var (array, buffer, writeBack) in rented)
        {
            if (writeBack) IlgpuDevice.CopyToHost(buffer.View, array);
            device.Return(buffer);
        }
        rented.Clear();
    }
}
