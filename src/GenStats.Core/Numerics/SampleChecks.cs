namespace GenStats.Numerics;

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
    /// <summary>
    /// Rejects null, empty, ragged and non-finite multi-dimensional samples (events × dimensions)
    /// and returns the number of dimensions (≥ 1).
    /// </summary>
    public static int RequireFiniteRows(double[][]? rows, string paramName)
    {
        if (rows is null) throw new ArgumentNullException(paramName);
        if (rows.Length == 0)
            throw new ArgumentException($"{paramName} has no events; at least one row is required.", paramName);
        if (rows[0] is null) throw new ArgumentException($"{paramName}[0] is null; every event needs a row of values.", paramName);
        int dims = rows[0].Length;
        if (dims == 0)
            throw new ArgumentException($"{paramName}[0] has no values; every event needs at least one dimension.", paramName);
        for (int i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            if (row is null)
                throw new ArgumentException($"{paramName}[{i}] is null; every event needs a row of values.", paramName);
            if (row.Length != dims)
                throw new ArgumentException(
                    $"{paramName}[{i}] has {row.Length} values but {paramName}[0] has {dims}; all events need the same number of dimensions.",
                    paramName);
            for (int k = 0; k < dims; k++)
            {
                if (!double.IsFinite(row[k]))
                    throw new ArgumentException(
                        $"{paramName}[{i}][{k}] is {row[k]}; only finite values are allowed.", paramName);
            }
        }
        return dims;
    }

    /// <summary>
    /// Validates two multi-dimensional samples with their optional weights for a two-sample
    /// statistic: both well formed (see <see cref="RequireFiniteRows"/>), the same number of
    /// dimensions, weights checked by <see cref="RequireWeights"/>. Returns the number of dimensions.
    /// </summary>
    public static int RequireRowPair(
        double[][]? a, double[]? weightsA, double[][]? b, double[]? weightsB,
        string nameA, string nameWeightsA, string nameB, string nameWeightsB, bool allowNegative)
    {
        int da = RequireFiniteRows(a, nameA);
        int db = RequireFiniteRows(b, nameB);
        if (da != db)
            throw new ArgumentException(
                $"{nameA} has {da} dimensions but {nameB} has {db}; both samples need the same dimensions.", nameB);
        RequireWeights(weightsA, a!.Length, nameWeightsA, allowNegative);
        RequireWeights(weightsB, b!.Length, nameWeightsB, allowNegative);
        return da;
    }
}
