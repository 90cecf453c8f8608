using GenStats.Data;
using GenStats.Stats;
using GenStats.Stats.Classifier;
using GenStats.Stats.PrecisionRecall;

namespace GenStats.Comparison;

/// <summary>
/// The metrics by stable name, as <c>genstats compare --metrics</c> knows them. A 1-D metric runs
/// once per column; a multi-dimensional one once over all selected columns (events × columns).
/// Weights come from each dataset's weight column (<see cref="Dataset.WeightColumn"/>), or none.
/// </summary>
/// <remarks>
/// Registering a metric is one line in <see cref="Definitions"/>: <see cref="PerColumn"/> for a 1-D
/// metric taking (real values, real weights, generated values, generated weights, options), or
/// <see cref="MultiDimensional(string, string, Func{double[][], double[], double[][], double[], ComparisonOptions, ITwoSampleResult})"/>
/// for one taking rows (double[][] events × columns) and returning an <see cref="ITwoSampleResult"/>
/// (or a <see cref="MetricValue"/> when it has extras). "all" means every registered metric, in
/// registration order. Binning of the histogram metrics: <see cref="ComparisonOptions.HistogramBins"/>
/// equal-width bins over the pooled range of both samples; <c>chi2_quantiles</c> uses
/// <see cref="ComparisonOptions.QuantileBins"/> equal-probability bins of the real sample.
/// </remarks>
public static class MetricCatalog
{
    private static readonly MetricDefinition[] Definitions =
    [
        Cdf("ks", "Kolmogorov–Smirnov distance sup|F−G| (weighted ECDFs; bootstrap uncertainty; extra: p-value)", c => Ks(KolmogorovSmirnov.Test(c))),
        PerColumn("ks_pvalue", "KS two-sided p-value (scipy ks_2samp method='auto'; weighted: asymptotic at effective sizes)", KsPValue),
        Cdf("w1", "Wasserstein-1 ∫|F−G| (scipy wasserstein_distance)", c => MetricValue.From(c.Result(d => d.L1))),
        Cdf("energy", "energy distance √(2∫(F−G)²) (scipy energy_distance)", c => MetricValue.From(c.Result(CdfDistances.Energy))),
        Cdf("cramer", "Cramér distance ∫(F−G)² = ½ energy²", c => MetricValue.From(c.Result(d => d.L2Squared))),
        PerColumn("chi2_quantiles", "Pearson χ² of generated on equal-probability quantile bins of real (extra: ndf, p-value, χ̂²)", QuantileChi2),
        PerColumn("chi2_hist", "Gagunashvili χ² of histograms, UU/UW/WW as ROOT's Chi2Test (extra: ndf, p-value)", HistogramChi2),
        PerColumn("jsd", "Jensen–Shannon divergence of histograms, log base 2 (∈ [0, 1])",
            (a, wa, b, wb, o) => MetricValue.From(
                HistogramDivergences.JensenShannon(a, wa, b, wb, Histogram.PooledUniformEdges(a, b, o.HistogramBins), o.Bootstrap),
                ("bins", o.HistogramBins))),
        PerColumn("separation_power", "CaloChallenge separation power ½Σ(p−q)²/(p+q) of histograms",
            (a, wa, b, wb, o) => MetricValue.From(
                HistogramDivergences.SeparationPower(a, wa, b, wb, Histogram.PooledUniformEdges(a, b, o.HistogramBins), o.Bootstrap),
                ("bins", o.HistogramBins))),
        // Multi-dimensional metrics: one line each.
        MultiDimensional("energy_nd", "energy distance √(2E|X−Y|−E|X−X'|−E|Y−Y'|), Euclidean, V-statistic (scipy convention)",
            (a, wa, b, wb, o) => EnergyDistanceNd.Compute(a, wa, b, wb, new EnergyDistanceNdOptions(Seed: o.Seed))),
        MultiDimensional("mmd_rbf", "unbiased MMD², Gaussian kernel, σ = median pooled pairwise distance",
            (a, wa, b, wb, o) => MaximumMeanDiscrepancy.Compute(a, wa, b, wb, new MaximumMeanDiscrepancyOptions(Seed: o.Seed))),
        MultiDimensional("kpd", "KPD (jetnet): unbiased MMD², kernel (x·y/d + 1)⁴, median and half-IQR over batches",
            (a, wa, b, wb, o) => KernelPhysicsDistance.Compute(a, wa, b, wb, new KernelPhysicsDistanceOptions(Seed: o.Seed))),
        MultiDimensional("frechet", "Fréchet distance of means and covariances (ddof = 1, stabilised matrix square root)",
            (a, wa, b, wb, o) => FrechetDistance.Compute(a, wa, b, wb, new FrechetDistanceOptions(Seed: o.Seed))),
        MultiDimensional("fpd", "FPD (jetnet): Fréchet distance extrapolated to N → ∞ by a linear fit in 1/N",
            (a, wa, b, wb, o) => FrechetPhysicsDistance.Compute(a, wa, b, wb, new FrechetPhysicsDistanceOptions(Seed: o.Seed))),
        MultiDimensional("sliced_w1", "sliced Wasserstein-1 over seeded random directions",
            (a, wa, b, wb, o) => SlicedWasserstein.Compute(a, wa, b, wb, new SlicedWassersteinOptions(Seed: o.Seed))),
        MultiDimensional("emd", "exact EMD, Euclidean cost (POT emd2 convention; up to 3000 events per sample)",
            (a, wa, b, wb, o) => EarthMoversDistance.Compute(a, wa, b, wb, new EarthMoversDistanceOptions(Seed: o.Seed))),
        MultiDimensional("precision", "prdc precision (Naeem et al.: k = 5, k-th neighbour radii excluding self, strict <)",
            (a, wa, b, wb, o) => Prdc.Precision(a, wa, b, wb)),
        MultiDimensional("recall", "prdc recall (k = 5)", (a, wa, b, wb, o) => Prdc.Recall(a, wa, b, wb)),
        MultiDimensional("density", "prdc density (k = 5)", (a, wa, b, wb, o) => Prdc.Density(a, wa, b, wb)),
        MultiDimensional("coverage", "prdc coverage (k = 5)", (a, wa, b, wb, o) => Prdc.Coverage(a, wa, b, wb)),
        MultiDimensional("improved_precision", "improved precision (Kynkäänniemi et al.: k = 3, <=)",
            (a, wa, b, wb, o) => ImprovedPrecisionRecall.Precision(a, wa, b, wb)),
        MultiDimensional("improved_recall", "improved recall (k = 3, <=)",
            (a, wa, b, wb, o) => ImprovedPrecisionRecall.Recall(a, wa, b, wb)),
        MultiDimensional("prd_f8", "PRD F₈, recall-like (Sajjadi et al.: k-means on the union, 20 clusters, 10 runs, 1001 angles)",
            (a, wa, b, wb, o) => PrdCurve.F8(a, wa, b, wb, new PrdOptions(Seed: o.Seed))),
        MultiDimensional("prd_f1_8", "PRD F₁/₈, precision-like",
            (a, wa, b, wb, o) => PrdCurve.F1Over8(a, wa, b, wb, new PrdOptions(Seed: o.Seed))),
        MultiDimensional("classifier_auc", "classifier two-sample test: held-out ROC AUC of logistic regression (0.5 = indistinguishable)",
            (a, wa, b, wb, o) => ClassifierTest.Auc(a, wa, b, wb, new ClassifierTestOptions(Seed: o.Seed))),
    ];

    /// <summary>Every registered metric, in registration order.</summary>
    public static IReadOnlyList<MetricDefinition> All => Definitions;

    /// <summary>The registered metric names, in registration order.</summary>
    public static IReadOnlyList<string> Names => Definitions.Select(d => d.Name).ToArray();

    /// <summary>
    /// Resolves a <c>--metrics</c> value: "all" (every registered metric) or a comma-separated list of
    /// names. Unknown names throw an <see cref="ArgumentException"/> listing the known ones.
    /// </summary>
    public static IReadOnlyList<MetricDefinition> Resolve(string? metrics)
    {
        if (string.IsNullOrWhiteSpace(metrics) || metrics.Trim() == "all") return Definitions;
        var names = metrics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) return Definitions;
        var result = new List<MetricDefinition>();
        foreach (var name in names)
        {
            if (name == "all") { result.AddRange(Definitions); continue; }
            var definition = Definitions.FirstOrDefault(d => d.Name == name)
                ?? throw new ArgumentException(
                    $"Unknown metric '{name}'; the metrics are: {string.Join(", ", Names)} (or 'all').", nameof(metrics));
            result.Add(definition);
        }
        return result.DistinctBy(d => d.Name).ToArray();
    }

    /// <summary>
    /// Evaluates the named metrics ("all" or a comma-separated list) on the given columns of both
    /// datasets, weights from their weight columns. Every column must exist in both.
    /// </summary>
    public static IReadOnlyList<MetricReport> Compare(
        Dataset real, Dataset generated, string[] columns, string? metrics = "all", ComparisonOptions? options = null)
    {
        options ??= ComparisonOptions.Default;
        CheckColumns(real, generated, columns);
        var requested = Resolve(metrics);
        var run = new ComparisonRun(real, generated, options, Units(requested, columns), null);
        var reports = new List<MetricReport>();
        foreach (var definition in requested)
            reports.AddRange(Evaluate(definition, real, generated, columns, options, run));
        return reports;
    }

    private static void CheckColumns(Dataset real, Dataset generated, string[] columns)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0)
            throw new ArgumentException("No columns to compare; give at least one column present in both files.", nameof(columns));
        foreach (var c in columns)
        {
            if (!real.HasColumn(c))
                throw new ArgumentException($"The real sample has no column '{c}'; its columns are: {string.Join(", ", real.ColumnNames)}.", nameof(columns));
            if (!generated.HasColumn(c))
                throw new ArgumentException($"The generated sample has no column '{c}'; its columns are: {string.Join(", ", generated.ColumnNames)}.", nameof(columns));
        }
    }

    private static int Units(IReadOnlyList<MetricDefinition> definitions, string[] columns) =>
        definitions.Sum(d => d.OnColumn is null ? 1 : columns.Length);

    // A 1-D metric column by column within the run (shared work, progress per column); any other as registered.
    private static IReadOnlyList<MetricReport> Evaluate(
        MetricDefinition definition, Dataset real, Dataset generated, string[] columns, ComparisonOptions options, ComparisonRun run)
    {
        if (definition.OnColumn is not { } onColumn)
        {
            var all = definition.Run(real, generated, columns, options);
            run.UnitDone();
            return all;
        }
        var reports = new MetricReport[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            string column = columns[i];
            var v = Guard(definition.Name, $"column '{column}'", () => onColumn(real, generated, column, options, run));
            reports[i] = new MetricReport(definition.Name, [column], v.Value, v.Uncertainty, v.Extra);
            run.UnitDone();
        }
        return reports;
    }

    /// <summary>
    /// As <see cref="Compare"/>, but when every metric is requested ("all", the default) a metric that
    /// refuses this input (too many events for the exact EMD, too few for a classifier, …) is listed
    /// in <see cref="ComparisonOutcome.Skipped"/> with its reason and the others are still computed.
    /// A metric named explicitly that cannot run is an error, as in <see cref="Compare"/>.
    /// </summary>
    /// <remarks><paramref name="progress"/>, when given, receives the fraction of the work done (0..1): per metric
    /// and column, and within a column's streaming bootstrap (reported from worker threads).</remarks>
    /// <exception cref="ArgumentException">Unknown metric or column, or an explicitly named metric that cannot run.</exception>
    public static ComparisonOutcome CompareSkippingRefused(
        Dataset real, Dataset generated, string[] columns, string? metrics = "all", ComparisonOptions? options = null,
        IProgress<double>? progress = null)
    {
        bool all = string.IsNullOrWhiteSpace(metrics) || metrics.Trim() == "all";
        var reports = new List<MetricReport>();
        var skipped = new List<SkippedMetric>();
        var requested = all ? Definitions : Resolve(metrics);
        options ??= ComparisonOptions.Default;
        CheckColumns(real, generated, columns);
        // One run for all metrics: the ECDF metrics share each column's sort and bootstrap.
        var run = new ComparisonRun(real, generated, options, Units(requested, columns), progress);
        foreach (var definition in requested)
        {
            try { reports.AddRange(Evaluate(definition, real, generated, columns, options, run)); }
            catch (ArgumentException e) when (all && e.ParamName != nameof(columns)) { skipped.Add(new SkippedMetric(definition.Name, e.Message)); }
        }
        progress?.Report(1.0);
        return new ComparisonOutcome(reports, skipped);
    }

    /// <summary>Defines a 1-D metric: run once per column on (real, w_real, generated, w_generated, options).</summary>
    public static MetricDefinition PerColumn(
        string name, string description, Func<double[], double[]?, double[], double[]?, ComparisonOptions, MetricValue> metric) =>
        new(name, true, description, (real, generated, columns, options) =>
            columns.Select(column =>
            {
                var v = Guard(name, $"column '{column}'",
                    () => metric(real.Column(column), real.Weights, generated.Column(column), generated.Weights, options));
                return new MetricReport(name, [column], v.Value, v.Uncertainty, v.Extra);
            }).ToArray())
        {
            OnColumn = (real, generated, column, options, _) =>
                metric(real.Column(column), real.Weights, generated.Column(column), generated.Weights, options),
        };

    // An ECDF metric: within a run it reads the column's shared sort and streaming bootstrap
    // (CdfColumn); on its own (Run) it computes them itself.
    private static MetricDefinition Cdf(string name, string description, Func<CdfColumn, MetricValue> metric) =>
        PerColumn(name, description, (a, wa, b, wb, o) => metric(CdfColumn.Compute(a, wa, b, wb, o.Bootstrap))) with
        {
            OnColumn = (_, _, column, _, run) => metric(run.Cdf(column)),
        };

    /// <summary>
    /// Defines a multi-dimensional metric on rows (events × selected columns) of both samples with
    /// their weights (null = unweighted), in the order (a, weightsA, b, weightsB, options), returning
    /// an <see cref="ITwoSampleResult"/>; the report carries its effective sample sizes as extras.
    /// </summary>
    public static MetricDefinition MultiDimensional(
        string name, string description, Func<double[][], double[]?, double[][], double[]?, ComparisonOptions, ITwoSampleResult> metric) =>
        MultiDimensionalWithExtras(name, description, (a, wa, b, wb, o) => MetricValue.From(metric(a, wa, b, wb, o)));

    /// <summary>As <see cref="MultiDimensional"/>, for a metric that reports extras of its own.</summary>
    public static MetricDefinition MultiDimensionalWithExtras(
        string name, string description, Func<double[][], double[]?, double[][], double[]?, ComparisonOptions, MetricValue> metric) =>
        new(name, false, description, (real, generated, columns, options) =>
        {
            var v = Guard(name, $"columns {string.Join(", ", columns)}",
                () => metric(real.Rows(columns), real.Weights, generated.Rows(columns), generated.Weights, options));
            return [new MetricReport(name, (string[])columns.Clone(), v.Value, v.Uncertainty, v.Extra)];
        });

    // Bad input surfaces with the metric and column named, so a long report says where it failed.
    private static MetricValue Guard(string name, string where, Func<MetricValue> run)
    {
        try { return run(); }
        catch (ArgumentException e) { throw new ArgumentException($"{name} on {where}: {e.Message}", e); }
    }

    private static MetricValue Ks(KsTestResult r) =>
        new MetricValue(r.Value, r.Uncertainty, new Dictionary<string, double>
        {
            ["pvalue"] = r.PValue,
            ["pvalue_exact"] = r.PValueMethod == "exact" ? 1 : 0,
            ["effective_size_real"] = r.EffectiveSizeA,
            ["effective_size_generated"] = r.EffectiveSizeB,
        });

    private static MetricValue KsPValue(double[] a, double[]? wa, double[] b, double[]? wb, ComparisonOptions o)
    {
        double d = KolmogorovSmirnov.Distance(a, wa, b, wb);
        double p = KolmogorovSmirnov.PValue(a, wa, b, wb);
        bool exact = wa is null && wb is null && Math.Max(a.Length, b.Length) <= KolmogorovSmirnov.ExactLimit;
        return new MetricValue(p, double.NaN, new Dictionary<string, double>
        {
            ["statistic"] = d,
            ["exact"] = exact ? 1 : 0,
            ["effective_size_real"] = OneDimensionalChecks.EffectiveSize(wa, a.Length),
            ["effective_size_generated"] = OneDimensionalChecks.EffectiveSize(wb, b.Length),
        });
    }

    private static MetricValue QuantileChi2(double[] a, double[]? wa, double[] b, double[]? wb, ComparisonOptions o)
    {
        var r = QuantileChiSquare.Test(a, wa, b, wb, o.QuantileBins, o.Bootstrap);
        return new MetricValue(r.Value, r.Uncertainty, new Dictionary<string, double>
        {
            ["ndf"] = r.Ndf,
            ["pvalue"] = r.PValue,
            ["chi2_hat"] = r.NormalizedChiSquare,
            ["chi2_hat_uncertainty"] = r.NormalizedUncertainty,
            ["reference_correction"] = r.ReferenceCorrection,
            ["quantile_bins"] = o.QuantileBins,
            ["effective_size_real"] = r.EffectiveSizeA,
            ["effective_size_generated"] = r.EffectiveSizeB,
        });
    }

    private static MetricValue HistogramChi2(double[] a, double[]? wa, double[] b, double[]? wb, ComparisonOptions o)
    {
        var r = HistogramChiSquare.Test(a, wa, b, wb, Histogram.PooledUniformEdges(a, b, o.HistogramBins), o.Bootstrap);
        return new MetricValue(r.Value, r.Uncertainty, new Dictionary<string, double>
        {
            ["ndf"] = r.Ndf,
            ["pvalue"] = r.PValue,
            ["bins"] = o.HistogramBins,
            // 0 = UU, 1 = UW, 2 = WW (ROOT's Chi2Test options).
            ["comparison"] = (int)r.Comparison,
            ["effective_size_real"] = r.EffectiveSizeA,
            ["effective_size_generated"] = r.EffectiveSizeB,
        });
    }
}

/// <summary>A metric of "all" that could not run on this input, and why (its error message).</summary>
/// <param name="Name">The metric's catalog name.</param>
/// <param name="Reason">Why it refused the input.</param>
public sealed record SkippedMetric(string Name, string Reason);

/// <summary>The computed reports of a comparison and the metrics it skipped.</summary>
/// <param name="Reports">One report per metric and column (or column set).</param>
/// <param name="Skipped">Metrics of "all" that refused this input.</param>
public sealed record ComparisonOutcome(IReadOnlyList<MetricReport> Reports, IReadOnlyList<SkippedMetric> Skipped);
