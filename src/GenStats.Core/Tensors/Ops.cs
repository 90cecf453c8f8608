using GenStats.Tensors.Backends;

namespace GenStats.Tensors;

/// <summary>
/// Differentiable tensor operations. Each computes its forward value on the current backend and,
/// when grad mode is on and an input requires grad, records a backward function written with these
/// same operations — so every gradient is itself differentiable (double backward). Binary
/// arithmetic broadcasts like numpy.
/// </summary>
public static partial class Ops
{
    /// <summary>The backend that runs an operation on x.</summary>
    private static ITensorBackend B(Tensor x) => x.Backend;

    /// <summary>The backend that runs an operation on a and b; they must live on one device.</summary>
    /// <exception cref="InvalidOperationException">The tensors live on different devices.</exception>
    private static ITensorBackend B(Tensor a, Tensor b)
    {
        var ba = a.Backend;
        var bb = b.Backend;
        if (ReferenceEquals(ba, bb) || ba.Device == bb.Device) return ba;
        throw new InvalidOperationException(
            $"an operation got tensors on {ba.Device} (shape {a.Shape}) and {bb.Device} (shape {b.Shape}); all inputs must live on one device — move one with Tensor.To(device).");
    }

    /// <summary>The backend that runs an operation on a, b and c (one device).</summary>
    private static ITensorBackend B(Tensor a, Tensor b, Tensor c)
    {
        B(a, c);
        return B(a, b);
    }

    private static bool Tracks(Tensor a) => a.RequiresGrad && Autograd.IsGradEnabled;

    private static bool Tracks(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && Autograd.IsGradEnabled;

    private static Tensor Record(Tensor y, string op, Tensor[] inputs, BackwardFn backward)
    {
        y.Node = new GradNode(op, inputs, backward);
        y.RequiresGrad = true;
        return y;
    }

    private static Tensor UnaryRaw(Tensor x, UnaryOp op, float p0 = 0, float p1 = 0)
    {
        var be = B(x);
        var y = Tensor.Allocate(x.Shape, be);
        be.Unary(op, x.Buffer, y.Buffer, x.Size, p0, p1);
        return y;
    }

    private static void CheckFinite(float v, string name)
    {
        if (!float.IsFinite(v)) throw new ArgumentException($"{name} is {v}; a finite value is required.", name);
    }

    /// <summary>A tensor with the same values, cut from the autodiff graph.</summary>
    public static Tensor Detach(Tensor x) => x.Detach();

    // ---- element-wise, one input ----

    /// <summary>a·x + b with constants a, b.</summary>
    public static Tensor Affine(Tensor x, float a, float b)
    {
        var y = UnaryRaw(x, UnaryOp.Affine, a, b);
        return Tracks(x) ? Record(y, "affine", [x], (g, _) => [Affine(g, a, 0)]) : y;
    }

    /// <summary>−x.</summary>
    public static Tensor Neg(Tensor x) => Affine(x, -1, 0);

    /// <summary>eˣ.</summary>
    public static Tensor Exp(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Exp);
        return Tracks(x) ? Record(y, "exp", [x], (g, _) => [Mul(g, y)]) : y;
    }

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Log);
        return Tracks(x) ? Record(y, "log", [x], (g, _) => [Div(g, x)]) : y;
    }

    /// <summary>Square root.</summary>
    public static Tensor Sqrt(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Sqrt);
        return Tracks(x) ? Record(y, "sqrt", [x], (g, _) => [Div(g, Affine(y, 2, 0))]) : y;
    }

    /// <summary>x².</summary>
    public static Tensor Square(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Square);
        return Tracks(x) ? Record(y, "square", [x], (g, _) => [Mul(g, Affine(x, 2, 0))]) : y;
    }

    /// <summary>xᵖ for a constant exponent (x must be positive unless p is an integer).</summary>
    public static Tensor Pow(Tensor x, float p)
    {
        CheckFinite(p, nameof(p));
        var y = UnaryRaw(x, UnaryOp.Pow, p);
        return Tracks(x) ? Record(y, "pow", [x], (g, _) => [Mul(g, Affine(Pow(x, p - 1), p, 0))]) : y;
    }

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Tanh);
        return Tracks(x) ? Record(y, "tanh", [x], (g, _) => [Mul(g, Affine(Square(y), -1, 1))]) : y;
    }

    /// <summary>Logistic sigmoid 1/(1+e⁻ˣ).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Sigmoid);
        return Tracks(x) ? Record(y, "sigmoid", [x], (g, _) => [Mul(g, Mul(y, Affine(y, -1, 1)))]) : y;
    }

    /// <summary>Softplus ln(1+eˣ), computed without overflow.</summary>
    public static Tensor Softplus(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Softplus);
        return Tracks(x) ? Record(y, "softplus", [x], (g, _) => [Mul(g, Sigmoid(x))]) : y;
    }

    /// <summary>max(x, 0); the derivative at 0 is taken as 0.</summary>
    public static Tensor Relu(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Relu);
        return Tracks(x) ? Record(y, "relu", [x], (g, _) => [MaskMul(g, x, MaskKind.Positive)]) : y;
    }

    /// <summary>x for x &gt; 0, slope·x otherwise.</summary>
    public static Tensor LeakyRelu(Tensor x, float slope = 0.01f)
    {
        CheckFinite(slope, nameof(slope));
        var y = UnaryRaw(x, UnaryOp.LeakyRelu, slope);
        return Tracks(x) ? Record(y, "leaky_relu", [x], (g, _) => [MaskMul(g, x, MaskKind.Leaky, slope)]) : y;
    }

    /// <summary>ELU: x for x &gt; 0, α(eˣ−1) otherwise.</summary>
    public static Tensor Elu(Tensor x, float alpha = 1f)
    {
        CheckFinite(alpha, nameof(alpha));
        var y = UnaryRaw(x, UnaryOp.Elu, alpha);
        // f'(x) = 1 for x > 0 and y + α otherwise, written so that it is differentiable through y.
        return Tracks(x)
            ? Record(y, "elu", [x], (g, _) => [Mul(g, Affine(MaskMul(Affine(y, 1, alpha - 1), x, MaskKind.NonPositive), 1, 1))])
            : y;
    }

    /// <summary>|x|; the derivative at 0 is taken as 0.</summary>
    public static Tensor Abs(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Abs);
        return Tracks(x) ? Record(y, "abs", [x], (g, _) => [MaskMul(g, x, MaskKind.Sign)]) : y;
    }

    /// <summary>min(max(x, lo), hi); the gradient is 1 on [lo, hi] and 0 outside.</summary>
    /// <exception cref="ArgumentException">lo &gt; hi or a bound is NaN.</exception>
    public static Tensor Clamp(Tensor x, float lo, float hi)
    {
        if (!(lo <= hi)) throw new ArgumentException($"lo = {lo} must be ≤ hi = {hi}.", nameof(lo));
        var y = UnaryRaw(x, UnaryOp.Clamp, lo, hi);
        return Tracks(x) ? Record(y, "clamp", [x], (g, _) => [MaskMul(g, x, MaskKind.Between, lo, hi)]) : y;
    }

    /// <summary>
    /// g·m(x) with a piecewise-constant mask m (the derivative of ReLU, clamp, |x|, …). Linear in g;
    /// the derivative with respect to x is zero almost everywhere, so x gets no gradient.
    /// </summary>
    internal static Tensor MaskMul(Tensor g, Tensor x, MaskKind kind, float p0 = 0, float p1 = 0)
    {
        var be = B(g, x);
        var r = Tensor.Allocate(g.Shape, be);
        be.MaskMultiply(kind, g.Buffer, x.Buffer, r.Buffer, g.Size, p0, p1);
        return Tracks(g) ? Record(r, "mask", [g, x], (gg, needs) => [needs[0] ? MaskMul(gg, x, kind, p0, p1) : null, null]) : r;
    }

    /// <summary>Forward value clamped below at <paramref name="lo"/>; gradient passed through unchanged.</summary>
    internal static Tensor ClampMinStraightThrough(Tensor x, float lo)
    {
        var y = UnaryRaw(x, UnaryOp.Clamp, lo, float.PositiveInfinity);
        return Tracks(x) ? Record(y, "clamp_st", [x], (g, _) => [g]) : y;
    }

    // ---- element-wise, two inputs, broadcasting ----

    private static Tensor BinaryRaw(BinaryOp op, Tensor a, Tensor b)
    {
        var s = Shape.Broadcast(a.Shape, b.Shape);
        var be = B(a, b);
        var y = Tensor.Allocate(s, be);
        be.Binary(op, a.Buffer, a.Shape, b.Buffer, b.Shape, y.Buffer, s);
        return y;
    }

    /// <summary>a + b (broadcasting).</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Add, a, b);
        return Tracks(a, b)
            ? Record(y, "add", [a, b], (g, n) => [n[0] ? SumTo(g, a.Shape) : null, n[1] ? SumTo(g, b.Shape) : null])
            : y;
    }

    /// <summary>a − b (broadcasting).</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Subtract, a, b);
        return Tracks(a, b)
            ? Record(y, "sub", [a, b], (g, n) => [n[0] ? SumTo(g, a.Shape) : null, n[1] ? Neg(SumTo(g, b.Shape)) : null])
            : y;
    }

    /// <summary>a · b element-wise (broadcasting).</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Multiply, a, b);
        return Tracks(a, b)
            ? Record(y, "mul", [a, b], (g, n) => [n[0] ? SumTo(Mul(g, b), a.Shape) : null, n[1] ? SumTo(Mul(g, a), b.Shape) : null])
            : y;
    }

    /// <summary>a / b element-wise (broadcasting).</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Divide, a, b);
        return Tracks(a, b)
            ? Record(y, "div", [a, b], (g, n) => [n[0] ? SumTo(Div(g, b), a.Shape) : null, n[1] ? Neg(SumTo(Div(Mul(g, y), b), b.Shape)) : null])
            : y;
    }

    /// <summary>a / b where b ≠ 0 and 0 where b = 0 (gradients of norms at the origin).</summary>
    internal static Tensor SafeDiv(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.SafeDivide, a, b);
        return Tracks(a, b)
            ? Record(y, "safe_div", [a, b], (g, n) => [n[0] ? SumTo(SafeDiv(g, b), a.Shape) : null, n[1] ? Neg(SumTo(SafeDiv(Mul(g, y), b), b.Shape)) : null])
            : y;
    }
}
