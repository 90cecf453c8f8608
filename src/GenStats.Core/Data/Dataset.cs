namespace GenStats.Data;

/// <summary>
/// A table of named float64 columns, all of one length, with optional roles: feature columns
/// (what a model generates), condition columns (what it is conditioned on) and one weight column
/// (per-event weights, possibly negative sWeights). Immutable: every "With…" returns a new
/// dataset sharing the untouched columns. Columnar arrays with names — deliberately not a data frame.
/// </summary>
public sealed class Dataset
{
    private readonly string[] _names;
    private readonly double[][] _columns;
    private readonly Dictionary<string, int> _index;

    /// <summary>Column names in file order.</summary>
    public IReadOnlyList<string> ColumnNames => _names;

    /// <summary>Number of events (rows).</summary>
    public int Count { get; }

    /// <summary>Columns a model generates (empty until set with <see cref="WithRoles"/>).</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>Columns a model is conditioned on (empty for an unconditional model).</summary>
    public IReadOnlyList<string> Conditions { get; }

    /// <summary>Name of the per-event weight column, or null when every event counts once.</summary>
    public string? WeightColumn { get; }

    private Dataset(string[] names, double[][] columns, string[] features, string[] conditions, string? weight)
    {
        _names = names;
        _columns = columns;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
                throw new ArgumentException($"Column {i} has an empty name; every column needs a name.", nameof(names));
            if (!_index.TryAdd(names[i], i))
                throw new ArgumentException($"Column name '{names[i]}' appears twice; names must be unique.", nameof(names));
        }
        Count = columns.Length == 0 ? 0 : columns[0].Length;
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i] is null)
                throw new ArgumentNullException(nameof(columns), $"Column '{names[i]}' is null.");
            if (columns[i].Length != Count)
                throw new ArgumentException(
                    $"Column '{names[i]}' has {columns[i].Length} values but '{names[0]}' has {Count}; all columns need the same length.",
                    nameof(columns));
        }
        foreach (var f in features) RequireColumn(f, nameof(features));
        foreach (var c in conditions) RequireColumn(c, nameof(conditions));
        if (weight is not null) RequireColumn(weight, nameof(weight));
        var overlap = features.Intersect(conditions).Concat(weight is null ? [] : features.Concat(conditions).Where(n => n == weight)).ToArray();
        if (overlap.Length > 0)
            throw new ArgumentException($"Column(s) {string.Join(", ", overlap)} have more than one role (feature, condition, weight).");
        Features = features;
        Conditions = conditions;
        WeightColumn = weight;
    }

    /// <summary>A dataset from column names and equally long columns (the arrays are not copied).</summary>
    public static Dataset Create(string[] names, double[][] columns)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(columns);
        if (names.Length != columns.Length)
            throw new ArgumentException($"{names.Length} names for {columns.Length} columns; one name per column is required.", nameof(names));
        return new Dataset((string[])names.Clone(), (double[][])columns.Clone(), [], [], null);
    }

    /// <summary>The same columns with the given roles; <paramref name="weight"/> null means unweighted.</summary>
    public Dataset WithRoles(string[] features, string[]? conditions = null, string? weight = null) =>
        new(_names, _columns, (string[])features.Clone(), (string[]?)conditions?.Clone() ?? [], weight);

    /// <summary>A new dataset with one more column (or a replaced one of the same name).</summary>
    public Dataset WithColumn(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_index.TryGetValue(name, out int i))
        {
            var cols = (double[][])_columns.Clone();
            cols[i] = values;
            return new Dataset(_names, cols, [.. Features], [.. Conditions], WeightColumn);
        }
        return new Dataset([.. _names, name], [.. _columns, values], [.. Features], [.. Conditions], WeightColumn);
    }

    /// <summary>True when a column of that name exists.</summary>
    public bool HasColumn(string name) => _index.ContainsKey(name);

    /// <summary>The values of one column (the stored array: do not modify it).</summary>
    public double[] Column(string name) => _columns[RequireColumn(name, nameof(name))];

    /// <summary>The per-event weights, or null when no weight column is set.</summary>
    public double[]? Weights => WeightColumn is null ? null : Column(WeightColumn);

    /// <summary>Events × columns as jagged rows, the layout multi-dimensional metrics take.</summary>
    public double[][] Rows(string[] columns)
    {
        var cols = columns.Select(Column).ToArray();
        var rows = new double[Count][];
        for (int r = 0; r < Count; r++)
        {
            var row = new double[cols.Length];
            for (int c = 0; c < cols.Length; c++) row[c] = cols[c][r];
            rows[r] = row;
        }
        return rows;
    }

    /// <summary>The feature columns as rows (events × features).</summary>
    public double[][] FeatureRows() => Rows([.. Features]);

    /// <summary>The condition columns as rows (events × conditions).</summary>
    public double[][] ConditionRows() => Rows([.. Conditions]);

    /// <summary>The events at the given row indices, in that order (repeats allowed), roles kept.</summary>
    public Dataset Select(int[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (int r in rows)
            if (r < 0 || r >= Count)
                throw new ArgumentOutOfRangeException(nameof(rows), r, $"Row index {r} is outside 0..{Count - 1}.");
        var cols = _columns.Select(col => rows.Select(r => col[r]).ToArray()).ToArray();
        return new Dataset(_names, cols, [.. Features], [.. Conditions], WeightColumn);
    }

    private int RequireColumn(string name, string paramName) =>
        _index.TryGetValue(name, out int i)
            ? i
            : throw new ArgumentException(
                $"No column named '{name}'; the columns are: {string.Join(", ", _names)}.", paramName);
}
