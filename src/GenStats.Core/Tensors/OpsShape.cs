namespace GenStats.Tensors;

public static partial class Ops
{
    /// <summary>The same values with a new shape of equal size (shares the buffer).</summary>
    /// <exception cref="ArgumentException">The sizes differ.</exception>
    public static Tensor Reshape(Tensor x, Shape shape)
    {
        if (shape.Size != x.Size)
            throw new ArgumentException($"cannot reshape {x.Shape} ({x.Size} elements) to {shape} ({shape.Size} elements).", nameof(shape));
        if (shape == x.Shape) return x;
        var y = new Tensor(x.Storage, shape);
        return Tracks(x) ? Record(y, "reshape", [x], (g, _) => [Reshape(g, x.Shape)]) : y;
    }

    /// <summary>The same values with new dimensions of equal size (shares the buffer).</summary>
    public static Tensor Reshape(Tensor x, params int[] shape) => Reshape(x, new Shape(shape));

    /// <summary>Repeats x along its size-1 (or missing leading) dimensions to reach <paramref name="shape"/>.</summary>
    public static Tensor BroadcastTo(Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        if (Shape.Broadcast(x.Shape, shape) != shape)
            throw new ArgumentException($"cannot broadcast {x.Shape} to {shape}.", nameof(shape));
        var be = B(x);
        var y = Tensor.Allocate(shape, be);
        be.Expand(x.Buffer, x.Shape, y.Buffer, shape);
        return Tracks(x) ? Record(y, "expand", [x], (g, _) => [SumTo(g, x.Shape)]) : y;
    }

    /// <summary>
    /// Sums x over the dimensions that <paramref name="shape"/> broadcasts (the adjoint of
    /// <see cref="BroadcastTo"/>): the gradient of a broadcast input.
    /// </summary>
    public static Tensor SumTo(Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        int lead = x.Rank - shape.Rank;
        if (lead < 0) throw new ArgumentException($"cannot sum {x.Shape} to the larger rank {shape}.", nameof(shape));
        var axes = new List<int>();
        for (int i = 0; i < x.Rank; i++)
        {
            int target = i < lead ? 1 : shape[i - lead];
            if (target == 1 && x.Shape[i] != 1) axes.Add(i);
            else if (target != x.Shape[i]) throw new ArgumentException($"cannot sum {x.Shape} to {shape}.", nameof(shape));
        }
        var s = axes.Count == 0 ? x : Sum(x, axes.ToArray(), keepDims: true);
        return Reshape(s, shape);
    }

    /// <summary>The transpose of a matrix.</summary>
    public static Tensor Transpose(Tensor x)
    {
        RequireRank(x, 2, nameof(x));
        int r = x.Shape[0], c = x.Shape[1];
        var be = B(x);
        var y = Tensor.Allocate(new Shape(c, r), be);
        // A gather of the flat buffer: y[j·r + i] = x[i·c + j].
        var index = new int[r * c];
        for (int j = 0, k = 0; j < c; j++)
            for (int i = 0; i < r; i++) index[k++] = i * c + j;
        be.GatherAxis(x.Buffer, 1, r * c, 1, index, r * c, y.Buffer);
        return Tracks(x) ? Record(y, "transpose", [x], (g, _) => [Transpose(g)]) : y;
    }

    private static void RequireRank(Tensor x, int rank, string name)
    {
        if (x.Rank != rank)
            throw new ArgumentException($"{name} has shape {x.Shape}; a rank-{rank} tensor is required.", name);
    }

    /// <summary>Columns [start, start+length) of a matrix.</summary>
    /// <exception cref="ArgumentException">The range is outside the matrix.</exception>
    public static Tensor SliceColumns(Tensor x, int start, int length) => Slice(x, 1, start, length);

    /// <summary>Rows [start, start+length) of a matrix.</summary>
    public static Tensor SliceRows(Tensor x, int start, int length) => Slice(x, 0, start, length);

    /// <summary>Entries [start, start+length) of a matrix along axis 0 (rows) or 1 (columns).</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        RequireRank(x, 2, nameof(x));
        if (axis is not (0 or 1)) throw new ArgumentException($"axis is {axis}; 0 or 1 is allowed.", nameof(axis));
        int full = x.Shape[axis];
        if (start < 0 || length < 0 || start + length > full)
            throw new ArgumentException($"range [{start}, {start + length}) is outside 0..{full} along axis {axis} of {x.Shape}.", nameof(start));
        int rows = x.Shape[0], cols = x.Shape[1];
        var shape = axis == 1 ? new Shape(rows, length) : new Shape(length, cols);
        var be = B(x);
        var y = Tensor.Allocate(shape, be);
        if (axis == 1) be.CopyBlock(x.Buffer, start, cols, y.Buffer, 0, length, rows, length);
        else be.CopyBlock(x.Buffer, start * cols, cols, y.Buffer, 0, cols, length, cols);
        return Tracks(x) ? Record(y, "slice", [x], (g, _) => [PadSlice(g, axis, start, full)]) : y;
    }

    /// <summary>The adjoint of <see cref="Slice"/>: g placed at [start, …) inside zeros of size <paramref name="full"/>.</summary>
    private static Tensor PadSlice(Tensor g, int axis, int start, int full)
    {
        int rows = g.Shape[0], cols = g.Shape[1];
        var shape = axis == 1 ? new Shape(rows, full) : new Shape(full, cols);
        var be = B(g);
        var y = Tensor.Allocate(shape, be);
        be.Fill(y.Buffer, shape.Size, 0);
        if (axis == 1) be.CopyBlock(g.Buffer, 0, cols, y.Buffer, start, full, rows, cols);
        else be.CopyBlock(g.Buffer, 0, cols, y.Buffer, start * cols, cols, rows, cols);
        int len = g.Shape[axis];
        return Tracks(g) ? Record(y, "pad", [g], (gg, _) => [Slice(gg, axis, start, len)]) : y;
    }

    /// <summary>Matrices joined side by side (axis 1, columns) or stacked (axis 0, rows).</summary>
    /// <exception cref="ArgumentException">Empty list, non-matrices or mismatched other dimension.</exception>
    public static Tensor Concat(Tensor[] parts, int axis = 1)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0) throw new ArgumentException("parts is empty; at least one tensor is required.", nameof(parts));
        if (axis is not (0 or 1)) throw new ArgumentException($"axis is {axis}; 0 or 1 is allowed.", nameof(axis));
        int other = 1 - axis, otherLen = parts[0].Rank == 2 ? parts[0].Shape[other] : -1, total = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Rank != 2 || parts[i].Shape[other] != otherLen)
                throw new ArgumentException($"parts[{i}] has shape {parts[i].Shape}; matrices with {otherLen} entries along axis {other} are required.", nameof(parts));
            total += parts[i].Shape[axis];
        }
        var shape = axis == 1 ? new Shape(otherLen, total) : new Shape(total, otherLen);
        var be = B(parts[0]);
        for (int i = 1; i < parts.Length; i++) B(parts[0], parts[i]);
        var y = Tensor.Allocate(shape, be);
        int offset = 0;
        var starts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            starts[i] = offset;
            if (axis == 1) be.CopyBlock(p.Buffer, 0, p.Shape[1], y.Buffer, offset, total, otherLen, p.Shape[1]);
            else be.CopyBlock(p.Buffer, 0, otherLen, y.Buffer, offset * otherLen, otherLen, p.Shape[0], otherLen);
            offset += p.Shape[axis];
        }
        if (!Autograd.IsGradEnabled || !parts.Any(p => p.RequiresGrad)) return y;
        var inputs = (Tensor[])parts.Clone();
        return Record(y, "concat", inputs, (g, n) =>
        {
            var r = new Tensor?[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
                if (n[i]) r[i] = Slice(g, axis, starts[i], inputs[i].Shape[axis]);
            return r;
        });
    }
}
