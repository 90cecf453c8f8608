namespace GenStats.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Matrix product op(a)·op(b), op transposing when the flag is set (no copy is made: the
    /// backend's GEMM reads the transposed layout directly).
    /// </summary>
    /// <exception cref="ArgumentException">Not matrices, or inner dimensions differ.</exception>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        RequireRank(a, 2, nameof(a));
        RequireRank(b, 2, nameof(b));
        int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw new ArgumentException($"inner dimensions differ: op(a) is {m}×{k} ({a.Shape}, transA={transA}), op(b) is {kb}×{n} ({b.Shape}, transB={transB}).");
        var be = B(a, b);
        var y = Tensor.Allocate(new Shape(m, n), be);
        be.Gemm(transA, transB, m, n, k, 1f, a.Buffer, 0, a.Shape[1], b.Buffer, 0, b.Shape[1], 0f, y.Buffer, 0, n);
        if (!Tracks(a, b)) return y;
        return Record(y, "matmul", [a, b], (g, nd) =>
        {
            Tensor? ga = null, gb = null;
            switch (transA, transB)
            {
                case (false, false):
                    if (nd[0]) ga = MatMul(g, b, false, true);
                    if (nd[1]) gb = MatMul(a, g, true, false);
                    break;
                case (false, true):
                    if (nd[0]) ga = MatMul(g, b, false, false);
                    if (nd[1]) gb = MatMul(g, a, true, false);
                    break;
                case (true, false):
                    if (nd[0]) ga = MatMul(b, g, false, true);
                    if (nd[1]) gb = MatMul(a, g, false, false);
                    break;
                case (true, true):
                    if (nd[0]) ga = MatMul(b, g, true, true);
                    if (nd[1]) gb = MatMul(g, a, true, true);
                    break;
            }
            return [ga, gb];
        });
    }

    /// <summary>
    /// The affine map of a fully connected layer, x·W + b, with x [batch, in], W [in, out] and
    /// b [out] (or null), as one GEMM whose tiles add the bias as they are stored.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias) => LinearCore(x, weight, bias, false);

    /// <summary>
    /// relu(x·W + b) in one pass: the ReLU is applied to each GEMM tile while it is in registers.
    /// The gradient uses the output's sign as the mask (y &gt; 0 exactly where x·W + b &gt; 0).
    /// </summary>
    public static Tensor LinearRelu(Tensor x, Tensor weight, Tensor? bias) => LinearCore(x, weight, bias, true);

    private static Tensor LinearCore(Tensor x, Tensor weight, Tensor? bias, bool relu)
    {
        RequireRank(x, 2, nameof(x));
        RequireRank(weight, 2, nameof(weight));
        int batch = x.Shape[0], fin = x.Shape[1], fout = weight.Shape[1];
        if (weight.Shape[0] != fin)
            throw new ArgumentException($"x has {fin} features but weight is {weight.Shape}; [{fin}, out] is required.", nameof(weight));
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != fout))
            throw new ArgumentException($"bias has shape {bias.Shape}; [{fout}] is required.", nameof(bias));
        var be = bias is null ? B(x, weight) : B(x, weight, bias);
        var y = Tensor.Allocate(new Shape(batch, fout), be);
        be.Linear(x.Buffer, weight.Buffer, bias?.Buffer, y.Buffer, batch, fin, fout, relu);
        bool track = Autograd.IsGradEnabled && (x.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (!track) return y;
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Record(y, relu ? "linear_relu" : "linear", inputs, (g, nd) =>
        {
            var gz = relu ? MaskMul(g, y, Backends.MaskKind.Positive) : g;
            var r = new Tensor?[inputs.Length];
            if (nd[0]) r[0] = MatMul(gz, weight, false, true);
            if (nd[1]) r[1] = MatMul(x, gz, true, false);
            if (inputs.Length == 3 && nd[2]) r[2] = Sum(gz, 0);
            return r;
        });
    }
}
