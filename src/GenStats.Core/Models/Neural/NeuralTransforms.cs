using GenStats.Data;

namespace GenStats.Models;

/// <summary>Per-column affine map z = (x − Shift)/Scale.</summary>
/// <param name="Shift">Per-column shift.</param>
/// <param name="Scale">Per-column scale (positive).</param>
internal sealed record AffineColumns(double[] Shift, double[] Scale);

/// <summary>
/// How the neural models use <see cref="RowTransform"/>: fitting on signed weights, one row at a
/// time, the log-Jacobian of a row and, for affine transforms, the (shift, scale) pairs the
/// auxiliary statistic needs to undo the preprocessing inside the graph.
/// </summary>
internal static class NeuralTransforms
{
    /// <summary>
    /// Fits one transform of <paramref name="kind"/> per column. Signed weights (sWeights) are
    /// clipped at 0 for the fit: the transform only chooses a monotone scale and is inverted
    /// exactly when sampling, so the clipping never biases the model; the column transforms
    /// themselves reject negative weights.
    /// </summary>
    /// <exception cref="ArgumentException">No positive weight.</exception>
    public static RowTransform Fit(TransformKind kind, double[][] rows, int width, double[]? weights)
    {
        double[]? w = weights?.Select(v => Math.Max(0, v)).ToArray();
        if (w is not null && !(w.Sum() > 0))
            throw new ArgumentException("the weights clipped at 0 sum to 0; the preprocessing needs some positive weight.", nameof(weights));
        return RowTransform.Fit(rows, width, kind, w);
    }

    /// <summary>Rebuilds from saved states, checking the width.</summary>
    /// <exception cref="InvalidDataException">Unknown kind, bad parameters or wrong width.</exception>
    public static RowTransform FromStates(ColumnTransformState[] states, int width, string what, string source)
    {
        if (states is null || states.Length != width)
            throw new InvalidDataException($"{source}: the {what} transform has {states?.Length ?? 0} column(s); {width} expected.");
        return RowTransform.FromStates(states);
    }

    /// <summary>The number of columns.</summary>
    public static int Width(this RowTransform t) => t.Columns.Count;

    /// <summary>Transforms one raw row (new array).</summary>
    public static double[] ForwardRow(this RowTransform t, double[] row)
    {
        var z = new double[row.Length];
        for (int c = 0; c < row.Length; c++) z[c] = t.Columns[c].Forward(row[c]);
        return z;
    }

    /// <summary>Maps one row on the model's scale back to the raw scale (new array).</summary>
    public static double[] InverseRow(this RowTransform t, double[] row)
    {
        var x = new double[row.Length];
        for (int c = 0; c < row.Length; c++) x[c] = t.Columns[c].Inverse(row[c]);
        return x;
    }

    /// <summary>log |det ∂Forward/∂x| at a raw row (the transform is per column, so the Jacobian is diagonal).</summary>
    public static double LogJacobian(this RowTransform t, double[] row)
    {
        double s = 0;
        for (int c = 0; c < row.Length; c++) s += t.Columns[c].LogDerivative(row[c]);
        return s;
    }

    /// <summary>The per-column (shift, scale) when every column is identity or standard; else null.</summary>
    public static AffineColumns? Affine(this RowTransform t)
    {
        int n = t.Columns.Count;
        var shift = new double[n];
        var scale = new double[n];
        for (int c = 0; c < n; c++)
        {
            var s = t.Columns[c].State;
            switch (s.Kind)
            {
                case IdentityTransform.KindName: scale[c] = 1; break;
                case StandardTransform.KindName: shift[c] = s.Get("mean", 1)[0]; scale[c] = s.Get("scale", 1)[0]; break;
                default: return null;
            }
        }
        return new AffineColumns(shift, scale);
    }

    /// <summary>The kind name of the first column (all columns of a group share one kind).</summary>
    public static string KindName(this RowTransform t) => t.Columns.Count == 0 ? IdentityTransform.KindName : t.Columns[0].Kind;
}
