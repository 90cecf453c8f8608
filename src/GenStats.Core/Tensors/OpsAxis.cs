namespace GenStats.Tensors;

public static partial class Ops
{
    // ---- operations along one axis ----

    /// <summary>
    /// log softmax along one axis (negative axes count from the end, −1 = last), as
    /// torch.log_softmax: (x − m) − log Σ exp(x − m) with m the (constant) maximum, so it neither
    /// overflows nor loses digits for large inputs; the largest entry of each slice is ≤ 0 exactly.
    /// </summary>
    public static Tensor LogSoftmax(Tensor x, int axis)
    {
        int a = x.Shape.NormalizeAxis(axis);
        var shifted = Sub(x, Max(x, a, keepDims: true));
        return Sub(shifted, Log(Sum(Exp(shifted), [a], keepDims: true)));
    }

    /// <summary>
    /// softmax along one axis (negative axes count from the end, −1 = last), as torch.softmax:
    /// e / Σe with e = exp(x − m) and m the (constant) maximum, so large inputs neither overflow
    /// nor lose precision.
    /// </summary>
    public static Tensor Softmax(Tensor x, int axis)
    {
        int a = x.Shape.NormalizeAxis(axis);
        var e = Exp(Sub(x, Max(x, a, keepDims: true)));
        return Div(e, Sum(e, [a], keepDims: true));
    }

    /// <summary>
    /// Inclusive cumulative sum along one axis (numpy.cumsum / torch.cumsum with that axis; negative
    /// axes count from the end), summed in float32 in index order. Its gradient is the reversed
    /// cumulative sum of the output gradient.
    /// </summary>
    public static Tensor Cumsum(Tensor x, int axis) => CumsumAlong(x, x.Shape.NormalizeAxis(axis), false);

    private static Tensor CumsumAlong(Tensor x, int axis, bool reverse)
    {
        var (outer, len, inner) = Split(x.Shape, axis);
        var be = B(x);
        var y = Tensor.Allocate(x.Shape, be);
        be.CumSumAxis(x.Buffer, outer, len, inner, y.Buffer, reverse);
        return Tracks(x) ? Record(y, reverse ? "cumsum_rev" : "cumsum", [x], (g, _) => [CumsumAlong(g, axis, !reverse)]) : y;
    }

    /// <summary>
    /// Whole slices of x picked along one axis (numpy.take(x, indices, axis) / torch.index_select):
    /// the result has x's shape with that axis' length replaced by indices.Length. Indices may repeat
    /// and, as in numpy, count from the end when negative; the gradient adds back into the picked slices.
    /// </summary>
    /// <exception cref="ArgumentException">An index outside −n..n−1 for an axis of length n.</exception>
    public static Tensor Take(Tensor x, int[] indices, int axis)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int a = x.Shape.NormalizeAxis(axis);
        int len = x.Shape[a];
        var idx = new int[indices.Length];
        for (int j = 0; j < idx.Length; j++) idx[j] = CheckIndex(indices[j], len, a, $"indices[{j}]", nameof(indices));
        return GatherAlong(x, a, idx, idx.Length);
    }

    /// <summary>
    /// Picks one element of x along an axis for every element of <paramref name="indices"/>
    /// (numpy.take_along_axis(x, indices, axis) / torch.gather(x, axis, indices)): indices has x's
    /// shape except along that axis and holds integer values (as floats; negative ones count from
    /// the end, as in numpy). The gradient scatter-adds back into x; indices get none.
    /// </summary>
    /// <exception cref="ArgumentException">Mismatched shapes, a non-integer index or one outside −n..n−1.</exception>
    public static Tensor TakeAlongAxis(Tensor x, Tensor indices, int axis)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int a = x.Shape.NormalizeAxis(axis);
        bool fits = indices.Rank == x.Rank;
        for (int d = 0; fits && d < x.Rank; d++) fits = d == a || indices.Shape[d] == x.Shape[d];
        if (!fits)
            throw new ArgumentException($"indices has shape {indices.Shape}; x has shape {x.Shape}, so indices must have rank {x.Rank} and equal dimensions except along axis {a}.", nameof(indices));
        int len = x.Shape[a];
        var values = indices.ToArray(); // index arrays are host arrays (a device backend uploads them)
        var idx = new int[indices.Size];
        for (int k = 0; k < idx.Length; k++)
        {
            float v = values[k];
            if (v != MathF.Round(v) || MathF.Abs(v) > int.MaxValue / 2)
                throw new ArgumentException($"indices (flat position {k}) is {v}; integer values are required.", nameof(indices));
            idx[k] = CheckIndex((int)v, len, a, $"indices (flat position {k})", nameof(indices));
        }
        return GatherAlong(x, a, idx, indices.Shape[a]);
    }

    /// <summary>torch.gather(x, axis, index): the same as <see cref="TakeAlongAxis"/> in PyTorch's argument order.</summary>
    public static Tensor Gather(Tensor x, int axis, Tensor index) => TakeAlongAxis(x, index, axis);

    private static int CheckIndex(int i, int len, int axis, string what, string param)
    {
        if (i < -len || i >= len)
            throw new ArgumentException($"{what} is {i}; axis {axis} has length {len}, so indices −{len}..{len - 1} are allowed.", param);
        return i < 0 ? i + len : i;
    }

    /// <summary>The gather behind Take and TakeAlongAxis (index: count shared entries or one per output element).</summary>
    private static Tensor GatherAlong(Tensor x, int axis, int[] index, int count)
    {
        var (outer, len, inner) = Split(x.Shape, axis);
        var d = x.Shape.ToArray();
        d[axis] = count;
        var be = B(x);
        var y = Tensor.Allocate(new Shape(d), be);
        be.GatherAxis(x.Buffer, outer, len, inner, index, count, y.Buffer);
        return Tracks(x) ? Record(y, "gather", [x], (g, _) => [ScatterAddAlong(g, axis, index, len)]) : y;
    }

    /// <summary>The adjoint of <see cref="GatherAlong"/>: g added into zeros of length <paramref name="length"/> along the axis.</summary>
    private static Tensor ScatterAddAlong(Tensor g, int axis, int[] index, int length)
    {
        var (outer, count, inner) = Split(g.Shape, axis);
        var d = g.Shape.ToArray();
        d[axis] = length;
        var be = B(g);
        var y = Tensor.Allocate(new Shape(d), be);
        be.Fill(y.Buffer, y.Size, 0);
        be.ScatterAddAxis(g.Buffer, outer, length, inner, index, count, y.Buffer);
        return Tracks(g) ? Record(y, "scatter_add", [g], (gg, _) => [GatherAlong(gg, axis, index, count)]) : y;
    }

    /// <summary>
    /// Insertion indices that keep a sorted sequence sorted, exactly as torch.searchsorted: with
    /// <paramref name="right"/> = false ("left") the first i with sorted[i] ≥ v, with true the first
    /// i with sorted[i] &gt; v, or the sequence length if there is none (a NaN value gives the
    /// length). A 1-D <paramref name="sortedSequence"/> serves every value (any shape); an N-D one
    /// is searched along its last axis, row by row, and values must have the same leading dimensions
    /// (the batched form that finds each value's bin in a spline flow). The result has values' shape,
    /// holds integer indices as floats and is not differentiable (never tracked).
    /// </summary>
    /// <exception cref="ArgumentException">A scalar sequence, mismatched leading dimensions, or a row that is not ascending.</exception>
    public static Tensor SearchSorted(Tensor sortedSequence, Tensor values, bool right = false)
    {
        ArgumentNullException.ThrowIfNull(sortedSequence);
        ArgumentNullException.ThrowIfNull(values);
        var s = sortedSequence.Shape;
        if (s.Rank == 0)
            throw new ArgumentException("sortedSequence is a scalar; a 1-D sequence or an N-D tensor searched along its last axis is required.", nameof(sortedSequence));
        int seqLen = s[s.Rank - 1], rows = 1, perRow = values.Size;
        if (s.Rank > 1)
        {
            bool fits = values.Rank == s.Rank;
            for (int d = 0; fits && d < s.Rank - 1; d++) fits = values.Shape[d] == s[d];
            if (!fits)
                throw new ArgumentException($"sortedSequence has shape {s} and values {values.Shape}; an N-D sequence needs values of the same rank with the same leading dimensions (all but the last).", nameof(values));
            for (int d = 0; d < s.Rank - 1; d++) rows *= s[d];
            perRow = values.Shape[s.Rank - 1];
        }
        var be = B(sortedSequence, values);
        var seq = sortedSequence.ToArray(); // the ascending check reads the sequence on the host
        for (int r = 0; r < rows; r++)
            for (int i = r * seqLen + 1; i < (r + 1) * seqLen; i++)
                if (seq[i] < seq[i - 1])
                    throw new ArgumentException($"sortedSequence is not ascending: row {r} has {seq[i - 1]} before {seq[i]} (at position {i - r * seqLen}).", nameof(sortedSequence));
        var y = Tensor.Allocate(values.Shape, be);
        be.SearchSorted(sortedSequence.Buffer, rows, seqLen, values.Buffer, perRow, right, y.Buffer);
        return y;
    }
}
