using System.CommandLine;
using System.Globalization;
using GenStats.Validation.Ensembles;
using GenStats.Validation.Report;
using Microsoft.FSharp.Core;

namespace GenStats.Cli;

/// <summary>
/// `genstats ensemble gather --out DIR --quantity Q`: measures the quantity with every member's
/// model (each generating with its own seed) and writes the propagation result — central value,
/// systematic band, pulls and coverage against a truth — as DIR/ensemble.json (and the report page
/// with --html).
/// </summary>
internal static class EnsembleGather
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Ensemble folder.", Required = true };
        var quantity = new Option<string>("--quantity") { Description = "mean(X), fraction(X > c) or fraction(X < c); X a column or an observable expression, e.g. fraction(x > 5).", Required = true };
        var events = new Option<int>("--events") { Description = "Events each member generates (unconditional models; default 10000).", DefaultValueFactory = _ => 10_000 };
        var at = new Option<FileInfo?>("--at") { Description = "Conditional models: a table (CSV or Parquet) whose condition columns each member generates at (default: the training table)." };
        var truth = new Option<string?>("--truth") { Description = "The true value: a number, or a sample (CSV or Parquet) on which the quantity is measured." };
        var truthWeight = new Option<string?>("--truth-weight") { Description = "Weight column of a --truth sample." };
        var json = new Option<FileInfo?>("--json") { Description = "Where to write the result (default DIR/ensemble.json)." };
        var html = new Option<FileInfo?>("--html") { Description = "Also write the report page (needs plotly.js: scripts/install-report-assets.sh)." };
        var command = new Command("gather", "Evaluate the quantity with every member and write the propagation result (central, systematic band, pulls, coverage).")
        {
            output, quantity, events, at, truth, truthWeight, json, html,
        };
        command.SetAction(r => CliErrors.Run("ensemble gather", () => Run(r.GetValue(output)!.FullName, r.GetValue(quantity)!, r.GetValue(events),
            r.GetValue(at), r.GetValue(truth), r.GetValue(truthWeight), r.GetValue(json), r.GetValue(html))));
        return command;
    }

    private static int Run(string dir, string quantityText, int events, FileInfo? at, string? truthText, string? truthWeight, FileInfo? json, FileInfo? html)
    {
        var quantity = Quantity.parse(quantityText);
        if (truthWeight is not null && truthText is null) throw new ArgumentException("--truth-weight needs a --truth sample.");
        FSharpOption<Ensemble.Truth> truth = truthText is null ? FSharpOption<Ensemble.Truth>.None
            : double.TryParse(truthText, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? (double.IsFinite(v) ? Ensemble.Truth.NewValue(v) : throw new ArgumentException($"--truth {truthText} is not finite."))
                : File.Exists(truthText)
                    ? Ensemble.Truth.NewSample(Path.GetFullPath(truthText), truthWeight is null ? FSharpOption<string>.None : FSharpOption<string>.Some(truthWeight))
                    : throw new ArgumentException($"--truth '{truthText}' is neither a number nor an existing table file.");
        var summary = Ensemble.gather(quantity, events, at is null ? FSharpOption<string>.None : FSharpOption<string>.Some(at.FullName), truth, dir);
        var report = Ensemble.report(quantity, summary, dir);
        string jsonPath = json?.FullName ?? Path.Combine(dir, "ensemble.json");
        Json.write(jsonPath, report);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{Quantity.describe(quantity)}: central {summary.Central:G6} ± {summary.CentralUncertainty:G3} (ensemble), systematic {summary.Systematic:G6}, mean statistical {summary.MeanStatistical:G6}"));
        if (summary.Truth is not null)
            Console.WriteLine(string.Create(c, $"truth {summary.Truth.Value:G6}: mean pull {summary.Pulls.Average():F3}, coverage {summary.Coverage!.Value:F3}"));
        Console.WriteLine($"wrote {jsonPath}");
        if (html is not null)
        {
            Html.write(html.FullName, report);
            Console.WriteLine($"wrote {html.FullName}");
        }
        return 0;
    }
}
