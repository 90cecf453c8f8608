using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GenStats.Numerics;

/// <summary>
/// Neumaier's compensated (improved Kahan) summation in float64. Statistics over 10⁶ events or
/// more lose digits with a naive running sum; this keeps the rounding error independent of N.
/// </summary>
public struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    /// <summary>The compensated total of every value added so far.</summary>
    public readonly double Value => _sum + _compensation;

    /// <summary>Adds one term.</summary>
    public void Add(double value) => Add(ref _sum, ref _compensation, value);

    /// <summary>The same step on a (sum, compensation) pair held elsewhere (streaming kernels keep R of them in arrays).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Add(ref double sum, ref double compensation, double value)
    {
        double t = sum + value;
        // The branch picks whichever operand lost low-order bits in the addition above.
        if (Math.Abs(sum) >= Math.Abs(value))
            compensation += (sum - t) + value;
        else
            compensation += (value - t) + sum;
        sum = t;
    }

    /// <summary>
    /// <see cref="Add(ref double, ref double, double)"/> on four independent sums at once: each lane
    /// does exactly the scalar step's IEEE operations (both branches computed, one selected), so a
    /// lane's result equals the scalar sum bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Add(ref Vector256<double> sum, ref Vector256<double> compensation, Vector256<double> value)
    {
        var s = sum;
        var t = s + value;
        var sumLarger = Vector256.GreaterThanOrEqual(Vector256.Abs(s), Vector256.Abs(value));
        compensation += Vector256.ConditionalSelect(sumLarger, (s - t) + value, (value - t) + s);
        sum = t;
    }

    /// <summary>The compensated sum of a span of values.</summary>
    public static double Of(ReadOnlySpan<double> values)
    {
        var s = new CompensatedSum();
        foreach (double v in values) s.Add(v);
        return s.Value;
    }
}
