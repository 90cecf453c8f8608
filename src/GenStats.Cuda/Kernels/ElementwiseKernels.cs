using GenStats.Tensors.Backends;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace GenStats.Tensors.Cuda.Kernels;

/// <summary>
/// The broadcast of two operands to a rank-4 output [D0, D1, D2, D3] (shapes padded on the left):
/// element strides of each operand, 0 along a broadcast axis (numpy's rule).
/// </summary>
internal struct Broadcast4
{
    public int D1, D2, D3;
    public int A0, A1, A2, A3;
    public int B0, B1, B2, B3;

    public readonly int OffsetA(int i, out int ob)
    {
        int i3 = i % D3, t = i / D3, i2 = t % D2;
        t /= D2;
        int i1 = t % D1, i0 = t / D1;
        ob = i0 * B0 + i1 * B1 + i2 * B2 + i3 * B3;
        return i0 * A0 + i1 * A1 + i2 * A2 + i3 * A3;
    }
}

/// <summary>One thread per element: unary functions, masks, broadcast binary ops, select, fill, axpy.</summary>
internal static class ElementwiseKernels
{
    public static void Unary(Index1D i, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, int op, float p0, float p1)
    {
        float v = x[i];
        float r;
        switch ((UnaryOp)op)
        {
            case UnaryOp.Affine: r = p1 == 0 ? v * p0 : v * p0 + p1; break;
            case UnaryOp.Exp: r = XMath.Exp(v); break;
            case UnaryOp.Log: r = XMath.Log(v); break;
            case UnaryOp.Sqrt: r = XMath.Sqrt(v); break;
            case UnaryOp.Square: r = v * v; break;
            case UnaryOp.Tanh: r = XMath.Tanh(v); break;
            case UnaryOp.Sigmoid: r = 1f / (1f + XMath.Exp(-v)); break;
            case UnaryOp.Softplus: r = DeviceMath.Softplus(v); break;
            case UnaryOp.Relu: r = DeviceMath.Max(v, 0f); break;
            case UnaryOp.LeakyRelu: r = v > 0 ? v : p0 * v; break;
            case UnaryOp.Elu: r = v > 0 ? v : p0 * (XMath.Exp(v) - 1); break;
            case UnaryOp.Abs: r = XMath.Abs(v); break;
            case UnaryOp.Sign: r = v > 0 ? 1 : v < 0 ? -1 : 0; break;
            case UnaryOp.Clamp: r = DeviceMath.Min(DeviceMath.Max(v, p0), p1); break;
            case UnaryOp.Pow: r = p0 == 2 ? v * v : p0 == 1 ? v : XMath.Pow(v, p0); break;
            case UnaryOp.Sin: r = XMath.Sin(v); break;
            case UnaryOp.Cos: r = XMath.Cos(v); break;
            case UnaryOp.Sinh: r = XMath.Sinh(v); break;
            case UnaryOp.Cosh: r = XMath.Cosh(v); break;
            case UnaryOp.Asinh: r = DeviceMath.Asinh(v); break;
            default: r = DeviceMath.Erf(v); break;   // UnaryOp.Erf (the host checks the op)
        }
        y[i] = r;
    }

    public static void Mask(Index1D i, ArrayView1D<float, Stride1D.Dense> g, ArrayView1D<float, Stride1D.Dense> x,
                            ArrayView1D<float, Stride1D.Dense> r, int kind, float p0, float p1)
    {
        float v = x[i], gi = g[i];
        float o;
        switch ((MaskKind)kind)
        {
            case MaskKind.Positive: o = v > 0 ? gi : 0; break;
            case MaskKind.NonPositive: o = v <= 0 ? gi : 0; break;
            case MaskKind.Leaky: o = v > 0 ? gi : p0 * gi; break;
            case MaskKind.Between: o = v >= p0 && v <= p1 ? gi : 0; break;
            default: o = v > 0 ? gi : v < 0 ? -gi : 0; break;   // MaskKind.Sign
        }
        r[i] = o;
    }

    public static float Apply(int op, float a, float b)
    {
        switch ((BinaryOp)op)
        {
            case BinaryOp.Add: return a + b;
            case BinaryOp.Subtract: return a - b;
            case BinaryOp.Multiply: return a * b;
            case BinaryOp.Divide: return a / b;
            case BinaryOp.SafeDivide: return b == 0 ? 0 : a / b;
            case BinaryOp.Atan2: return DeviceMath.Atan2(a, b);
            case BinaryOp.Minimum: return DeviceMath.Min(a, b);
            default: return DeviceMath.Max(a, b);   // BinaryOp.Maximum
        }
    }

    public static void Binary(Index1D i, ArrayView1D<float, Stride1D.Dense> a, ArrayView1D<float, Stride1D.Dense> b,
                              ArrayView1D<float, Stride1D.Dense> y, int op, Broadcast4 s)
    {
        int ia = s.OffsetA(i, out int ib);
        y[i] = Apply(op, a[ia], b[ib]);
    }

    public static void Expand(Index1D i, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, Broadcast4 s)
    {
        y[i] = x[s.OffsetA(i, out _)];
    }

    public static void Select(Index1D i, ArrayView1D<float, Stride1D.Dense> mask, ArrayView1D<float, Stride1D.Dense> a,
                              ArrayView1D<float, Stride1D.Dense> b, ArrayView1D<float, Stride1D.Dense> y)
    {
        y[i] = mask[i] != 0 ? a[i] : b[i];
    }

    public static void Fill(Index1D i, ArrayView1D<float, Stride1D.Dense> y, float value) => y[i] = value;

    public static void Axpy(Index1D i, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, float alpha)
    {
        // The managed backend fuses this multiply-add; PTX may or may not, so the last bit can differ.
        y[i] += alpha * x[i];
    }

    public static void CopyBlock(Index1D i, ArrayView1D<float, Stride1D.Dense> src, ArrayView1D<float, Stride1D.Dense> dst,
                                 int srcOffset, int srcStride, int dstOffset, int dstStride, int cols)
    {
        int r = i / cols, c = i % cols;
        dst[dstOffset + r * dstStride + c] = src[srcOffset + r * srcStride + c];
    }
}
