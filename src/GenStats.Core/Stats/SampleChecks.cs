namespace GenStats.Stats;

/// <summary>
/// Argument checks shared by every statistic, so that bad input always fails the same way:
/// an <see cref="ArgumentException"/> naming the argument, the offending value and what is allowed.
/// </summary>
internal static class SampleChecks
{
    /// <summary>Rejects null, empty and non-finite samples.</summary>
    public static void RequireFiniteSample(double[]? values, string paramName)
    {
        if (values is null) throw new ArgumentNullException(paramName);
        if (values.Length == 0)
            throw new ArgumentException($"{paramName} is empty; at least one value is required.", paramName);
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException(
                    $"{paramName}[{i}] is {values[i]}; only finite values are allowed.", paramName);
        }
    }

    /// <summary>
    /// Checks optional per-event weights against a sample of <paramref name="count"/> events:
    /// same length, finite, Σw &gt; 0, and non-negative unless <paramref name="allowNegative"/>.
    /// </summary>
    public static void RequireWeights(double[]? weights, int count, string paramName, bool allowNegative)
    {
        if (weights is null) return;
        if (weights.Length != count)
            throw new ArgumentException(
                $"{paramName} has {weights.Length} entries but the sample has {count}; one weight per event is required.",
                paramName);
        for (int i = 0; i < weights.Length; i++)
        {
            double w = weights[i];
            if (!double.IsFinite(w))
                throw new ArgumentException($"{paramName}[{i}] is {w}; weights must be finite.", paramName);
            if (!allowNegative && w < 0)
                throw new ArgumentException(
                    $"{paramName}[{i}] is {w}; this statistic needs non-negative weights (negative sWeights are not allowed here).",
                    paramName);
        }
        double total = CompensatedSum.Of(weights);
        if (!(total > 0))
            throw new ArgumentException(
                $"The weights in {paramName} sum to {total}; the sum of weights must be positive.", paramName);
    }
}
