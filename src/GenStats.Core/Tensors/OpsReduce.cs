namespace GenStats.Tensors;

public static partial class Ops
{
    private static (int outer, int len, int inner) Split(Shape s, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= s[i];
        for (int i = axis + 1; i < s.Rank; i++) inner *= s[i];
        return (outer, s[axis], inner);
    }

    private static int[] NormalizeAxes(Tensor x, int[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var norm = axes.Select(a => x.Shape.NormalizeAxis(a)).Distinct().OrderBy(a => a).ToArray();
        if (norm.Length != axes.Length) throw new ArgumentException($"axes [{string.Join(", ", axes)}] repeat an axis.", nameof(axes));
        return norm;
    }

    private static Shape Reduced(Shape s, int[] axes, bool keepDims)
    {
        var d = s.ToArray();
        foreach (var a in axes) d[a] = 1;
        if (keepDims) return new Shape(d);
        return new Shape(d.Where((_, i) => !axes.Contains(i)).ToArray());
    }

    /// <summary>Sum over the given axes (negative axes count from the end).</summary>
    public static Tensor Sum(Tensor x, int[] axes, bool keepDims = false)
    {
        var ax = NormalizeAxes(x, axes);
        var keepShape = Reduced(x.Shape, ax, true);
        var be = B(x);
        var current = x.Buffer;
        var curShape = x.Shape;
        Tensor? last = null;
        foreach (var a in ax)
        {
            var (outer, len, inner) = Split(curShape, a);
            var d = curShape.ToArray(); d[a] = 1;
            var next = Tensor.Allocate(new Shape(d), be);
            be.SumAxis(current, outer, len, inner, next.Buffer);
            current = next.Buffer; curShape = next.Shape; last = next;
        }
        var y = last is null ? Tensor.Allocate(x.Shape, be) : last;
        if (last is null) be.Copy(x.Buffer, 0, y.Buffer, 0, x.Size);
        var outShape = Reduced(x.Shape, ax, keepDims);
        var result = outShape == y.Shape ? y : new Tensor(y.Storage, outShape);
        return Tracks(x)
            ? Record(result, "sum", [x], (g, _) => [BroadcastTo(Reshape(g, keepShape), x.Shape)])
            : result;
    }

    /// <summary>Sum over one axis.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => Sum(x, [axis], keepDims);

    /// <summary>Sum of all elements (a rank-0 tensor).</summary>
    public static Tensor Sum(Tensor x) => Sum(x, Enumerable.Range(0, x.Rank).ToArray(), false);

    /// <summary>Mean over the given axes.</summary>
    public static Tensor Mean(Tensor x, int[] axes, bool keepDims = false)
    {
        var ax = NormalizeAxes(x, axes);
        int count = 1;
        foreach (var a in ax) count *= x.Shape[a];
        if (count == 0) throw new ArgumentException($"cannot average over empty axes of {x.Shape}.", nameof(axes));
        return Affine(Sum(x, ax, keepDims), 1f / count, 0);
    }

    /// <summary>Mean over one axis.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => Mean(x, [axis], keepDims);

    /// <summary>Mean of all elements (a rank-0 tensor).</summary>
    public static Tensor Mean(Tensor x)
    {
        if (x.Size == 0) throw new ArgumentException("cannot average an empty tensor.", nameof(x));
        return Affine(Sum(x), 1f / x.Size, 0);
    }

    /// <summary>Maximum over one axis (not differentiable: the result is detached).</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDims = false)
    {
        int a = x.Shape.NormalizeAxis(axis);
        var (outer, len, inner) = Split(x.Shape, a);
        var be = B(x);
        var y = Tensor.Allocate(Reduced(x.Shape, [a], keepDims), be);
        be.MaxAxis(x.Buffer, outer, len, inner, y.Buffer);
        return y;
    }

    /// <summary>
    /// log Σ exp(x) over one axis, computed as m + log Σ exp(x − m) with m the (constant) maximum,
    /// so it neither overflows nor underflows; its gradient is the softmax.
    /// </summary>
    public static Tensor LogSumExp(Tensor x, int axis, bool keepDims = false)
    {
        int a = x.Shape.NormalizeAxis(axis);
        var m = Max(x, a, keepDims: true);
        var y = Add(Log(Sum(Exp(Sub(x, m)), [a], keepDims: true)), m);
        return keepDims ? y : Reshape(y, Reduced(x.Shape, [a], false));
    }

    /// <summary>
    /// Euclidean norm of each row of a matrix, ‖x_i‖₂ (shape [rows]). The gradient x_i/‖x_i‖ is
    /// defined as 0 for a zero row, so the norm of a vanishing gradient stays finite in a gradient penalty.
    /// </summary>
    public static Tensor RowNorm(Tensor x)
    {
        RequireRank(x, 2, nameof(x));
        int rows = x.Shape[0], cols = x.Shape[1];
        var be = B(x);
        var sq = Tensor.Allocate(x.Shape, be);
        be.Unary(Backends.UnaryOp.Square, x.Buffer, sq.Buffer, x.Size);
        var y = Tensor.Allocate(new Shape(rows), be);
        be.SumAxis(sq.Buffer, rows, cols, 1, y.Buffer);
        be.Unary(Backends.UnaryOp.Sqrt, y.Buffer, y.Buffer, rows);
        return Tracks(x)
            ? Record(y, "row_norm", [x], (g, _) => [Mul(x, Reshape(SafeDiv(g, y), rows, 1))])
            : y;
    }
}
