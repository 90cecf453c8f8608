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
    public void Add(double value)
    {
        double t = _sum + value;
        // The branch picks whichever operand lost low-order bits in the addition above.
        if (Math.Abs(_sum) >= Math.Abs(value))
            _compensation += (_sum - t) + value;
        else
            _compensation += (value - t) + _sum;
        _sum = t;
    }

    /// <summary>The compensated sum of a span of values.</summary>
    public static double Of(ReadOnlySpan<double> values)
    {
        var s = new CompensatedSum();
        foreach (double v in values) s.Add(v);
        return s.Value;
    }
}
