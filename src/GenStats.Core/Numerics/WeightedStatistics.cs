namespace GenStats.Numerics;

/// <summary>
/// The implementation of the weighted descriptive statistics (compensated float64 sums,
/// reliability-weight variance, weighted Hyndman–Fan 7 quantiles), below every layer that needs
/// them: the preprocessing transforms (Data) and the public <c>GenStats.Stats.WeightedDescriptive</c>,
/// which documents each method and forwards to it.
/// </summary>
internal static class WeightedStatistics
{
    /// <summary>Σw, or the number of events when <paramref name="weights"/> is null.</summary>
    public static double SumOfWeights(double[] values, double[]? weights = null)
    {
        SampleChecks.RequireFiniteSample(values, nameof(values));
        SampleChecks.RequireWeights(weights, values.Length, nameof(weights), allowNegative: true);
        return weights is null ? values.Length : CompensatedSum.Of(weights);
    }

    /// <summary>Kish's effective sample size (Σw)²/Σw²; signed weights allowed, Σw &gt; 0 required.</summary>
    public static double EffectiveSampleSize(double[] weights)
    {
        SampleChecks.RequireFiniteSample(weights, nameof(weights));
        SampleChecks.RequireWeights(weights, weights.Length, nameof(weights), allowNegative: true);
        return EffectiveSize(weights);
    }

    /// <summary>Weighted mean Σwx / Σw. Signed weights allowed, Σw &gt; 0 required.</summary>
    public static double Mean(double[] values, double[]? weights = null)
    {
        Check(values, weights, allowNegative: true);
        return MeanUnchecked(values, weights);
    }

    /// <summary>
    /// Weighted variance with the reliability-weight bias correction
    /// V = Σw(x − x̄)² / (V₁ − V₂/V₁), V₁ = Σw, V₂ = Σw²; for unit weights this is the sample
    /// variance with N − 1. It needs an effective sample size above 1 (at least two events).
    /// With negative weights the estimate itself may come out negative.
    /// </summary>
    public static double Variance(double[] values, double[]? weights = null)
    {
        Check(values, weights, allowNegative: true);
        return VarianceUnchecked(values, weights, MeanUnchecked(values, weights));
    }

    /// <summary>√Variance; throws when the variance estimate is negative (possible with sWeights).</summary>
    public static double StandardDeviation(double[] values, double[]? weights = null)
    {
        double v = Variance(values, weights);
        if (v < 0)
            throw new ArgumentException(
                $"The weighted variance estimate is {v} (negative weights); no standard deviation exists.", nameof(weights));
        return Math.Sqrt(v);
    }

    /// <summary>
    /// Standard error of the weighted mean from the linearised (sandwich) estimator
    /// σ²(x̄) = N/(N − 1) · Σw²(x − x̄)² / (Σw)², which stays valid for signed sWeights and equals
    /// s/√N for unit weights. Needs at least two events.
    /// </summary>
    public static double StandardErrorOfMean(double[] values, double[]? weights = null)
    {
        Check(values, weights, allowNegative: true);
        return StandardErrorUnchecked(values, weights, MeanUnchecked(values, weights));
    }

    /// <summary>All descriptive statistics of one sample at once (needs at least two events).</summary>
    public static (int Count, double SumOfWeights, double EffectiveSampleSize, double Mean, double Variance, double StandardDeviation, double StandardErrorOfMean)
        Summarize(double[] values, double[]? weights = null)
    {
        Check(values, weights, allowNegative: true);
        double mean = MeanUnchecked(values, weights);
        double variance = VarianceUnchecked(values, weights, mean);
        return (
            values.Length,
            weights is null ? values.Length : CompensatedSum.Of(weights),
            weights is null ? values.Length : EffectiveSize(weights),
            mean,
            variance,
            variance >= 0 ? Math.Sqrt(variance) : double.NaN,
            StandardErrorUnchecked(values, weights, mean));
    }

    /// <summary>
    /// The weighted <paramref name="probability"/>-quantile, 0 ≤ p ≤ 1, by a weighted form of
    /// Hyndman–Fan definition 7 (R's default, numpy's "linear", MathNet's R7). Events are sorted
    /// by value (ties by weight, so the result does not depend on input order); event k stands at
    /// the centre of its slice of cumulative weight, m_k = S_k − w_k/2 (S_k the running sum), and
    /// the quantile interpolates linearly in m between neighbouring events at the target
    /// m_first + p · (m_last − m_first). Unit weights give exactly definition 7, p = 0 and 1 give
    /// the extremes, and the rule is mirror-symmetric: Q(−x, 1 − p) = −Q(x, p). Zero-weight events
    /// carry no probability and do not take part. Weights must be non-negative.
    /// </summary>
    public static double Quantile(double[] values, double probability, double[]? weights = null)
        => Quantiles(values, [probability], weights)[0];

    /// <summary>Several weighted quantiles , sorting the sample once.</summary>
    public static double[] Quantiles(double[] values, double[] probabilities, double[]? weights = null)
    {
        Check(values, weights, allowNegative: false);
        ArgumentNullException.ThrowIfNull(probabilities);
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = probabilities[i];
            if (!(p >= 0 && p <= 1))
                throw new ArgumentOutOfRangeException(nameof(probabilities), p,
                    $"probabilities[{i}] is {p}; a quantile probability must lie in [0, 1].");
        }
        var sorted = SortedWithPositiveWeights(values, weights);
        var result = new double[probabilities.Length];
        for (int i = 0; i < probabilities.Length; i++)
            result[i] = InterpolateR7(sorted, probabilities[i]);
        return result;
    }

    private readonly record struct WeightedPoint(double Value, double Weight, double Position);

    private static WeightedPoint[] SortedWithPositiveWeights(double[] values, double[]? weights)
    {
        var pairs = new List<(double Value, double Weight)>(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1.0;
            if (w > 0) pairs.Add((values[i], w));
        }
        pairs.Sort((a, b) => a.Value != b.Value ? a.Value.CompareTo(b.Value) : a.Weight.CompareTo(b.Weight));
        var points = new WeightedPoint[pairs.Count];
        var running = new CompensatedSum();
        for (int k = 0; k < points.Length; k++)
        {
            // The centre of the event's slice of cumulative weight: m_k = S_k − w_k/2.
            points[k] = new WeightedPoint(pairs[k].Value, pairs[k].Weight, running.Value + 0.5 * pairs[k].Weight);
            running.Add(pairs[k].Weight);
        }
        return points;
    }

    private static double InterpolateR7(WeightedPoint[] points, double p)
    {
        int last = points.Length - 1;
        if (last == 0 || p <= 0) return points[0].Value;
        if (p >= 1) return points[last].Value;
        double first = points[0].Position;
        double target = first + p * (points[last].Position - first);
        if (target >= points[last].Position) return points[last].Value;
        // Largest k with Position_k ≤ target; positions are strictly increasing.
        int lo = 0, hi = last;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >> 1;
            if (points[mid].Position <= target) lo = mid; else hi = mid;
        }
        var a = points[lo];
        var b = points[lo + 1];
        double fraction = (target - a.Position) / (b.Position - a.Position);
        double step = b.Value - a.Value;
        // Near ±1.8e308 the difference overflows; the convex combination does not.
        return double.IsFinite(step) ? a.Value + fraction * step : (1 - fraction) * a.Value + fraction * b.Value;
    }

    private static void Check(double[] values, double[]? weights, bool allowNegative)
    {
        SampleChecks.RequireFiniteSample(values, nameof(values));
        SampleChecks.RequireWeights(weights, values.Length, nameof(weights), allowNegative);
    }

    private static double EffectiveSize(double[] weights)
    {
        var sumW = new CompensatedSum();
        var sumW2 = new CompensatedSum();
        foreach (double w in weights) { sumW.Add(w); sumW2.Add(w * w); }
        return sumW.Value * sumW.Value / sumW2.Value;
    }

    private static double MeanUnchecked(double[] values, double[]? weights)
    {
        var sumWx = new CompensatedSum();
        var sumW = new CompensatedSum();
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1.0;
            sumWx.Add(w * values[i]);
            sumW.Add(w);
        }
        return sumWx.Value / sumW.Value;
    }

    private static double VarianceUnchecked(double[] values, double[]? weights, double mean)
    {
        RequireTwoEvents(values);
        var sumWd2 = new CompensatedSum();
        var sumW = new CompensatedSum();
        var sumW2 = new CompensatedSum();
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1.0;
            double d = values[i] - mean;
            sumWd2.Add(w * d * d);
            sumW.Add(w);
            sumW2.Add(w * w);
        }
        double denominator = sumW.Value - sumW2.Value / sumW.Value;
        if (!(denominator > 0))
            throw new ArgumentException(
                $"The effective sample size is {sumW.Value * sumW.Value / sumW2.Value}; a variance needs more than one effective event.",
                nameof(weights));
        return sumWd2.Value / denominator;
    }

    private static double StandardErrorUnchecked(double[] values, double[]? weights, double mean)
    {
        RequireTwoEvents(values);
        var sumW2d2 = new CompensatedSum();
        var sumW = new CompensatedSum();
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1.0;
            double d = values[i] - mean;
            sumW2d2.Add(w * w * d * d);
            sumW.Add(w);
        }
        double n = values.Length;
        return Math.Sqrt(n / (n - 1) * sumW2d2.Value) / sumW.Value;
    }

    private static void RequireTwoEvents(double[] values)
    {
        if (values.Length < 2)
            throw new ArgumentException(
                $"values has {values.Length} event; a variance or standard error needs at least two.", nameof(values));
    }
}
