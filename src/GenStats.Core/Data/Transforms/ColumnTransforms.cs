namespace GenStats.Data;

/// <summary>The preprocessing applied to every column of a group (features or conditions).</summary>
public enum TransformKind
{
    /// <summary>No preprocessing.</summary>
    Identity,
    /// <summary>Weighted standardisation (<see cref="StandardTransform"/>).</summary>
    Standard,
    /// <summary>Quantile transform to a standard normal (<see cref="QuantileNormalTransform"/>, 1000 quantiles).</summary>
    QuantileNormal,
}

/// <summary>Factories for column transforms and their fitted states.</summary>
public static class ColumnTransforms
{
    /// <summary>The unfitted transform of a kind.</summary>
    public static IColumnTransform Of(TransformKind kind) => kind switch
    {
        TransformKind.Identity => new IdentityTransform(),
        TransformKind.Standard => new StandardTransform(),
        TransformKind.QuantileNormal => new QuantileNormalTransform(),
        _ => throw new ArgumentException($"Unknown transform kind {kind}.", nameof(kind)),
    };

    /// <summary>
    /// Rebuilds a fitted transform from its state (known kinds: identity, standard,
    /// quantile-normal); an unknown kind or bad parameters give <see cref="InvalidDataException"/>.
    /// </summary>
    public static IFittedColumnTransform FromState(ColumnTransformState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Kind switch
        {
            IdentityTransform.KindName => IdentityTransform.Fitted,
            StandardTransform.KindName => StandardTransform.FromState(state),
            QuantileNormalTransform.KindName => QuantileNormalTransform.FromState(state),
            _ => throw new InvalidDataException($"transform kind '{state.Kind}' is unknown; known: identity, standard, quantile-normal."),
        };
    }

    /// <summary>Applies a fitted transform to every value of a column.</summary>
    public static double[] Forward(this IFittedColumnTransform transform, double[] values) =>
        Array.ConvertAll(values, transform.Forward);

    /// <summary>Applies the inverse of a fitted transform to every value of a column.</summary>
    public static double[] Inverse(this IFittedColumnTransform transform, double[] values) =>
        Array.ConvertAll(values, transform.Inverse);
}

/// <summary>
/// One fitted transform per column of a row-major table (events × columns): what a model stores
/// for its features and for its conditions.
/// </summary>
public sealed class RowTransform
{
    /// <summary>The per-column fitted transforms.</summary>
    public IReadOnlyList<IFittedColumnTransform> Columns { get; }

    /// <summary>Wraps fitted per-column transforms.</summary>
    public RowTransform(IReadOnlyList<IFittedColumnTransform> columns) =>
        Columns = columns ?? throw new ArgumentNullException(nameof(columns));

    /// <summary>Identity transforms for <paramref name="width"/> columns.</summary>
    public static RowTransform Identity(int width) =>
        new(Enumerable.Repeat(IdentityTransform.Fitted, width).ToArray());

    /// <summary>Fits the same kind of transform to every column of <paramref name="rows"/>.</summary>
    public static RowTransform Fit(double[][] rows, int width, TransformKind kind, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (kind == TransformKind.Identity) return Identity(width);
        var transform = ColumnTransforms.Of(kind);
        var fitted = new IFittedColumnTransform[width];
        for (int c = 0; c < width; c++)
        {
            var column = new double[rows.Length];
            for (int r = 0; r < rows.Length; r++) column[r] = rows[r][c];
            fitted[c] = transform.Fit(column, weights);
        }
        return new RowTransform(fitted);
    }

    /// <summary>Rebuilds from saved states.</summary>
    public static RowTransform FromStates(IReadOnlyList<ColumnTransformState> states) =>
        new(states.Select(ColumnTransforms.FromState).ToArray());

    /// <summary>The saved states, one per column.</summary>
    public ColumnTransformState[] States => Columns.Select(c => c.State).ToArray();

    /// <summary>True when every column is the identity (no work to do).</summary>
    public bool IsIdentity => Columns.All(c => c.Kind == IdentityTransform.KindName);

    /// <summary>Transforms every row (new arrays).</summary>
    public double[][] Forward(double[][] rows) => Map(rows, forward: true);

    /// <summary>Inverse-transforms every row (new arrays).</summary>
    public double[][] Inverse(double[][] rows) => Map(rows, forward: false);

    private double[][] Map(double[][] rows, bool forward)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new double[rows.Length][];
        for (int r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            if (row.Length != Columns.Count)
                throw new ArgumentException($"Row {r} has {row.Length} values; this transform has {Columns.Count} columns.", nameof(rows));
            var o = new double[row.Length];
            for (int c = 0; c < row.Length; c++) o[c] = forward ? Columns[c].Forward(row[c]) : Columns[c].Inverse(row[c]);
            result[r] = o;
        }
        return result;
    }
}
