using GenStats.Tensors.Backends;

namespace GenStats.Tensors;

public static partial class Ops
{
    // ---- element-wise selection ----

    /// <summary>
    /// Element-wise minimum with numpy broadcasting (numpy.minimum / torch.minimum: NaN if either is NaN).
    /// The gradient flows to the smaller input; at a tie it is split in halves between a and b, as PyTorch does.
    /// </summary>
    public static Tensor Minimum(Tensor a, Tensor b) => MinMax(a, b, BinaryOp.Minimum, "minimum");

    /// <summary>
    /// Element-wise maximum with numpy broadcasting (numpy.maximum / torch.maximum: NaN if either is NaN).
    /// The gradient flows to the larger input; at a tie it is split in halves between a and b, as PyTorch does.
    /// </summary>
    public static Tensor Maximum(Tensor a, Tensor b) => MinMax(a, b, BinaryOp.Maximum, "maximum");

    private static Tensor MinMax(Tensor a, Tensor b, BinaryOp op, string name)
    {
        var y = BinaryRaw(op, a, b);
        if (!Tracks(a, b)) return y;
        return Record(y, name, [a, b], (g, n) =>
        {
            // Constant weight of a: (1 ± sign(a − b))/2 = 1 where a is chosen, ½ at a tie, 0 otherwise.
            var wa = BinaryRaw(BinaryOp.Subtract, a, b);
            var be = B(wa);
            be.Unary(UnaryOp.Sign, wa.Buffer, wa.Buffer, wa.Size);
            var wb = UnaryRaw(wa, UnaryOp.Affine, op == BinaryOp.Maximum ? -0.5f : 0.5f, 0.5f);
            be.Unary(UnaryOp.Affine, wa.Buffer, wa.Buffer, wa.Size, op == BinaryOp.Maximum ? 0.5f : -0.5f, 0.5f);
            return [n[0] ? SumTo(Mul(g, wa), a.Shape) : null, n[1] ? SumTo(Mul(g, wb), b.Shape) : null];
        });
    }

    /// <summary>
    /// a where mask ≠ 0, else b, element-wise with numpy broadcasting of all three (numpy.where /
    /// torch.where with a float mask: any non-zero value, NaN included, is true). The gradient flows
    /// to the chosen input only; the mask gets none.
    /// </summary>
    public static Tensor Where(Tensor mask, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var s = Shape.Broadcast(Shape.Broadcast(mask.Shape, a.Shape), b.Shape);
        var be = B(mask, a, b);
        var y = Tensor.Allocate(s, be);
        be.Select(Expanded(be, mask, s), Expanded(be, a, s), Expanded(be, b, s), y.Buffer, s.Size);
        if (!Tracks(a, b)) return y;
        return Record(y, "where", [a, b], (g, n) =>
        {
            var zero = Tensor.Scalar(0);
            return [n[0] ? SumTo(Where(mask, g, zero), a.Shape) : null, n[1] ? SumTo(Where(mask, zero, g), b.Shape) : null];
        });
    }

    /// <summary>The buffer of x broadcast to <paramref name="shape"/> (x's own buffer when no copy is needed).</summary>
    private static TensorBuffer Expanded(ITensorBackend be, Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x.Buffer;
        var e = Tensor.Allocate(shape, be);
        be.Expand(x.Buffer, x.Shape, e.Buffer, shape);
        return e.Buffer;
    }
}
