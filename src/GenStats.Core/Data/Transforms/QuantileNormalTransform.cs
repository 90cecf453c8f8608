
namespace GenStats.Data;

/// <summary>
/// Quantile transform to a standard normal, the preprocessing of the LHCb RICH GAN, following
/// scikit-learn's <c>QuantileTransformer(output_distribution="normal")</c>:
/// <list type="number">
/// <item>Fit: m = min(<see cref="Quantiles"/>, number of events with positive weight) reference
/// probabilities r_j = j/(m − 1), and the weighted quantiles q_j of the training values at r_j
/// (<see cref="WeightedStatistics.Quantiles"/>, weighted Hyndman–Fan 7).</item>
/// <item>Forward: u = F̂(x) by piecewise-linear interpolation of (q_j, r_j); where several q_j are
/// equal (ties) the value maps to the middle of their r range (scikit-learn averages a forward and
/// a reversed interpolation, which gives the same); x below q_0 or above q_{m−1} gives 0 or 1.
/// Then z = Φ⁻¹(u), clipped to [Φ⁻¹(1e−7), Φ⁻¹(1 − 1e−7)] ≈ [−5.199, 5.199] (scikit-learn's
/// BOUNDS_THRESHOLD = 1e−7), so no value ever maps to ±∞.</item>
/// <item>Inverse: u = Φ(z), then x by linear interpolation of (r_j, q_j). The output is always
/// inside the training range [q_0, q_{m−1}]: a generated value beyond the range is clipped to it
/// (a known limitation of this transform: no event is ever produced outside the training range).</item>
/// </list>
/// Inverse(Forward(x)) = x for x in the training range, up to rounding and the 1e−7 clip at the
/// two ends (where the round trip moves x by at most 1e−7·(m − 1)·(q_1 − q_0)).
/// </summary>
/// <param name="Quantiles">Number of reference quantiles (scikit-learn's n_quantiles), ≥ 2; default 1000.</param>
public sealed record QuantileNormalTransform(int Quantiles = 1000) : IColumnTransform
{
    /// <summary>The kind name "quantile-normal".</summary>
    public const string KindName = "quantile-normal";

    /// <summary>scikit-learn's BOUNDS_THRESHOLD: probabilities are kept inside [1e−7, 1 − 1e−7].</summary>
    public const double BoundsThreshold = 1e-7;

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IFittedColumnTransform Fit(double[] values, double[]? weights = null)
    {
        if (Quantiles < 2)
            throw new ArgumentException($"Quantiles is {Quantiles}; at least 2 reference quantiles are required.", nameof(Quantiles));
        SampleChecks.RequireFiniteSample(values, nameof(values));
        SampleChecks.RequireWeights(weights, values.Length, nameof(weights), allowNegative: false);
        int events = weights is null ? values.Length : weights.Count(w => w > 0);
        int m = Math.Max(2, Math.Min(Quantiles, events));
        var probabilities = new double[m];
        for (int j = 0; j < m; j++) probabilities[j] = (double)j / (m - 1);
        return new Fitted(WeightedStatistics.Quantiles(values, probabilities, weights));
    }

    /// <summary>Rebuilds a fitted transform from its quantile table (non-decreasing, ≥ 2 values).</summary>
    public static IFittedColumnTransform FromQuantiles(double[] quantiles)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        if (quantiles.Length < 2)
            throw new ArgumentException($"quantiles has {quantiles.Length} values; at least 2 are required.", nameof(quantiles));
        for (int j = 0; j < quantiles.Length; j++)
        {
            if (!double.IsFinite(quantiles[j]))
                throw new ArgumentException($"quantiles[{j}] is {quantiles[j]}; finite values are required.", nameof(quantiles));
            if (j > 0 && quantiles[j] < quantiles[j - 1])
                throw new ArgumentException($"quantiles[{j}] = {quantiles[j]} is below quantiles[{j - 1}] = {quantiles[j - 1]}; the table must be non-decreasing.", nameof(quantiles));
        }
        return new Fitted((double[])quantiles.Clone());
    }

    internal static IFittedColumnTransform FromState(ColumnTransformState state)
    {
        try
        {
            return FromQuantiles(state.Get("quantiles"));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"transform 'quantile-normal': {e.Message}", e);
        }
    }

    private sealed class Fitted(double[] q) : IFittedColumnTransform
    {
        private static readonly double ZMin = StandardNormal.InverseCdf(BoundsThreshold);
        private static readonly double ZMax = -ZMin;

        public string Kind => KindName;

        public ColumnTransformState State => new(KindName, new Dictionary<string, double[]> { ["quantiles"] = (double[])q.Clone() });

        public double Forward(double value)
        {
            if (double.IsNaN(value)) throw new ArgumentException("value is NaN; the quantile transform needs a number.", nameof(value));
            double u = Cdf(value);
            u = Math.Clamp(u, BoundsThreshold, 1 - BoundsThreshold);
            return Math.Clamp(StandardNormal.InverseCdf(u), ZMin, ZMax);
        }

        public double Inverse(double value)
        {
            if (double.IsNaN(value)) throw new ArgumentException("value is NaN; the quantile transform needs a number.", nameof(value));
            double u = StandardNormal.Cdf(value);
            int last = q.Length - 1;
            double position = Math.Clamp(u, 0, 1) * last;
            int j = Math.Min((int)Math.Floor(position), last - 1);
            double t = position - j;
            return t <= 0 ? q[j] : t >= 1 ? q[j + 1] : q[j] + t * (q[j + 1] - q[j]);
        }

        // z = Φ⁻¹(F(x)) ⇒ dz/dx = F'(x)/φ(z); F' is 1/((m−1)(q_{j+1} − q_j)) on the segment holding x.
        public double LogDerivative(double value)
        {
            int last = q.Length - 1;
            if (!(value >= q[0] && value <= q[last])) return double.NegativeInfinity;
            double u = Cdf(value);
            if (u < BoundsThreshold || u > 1 - BoundsThreshold) return double.NegativeInfinity; // clipped: flat
            int j = Math.Min(UpperBound(value), last) - 1; // q_j ≤ x < q_{j+1} (last segment for x = q_last)
            while (j > 0 && q[j + 1] == q[j]) j--;
            if (j < 0 || q[j + 1] == q[j]) return double.PositiveInfinity; // every quantile equal: a point mass
            double z = StandardNormal.InverseCdf(u);
            return -Math.Log(last * (q[j + 1] - q[j])) - StandardNormal.LogDensity(z);
        }

        // Piecewise-linear empirical CDF through (q_j, j/(m−1)); flat runs of equal q map to their middle.
        private double Cdf(double x)
        {
            int last = q.Length - 1;
            if (x < q[0]) return 0;
            if (x > q[last]) return 1;
            int lo = LowerBound(x); // first j with q_j ≥ x
            if (q[lo] == x)
            {
                int hi = UpperBound(x) - 1; // last j with q_j ≤ x
                return 0.5 * (lo + hi) / last;
            }
            // q[lo − 1] < x < q[lo]
            double a = q[lo - 1], b = q[lo];
            return (lo - 1 + (x - a) / (b - a)) / last;
        }

        private int LowerBound(double x)
        {
            int lo = 0, hi = q.Length;
            while (lo < hi) { int mid = (lo + hi) >>> 1; if (q[mid] < x) lo = mid + 1; else hi = mid; }
            return lo;
        }

        private int UpperBound(double x)
        {
            int lo = 0, hi = q.Length;
            while (lo < hi) { int mid = (lo + hi) >>> 1; if (q[mid] <= x) lo = mid + 1; else hi = mid; }
            return lo;
        }
    }
}
