using System.CommandLine;
using System.Globalization;
using GenStats.Comparison;
using GenStats.Data;
using GenStats.Observables;
using Spectre.Console;

namespace GenStats.Cli;

/// <summary>
/// `genstats compare REAL.csv GENERATED.csv`: every requested two-sample metric (see
/// <see cref="MetricCatalog"/>) between a real and a generated sample, as a table and optionally
/// as JSON <c>{"metrics":[{"name","columns","value","uncertainty","extra"}], "skipped":[{"name","reason"}]}</c> (NaN → null).
/// With <c>--metrics all</c> (the default) a metric that refuses the input is skipped with its reason
/// (a line on standard error, and in the JSON) and the others are computed.
/// A stable contract: external checks call it. <c>--derive NAME=expression</c> (repeatable, e.g.
/// <c>M=mass(pt1,eta1,phi1,pt2,eta2,phi2)</c>) adds a derived column to both samples before the
/// metrics, and to the compared columns (appended to <c>--columns</c> when that is given).
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var real = new Argument<FileInfo>("REAL") { Description = "CSV file of the real (reference) sample." };
        var generated = new Argument<FileInfo>("GENERATED") { Description = "CSV file of the generated sample." };
        var columns = new Option<string?>("--columns") { Description = "Comma-separated columns to compare (default: every column common to both files except the weight columns)." };
        var realWeight = new Option<string?>("--real-weight") { Description = "Column of per-event weights in the real file (signed sWeights allowed where a metric is linear in them)." };
        var generatedWeight = new Option<string?>("--generated-weight") { Description = "Column of per-event weights in the generated file." };
        var metrics = new Option<string>("--metrics") { Description = $"Comma-separated metrics or 'all'. Known: {string.Join(", ", MetricCatalog.Names)}.", DefaultValueFactory = _ => "all" };
        var seed = new Option<int>("--seed") { Description = "Seed of every random operation (bootstrap uncertainties).", DefaultValueFactory = _ => 1 };
        var json = new Option<FileInfo?>("--json") { Description = "Write the results as JSON to this file (atomically)." };
        var replicas = new Option<int>("--replicas") { Description = "Bootstrap replicas for the uncertainties.", DefaultValueFactory = _ => ComparisonOptions.Default.BootstrapReplicas };
        var quantileBins = new Option<int>("--quantile-bins") { Description = "Equal-probability bins of chi2_quantiles.", DefaultValueFactory = _ => ComparisonOptions.Default.QuantileBins };
        var bins = new Option<int>("--bins") { Description = "Equal-width bins (pooled range) of chi2_hist, jsd and separation_power.", DefaultValueFactory = _ => ComparisonOptions.Default.HistogramBins };
        var derive = new Option<string[]>("--derive")
        {
            Description = "NAME=expression: add a derived column to both samples and compare it too (repeatable), e.g. \"M=mass(pt1,eta1,phi1,pt2,eta2,phi2)\". "
                + "Functions: mass, pt, rapidity, phi (of a system of (pt,eta,phi[,m]) objects), mass4 (E,px,py,pz), dphi, dr, mt; see docs/observables.md.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var force = CliOptions.Force();
        var progress = CliOptions.Progress();
        var command = new Command("compare", "Two-sample metrics between a real and a generated sample, with uncertainties.")
        {
            real, generated, columns, realWeight, generatedWeight, metrics, seed, json, replicas, quantileBins, bins, derive, force, progress,
        };
        command.SetAction(r => Run(
            r.GetValue(real)!, r.GetValue(generated)!, r.GetValue(columns), r.GetValue(realWeight), r.GetValue(generatedWeight),
            r.GetValue(metrics)!, r.GetValue(json), r.GetValue(derive) ?? [],
            new ComparisonOptions(r.GetValue(seed), r.GetValue(replicas), r.GetValue(quantileBins), r.GetValue(bins)), r.GetValue(force),
            r.GetValue(progress)));
        return command;
    }

    private static int Run(
        FileInfo realFile, FileInfo generatedFile, string? columnList, string? realWeight, string? generatedWeight,
        string metrics, FileInfo? json, string[] derive, ComparisonOptions options, bool force, bool progress)
    {
        if (string.IsNullOrWhiteSpace(metrics))
            throw new CliException($"--metrics is empty; give 'all' or comma-separated names from: {string.Join(", ", MetricCatalog.Names)}.");
        var definitions = MetricCatalog.Resolve(metrics); // unknown names fail before any file is read
        var derived = derive.Select(ParseDerive).ToArray();
        if (options.BootstrapReplicas < 2) throw new ArgumentException($"--replicas is {options.BootstrapReplicas}; at least 2 are required.");
        if (options.QuantileBins < 2) throw new ArgumentException($"--quantile-bins is {options.QuantileBins}; at least 2 are required.");
        if (options.HistogramBins < 1) throw new ArgumentException($"--bins is {options.HistogramBins}; at least 1 is required.");
        CheckSizes(options, definitions.Count);
        CliFiles.Input(realFile, "REAL");
        CliFiles.Input(generatedFile, "GENERATED");
        if (json is not null) CliFiles.Output(json, "--json", CliFiles.Kind.Json, force, ("REAL", realFile), ("GENERATED", generatedFile));
        var (realData, generatedData) = LoadBoth(realFile, realWeight, generatedFile, generatedWeight);
        realData = Derive(derived, realData, realFile);
        generatedData = Derive(derived, generatedData, generatedFile);
        var selected = SelectColumns(columnList, realData, generatedData, realWeight, generatedWeight, realFile, generatedFile);
        if (columnList is not null) selected = [.. selected, .. derived.Select(d => d.Name).Where(n => !selected.Contains(n))];
        realData = realData.WithRoles(selected.Where(c => c != realWeight).ToArray(), weight: realWeight);
        generatedData = generatedData.WithRoles(selected.Where(c => c != generatedWeight).ToArray(), weight: generatedWeight);
        var outcome = CliProgress.Run($"comparing ({definitions.Count} metrics × {selected.Length} columns)",
            p => MetricCatalog.CompareSkippingRefused(realData, generatedData, selected, metrics, options, p), progress);
        outcome = WithoutUndefinedUncertainties(outcome, realData, generatedData, realFile, generatedFile);
        Print(outcome.Reports);
        foreach (var sk in outcome.Skipped) Console.Error.WriteLine($"genstats compare: skipped {sk.Name}: {sk.Reason}");
        if (json is not null) MetricReportJson.Write(outcome, json.FullName);
        return 0;
    }

    /// <summary>Fewer events than this in either sample: a bootstrap spread says nothing (one event resamples to itself), so uncertainties are undefined.</summary>
    public const int MinimumEventsForUncertainty = 10;

    /// <summary>The estimated memory of the requested sizes, refused above the limit before any file is read.</summary>
    private static void CheckSizes(ComparisonOptions o, int metricCount)
    {
        // Every metric keeps its replica values (and the summary a copy).
        CliMemory.Require(16.0 * o.BootstrapReplicas * Math.Max(1, metricCount), $"--replicas {o.BootstrapReplicas}");
        // Histograms: edges, counts, squared weights and replica copies of both samples, per parallel bootstrap worker.
        double workers = 2 + Environment.ProcessorCount;
        CliMemory.Require(8.0 * 8 * workers * o.HistogramBins, $"--bins {o.HistogramBins}");
        CliMemory.Require(8.0 * 8 * workers * o.QuantileBins, $"--quantile-bins {o.QuantileBins}");
    }

    private static ComparisonOutcome WithoutUndefinedUncertainties(
        ComparisonOutcome outcome, Dataset real, Dataset generated, FileInfo realFile, FileInfo generatedFile)
    {
        var small = new[] { (real, realFile), (generated, generatedFile) }.Where(x => x.Item1.Count < MinimumEventsForUncertainty).ToArray();
        if (small.Length == 0) return outcome;
        foreach (var (d, f) in small)
            Console.Error.WriteLine(
                $"genstats compare: warning: {f.Name} has {d.Count} event(s), fewer than {MinimumEventsForUncertainty}; the bootstrap cannot estimate uncertainties, so they are reported as undefined ('-', JSON null).");
        return outcome with { Reports = outcome.Reports.Select(r => r with { Uncertainty = double.NaN }).ToArray() };
    }

    private static ObservableDefinition ParseDerive(string text)
    {
        try { return ObservableDefinition.Parse(text); }
        catch (ArgumentException e) { throw new ArgumentException($"--derive {e.Message}"); }
    }

    private static Dataset Derive(ObservableDefinition[] derived, Dataset data, FileInfo file)
    {
        foreach (var d in derived)
        {
            try { data = d.AddTo(data); }
            catch (ArgumentException e) { throw new ArgumentException($"--derive on {file.Name}: {e.Message}"); }
        }
        return data;
    }

    // Both files are parsed at once (parsing 10⁶ rows takes seconds); a failure of the real file is
    // reported first, as a sequential read would, and only after the other read has ended.
    private static (Dataset Real, Dataset Generated) LoadBoth(FileInfo realFile, string? realWeight, FileInfo generatedFile, string? generatedWeight)
    {
        var generated = Task.Run(() => Load(generatedFile, generatedWeight, "--generated-weight"));
        Dataset real;
        try { real = Load(realFile, realWeight, "--real-weight"); }
        finally { ((IAsyncResult)generated).AsyncWaitHandle.WaitOne(); }
        return (real, generated.GetAwaiter().GetResult());
    }

    private static Dataset Load(FileInfo file, string? weightColumn, string option)
    {
        var data = TableFile.Read(file.FullName);
        if (data.Count == 0) throw new CliException($"{file.Name} has a header but no events; compare needs at least one event in each sample.");
        if (weightColumn is not null && !data.HasColumn(weightColumn))
            throw new ArgumentException(
                $"{option}: {file.Name} has no column '{weightColumn}'; its columns are: {string.Join(", ", data.ColumnNames)}.");
        return data;
    }

    private static string[] SelectColumns(
        string? columnList, Dataset real, Dataset generated, string? realWeight, string? generatedWeight,
        FileInfo realFile, FileInfo generatedFile)
    {
        if (columnList is not null)
        {
            var requested = columnList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (requested.Length == 0) throw new ArgumentException("--columns is empty; give at least one column name.");
            foreach (var c in requested)
            {
                if (!real.HasColumn(c))
                    throw new ArgumentException($"--columns: {realFile.Name} has no column '{c}'; its columns are: {string.Join(", ", real.ColumnNames)}.");
                if (!generated.HasColumn(c))
                    throw new ArgumentException($"--columns: {generatedFile.Name} has no column '{c}'; its columns are: {string.Join(", ", generated.ColumnNames)}.");
            }
            return requested.Distinct().ToArray();
        }
        var common = real.ColumnNames
            .Where(c => generated.HasColumn(c) && c != realWeight && c != generatedWeight)
            .ToArray();
        if (common.Length == 0)
            throw new ArgumentException(
                $"{realFile.Name} and {generatedFile.Name} have no column in common besides the weight columns; name the columns with --columns.");
        return common;
    }

    private static void Print(IReadOnlyList<MetricReport> reports)
    {
        var table = new Table().AddColumns("metric", "columns", "value", "uncertainty", "extra");
        foreach (var r in reports)
        {
            var extra = string.Join("  ", r.Extra.Select(kv => $"{kv.Key}={Format(kv.Value)}"));
            table.AddRow(
                Markup.Escape(r.Name), Markup.Escape(string.Join(",", r.Columns)),
                Format(r.Value), Format(r.Uncertainty), Markup.Escape(extra));
        }
        // Redirected output has no terminal width; a wide profile keeps one metric per row.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 200);
        AnsiConsole.Write(table);
    }

    private static string Format(double v) =>
        double.IsNaN(v) ? "-" : v.ToString("G6", CultureInfo.InvariantCulture);
}
