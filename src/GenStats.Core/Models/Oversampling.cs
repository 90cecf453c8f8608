namespace GenStats.Models;

/// <summary>
/// An oversampled sample: K generated events per condition row (CMS FlashSim's "oversampling"),
/// rows in the order row 0 × K, row 1 × K, …
/// </summary>
/// <param name="Conditions">The condition row of every event (the input row repeated K times; empty rows for an unconditional model).</param>
/// <param name="Features">The generated features of every event.</param>
/// <param name="Weights">The weight of every event: w_row/K (w_row = 1 without condition weights), so Σ weights = Σ w_row (the number of condition rows when unweighted).</param>
/// <param name="Rows">The index of the condition row every event was generated from: the cluster label that uncertainties must resample by (<see cref="Stats.ClusteredMean"/>).</param>
/// <param name="PerRow">K.</param>
public sealed record OversampledSample(double[][] Conditions, double[][] Features, double[] Weights, int[] Rows, int PerRow)
{
    /// <summary>Events (condition rows × K).</summary>
    public int Count => Features.Length;
}

/// <summary>
/// Oversampling for any <see cref="IConditionalGenerator"/>: K events per condition row, each with
/// weight 1/K (times the row's own weight, if any). The K events of a row share their condition, so
/// they are correlated: a statistic's uncertainty must treat the condition row, not the event, as
/// the independent unit (<see cref="Stats.ClusteredMean"/>; docs/studies.md, "Oversampling").
/// </summary>
public static class Oversampling
{
    /// <summary>
    /// K = <paramref name="perRow"/> events for every row of <paramref name="conditions"/>, from one
    /// <see cref="IConditionalGenerator.Sample(double[][], int)"/> call on the rows repeated K times
    /// (so the same seed gives the same sample, and K = 1 gives exactly the model's own sample).
    /// </summary>
    /// <param name="model">Any conditional model.</param>
    /// <param name="conditions">Condition rows (the model's <see cref="IConditionalGenerator.ConditionNames"/>, finite).</param>
    /// <param name="perRow">K ≥ 1.</param>
    /// <param name="seed">Sampling seed.</param>
    /// <param name="rowWeights">Optional weight per condition row (finite; null = 1); event weight = w_row/K.</param>
    /// <exception cref="ArgumentException">K &lt; 1, too many events, or bad weights; the model's own checks for the rows.</exception>
    public static OversampledSample Sample(IConditionalGenerator model, double[][] conditions, int perRow, int seed, double[]? rowWeights = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(conditions);
        CheckPerRow(perRow, conditions.Length);
        if (rowWeights is not null)
        {
            if (rowWeights.Length != conditions.Length)
                throw new ArgumentException($"rowWeights has {rowWeights.Length} entries for {conditions.Length} condition rows; one per row is required.", nameof(rowWeights));
            for (int i = 0; i < rowWeights.Length; i++)
                if (!double.IsFinite(rowWeights[i])) throw new ArgumentException($"rowWeights[{i}] is {rowWeights[i]}; weights must be finite.", nameof(rowWeights));
        }
        int n = conditions.Length * perRow;
        var repeated = new double[n][];
        var rows = new int[n];
        var weights = new double[n];
        for (int i = 0, e = 0; i < conditions.Length; i++)
            for (int k = 0; k < perRow; k++, e++)
                (repeated[e], rows[e], weights[e]) = (conditions[i], i, (rowWeights?[i] ?? 1.0) / perRow);
        return new OversampledSample(repeated, model.Sample(repeated, seed), weights, rows, perRow);
    }

    /// <summary>
    /// K events for each of <paramref name="count"/> draws of an unconditional model (no shared
    /// condition: the events are independent, the row labels only group them K by K).
    /// </summary>
    /// <exception cref="ArgumentException">K &lt; 1 or too many events.</exception>
    public static OversampledSample Sample(IConditionalGenerator model, int count, int perRow, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckPerRow(perRow, count);
        int n = count * perRow;
        var features = model.Sample(n, seed);
        var rows = new int[n];
        for (int e = 0; e < n; e++) rows[e] = e / perRow;
        return new OversampledSample(Enumerable.Range(0, n).Select(_ => Array.Empty<double>()).ToArray(), features,
            Enumerable.Repeat(1.0 / perRow, n).ToArray(), rows, perRow);
    }

    private static void CheckPerRow(int perRow, int rows)
    {
        if (perRow < 1) throw new ArgumentException($"K (events per condition row) is {perRow}; at least 1 is required.", nameof(perRow));
        if (rows < 0) throw new ArgumentException($"the number of rows is {rows}; ≥ 0 is required.", nameof(rows));
        if ((long)rows * perRow > Array.MaxLength)
            throw new ArgumentException($"{rows} rows × K = {perRow} events exceed the largest array ({Array.MaxLength}); sample in parts.", nameof(perRow));
    }
}
