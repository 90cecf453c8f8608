
namespace GenStats.Data;

/// <summary>
/// Standardisation z = (x − μ)/σ with the weighted mean μ and the weighted standard deviation σ
/// (reliability-weight variance, N − 1 for unit weights: <see cref="WeightedStatistics"/>, the implementation behind <c>GenStats.Stats.WeightedDescriptive</c>).
/// A constant column (σ = 0), or a single event, gets σ = 1 so that it maps to 0 and back exactly
/// (scikit-learn's StandardScaler does the same).
/// </summary>
public sealed class StandardTransform : IColumnTransform
{
    /// <summary>The kind name "standard".</summary>
    public const string KindName = "standard";

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IFittedColumnTransform Fit(double[] values, double[]? weights = null)
    {
        SampleChecks.RequireFiniteSample(values, nameof(values));
        SampleChecks.RequireWeights(weights, values.Length, nameof(weights), allowNegative: false);
        double mean = WeightedStatistics.Mean(values, weights);
        double sd = 0;
        int positive = weights is null ? values.Length : weights.Count(w => w > 0);
        if (positive >= 2) sd = WeightedStatistics.StandardDeviation(values, weights);
        return new Fitted(mean, sd > 0 && double.IsFinite(sd) ? sd : 1.0);
    }

    /// <summary>The fitted map with known mean and scale (scale &gt; 0).</summary>
    public static IFittedColumnTransform Create(double mean, double scale)
    {
        if (!double.IsFinite(mean)) throw new ArgumentException($"mean is {mean}; a finite value is required.", nameof(mean));
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentException($"scale is {scale}; a finite positive value is required.", nameof(scale));
        return new Fitted(mean, scale);
    }

    internal static IFittedColumnTransform FromState(ColumnTransformState state)
    {
        double mean = state.Get("mean", 1)[0], scale = state.Get("scale", 1)[0];
        if (!(scale > 0)) throw new InvalidDataException($"transform 'standard': scale {scale} is not positive.");
        return new Fitted(mean, scale);
    }

    private sealed class Fitted(double mean, double scale) : IFittedColumnTransform
    {
        public string Kind => KindName;
        public double Forward(double value) => (value - mean) / scale;
        public double Inverse(double value) => mean + scale * value;
        public double LogDerivative(double value) => -Math.Log(scale);
        public ColumnTransformState State => new(KindName, new Dictionary<string, double[]> { ["mean"] = [mean], ["scale"] = [scale] });
    }
}

/// <summary>The identity map (no preprocessing), so that every column always has a transform.</summary>
public sealed class IdentityTransform : IColumnTransform
{
    /// <summary>The kind name "identity".</summary>
    public const string KindName = "identity";

    internal static readonly IFittedColumnTransform Fitted = new FittedIdentity();

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IFittedColumnTransform Fit(double[] values, double[]? weights = null)
    {
        SampleChecks.RequireFiniteSample(values, nameof(values));
        SampleChecks.RequireWeights(weights, values.Length, nameof(weights), allowNegative: false);
        return Fitted;
    }

    private sealed class FittedIdentity : IFittedColumnTransform
    {
        public string Kind => KindName;
        public double Forward(double value) => value;
        public double Inverse(double value) => value;
        public double LogDerivative(double value) => 0;
        public ColumnTransformState State => new(KindName, new Dictionary<string, double[]>());
    }
}
