using GenStats.Tensors.Backends;

namespace GenStats.Tensors;

public static partial class Ops
{
    // ---- trigonometric, hyperbolic and error functions (element-wise, float32) ----

    /// <summary>sin x (radians), like numpy.sin / torch.sin.</summary>
    public static Tensor Sin(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Sin);
        return Tracks(x) ? Record(y, "sin", [x], (g, _) => [Mul(g, Cos(x))]) : y;
    }

    /// <summary>cos x (radians), like numpy.cos / torch.cos.</summary>
    public static Tensor Cos(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Cos);
        return Tracks(x) ? Record(y, "cos", [x], (g, _) => [Mul(g, Neg(Sin(x)))]) : y;
    }

    /// <summary>Hyperbolic sine, like numpy.sinh / torch.sinh.</summary>
    public static Tensor Sinh(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Sinh);
        return Tracks(x) ? Record(y, "sinh", [x], (g, _) => [Mul(g, Cosh(x))]) : y;
    }

    /// <summary>Hyperbolic cosine, like numpy.cosh / torch.cosh.</summary>
    public static Tensor Cosh(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Cosh);
        return Tracks(x) ? Record(y, "cosh", [x], (g, _) => [Mul(g, Sinh(x))]) : y;
    }

    /// <summary>Inverse hyperbolic sine ln(x + √(x²+1)), like numpy.arcsinh / torch.asinh.</summary>
    public static Tensor Asinh(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Asinh);
        // d/dx asinh x = 1/√(1+x²) = 1/cosh(y): through y it never squares x, so it cannot overflow.
        return Tracks(x) ? Record(y, "asinh", [x], (g, _) => [Div(g, Cosh(y))]) : y;
    }

    /// <summary>
    /// The error function erf x = (2/√π)∫₀ˣ e^(−t²) dt (scipy.special.erf / torch.erf), accurate to
    /// about 1e-7 absolute in float32; its derivative is (2/√π)·e^(−x²).
    /// </summary>
    public static Tensor Erf(Tensor x)
    {
        var y = UnaryRaw(x, UnaryOp.Erf);
        const float twoOverSqrtPi = 1.1283791670955126f;
        return Tracks(x)
            ? Record(y, "erf", [x], (g, _) => [Mul(g, Affine(Exp(Neg(Square(x))), twoOverSqrtPi, 0))])
            : y;
    }

    /// <summary>
    /// The angle of the point (x, y) in radians, element-wise with numpy broadcasting: numpy.arctan2 /
    /// torch.atan2 (note the argument order: y first). The result lies in [−π, π]: for x &lt; 0 it
    /// is +π at y = +0 and −π at y = −0, following the sign of zero as C's atan2 does.
    /// Gradients ∂/∂y = x/(x²+y²), ∂/∂x = −y/(x²+y²) (undefined at the origin).
    /// </summary>
    public static Tensor Atan2(Tensor y, Tensor x)
    {
        var r = BinaryRaw(BinaryOp.Atan2, y, x);
        return Tracks(y, x)
            ? Record(r, "atan2", [y, x], (g, n) =>
            {
                var r2 = Add(Square(x), Square(y));
                return [n[0] ? SumTo(Div(Mul(g, x), r2), y.Shape) : null, n[1] ? SumTo(Neg(Div(Mul(g, y), r2)), x.Shape) : null];
            })
            : r;
    }
}
