using GenStats.Data;

namespace GenStats.Models;

/// <summary>
/// How the neural models use <see cref="RowTransform"/>: the per-column specs (group default plus
/// per-column overrides), fitting on signed weights, and the log-Jacobian of a row.
/// </summary>
internal static class NeuralTransforms
{
    /// <summary>
    /// Fits one transform per column: the override of <paramref name="overrides"/> for a column
    /// named there, else <paramref name="groupDefault"/>. Signed weights (sWeights) are clipped at 0
    /// for the fit: the transform only chooses a scale and is inverted exactly when sampling, so
    /// the clipping never biases the model; the column transforms themselves reject negative weights.
    /// </summary>
    /// <exception cref="ArgumentException">No positive weight, or a value outside a column's domain (named).</exception>
    public static RowTransform Fit(TransformKind groupDefault, IReadOnlyDictionary<string, string>? overrides, string[] names,
        double[][] rows, double[]? weights)
    {
        double[]? w = weights?.Select(v => Math.Max(0, v)).ToArray();
        if (w is not null && !(w.Sum() > 0))
            throw new ArgumentException("the weights clipped at 0 sum to 0; the preprocessing needs some positive weight.", nameof(weights));
        return RowTransform.Fit(rows, Specs(groupDefault, overrides, names), w, names);
    }

    /// <summary>The spec of every column: its override, else the group default.</summary>
    public static TransformSpec[] Specs(TransformKind groupDefault, IReadOnlyDictionary<string, string>? overrides, string[] names) =>
        names.Select(n => overrides is not null && overrides.TryGetValue(n, out var s) ? TransformSpec.Parse(s) : new TransformSpec(groupDefault)).ToArray();

    /// <summary>Refuses overrides that name no feature or condition column, and malformed specs.</summary>
    /// <exception cref="ArgumentException">The first bad entry, with the known columns.</exception>
    public static void CheckOverrides(IReadOnlyDictionary<string, string>? overrides, string[] featureNames, string[] conditionNames)
    {
        if (overrides is null) return;
        foreach (var (column, spec) in overrides)
        {
            if (!featureNames.Contains(column) && !conditionNames.Contains(column))
                throw new ArgumentException(
                    $"ColumnTransforms names column '{column}', which is neither a feature nor a condition; columns: {string.Join(", ", featureNames.Concat(conditionNames))}.",
                    "options");
            try
            {
                TransformSpec.Parse(spec);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"ColumnTransforms['{column}']: {e.Message}", "options", e);
            }
        }
    }

    /// <summary>Rebuilds from saved states, checking the width.</summary>
    /// <exception cref="InvalidDataException">Unknown kind, bad parameters or wrong width.</exception>
    public static RowTransform FromStates(ColumnTransformState[] states, int width, string what, string source)
    {
        if (states is null || states.Length != width)
            throw new InvalidDataException($"{source}: the {what} transform has {states?.Length ?? 0} column(s); {width} expected.");
        return RowTransform.FromStates(states);
    }

    /// <summary>
    /// log |det ∂Forward/∂x| at a raw row (the transform is per column, so the Jacobian is diagonal).
    /// </summary>
    /// <exception cref="NotSupportedException">A periodic column (no density in φ).</exception>
    public static double LogJacobian(this RowTransform t, double[] row)
    {
        double s = 0;
        for (int c = 0; c < row.Length; c++) s += t.Columns[c].LogDerivative(row[c]);
        return s;
    }
}
