using GenStats.Tensors.Backends;

namespace GenStats.Tensors;

/// <summary>
/// A backend buffer shared by a tensor and its reshaped views; <see cref="Buffer"/> is null once a
/// scope handed a pooled buffer back to its backend.
/// </summary>
internal sealed class Storage
{
    public TensorBuffer? Buffer;
    public readonly bool Pooled;
    public Storage(TensorBuffer buffer, bool pooled) { Buffer = buffer; Pooled = pooled; }
}

/// <summary>
/// The managed backend's pool: exact-size free lists of float arrays. A training step allocates the same shapes every time,
/// so after the first step every intermediate comes from here and the GC sees no large arrays.
/// </summary>
internal static class TensorPool
{
    /// <summary>At most this many floats (1 GiB) wait in the free lists; beyond it buffers go to the GC.</summary>
    private const long MaxPooledFloats = 1L << 28;
    private static readonly Dictionary<int, Stack<float[]>> Free = new();
    private static readonly object Gate = new();
    private static long pooled;

    public static float[] Rent(int size)
    {
        lock (Gate)
        {
            if (Free.TryGetValue(size, out var stack) && stack.Count > 0)
            {
                pooled -= size;
                return stack.Pop();
            }
        }
        return GC.AllocateUninitializedArray<float>(size);
    }

    public static void Return(float[] buffer)
    {
        lock (Gate)
        {
            if (pooled + buffer.Length > MaxPooledFloats) return;
            if (!Free.TryGetValue(buffer.Length, out var stack)) Free[buffer.Length] = stack = new Stack<float[]>();
            stack.Push(buffer);
            pooled += buffer.Length;
        }
    }

    /// <summary>Drops every pooled buffer (the GC reclaims them).</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Free.Clear();
            pooled = 0;
        }
    }
}

/// <summary>
/// A memory scope: every tensor created on this thread while the scope is the innermost one
/// takes its buffer from its backend's pool (<see cref="ITensorBackend.Allocate"/>), and
/// <see cref="Dispose"/> hands all of them back at once (<see cref="ITensorBackend.Release"/>). Wrap a
/// training step (or an inference batch) in <c>using var scope = TensorScope.Begin();</c> so the
/// step allocates no new large arrays after the first one. Tensors that must outlive the scope
/// are passed to <see cref="Keep"/>; using any other tensor of the scope after disposal throws
/// <see cref="ObjectDisposedException"/>. Parameters, their gradients and optimizer state are
/// never owned by a scope.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? current;
    private readonly TensorScope? parent;
    private readonly List<Storage> owned = new();
    private bool disposed;

    private TensorScope(TensorScope? parent) { this.parent = parent; }

    /// <summary>Opens a scope nested in the current one on this thread.</summary>
    public static TensorScope Begin() => current = new TensorScope(current);

    /// <summary>The innermost open scope of this thread, if any.</summary>
    internal static TensorScope? Current => current;

    internal void Own(Storage s) => owned.Add(s);

    /// <summary>
    /// Moves a tensor's buffer out of this scope (into the enclosing scope, or to the GC when there
    /// is none) so it stays valid after disposal. Its autodiff history is cut: the result is detached.
    /// </summary>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        int i = owned.IndexOf(tensor.Storage);
        if (i >= 0)
        {
            owned.RemoveAt(i);
            if (parent is not null && !parent.disposed) parent.owned.Add(tensor.Storage);
        }
        return tensor.Detach();
    }

    /// <summary>Hands every buffer of the scope back to its backend's pool and closes it.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (!ReferenceEquals(current, this))
            throw new InvalidOperationException("TensorScope disposed out of order: inner scopes must be disposed first.");
        current = parent;
        foreach (var s in owned)
        {
            var buffer = s.Buffer;
            s.Buffer = null;
            if (buffer is not null && s.Pooled) buffer.Backend.Release(buffer);
        }
        owned.Clear();
    }
}
