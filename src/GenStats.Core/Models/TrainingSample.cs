using GenStats.Data;
using GenStats.Stats;

namespace GenStats.Models;

/// <summary>
/// The training events of a model, checked: feature rows, condition rows (empty rows for an
/// unconditional model) and per-event weights (all 1 when the dataset has no weight column).
/// </summary>
/// <param name="FeatureNames">Feature columns, in order.</param>
/// <param name="ConditionNames">Condition columns, in order (may be empty).</param>
/// <param name="Features">Events × features.</param>
/// <param name="Conditions">Events × conditions.</param>
/// <param name="Weights">Per-event weights.</param>
public sealed record TrainingSample(
    string[] FeatureNames,
    string[] ConditionNames,
    double[][] Features,
    double[][] Conditions,
    double[] Weights)
{
    /// <summary>
    /// Extracts and checks the training events of a dataset with roles set: at least one feature
    /// and one event; every value finite (a NaN or ∞ names its column and row); weights finite,
    /// Σw &gt; 0, and non-negative unless <paramref name="allowNegativeWeights"/>.
    /// </summary>
    public static TrainingSample From(Dataset data, bool allowNegativeWeights, string model)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features.Count == 0)
            throw new ArgumentException($"The dataset has no feature columns; set them with WithRoles before training a {model} model.", nameof(data));
        if (data.Count == 0)
            throw new ArgumentException($"The dataset has no events; a {model} model needs at least one.", nameof(data));
        foreach (var name in data.Features.Concat(data.Conditions))
        {
            var column = data.Column(name);
            for (int r = 0; r < column.Length; r++)
                if (!double.IsFinite(column[r]))
                    throw new ArgumentException(
                        $"Column '{name}', event {r} is {column[r]}; training data must be finite (remove or fix such events first).", nameof(data));
        }
        var weights = data.Weights ?? Enumerable.Repeat(1.0, data.Count).ToArray();
        CheckWeights(weights, data.Count, allowNegativeWeights, model);
        return new TrainingSample([.. data.Features], [.. data.Conditions], data.FeatureRows(), data.ConditionRows(), weights);
    }

    /// <summary>Builds and checks a training sample from arrays (conditions and weights optional).</summary>
    public static TrainingSample From(
        string[] featureNames, double[][] features, string[]? conditionNames, double[][]? conditions,
        double[]? weights, bool allowNegativeWeights, string model)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(features);
        conditionNames ??= [];
        var columns = new List<double[]>();
        var names = new List<string>();
        for (int c = 0; c < featureNames.Length; c++) { names.Add(featureNames[c]); columns.Add(Column(features, c, featureNames.Length, nameof(features))); }
        for (int c = 0; c < conditionNames.Length; c++)
        {
            if (conditions is null) throw new ArgumentNullException(nameof(conditions), "Condition names were given but no conditions.");
            if (conditions.Length != features.Length)
                throw new ArgumentException($"conditions has {conditions.Length} rows but features has {features.Length}.", nameof(conditions));
            names.Add(conditionNames[c]); columns.Add(Column(conditions, c, conditionNames.Length, nameof(conditions)));
        }
        string? weightName = null;
        if (weights is not null)
        {
            weightName = "__weight__";
            while (names.Contains(weightName)) weightName += "_";
            names.Add(weightName);
            if (weights.Length != features.Length)
                throw new ArgumentException($"weights has {weights.Length} entries but features has {features.Length} rows; one weight per event is required.", nameof(weights));
            columns.Add(weights);
        }
        var data = Dataset.Create([.. names], [.. columns]).WithRoles(featureNames, conditionNames, weightName);
        return From(data, allowNegativeWeights, model);

        static double[] Column(double[][] rows, int c, int width, string param)
        {
            var col = new double[rows.Length];
            for (int r = 0; r < rows.Length; r++)
            {
                if (rows[r] is null || rows[r].Length != width)
                    throw new ArgumentException($"{param}[{r}] has {rows[r]?.Length ?? 0} values; {width} expected.", param);
                col[r] = rows[r][c];
            }
            return col;
        }
    }

    internal static void CheckWeights(double[] weights, int count, bool allowNegative, string model)
    {
        for (int i = 0; i < weights.Length; i++)
            if (!allowNegative && weights[i] < 0)
                throw new ArgumentException(
                    $"weights[{i}] is {weights[i]}; the {model} model draws events with probability ∝ weight, so weights must be non-negative. " +
                    "For signed sWeights use the histogram model (which sums sWeights per bin) or clip the weights at 0 yourself (biased).", "weights");
        SampleChecks.RequireWeights(weights, count, "weights", allowNegative);
    }

    /// <summary>Kish's effective sample size (Σw)²/Σw².</summary>
    public double EffectiveSampleSize
    {
        get
        {
            var s = new CompensatedSum();
            var s2 = new CompensatedSum();
            foreach (double w in Weights) { s.Add(w); s2.Add(w * w); }
            return s.Value * s.Value / s2.Value;
        }
    }
}

/// <summary>Argument checks for generator calls.</summary>
internal static class GeneratorChecks
{
    public static void RequireConditions(double[][] conditions, int width, string model) =>
        RequireRows(conditions, width, nameof(conditions), $"the {model} model has {width} condition column(s)");

    /// <summary>Noise rows given to SampleFromNoise: non-null, each of the model's noise width, finite.</summary>
    public static void RequireNoise(double[][] noise, int width, string model) =>
        RequireRows(noise, width, nameof(noise), $"the {model} model takes {width} noise value(s) per event");

    private static void RequireRows(double[][] rows, int width, string what, string expected)
    {
        ArgumentNullException.ThrowIfNull(rows, what);
        for (int r = 0; r < rows.Length; r++)
        {
            var row = rows[r] ?? throw new ArgumentNullException(what, $"{what}[{r}] is null.");
            if (row.Length != width)
                throw new ArgumentException($"{what}[{r}] has {row.Length} values; {expected}.", what);
            for (int c = 0; c < width; c++)
                if (!double.IsFinite(row[c]))
                    throw new ArgumentException($"{what}[{r}][{c}] is {row[c]}; {what} must be finite.", what);
        }
    }

    /// <summary>One condition row per noise row.</summary>
    public static void RequireSameCount(double[][] conditions, double[][] noise)
    {
        if (conditions.Length != noise.Length)
            throw new ArgumentException($"{conditions.Length} condition rows but {noise.Length} noise rows; one of each per event is required.", nameof(conditions));
    }

    public static void RequireUnconditional(int conditionCount, string model)
    {
        if (conditionCount > 0)
            throw new InvalidOperationException(
                $"This {model} model is conditional ({conditionCount} condition column(s)); sample it with one row of conditions per event.");
    }

    public static void RequireCount(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The number of events must be ≥ 0.");
    }

    /// <summary>Runs body(start, end, rng) over fixed blocks of rows, each with its own stream: deterministic for any thread count.</summary>
    public static void ForBlocks(int count, int seed, Action<int, int, SeededRandom> body)
    {
        const int Block = 512;
        int blocks = (count + Block - 1) / Block;
        Parallel.For(0, blocks, b =>
        {
            int start = b * Block, end = Math.Min(count, start + Block);
            body(start, end, SeededRandom.ForStream(seed, b));
        });
    }
}
