namespace GenStats.Tensors;

/// <summary>Where a tensor's storage lives. Only <see cref="Cpu"/> exists today; a GPU backend adds <c>Cuda</c>.</summary>
/// <param name="Kind">The device kind, e.g. "cpu" or "cuda".</param>
/// <param name="Index">The device ordinal within its kind (0 for the CPU).</param>
public sealed record Device(string Kind, int Index)
{
    /// <summary>Host memory, computed by the managed CPU backend.</summary>
    public static Device Cpu { get; } = new("cpu", 0);

    /// <summary>Formats as <c>kind:index</c>.</summary>
    public override string ToString() => $"{Kind}:{Index}";
}
