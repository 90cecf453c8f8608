using GenStats.Data;
using GenStats.Models.Files;

namespace GenStats.Models;

/// <summary>How the library turns the k nearest training events into one generated event.</summary>
public enum LibraryRule
{
    /// <summary>Return the features of one of the k nearest events, picked with probability ∝ weight.</summary>
    WeightedPick,
    /// <summary>
    /// As <see cref="WeightedPick"/>, then shift the picked features by the local linear trend:
    /// x = xⱼ + B (y − yⱼ), B the weighted least-squares slope of x on the (standardised)
    /// conditions among the k neighbours. Needs k &gt; (number of conditions) + 1; where the local
    /// fit is singular (e.g. equal conditions) no shift is applied.
    /// </summary>
    LocalLinear,
}

/// <summary>Options of the library (nearest-condition lookup) approach.</summary>
/// <param name="Neighbours">k ≥ 1: how many nearest training events take part. Default 1.</param>
/// <param name="Rule">How k &gt; 1 neighbours make one event (ignored for k = 1). Default <see cref="LibraryRule.WeightedPick"/>.</param>
public sealed record LibraryOptions(int Neighbours = 1, LibraryRule Rule = LibraryRule.WeightedPick)
{
    /// <summary>k = 1.</summary>
    public static LibraryOptions Default { get; } = new();

    internal void Validate(int conditions)
    {
        if (Neighbours < 1)
            throw new ArgumentException($"Neighbours is {Neighbours}; k must be at least 1.", nameof(Neighbours));
        if (Rule == LibraryRule.LocalLinear && Neighbours > 1 && Neighbours <= conditions + 1)
            throw new ArgumentException(
                $"Rule local-linear with {conditions} condition(s) needs Neighbours > {conditions + 1}; got {Neighbours}.", nameof(Neighbours));
    }
}

/// <summary>
/// The "library" approach of the LHCb fast-simulation talks: generated events are training events.
/// Conditions are standardised with the weighted mean and standard deviation of the training
/// conditions; distance is Euclidean in that space; neighbours are ordered by (distance, training
/// index), so ties go to the earlier event and k = 1 is fully deterministic.
/// <list type="bullet">
/// <item>k = 1: the features of the nearest training event (the seed is unused).</item>
/// <item>k &gt; 1: one of the k nearest picked with probability ∝ weight (seeded), optionally shifted by
/// the local linear trend (<see cref="LibraryRule.LocalLinear"/>).</item>
/// <item>Unconditional: training events resampled with probability ∝ weight.</item>
/// </list>
/// Weights must be non-negative (they are sampling probabilities); zero-weight events can never be
/// picked and are left out of the library. By construction the library reproduces the training
/// sample, fluctuations included: it adds no smoothing and cannot extrapolate.
/// </summary>
public sealed class Library : IConditionalGenerator
{
    /// <summary>The model-file type name "library".</summary>
    public const string ModelType = "library";

    private readonly string[] _features, _conditions;
    private readonly double[][] _x, _y;
    private readonly double[] _weights;
    private readonly RowTransform _standardise;
    private readonly LibraryOptions _options;
    private readonly double[][] _ys;        // standardised conditions
    private readonly KdTree? _tree;
    private readonly double[] _cumulative;

    string IConditionalGenerator.ModelType => ModelType;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames => _features;

    /// <inheritdoc />
    public IReadOnlyList<string> ConditionNames => _conditions;

    /// <summary>The options the library was built with.</summary>
    public LibraryOptions Options => _options;

    /// <summary>Number of training events in the library (those with positive weight).</summary>
    public int Count => _x.Length;

    private Library(string[] features, string[] conditions, double[][] x, double[][] y, double[] weights, RowTransform standardise, LibraryOptions options)
    {
        _features = features; _conditions = conditions; _x = x; _y = y; _weights = weights;
        _standardise = standardise; _options = options;
        _ys = standardise.Forward(y);
        _tree = conditions.Length > 0 ? new KdTree(_ys) : null;
        _cumulative = new double[weights.Length];
        double s = 0;
        for (int i = 0; i < weights.Length; i++) { s += weights[i]; _cumulative[i] = s; }
    }

    /// <summary>Builds a library from a dataset with roles (features, optional conditions and weights ≥ 0).</summary>
    public static Library Fit(Dataset data, LibraryOptions? options = null) =>
        Fit(TrainingSample.From(data, allowNegativeWeights: false, "library"), options);

    /// <summary>Builds a library from a checked training sample.</summary>
    public static Library Fit(TrainingSample sample, LibraryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        options ??= LibraryOptions.Default;
        options.Validate(sample.ConditionNames.Length);
        TrainingSample.CheckWeights(sample.Weights, sample.Features.Length, allowNegative: false, "library");
        var keep = Enumerable.Range(0, sample.Weights.Length).Where(i => sample.Weights[i] > 0).ToArray();
        var x = keep.Select(i => (double[])sample.Features[i].Clone()).ToArray();
        var y = keep.Select(i => (double[])sample.Conditions[i].Clone()).ToArray();
        var w = keep.Select(i => sample.Weights[i]).ToArray();
        var standardise = RowTransform.Fit(y, sample.ConditionNames.Length, TransformKind.Standard, w);
        return new Library(sample.FeatureNames, sample.ConditionNames, x, y, w, standardise, options);
    }

    /// <summary>The training indices (into this library) of the k nearest events to a raw condition row, nearest first.</summary>
    public int[] Neighbours(double[] condition, int k)
    {
        GeneratorChecks.RequireConditions([condition], _conditions.Length, "library");
        if (_tree is null) throw new InvalidOperationException("This library is unconditional; it has no condition space.");
        return _tree.Nearest(_standardise.Forward([condition])[0], k);
    }

    /// <inheritdoc />
    public double[][] Sample(int count, int seed)
    {
        GeneratorChecks.RequireUnconditional(_conditions.Length, "library");
        GeneratorChecks.RequireCount(count);
        var result = new double[count][];
        GeneratorChecks.ForBlocks(count, seed, (start, end, rng) =>
        {
            for (int r = start; r < end; r++) result[r] = (double[])_x[rng.NextIndex(_cumulative)].Clone();
        });
        return result;
    }

    /// <inheritdoc />
    public double[][] Sample(double[][] conditions, int seed)
    {
        GeneratorChecks.RequireConditions(conditions, _conditions.Length, "library");
        if (_tree is null) return Sample(conditions.Length, seed);
        var ys = _standardise.Forward(conditions);
        var result = new double[ys.Length][];
        int k = _options.Neighbours;
        GeneratorChecks.ForBlocks(ys.Length, seed, (start, end, rng) =>
        {
            var cumulative = new double[k];
            for (int r = start; r < end; r++)
            {
                var near = _tree.Nearest(ys[r], k);
                if (near.Length == 1) { result[r] = (double[])_x[near[0]].Clone(); continue; }
                double s = 0;
                for (int j = 0; j < near.Length; j++) { s += _weights[near[j]]; cumulative[j] = s; }
                int pick = near[rng.NextIndex(cumulative[..near.Length])];
                var x = (double[])_x[pick].Clone();
                if (_options.Rule == LibraryRule.LocalLinear) ShiftLocally(x, pick, near, ys[r]);
                result[r] = x;
            }
        });
        return result;
    }

    // x += Bᵀ (y − y_pick), B from weighted least squares of x on (1, y) over the neighbours.
    private void ShiftLocally(double[] x, int pick, int[] near, double[] y)
    {
        int dy = _conditions.Length, dx = _features.Length;
        double sw = 0;
        var my = new double[dy];
        var mx = new double[dx];
        foreach (int i in near)
        {
            double w = _weights[i];
            sw += w;
            for (int a = 0; a < dy; a++) my[a] += w * _ys[i][a];
            for (int a = 0; a < dx; a++) mx[a] += w * _x[i][a];
        }
        for (int a = 0; a < dy; a++) my[a] /= sw;
        for (int a = 0; a < dx; a++) mx[a] /= sw;
        var syy = new double[dy, dy];
        var syx = new double[dy, dx];
        foreach (int i in near)
        {
            double w = _weights[i];
            for (int a = 0; a < dy; a++)
            {
                double ya = _ys[i][a] - my[a];
                for (int b = 0; b < dy; b++) syy[a, b] += w * ya * (_ys[i][b] - my[b]);
                for (int b = 0; b < dx; b++) syx[a, b] += w * ya * (_x[i][b] - mx[b]);
            }
        }
        var l = DenseMath.Cholesky(syy);
        if (l is null) return; // degenerate neighbourhood: no trend can be estimated
        var inv = DenseMath.InverseFromCholesky(l);
        for (int b = 0; b < dx; b++)
        {
            double shift = 0;
            for (int a = 0; a < dy; a++)
            {
                double slope = 0;
                for (int c = 0; c < dy; c++) slope += inv[a, c] * syx[c, b];
                shift += slope * (y[a] - _ys[pick][a]);
            }
            x[b] += shift;
        }
    }

    /// <inheritdoc />
    public ModelFileContent ToModelFile()
    {
        var metadata = ModelJson.ToElement(new LibraryMetadata(_options, _standardise.States));
        return new ModelFileContent(ModelType, _features, _conditions, metadata,
        [
            ModelArray.OfMatrix("library.features", _x, _features.Length),
            ModelArray.OfMatrix("library.conditions", _y, _conditions.Length),
            ModelArray.OfFloat64("library.weights", (double[])_weights.Clone()),
        ]);
    }

    /// <summary>Rebuilds a library from model-file content (the registry's loader for "library").</summary>
    public static Library FromModelFile(ModelFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var meta = content.ReadMetadata<LibraryMetadata>();
        int dx = content.FeatureNames.Count, dy = content.ConditionNames.Count;
        var x = content.Array("library.features").AsMatrix(dx);
        var y = content.Array("library.conditions").AsMatrix(dy);
        var w = content.Array("library.weights").AsFloat64();
        if (y.Length != x.Length || w.Length != x.Length)
            throw new InvalidDataException($"library: {x.Length} feature rows, {y.Length} condition rows and {w.Length} weights; all must match.");
        if (meta.Standardisation.Length != dy) throw new InvalidDataException("library: the number of condition transforms does not match the columns.");
        TrainingSample.CheckWeights(w, x.Length, allowNegative: false, "library");
        meta.Options.Validate(dy);
        return new Library([.. content.FeatureNames], [.. content.ConditionNames], x, y, w, RowTransform.FromStates(meta.Standardisation), meta.Options);
    }

    private sealed record LibraryMetadata(LibraryOptions Options, ColumnTransformState[] Standardisation);
}
