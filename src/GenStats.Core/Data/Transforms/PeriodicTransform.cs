namespace GenStats.Data;

/// <summary>
/// An angle φ (radians, any finite value) becomes two model columns (cos φ, sin φ), so that the
/// network never sees the seam at ±π; the inverse is φ = atan2(s, c), always in (−π, π] (numpy's
/// <c>arctan2</c> convention, with −π mapped to π). A generated pair (c, s) need not lie on the
/// unit circle: atan2 uses only its direction; at (0, 0) it gives 0. No standardisation follows
/// (c and s already lie in [−1, 1]). Not a one-to-one map of the real line, so it has no scalar
/// <see cref="IFittedColumnTransform.Forward(double)"/> and no log-derivative (a model with a
/// periodic column has no density in φ's units).
/// </summary>
public sealed class PeriodicTransform : IColumnTransform
{
    /// <summary>The kind name "periodic".</summary>
    public const string KindName = "periodic";

    internal static readonly IFittedColumnTransform Fitted = new FittedPeriodic();

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IFittedColumnTransform Fit(double[] values, double[]? weights = null)
    {
        SampleChecks.RequireFiniteSample(values, nameof(values));
        SampleChecks.RequireWeights(weights, values.Length, nameof(weights), allowNegative: false);
        return Fitted;
    }

    /// <summary>atan2(s, c) in (−π, π] (numpy's arctan2, except that −π, e.g. at (−1, −0.0), becomes π).</summary>
    public static double Angle(double c, double s)
    {
        double a = Math.Atan2(s, c);
        return a <= -Math.PI ? Math.PI : a;
    }

    private sealed class FittedPeriodic : IFittedColumnTransform
    {
        public string Kind => KindName;
        public int Width => 2;

        public void ForwardInto(double value, Span<double> output)
        {
            if (!double.IsFinite(value)) throw new ArgumentException($"periodic: value {value} is not a finite angle.", nameof(value));
            (output[1], output[0]) = Math.SinCos(value);
        }

        public double InverseFrom(ReadOnlySpan<double> values) => Angle(values[0], values[1]);

        public double Forward(double value) => throw Scalar();
        public double Inverse(double value) => throw Scalar();
        public double LogDerivative(double value) =>
            throw new NotSupportedException("periodic: an angle mapped to (cos φ, sin φ) has no log-derivative (no density in φ); use another transform for densities.");
        public ColumnTransformState State => new(KindName, new Dictionary<string, double[]>());

        private static NotSupportedException Scalar() =>
            new("periodic: one angle is two model columns (cos φ, sin φ); use ForwardInto(value, span) / InverseFrom(span).");
    }
}
