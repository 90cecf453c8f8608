using GenStats.Tensors.Backends;

namespace GenStats.Tensors;

// In-place updates of persistent tensors (parameters, gradients, buffers, averaged copies) through
// their own backend, so that weight handling never reads host arrays of device tensors. None is
// recorded by autodiff.
public sealed partial class Tensor
{
    /// <summary>Overwrites the values with those of <paramref name="source"/> (same size; on the device when both share one, else through the host).</summary>
    internal void CopyFrom(Tensor source)
    {
        RequireSameSize(source);
        var be = Backend;
        if (source.Device == Device) be.Copy(source.Buffer, 0, Buffer, 0, Size);
        else be.CopyFromHost(source.ToArray(), Buffer, 0);
    }

    /// <summary>Overwrites the values with host values (an upload on a device).</summary>
    internal void CopyFrom(ReadOnlySpan<float> values)
    {
        if (values.Length != Size)
            throw new ArgumentException($"cannot copy {values.Length} values into a tensor of shape {Shape} ({Size} values).", nameof(values));
        Backend.CopyFromHost(values, Buffer, 0);
    }

    /// <summary>x ← a·x + b.</summary>
    internal void AffineInPlace(float a, float b) => Backend.Unary(UnaryOp.Affine, Buffer, Buffer, Size, a, b);

    /// <summary>x ← clamp(x, lo, hi).</summary>
    internal void ClampInPlace(float lo, float hi) => Backend.Unary(UnaryOp.Clamp, Buffer, Buffer, Size, lo, hi);

    /// <summary>x ← value everywhere.</summary>
    internal void FillInPlace(float value) => Backend.Fill(Buffer, Size, value);

    /// <summary>x ← x + α·y (BLAS axpy; y of the same size on the same device).</summary>
    internal void AxpyInPlace(float alpha, Tensor y)
    {
        RequireSameSize(y);
        if (y.Device != Device)
            throw new InvalidOperationException($"cannot add a tensor on {y.Device} into one on {Device}; move one with Tensor.To(device).");
        Backend.Axpy(alpha, y.Buffer, Buffer, Size);
    }

    /// <summary>x ← (1 − w)·x + w·y, the exponential moving average step (torch.lerp_).</summary>
    internal void LerpInPlace(Tensor y, float w)
    {
        AffineInPlace(1 - w, 0);
        AxpyInPlace(w, y);
    }

    /// <summary>Σ x², accumulated in float64 (one scalar read-back).</summary>
    internal double SumOfSquares() => Backend.SumOfSquares(Buffer, Size);

    /// <summary>
    /// Moves the storage to <paramref name="target"/>'s device in place (through the host), so every
    /// holder of this tensor — optimizers, views, modules — sees the moved values (torch's
    /// <c>param.data = param.data.to(device)</c>).
    /// </summary>
    internal void MoveTo(ITensorBackend target)
    {
        if (Device == target.Device) return;
        var values = ToArray();
        var old = Buffer;
        var moved = target.Allocate(Size);
        target.CopyFromHost(values, moved, 0);
        Storage.Buffer = moved;
        if (!Storage.Pooled) old.Backend.Release(old);
    }

    private void RequireSameSize(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Size != Size)
            throw new ArgumentException($"a tensor of shape {other.Shape} does not fit one of shape {Shape}.", nameof(other));
    }
}
