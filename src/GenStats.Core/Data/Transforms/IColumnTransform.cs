namespace GenStats.Data;

/// <summary>
/// An unfitted preprocessing transform of one column: <see cref="Fit"/> learns its parameters
/// from (optionally weighted) training values and returns the fitted, invertible map.
/// </summary>
public interface IColumnTransform
{
    /// <summary>The kind name stored in model files ("identity", "standard", "quantile-normal", "log", "log1p", "logit", "periodic").</summary>
    string Kind { get; }

    /// <summary>
    /// Fits the transform. Values must be finite; weights (null = all 1) must be finite,
    /// non-negative and sum to a positive number — negative sWeights are rejected with an
    /// <see cref="ArgumentException"/>; clip them yourself (<c>max(w, 0)</c>) if an approximate
    /// monotone map is all you need.
    /// </summary>
    IFittedColumnTransform Fit(double[] values, double[]? weights = null);
}

/// <summary>
/// A fitted, invertible map of one raw column to <see cref="Width"/> model columns: monotone and
/// one-to-one (width 1) for every kind except "periodic", which maps an angle φ to (cos φ, sin φ).
/// </summary>
public interface IFittedColumnTransform
{
    /// <summary>The kind name (see <see cref="IColumnTransform.Kind"/>).</summary>
    string Kind { get; }

    /// <summary>How many model columns the raw column becomes (1; "periodic": 2).</summary>
    int Width => 1;

    /// <summary>Writes the <see cref="Width"/> transformed values of one raw value into <paramref name="output"/>.</summary>
    void ForwardInto(double value, Span<double> output) => output[0] = Forward(value);

    /// <summary>Maps <see cref="Width"/> transformed values back to one raw value.</summary>
    double InverseFrom(ReadOnlySpan<double> values) => Inverse(values[0]);

    /// <summary>Maps one raw value to the transformed scale (width-1 kinds; "periodic" throws <see cref="NotSupportedException"/>).</summary>
    double Forward(double value);

    /// <summary>Maps one transformed value back to the raw scale (width-1 kinds; "periodic" throws <see cref="NotSupportedException"/>).</summary>
    double Inverse(double value);

    /// <summary>
    /// log |d Forward / dx| at a raw value (−∞ where the map is flat), for densities on the raw
    /// scale; "periodic" (a map to a curve, no density) throws <see cref="NotSupportedException"/>.
    /// </summary>
    double LogDerivative(double value);

    /// <summary>The JSON-friendly parameters; <see cref="ColumnTransforms.FromState"/> rebuilds the map exactly.</summary>
    ColumnTransformState State { get; }
}

/// <summary>The parameters of a fitted column transform, ready for JSON.</summary>
/// <param name="Kind">The transform kind.</param>
/// <param name="Parameters">Named float64 parameter vectors (e.g. "mean", "scale", "quantiles").</param>
public sealed record ColumnTransformState(string Kind, IReadOnlyDictionary<string, double[]> Parameters)
{
    /// <summary>A named parameter vector; <see cref="InvalidDataException"/> when absent or of the wrong length.</summary>
    public double[] Get(string name, int? length = null)
    {
        if (!Parameters.TryGetValue(name, out var v) || v is null)
            throw new InvalidDataException($"transform '{Kind}': parameter '{name}' is missing.");
        if (length is int n && v.Length != n)
            throw new InvalidDataException($"transform '{Kind}': parameter '{name}' has {v.Length} values; {n} expected.");
        foreach (double x in v)
            if (!double.IsFinite(x))
                throw new InvalidDataException($"transform '{Kind}': parameter '{name}' holds {x}; finite values are required.");
        return v;
    }
}
