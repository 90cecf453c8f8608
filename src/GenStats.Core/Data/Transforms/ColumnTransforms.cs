namespace GenStats.Data;

/// <summary>
/// The kind of preprocessing of a column (a group default, or one column's choice through
/// <see cref="TransformSpec"/>). Log, log1p and logit are followed by a weighted standardisation
/// on the transformed scale; identity, quantile-normal and periodic are not.
/// </summary>
public enum TransformKind
{
    /// <summary>No preprocessing.</summary>
    Identity,
    /// <summary>Weighted standardisation (<see cref="StandardTransform"/>).</summary>
    Standard,
    /// <summary>Quantile transform to a standard normal (<see cref="QuantileNormalTransform"/>, 1000 quantiles).</summary>
    QuantileNormal,
    /// <summary>log x, then standardisation (<see cref="LogTransform"/>; values &gt; 0).</summary>
    Log,
    /// <summary>log(1 + x), then standardisation (<see cref="Log1pTransform"/>; values &gt; −1).</summary>
    Log1p,
    /// <summary>logit((x − lo)/(hi − lo)), then standardisation (<see cref="LogitTransform"/>); needs bounds, so only through <see cref="TransformSpec"/>.</summary>
    Logit,
    /// <summary>An angle φ becomes (cos φ, sin φ) (<see cref="PeriodicTransform"/>; two model columns).</summary>
    Periodic,
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
        TransformKind.Log => new LogTransform(),
        TransformKind.Log1p => new Log1pTransform(),
        TransformKind.Periodic => new PeriodicTransform(),
        TransformKind.Logit => throw new ArgumentException("logit needs its bounds: declare it per column as 'logit(lo,hi)' (TransformSpec).", nameof(kind)),
        _ => throw new ArgumentException($"Unknown transform kind {kind}.", nameof(kind)),
    };

    /// <summary>
    /// Rebuilds a fitted transform from its state (known kinds: identity, standard,
    /// quantile-normal, log, log1p, logit, periodic); an unknown kind or bad parameters give
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    public static IFittedColumnTransform FromState(ColumnTransformState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Kind switch
        {
            IdentityTransform.KindName => IdentityTransform.Fitted,
            StandardTransform.KindName => StandardTransform.FromState(state),
            QuantileNormalTransform.KindName => QuantileNormalTransform.FromState(state),
            LogTransform.KindName or Log1pTransform.KindName or LogitTransform.KindName => StandardisedCurve.FromState(state),
            PeriodicTransform.KindName => PeriodicTransform.Fitted,
            _ => throw new InvalidDataException($"transform kind '{state.Kind}' is unknown; known: identity, standard, quantile-normal, log, log1p, logit, periodic."),
        };
    }

    /// <summary>Applies a fitted width-1 transform to every value of a column.</summary>
    public static double[] Forward(this IFittedColumnTransform transform, double[] values) =>
        Array.ConvertAll(values, transform.Forward);

    /// <summary>Applies the inverse of a fitted width-1 transform to every value of a column.</summary>
    public static double[] Inverse(this IFittedColumnTransform transform, double[] values) =>
        Array.ConvertAll(values, transform.Inverse);
}

/// <summary>
/// One fitted transform per raw column of a row-major table (events × columns): what a model
/// stores for its features and for its conditions. A raw row of <see cref="Width"/> values maps
/// to a model row of <see cref="OutputWidth"/> values (a periodic column takes two).
/// </summary>
public sealed class RowTransform
{
    private readonly int[] offsets;

    /// <summary>The per-column fitted transforms.</summary>
    public IReadOnlyList<IFittedColumnTransform> Columns { get; }

    /// <summary>Wraps fitted per-column transforms.</summary>
    public RowTransform(IReadOnlyList<IFittedColumnTransform> columns)
    {
        Columns = columns ?? throw new ArgumentNullException(nameof(columns));
        offsets = new int[columns.Count + 1];
        for (int c = 0; c < columns.Count; c++) offsets[c + 1] = offsets[c] + columns[c].Width;
    }

    /// <summary>The number of raw columns.</summary>
    public int Width => Columns.Count;

    /// <summary>The number of model columns (Σ of the columns' widths).</summary>
    public int OutputWidth => offsets[^1];

    /// <summary>The first model column of raw column <paramref name="column"/>.</summary>
    public int OutputOffset(int column) => offsets[column];

    /// <summary>Identity transforms for <paramref name="width"/> columns.</summary>
    public static RowTransform Identity(int width) =>
        new(Enumerable.Repeat(IdentityTransform.Fitted, width).ToArray());

    /// <summary>Fits the same kind of transform to every column of <paramref name="rows"/> (not logit: it needs bounds).</summary>
    public static RowTransform Fit(double[][] rows, int width, TransformKind kind, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (kind == TransformKind.Identity) return Identity(width);
        return Fit(rows, Enumerable.Repeat(new TransformSpec(kind), width).ToArray(), weights);
    }

    /// <summary>
    /// Fits one transform per column, as <paramref name="specs"/> says (one per column). A value
    /// outside a kind's domain gives an <see cref="ArgumentException"/> naming the column
    /// (<paramref name="names"/>, else its index).
    /// </summary>
    public static RowTransform Fit(double[][] rows, IReadOnlyList<TransformSpec> specs, double[]? weights = null, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(specs);
        var fitted = new IFittedColumnTransform[specs.Count];
        for (int c = 0; c < specs.Count; c++)
        {
            if (specs[c].Kind == TransformKind.Identity) { fitted[c] = IdentityTransform.Fitted; continue; }
            var column = new double[rows.Length];
            for (int r = 0; r < rows.Length; r++) column[r] = rows[r][c];
            try
            {
                fitted[c] = specs[c].Create().Fit(column, weights);
            }
            catch (ArgumentException e) when (e.ParamName == "values")
            {
                string name = names is not null && c < names.Count ? $"'{names[c]}'" : $"{c}";
                throw new ArgumentException($"column {name}: {e.Message}", "rows", e);
            }
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

    /// <summary>Transforms one raw row (<see cref="Width"/> values) to a model row (<see cref="OutputWidth"/> values, new array).</summary>
    public double[] ForwardRow(double[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length != Width) throw new ArgumentException($"the row has {row.Length} values; this transform has {Width} columns.", nameof(row));
        var z = new double[OutputWidth];
        for (int c = 0; c < row.Length; c++) Columns[c].ForwardInto(row[c], z.AsSpan(offsets[c], offsets[c + 1] - offsets[c]));
        return z;
    }

    /// <summary>Maps one model row (<see cref="OutputWidth"/> values) back to a raw row (<see cref="Width"/> values, new array).</summary>
    public double[] InverseRow(ReadOnlySpan<double> row)
    {
        if (row.Length != OutputWidth) throw new ArgumentException($"the row has {row.Length} values; this transform has {OutputWidth} model columns.", nameof(row));
        var x = new double[Width];
        for (int c = 0; c < x.Length; c++) x[c] = Columns[c].InverseFrom(row[offsets[c]..offsets[c + 1]]);
        return x;
    }

    /// <summary>Transforms every raw row (new arrays).</summary>
    public double[][] Forward(double[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Array.ConvertAll(rows, ForwardRow);
    }

    /// <summary>Inverse-transforms every model row (new arrays).</summary>
    public double[][] Inverse(double[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Array.ConvertAll(rows, r => InverseRow(r));
    }
}
