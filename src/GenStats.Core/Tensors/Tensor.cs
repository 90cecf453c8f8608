using GenStats.Tensors.Backends;

namespace GenStats.Tensors;

/// <summary>
/// A dense float32 tensor (row-major, contiguous, rank ≤ 4) that records the operations made on it
/// for reverse-mode automatic differentiation. Leaves with <see cref="RequiresGrad"/> collect
/// gradients in <see cref="Grad"/> through <see cref="Backward"/>; <see cref="Autograd.Grad"/>
/// returns gradients as tensors and, with <c>createGraph</c>, differentiable ones (double backward).
/// Operations live in <see cref="Ops"/>; the arithmetic operators are defined here.
/// </summary>
public sealed partial class Tensor
{
    internal readonly Storage Storage;
    internal GradNode? Node;
    private bool requiresGrad;

    internal Tensor(Storage storage, Shape shape)
    {
        Storage = storage;
        Shape = shape;
    }

    /// <summary>The shape.</summary>
    public Shape Shape { get; }

    /// <summary>The device whose memory holds the values (the device of the buffer).</summary>
    public Device Device => Buffer.Device;

    /// <summary>Number of elements.</summary>
    public int Size => Shape.Size;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaves (inputs, parameters); results of
    /// operations on such tensors require grad automatically while grad mode is on.
    /// </summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (Node is not null && !value)
                throw new InvalidOperationException("RequiresGrad cannot be cleared on a computed tensor; use Detach().");
            requiresGrad = value;
        }
    }

    /// <summary>True when the tensor was not computed by a recorded operation.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>Gradient accumulated by <see cref="Backward"/> (leaves only); null before the first backward.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The backend buffer (at least <see cref="Size"/> long).</summary>
    internal TensorBuffer Buffer => Storage.Buffer ?? throw new ObjectDisposedException(nameof(Tensor),
        "this tensor's buffer was returned to the pool when its TensorScope was disposed; use scope.Keep(t) to keep it.");

    /// <summary>
    /// The backend that runs operations on this tensor: the current backend when it computes on the
    /// buffer's device (so its settings, e.g. <see cref="TensorBackend.MaxThreads"/>, apply), else the
    /// backend that allocated the buffer.
    /// </summary>
    internal ITensorBackend Backend
    {
        get
        {
            var buffer = Buffer;
            var current = TensorBackend.Current;
            return ReferenceEquals(current, buffer.Backend) || current.Device == buffer.Device ? current : buffer.Backend;
        }
    }

    /// <summary>
    /// The managed array behind a host tensor (host-only: engine internals and tests). A tensor on
    /// another device has none; code reads it through <see cref="ToArray"/> or <see cref="CopyTo"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor lives on a device other than host memory.</exception>
    internal float[] Data => Buffer is HostBuffer h ? h.Array
        : throw new InvalidOperationException(
            $"a tensor of shape {Shape} lives on {Device}, which has no host array; read it with ToArray() or CopyTo(span), or move it with To(Device.Cpu).");

    /// <summary>
    /// Read-only view of the values (row-major) of a host tensor, without a copy. A tensor on another
    /// device throws: use <see cref="ToArray"/> or <see cref="CopyTo"/>, which work on every device.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor lives on a device other than host memory.</exception>
    public ReadOnlySpan<float> Values => Data.AsSpan(0, Size);

    // ---- creation ----

    /// <summary>
    /// An uninitialised tensor on <paramref name="backend"/> (default: the current backend), owned by
    /// the innermost <see cref="TensorScope"/> when one is open (its buffer goes back to the backend's
    /// pool when the scope closes).
    /// </summary>
    internal static Tensor Allocate(Shape shape, ITensorBackend? backend = null)
    {
        var b = backend ?? TensorBackend.Current;
        var scope = TensorScope.Current;
        var s = new Storage(b.Allocate(shape.Size), scope is not null);
        scope?.Own(s);
        return new Tensor(s, shape);
    }

    /// <summary>A zero tensor that no scope owns (parameters, gradients, optimizer state), on <paramref name="backend"/> (default: current).</summary>
    internal static Tensor Persistent(Shape shape, ITensorBackend? backend = null)
    {
        var b = backend ?? TensorBackend.Current;
        var t = new Tensor(new Storage(b.Allocate(shape.Size), false), shape);
        b.Fill(t.Buffer, shape.Size, 0);
        return t;
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    /// <exception cref="ArgumentException">The length does not match the shape.</exception>
    public static Tensor FromArray(float[] data, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (data.Length != shape.Size)
            throw new ArgumentException($"data has {data.Length} values but shape {shape} needs {shape.Size}.", nameof(data));
        var t = Allocate(shape);
        t.Backend.CopyFromHost(data, t.Buffer, 0);
        return t;
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given dimensions.</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => FromArray(data, new Shape(shape));

    /// <summary>A 2-D tensor from a rectangular array.</summary>
    public static Tensor FromArray2D(float[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int r = data.GetLength(0), c = data.GetLength(1);
        var d = new float[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) d[i * c + j] = data[i, j];
        return FromArray(d, new Shape(r, c));
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, Shape shape)
    {
        var t = Allocate(shape);
        t.Backend.Fill(t.Buffer, shape.Size, value);
        return t;
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape) => Full(value, new Shape(shape));

    /// <summary>Zeros.</summary>
    public static Tensor Zeros(params int[] shape) => Full(0f, new Shape(shape));

    /// <summary>Zeros.</summary>
    public static Tensor Zeros(Shape shape) => Full(0f, shape);

    /// <summary>Ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, new Shape(shape));

    /// <summary>Ones.</summary>
    public static Tensor Ones(Shape shape) => Full(1f, shape);

    /// <summary>A rank-0 tensor.</summary>
    public static Tensor Scalar(float value) => Full(value, Shape.Scalar);

    // ---- reading ----

    /// <summary>A host copy of the values (row-major), from any device.</summary>
    public float[] ToArray()
    {
        var a = GC.AllocateUninitializedArray<float>(Size);
        CopyTo(a);
        return a;
    }

    /// <summary>Copies the values (row-major) into host memory, from any device (torch's <c>.cpu()</c> into an existing buffer).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"the destination holds {destination.Length} values; the tensor of shape {Shape} has {Size}.", nameof(destination));
        Backend.CopyToHost(Buffer, 0, destination[..Size]);
    }

    /// <summary>The only value of a one-element tensor (one read-back from its device).</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public float ToScalar()
    {
        if (Size != 1) throw new InvalidOperationException($"ToScalar needs a one-element tensor; this one has shape {Shape}.");
        Span<float> v = stackalloc float[1];
        Backend.CopyToHost(Buffer, 0, v);
        return v[0];
    }

    /// <summary>
    /// This tensor on <paramref name="device"/> (torch's <c>Tensor.to</c>): itself when it is already
    /// there, else a copy through host memory on the backend registered for that device
    /// (<see cref="TensorBackend.For"/>), detached from the autodiff graph and owned by no scope. A
    /// leaf that requires grad gives a leaf that requires grad.
    /// </summary>
    /// <exception cref="InvalidOperationException">No backend is registered for the device.</exception>
    public Tensor To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (Device == device) return this;
        var target = TensorBackend.For(device);
        var t = new Tensor(new Storage(target.Allocate(Size), false), Shape);
        target.CopyFromHost(ToArray(), t.Buffer, 0);
        if (IsLeaf && RequiresGrad) t.RequiresGrad = true;
        return t;
    }

    /// <summary>The element at a multi-index.</summary>
    public float this[params int[] index]
    {
        get
        {
            if (index.Length != Rank)
                throw new ArgumentException($"index has {index.Length} components; the tensor has rank {Rank}.", nameof(index));
            int flat = 0;
            for (int i = 0; i < Rank; i++)
            {
                if ((uint)index[i] >= (uint)Shape[i])
                    throw new ArgumentException($"index[{i}] is {index[i]}; allowed 0..{Shape[i] - 1}.", nameof(index));
                flat = flat * Shape[i] + index[i];
            }
            Span<float> v = stackalloc float[1];
            Backend.CopyToHost(Buffer, flat, v);
            return v[0];
        }
    }

    // ---- autodiff ----

    /// <summary>Marks this leaf as requiring gradients and returns it.</summary>
    public Tensor RequireGrad()
    {
        RequiresGrad = true;
        return this;
    }

    /// <summary>A tensor sharing this one's values but cut from the autodiff graph.</summary>
    public Tensor Detach() => new(Storage, Shape);

    /// <summary>
    /// Back-propagates from this tensor (a scalar unless <paramref name="gradOutput"/> is given) and
    /// adds the gradients into <see cref="Grad"/> of every leaf that requires grad.
    /// </summary>
    public void Backward(Tensor? gradOutput = null) => Autograd.Backward(this, gradOutput);

    /// <summary>Sets <see cref="Grad"/> to zero (keeping its buffer).</summary>
    public void ZeroGrad()
    {
        if (Grad is not null) Grad.Backend.Fill(Grad.Buffer, Grad.Size, 0);
    }

    /// <summary>A short description: shape and the first values.</summary>
    public override string ToString()
    {
        if (Storage.Buffer is null) return $"Tensor{Shape} (disposed)";
        var head = new float[Math.Min(6, Size)];
        Backend.CopyToHost(Buffer, 0, head);
        var vals = string.Join(", ", head.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));
        return $"Tensor{Shape} [{vals}{(Size > 6 ? ", …" : "")}]";
    }

    // ---- operators ----

    /// <summary>Broadcasting sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    /// <summary>Broadcasting difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);
    /// <summary>Broadcasting element-wise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);
    /// <summary>Broadcasting element-wise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);
    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(Tensor a, float b) => Ops.Affine(a, 1, b);
    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(float a, Tensor b) => Ops.Affine(b, 1, a);
    /// <summary>Subtracts a constant.</summary>
    public static Tensor operator -(Tensor a, float b) => Ops.Affine(a, 1, -b);
    /// <summary>Constant minus tensor.</summary>
    public static Tensor operator -(float a, Tensor b) => Ops.Affine(b, -1, a);
    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(Tensor a, float b) => Ops.Affine(a, b, 0);
    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(float a, Tensor b) => Ops.Affine(b, a, 0);
    /// <summary>Divides by a constant.</summary>
    public static Tensor operator /(Tensor a, float b) => Ops.Affine(a, 1 / b, 0);
    /// <summary>Constant divided by tensor.</summary>
    public static Tensor operator /(float a, Tensor b) => Ops.Div(Scalar(a), b);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Ops.Affine(a, -1, 0);
}
