using System.CommandLine;
using System.Globalization;
using GenStats.Data;
using GenStats.Numerics;
using GenStats.Stats;

namespace GenStats.Cli;

/// <summary>
/// `genstats splot --data FILE --mass COL --signal gauss|cb --background exp|cheb2 [--range lo,hi] --out FILE`:
/// an extended unbinned ML fit of the mass column and the signal sWeights as a new `sweight` column.
/// </summary>
internal static class SplotCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Input table: comma- or tab-separated with a header row, or Parquet (.parquet).", Required = true };
        var mass = new Option<string>("--mass") { Description = "Name of the discriminating (mass) column.", Required = true };
        var signal = new Option<string>("--signal") { Description = "Signal shape: gauss or cb (Crystal Ball).", DefaultValueFactory = _ => "gauss" };
        var background = new Option<string>("--background") { Description = "Background shape: exp or cheb2.", DefaultValueFactory = _ => "exp" };
        var range = new Option<string?>("--range") { Description = "Fit range lo,hi (default: the column's min,max). Events outside get sweight 0." };
        var mean = new Option<double?>("--mean") { Description = "Starting signal peak (default: the fullest bin of a 50-bin histogram)." };
        var sigma = new Option<double?>("--sigma") { Description = "Starting signal width (default: range/20)." };
        var check = new Option<string?>("--check") { Description = "Comma-separated control columns to test for independence of the mass in the background-only sidebands (|m − μ| > 5σ)." };
        var output = new Option<FileInfo>("--out") { Description = "Output table: the input plus an `sweight` column (written atomically; CSV with the same separator, or Parquet when the name ends in .parquet).", Required = true };
        signal.AcceptOnlyFromAmong("gauss", "cb");
        background.AcceptOnlyFromAmong("exp", "cheb2");
        var command = new Command("splot", "Fit signal + background to a mass column (extended unbinned maximum likelihood) and add signal sWeights.")
        {
            data, mass, signal, background, range, mean, sigma, check, output,
        };
        command.SetAction(r => Run(r.GetValue(data)!, r.GetValue(mass)!, r.GetValue(signal)!, r.GetValue(background)!, r.GetValue(range),
            r.GetValue(mean), r.GetValue(sigma), r.GetValue(check), r.GetValue(output)!));
        return command;
    }

    private static int Run(FileInfo file, string massColumn, string signal, string background, string? rangeText,
        double? meanStart, double? sigmaStart, string? check, FileInfo output)
    {
        var c = CultureInfo.InvariantCulture;
        try
        {
            string header = File.Exists(file.FullName) ? File.ReadLines(file.FullName).FirstOrDefault() ?? "" : "";
            char separator = header.Contains('\t') ? '\t' : ',';
            var table = TableFile.Read(file.FullName);
            var m = table.Column(massColumn);
            double lo, hi;
            if (rangeText is null) { lo = m.Min(); hi = m.Max(); }
            else
            {
                var parts = rangeText.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, c, out lo) || !double.TryParse(parts[1], NumberStyles.Float, c, out hi) || !(lo < hi))
                    throw new ArgumentException($"--range '{rangeText}' is not 'lo,hi' with lo < hi.");
            }
            var inside = Enumerable.Range(0, m.Length).Where(i => m[i] >= lo && m[i] <= hi).ToArray();
            if (inside.Length < 10) throw new ArgumentException($"Only {inside.Length} events lie in [{lo}, {hi}]; a fit needs at least 10.");
            var x = inside.Select(i => m[i]).ToArray();

            double mu0 = meanStart ?? HistogramPeak(x, lo, hi);
            double s0 = sigmaStart ?? (hi - lo) / 20;
            IFitShape signalShape = signal == "cb" ? new CrystalBallShape(mu0, s0) : new GaussianShape(mu0, s0);
            IFitShape backgroundShape = background == "cheb2" ? new Chebyshev2Shape() : new ExponentialShape();
            var model = new FitModel(lo, hi, [new FitComponent("signal", signalShape, 0.5 * x.Length), new FitComponent("background", backgroundShape, 0.5 * x.Length)]);
            var fit = CliProgress.Run("fitting", _ => ExtendedMaximumLikelihood.Fit(x, model));
            Print(fit, lo, hi, m.Length - inside.Length);
            if (fit.Status != FitStatus.Converged)
                throw new InvalidOperationException($"the fit did not converge ({fit.Message}); no sWeights written. Try --range, --mean or --sigma.");

            var sp = SPlot.FromFit(x, fit);
            var sweight = new double[m.Length];
            for (int j = 0; j < inside.Length; j++) sweight[inside[j]] = sp.Weights[0][j];
            double total = CompensatedSum.Of(sweight);
            Console.WriteLine(string.Create(c, $"sum of signal sWeights {total:F3} (fitted N_signal {fit.Yield("signal").Value:F3})"));

            if (check is not null) Check(table, inside, x, fit, check);

            TableFile.Write(table.WithColumn("sweight", sweight), output.FullName, new CsvOptions(Separator: separator));
            Console.WriteLine($"wrote {m.Length} events with column 'sweight' to {output.FullName}");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"genstats splot: {e.Message}");
            return 1;
        }
    }

    private static void Print(FitResult fit, double lo, double hi, int outside)
    {
        var c = CultureInfo.InvariantCulture;
        string note = outside > 0 ? $" ({outside} events outside the range get sweight 0)" : "";
        Console.WriteLine(string.Create(c, $"extended unbinned ML fit of {fit.Events} events in [{lo}, {hi}]{note}"));
        Console.WriteLine($"status: {fit.Status} — {fit.Message}");
        foreach (var p in fit.Parameters)
            Console.WriteLine(string.Create(c, $"  {p.Name,-22} {p.Value,14:G8} ± {(p.Fixed ? "fixed" : p.Error.ToString("G4", c))}"));
        Console.WriteLine(string.Create(c, $"-ln L = {fit.MinusLogLikelihood:F4}, EDM = {fit.EstimatedDistanceToMinimum:G3}"));
        Console.WriteLine("correlation:");
        Console.WriteLine("  " + new string(' ', 22) + string.Concat(fit.FloatingNames.Select(n => $"{Short(n),10}")));
        for (int i = 0; i < fit.FloatingNames.Length; i++)
            Console.WriteLine(string.Create(c, $"  {fit.FloatingNames[i],-22}") + string.Concat(Enumerable.Range(0, fit.FloatingNames.Length).Select(j => fit.Correlation[i, j].ToString("F3", c).PadLeft(10))));
    }

    private static string Short(string name) => name.Length <= 9 ? name : name[..9];

    private static void Check(Dataset table, int[] inside, double[] x, FitResult fit, string check)
    {
        double mu = fit.Parameter("signal.mean").Value, s = fit.Parameter("signal.sigma").Value;
        var side = Enumerable.Range(0, x.Length).Where(j => Math.Abs(x[j] - mu) > 5 * s).ToArray();
        Console.WriteLine($"independence checks in the sidebands |m − μ| > 5σ ({side.Length} background events):");
        if (side.Length < 10) { Console.WriteLine("  too few sideband events; check skipped"); return; }
        foreach (var column in check.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var v = table.Column(column);
            var result = IndependenceCheck.Test(side.Select(j => x[j]).ToArray(), side.Select(j => v[inside[j]]).ToArray());
            Console.WriteLine($"  {column}: {result.Message}");
        }
    }

    private static double HistogramPeak(double[] x, double lo, double hi)
    {
        const int bins = 50;
        var counts = new int[bins];
        foreach (double v in x) counts[Math.Min(bins - 1, (int)((v - lo) / (hi - lo) * bins))]++;
        int best = Array.IndexOf(counts, counts.Max());
        return lo + (best + 0.5) * (hi - lo) / bins;
    }
}
