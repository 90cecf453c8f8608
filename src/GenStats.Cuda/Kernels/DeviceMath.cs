using ILGPU;
using ILGPU.Algorithms;

namespace GenStats.Tensors.Cuda.Kernels;

/// <summary>
/// Scalar functions the kernels share, written with ILGPU's <see cref="XMath"/> so that the same code
/// compiles to PTX and runs on the CPU accelerator. NaN and signed-zero rules follow .NET's
/// <c>MathF.Min</c>/<c>MathF.Max</c> (IEEE 754-2019 minimum/maximum), as the managed backend does.
/// </summary>
internal static class DeviceMath
{
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double SqrtPi = 1.7724538509055159;

    /// <summary>True for negative numbers, −0 and NaNs with the sign bit (FloatAsInt returns the bits as a uint).</summary>
    public static bool SignBit(float v) => (Interop.FloatAsInt(v) >> 31) != 0;

    /// <summary>min(a, b): NaN if either is NaN, −0 below +0.</summary>
    public static float Min(float a, float b)
    {
        if (XMath.IsNaN(a) || XMath.IsNaN(b)) return float.NaN;
        if (a == b) return SignBit(a) ? a : b;
        return a < b ? a : b;
    }

    /// <summary>max(a, b): NaN if either is NaN, +0 above −0.</summary>
    public static float Max(float a, float b)
    {
        if (XMath.IsNaN(a) || XMath.IsNaN(b)) return float.NaN;
        if (a == b) return SignBit(a) ? b : a;
        return a > b ? a : b;
    }

    /// <summary>erf in float64 (the managed backend's ErfKernel: Maclaurin series below 2.5, erfc continued fraction to 6).</summary>
    public static float Erf(float x)
    {
        double a = XMath.Abs((double)x);
        if (XMath.IsNaN(a)) return float.NaN;
        double r;
        if (a < 2.5)
        {
            double x2 = a * a, term = a, sum = a;
            for (int n = 1; n < 100; n++)
            {
                term *= -x2 / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (XMath.Abs(t) <= 1e-17 * XMath.Abs(sum)) break;
            }
            r = TwoOverSqrtPi * sum;
        }
        else if (a < 6)
        {
            double f = a;
            for (int k = 24; k >= 1; k--) f = a + 0.5 * k / f;
            r = 1 - XMath.Exp(-a * a) / (SqrtPi * f);
        }
        else r = 1;
        return (float)(x < 0 ? -r : r);
    }

    /// <summary>asinh x = sign x · ln(|x| + √(x²+1)) in float64 (series below 1e-4, ln 2|x| above 1e150 where x² would overflow).</summary>
    public static float Asinh(float x)
    {
        double a = XMath.Abs((double)x);
        if (XMath.IsNaN(a)) return float.NaN;
        double r;
        if (a < 1e-4) r = a - a * a * a / 6;
        else if (a > 1e150) r = XMath.Log(a) + 0.6931471805599453;
        else r = XMath.Log(a + XMath.Sqrt(a * a + 1));
        return (float)(x < 0 ? -r : r);
    }

    /// <summary>atan2(y, x) in float64 with C's rules for zeros and infinities (computed from atan of a ratio).</summary>
    public static float Atan2(float y, float x)
    {
        if (XMath.IsNaN(y) || XMath.IsNaN(x)) return float.NaN;
        bool yNeg = SignBit(y), xNeg = SignBit(x);
        double pi = 3.141592653589793;
        double r;
        if (y == 0) r = xNeg ? pi : 0;                                     // ±0 on either side of the x axis
        else if (x == 0) r = pi / 2;
        else if (XMath.IsInfinity(x))
        {
            if (XMath.IsInfinity(y)) r = xNeg ? 3 * pi / 4 : pi / 4;
            else r = xNeg ? pi : 0;
        }
        else if (XMath.IsInfinity(y)) r = pi / 2;
        else
        {
            double ay = XMath.Abs((double)y), ax = XMath.Abs((double)x);
            r = ay <= ax ? XMath.Atan(ay / ax) : pi / 2 - XMath.Atan(ax / ay);
            if (xNeg) r = pi - r;
        }
        return (float)(yNeg ? -r : r);
    }

    /// <summary>ln(1 + eˣ) = max(x, 0) + ln(1 + e^−|x|), as the managed backend computes it.</summary>
    public static float Softplus(float v) => XMath.Max(v, 0f) + XMath.Log(1 + XMath.Exp(-XMath.Abs(v)));
}
