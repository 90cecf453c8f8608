using GenStats.Numerics;

namespace GenStats.Data.Images;

/// <summary>
/// Events that are images with conditions: N images of Height × Width cells (float32, row-major
/// [N, H, W], numpy's C order: cell (r, c) of event i is at <c>i·H·W + r·W + c</c>), N rows of
/// C named conditions (float32, row-major [N, C]) and optional per-event weights (float64,
/// possibly negative sWeights, as <see cref="Dataset"/>'s weight column; their sum must be positive).
/// Immutable by convention: the arrays are stored, not copied — do not modify them.
/// Every cell, condition and weight must be finite; the constructor names the event and cell of
/// the first one that is not.
/// </summary>
public sealed class ImageDataset
{
    private readonly string[] _names;

    /// <summary>Number of events (images).</summary>
    public int Count { get; }

    /// <summary>Image height (rows of cells).</summary>
    public int Height { get; }

    /// <summary>Image width (columns of cells).</summary>
    public int Width { get; }

    /// <summary>Cells per image, Height × Width.</summary>
    public int Cells => Height * Width;

    /// <summary>The cell values, row-major [Count, Height, Width] (the stored array: do not modify it).</summary>
    public float[] Images { get; }

    /// <summary>The conditions, row-major [Count, ConditionNames.Count] (the stored array: do not modify it).</summary>
    public float[] Conditions { get; }

    /// <summary>The condition names, in column order (may be empty: an unconditional sample).</summary>
    public IReadOnlyList<string> ConditionNames => _names;

    /// <summary>Per-event weights (possibly negative; Σw &gt; 0), or null when every event counts once.</summary>
    public double[]? Weights { get; }

    private ImageDataset(float[] images, int count, int height, int width, float[] conditions, string[] names, double[]? weights)
    {
        Images = images;
        Count = count;
        Height = height;
        Width = width;
        Conditions = conditions;
        _names = names;
        Weights = weights;
    }

    /// <summary>
    /// An image dataset from its arrays (stored, not copied). <paramref name="images"/> holds
    /// <paramref name="count"/> × <paramref name="height"/> × <paramref name="width"/> values,
    /// <paramref name="conditions"/> count × names.Length values; <paramref name="weights"/> is
    /// null or one finite weight per event (negative allowed, Σw &gt; 0).
    /// </summary>
    /// <exception cref="ArgumentException">A shape mismatch, a non-finite value (the message names
    /// the event, the cell or condition), an empty or repeated condition name, or weights that do
    /// not sum to a positive number.</exception>
    public static ImageDataset Create(float[] images, int count, int height, int width, float[] conditions, string[] conditionNames, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(conditionNames);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The number of events cannot be negative.");
        if (height < 1 || width < 1)
            throw new ArgumentException($"The image shape is {height} × {width}; height and width must be at least 1.", nameof(height));
        long cells = (long)height * width;
        if (images.LongLength != count * cells)
            throw new ArgumentException(
                $"images has {images.LongLength} values but {count} events of {height} × {width} cells need {count * cells}; the layout is row-major [N, H, W].",
                nameof(images));
        var names = (string[])conditionNames.Clone();
        for (int j = 0; j < names.Length; j++)
        {
            if (string.IsNullOrWhiteSpace(names[j]))
                throw new ArgumentException($"Condition {j} has an empty name; every condition needs a name.", nameof(conditionNames));
            int k = Array.IndexOf(names, names[j], j + 1);
            if (k > 0)
                throw new ArgumentException($"Condition name '{names[j]}' appears twice (conditions {j} and {k}); names must be unique.", nameof(conditionNames));
        }
        if (conditions.LongLength != (long)count * names.Length)
            throw new ArgumentException(
                $"conditions has {conditions.LongLength} values but {count} events × {names.Length} named conditions need {(long)count * names.Length}; the layout is row-major [N, C].",
                nameof(conditions));
        for (long i = 0; i < images.LongLength; i++)
        {
            if (!float.IsFinite(images[i]))
            {
                long e = i / cells, r = i % cells / width, c = i % width;
                throw new ArgumentException(
                    $"Event {e}, cell (row {r}, column {c}) is {images[i]}; every cell must be a finite number.", nameof(images));
            }
        }
        for (long i = 0; i < conditions.LongLength; i++)
        {
            if (!float.IsFinite(conditions[i]))
                throw new ArgumentException(
                    $"Event {i / names.Length}, condition '{names[i % names.Length]}' is {conditions[i]}; every condition must be a finite number.", nameof(conditions));
        }
        if (weights is not null)
        {
            if (weights.Length != count)
                throw new ArgumentException($"weights has {weights.Length} entries but there are {count} events; one weight per event is required.", nameof(weights));
            for (int i = 0; i < weights.Length; i++)
                if (!double.IsFinite(weights[i]))
                    throw new ArgumentException($"The weight of event {i} is {weights[i]}; weights must be finite (negative sWeights are allowed).", nameof(weights));
            double total = CompensatedSum.Of(weights);
            if (count > 0 && !(total > 0))
                throw new ArgumentException($"The weights sum to {total}; the sum of weights must be positive.", nameof(weights));
        }
        return new ImageDataset(images, count, height, width, conditions, names, weights);
    }

    /// <summary>The cells of event <paramref name="i"/>, row-major [H, W] (a view of the stored array).</summary>
    public ReadOnlySpan<float> Image(int i)
    {
        RequireEvent(i);
        return Images.AsSpan(i * Cells, Cells);
    }

    /// <summary>Cell (<paramref name="row"/>, <paramref name="column"/>) of event <paramref name="i"/>.</summary>
    public float Cell(int i, int row, int column)
    {
        RequireEvent(i);
        if ((uint)row >= (uint)Height || (uint)column >= (uint)Width)
            throw new ArgumentOutOfRangeException(nameof(row), $"Cell ({row}, {column}) is outside the {Height} × {Width} image.");
        return Images[(i * Height + row) * Width + column];
    }

    /// <summary>The index of a condition by name.</summary>
    public int ConditionIndex(string name) =>
        Array.IndexOf(_names, name) is var j && j >= 0
            ? j
            : throw new ArgumentException($"No condition named '{name}'; the conditions are: {(_names.Length == 0 ? "(none)" : string.Join(", ", _names))}.", nameof(name));

    /// <summary>One condition of every event, as float64 (for statistics).</summary>
    public double[] ConditionColumn(string name)
    {
        int j = ConditionIndex(name), c = _names.Length;
        var column = new double[Count];
        for (int i = 0; i < Count; i++) column[i] = Conditions[i * c + j];
        return column;
    }

    /// <summary>
    /// The conditions as a <see cref="Dataset"/> (float64 columns named as the conditions, roles:
    /// conditions), with a weight column <c>weight</c> when the events are weighted — the table
    /// that <c>sample --conditions</c> and the statistics take.
    /// </summary>
    public Dataset ConditionTable()
    {
        var columns = _names.Select(ConditionColumn).ToList();
        var names = _names.ToList();
        if (Weights is not null)
        {
            if (names.Contains(ImageFile.WeightColumn))
                throw new InvalidOperationException($"A condition is named '{ImageFile.WeightColumn}', the name of the weight column; rename it.");
            names.Add(ImageFile.WeightColumn);
            columns.Add(Weights);
        }
        return Dataset.Create([.. names], [.. columns]).WithRoles([], [.. _names], Weights is null ? null : ImageFile.WeightColumn);
    }

    /// <summary>The events at the given indices, in that order (repeats allowed), weights kept.</summary>
    public ImageDataset Select(int[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int cells = Cells, c = _names.Length;
        var images = new float[(long)rows.Length * cells];
        var conditions = new float[(long)rows.Length * c];
        var weights = Weights is null ? null : new double[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            int i = rows[k];
            RequireEvent(i);
            Array.Copy(Images, (long)i * cells, images, (long)k * cells, cells);
            Array.Copy(Conditions, (long)i * c, conditions, (long)k * c, c);
            if (weights is not null) weights[k] = Weights![i];
        }
        return Create(images, rows.Length, Height, Width, conditions, _names, weights);
    }

    /// <summary>The same images and conditions with other weights (null: unweighted).</summary>
    public ImageDataset WithWeights(double[]? weights) => Create(Images, Count, Height, Width, Conditions, _names, weights);

    /// <summary>The same images with other conditions (row-major [N, names.Length]).</summary>
    public ImageDataset WithConditions(float[] conditions, string[] conditionNames) =>
        Create(Images, Count, Height, Width, conditions, conditionNames, Weights);

    private void RequireEvent(int i)
    {
        if ((uint)i >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(i), i, $"Event {i} is outside 0..{Count - 1}.");
    }
}
