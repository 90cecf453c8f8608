using GenStats.Data;
using GenStats.Stats;

namespace GenStats.Comparison;

/// <summary>
/// One line of a comparison report: a metric evaluated on one column (1-D metrics) or on all
/// selected columns together (multi-dimensional metrics). This is what <c>genstats compare</c>
/// prints and writes to JSON.
/// </summary>
/// <param name="Name">The metric's stable name (see <see cref="MetricCatalog.Names"/>).</param>
/// <param name="Columns">The columns it was evaluated on.</param>
/// <param name="Value">The metric's value (NaN when undefined).</param>
/// <param name="Uncertainty">One standard deviation of <paramref name="Value"/> (NaN when none is defined).</param>
/// <param name="Extra">Further numbers: p-values, ndf, effective sample sizes, …</param>
public sealed record MetricReport(
    string Name,
    string[] Columns,
    double Value,
    double Uncertainty,
    IReadOnlyDictionary<string, double> Extra);

/// <summary>What a registered metric function returns: a value, its uncertainty and extras.</summary>
/// <param name="Value">The metric's value.</param>
/// <param name="Uncertainty">One standard deviation of the value (NaN when none is defined).</param>
/// <param name="Extra">Further named numbers (may be empty).</param>
public sealed record MetricValue(double Value, double Uncertainty, IReadOnlyDictionary<string, double> Extra)
{
    /// <summary>A two-sample result (value, uncertainty) with its effective sample sizes as extras
    /// (<c>effective_size_real</c>, <c>effective_size_generated</c>) plus any further extras.</summary>
    public static MetricValue From(ITwoSampleResult result, params (string Key, double Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(result);
        var dict = new Dictionary<string, double>
        {
            ["effective_size_real"] = result.EffectiveSizeA,
            ["effective_size_generated"] = result.EffectiveSizeB,
        };
        foreach (var (k, v) in extra) dict[k] = v;
        return new MetricValue(result.Value, result.Uncertainty, dict);
    }
}

/// <summary>Settings shared by every metric of a comparison.</summary>
/// <param name="Seed">Seed of every random operation (bootstrap, subsampling, projections, classifiers).</param>
/// <param name="BootstrapReplicas">Replicas of the Poisson bootstrap behind bootstrap uncertainties.</param>
/// <param name="QuantileBins">n_q of <c>chi2_quantiles</c>: equal-probability bins of the real sample.</param>
/// <param name="HistogramBins">Bins of <c>chi2_hist</c>, <c>jsd</c> and <c>separation_power</c>:
/// equal-width bins over the pooled [min, max] range of both samples.</param>
public sealed record ComparisonOptions(int Seed = 1, int BootstrapReplicas = 200, int QuantileBins = 20, int HistogramBins = 50)
{
    /// <summary>Seed 1, 200 replicas, 20 quantile bins, 50 histogram bins.</summary>
    public static ComparisonOptions Default { get; } = new();

    /// <summary>The bootstrap settings these options imply.</summary>
    public BootstrapOptions Bootstrap => new(BootstrapReplicas, Seed);
}

/// <summary>A registered metric: its stable name, whether it runs per column, and how to run it.</summary>
/// <param name="Name">Stable name used by <c>--metrics</c> and in reports.</param>
/// <param name="PerColumn">True for a 1-D metric (one report per column), false for one over all columns.</param>
/// <param name="Description">One line for help texts.</param>
/// <param name="Run">Evaluates the metric on (real, generated, columns, options).</param>
public sealed record MetricDefinition(
    string Name,
    bool PerColumn,
    string Description,
    Func<Dataset, Dataset, string[], ComparisonOptions, IReadOnlyList<MetricReport>> Run)
{
    /// <summary>
    /// For a 1-D metric: its value on one column within a comparison run, which shares work between
    /// metrics (the ECDF metrics' sort and bootstrap) and reports progress per column.
    /// </summary>
    internal Func<Dataset, Dataset, string, ComparisonOptions, ComparisonRun, MetricValue>? OnColumn { get; init; }
}
