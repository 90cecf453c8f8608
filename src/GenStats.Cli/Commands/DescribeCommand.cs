using System.CommandLine;
using System.Globalization;
using GenStats.Data;
using GenStats.Stats;

namespace GenStats.Cli;

/// <summary>
/// `genstats describe`: weighted descriptive statistics of numbers read one per line (optionally
/// "value weight" pairs) from a file or standard input; with <c>--column NAME</c> (repeatable) the
/// named columns of a CSV file with a header (optionally weighted by <c>--weight COLUMN</c>), one
/// block per column. Other CSV columns are not parsed (text columns such as labels may be present).
/// </summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo?>("--input") { Description = "File with one value, or 'value weight', per line (default: standard input); a CSV with --column; a Parquet file (.parquet): every column, or those named by --column." };
        var quantiles = new Option<string>("--quantiles") { Description = "Comma-separated probabilities to report.", DefaultValueFactory = _ => "0.05,0.25,0.5,0.75,0.95" };
        var column = new Option<string[]>("--column") { Description = "Read this named column of a CSV file with a header row (repeatable; one block of statistics per column).", Arity = ArgumentArity.ZeroOrMore };
        var weight = new Option<string?>("--weight") { Description = "With --column: the CSV column of per-event weights." };
        var command = new Command("describe", "Weighted mean, variance, standard error, effective sample size and quantiles of a column of numbers.")
        {
            input, quantiles, column, weight,
        };
        command.SetAction(result => Run(result.GetValue(input), result.GetValue(quantiles)!, result.GetValue(column) ?? [], result.GetValue(weight)));
        return command;
    }

    private static int Run(FileInfo? input, string quantileList, string[] columns, string? weightColumn)
    {
        var probabilities = quantileList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v is >= 0 and <= 1 ? v
                : throw new CliException($"--quantiles: '{p}' is not a probability; give comma-separated numbers in [0, 1] such as 0.05,0.5,0.95.")).ToArray();
        if (weightColumn is not null && columns.Length == 0) throw new ArgumentException("--weight names a CSV column and needs --column.");
        CliErrors.Names(string.Join(",", columns), "--column");
        string source = input?.FullName ?? "standard input";
        if (input is not null && TableFile.IsParquet(input.FullName))
        {
            // A Parquet file has named columns only: describe the named ones, or every column.
            CliFiles.Input(input, "--input");
            var wantedColumns = columns.Length == 0 ? null : columns.Concat(weightColumn is null ? [] : [weightColumn]).Distinct().ToArray();
            var table = TableFile.Read(input.FullName, new CsvOptions(Columns: wantedColumns));
            var tableWeights = weightColumn is null ? null : table.Column(weightColumn);
            foreach (var c in columns.Length == 0 ? table.ColumnNames : columns)
            {
                Console.WriteLine($"column      {c}");
                Print(table.Column(c), tableWeights, probabilities, $"{source}, column '{c}'");
            }
            return 0;
        }
        if (columns.Length == 0)
        {
            using var reader = input is null ? Console.In : Csv.OpenText(input.FullName, "--input");
            var (values, weights) = Read(reader, source);
            Print(values, weights, probabilities, source);
            return 0;
        }
        var wanted = columns.Concat(weightColumn is null ? [] : [weightColumn]).Distinct().ToArray();
        var options = new CsvOptions(Columns: wanted);
        if (input is not null) CliFiles.Input(input, "--input");
        var data = input is null ? Csv.Read(Console.In, source, options) : Csv.Read(input.FullName, options);
        var w = weightColumn is null ? null : data.Column(weightColumn);
        foreach (var c in columns)
        {
            Console.WriteLine($"column      {c}");
            Print(data.Column(c), w, probabilities, $"{source}, column '{c}'");
        }
        return 0;
    }

    private static void Print(double[] values, double[]? weights, double[] probabilities, string source)
    {
        var c = CultureInfo.InvariantCulture;
        if (values.Length == 0) throw new CliException($"{source} holds no values; at least one is required.");
        if (values.Length == 1)
        {
            // One event: a mean, no spread. Say so instead of printing NaN.
            Console.Error.WriteLine($"genstats describe: warning: {source} has 1 value; the variance and the standard error need at least 2 and are undefined.");
            Console.WriteLine(string.Create(c, $"events      1"));
            Console.WriteLine(string.Create(c, $"sum of w    {weights?[0] ?? 1:G10}"));
            Console.WriteLine(string.Create(c, $"mean        {values[0]:G10} ± undefined"));
            Console.WriteLine("variance    undefined");
            Console.WriteLine("std dev     undefined");
            return;
        }
        var summary = Robust(values, weights, source);
        var qs = WeightedDescriptive.Quantiles(values, probabilities, weights);
        Console.WriteLine(string.Create(c, $"events      {summary.Count}"));
        Console.WriteLine(string.Create(c, $"sum of w    {summary.SumOfWeights:G10}"));
        Console.WriteLine(string.Create(c, $"ESS         {summary.EffectiveSampleSize:G10}"));
        Console.WriteLine(string.Create(c, $"mean        {summary.Mean:G10} ± {Show(summary.StandardErrorOfMean, "G6")}"));
        Console.WriteLine(string.Create(c, $"variance    {Show(summary.Variance, "G10")}"));
        Console.WriteLine(string.Create(c, $"std dev     {Show(summary.StandardDeviation, "G10")}"));
        for (int i = 0; i < qs.Length; i++)
            Console.WriteLine(string.Create(c, $"{$"q({probabilities[i]:0.###})",-12}{qs[i]:G10}"));
    }

    /// <summary>
    /// The summary, rescaled when the sums overflow float64 (values near ±1.8e308): the mean is
    /// s·mean(x/s) with s = max|x|; a variance beyond float64's range is reported as an overflow.
    /// </summary>
    private static WeightedSummary Robust(double[] values, double[]? weights, string source)
    {
        var summary = WeightedDescriptive.Summarize(values, weights);
        if (double.IsFinite(summary.Mean) && double.IsFinite(summary.Variance)) return summary;
        double scale = values.Max(Math.Abs);
        var scaled = WeightedDescriptive.Summarize(values.Select(v => v / scale).ToArray(), weights);
        double variance = scaled.Variance * scale * scale;
        if (!double.IsFinite(variance))
            Console.Error.WriteLine(
                $"genstats describe: warning: {source}: the variance exceeds the float64 range (values up to {scale:G3}); variance, std dev and standard error are reported as overflow.");
        return summary with
        {
            Mean = scaled.Mean * scale,
            Variance = variance,
            StandardDeviation = scaled.StandardDeviation * scale,
            StandardErrorOfMean = scaled.StandardErrorOfMean * scale,
        };
    }

    private static string Show(double v, string format) =>
        double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : double.IsNaN(v) ? "undefined" : "overflow";

    private static (double[] Values, double[]? Weights) Read(TextReader reader, string source)
    {
        var values = new List<double>();
        var weights = new List<double>();
        int lineNumber = 0, columns = -1;
        for (string? line = Next(); line is not null; line = Next())
        {
            lineNumber++;
            var fields = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (columns < 0) columns = fields.Length;
            if (fields.Length != columns || columns > 2)
                throw new FormatException($"{source}, line {lineNumber}: expected {Math.Min(columns, 2)} number(s) per line, found {fields.Length}.");
            values.Add(ParseNumber(fields[0], source, lineNumber));
            if (columns == 2) weights.Add(ParseNumber(fields[1], source, lineNumber));
        }
        return (values.ToArray(), columns == 2 ? weights.ToArray() : null);

        string? Next()
        {
            try { return reader.ReadLine(); }
            catch (System.Text.DecoderFallbackException)
            {
                // The reader decodes ahead in blocks; a file's bytes tell the true line.
                int line = (File.Exists(source) ? Csv.FirstInvalidUtf8Line(source) : null) ?? lineNumber + 1;
                throw new FormatException($"{source}, line {line}: a byte sequence is not valid UTF-8; give a text file of numbers.");
            }
        }
    }

    private static double ParseNumber(string text, string source, int lineNumber) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? (double.IsFinite(v) ? v : throw new FormatException($"{source}, line {lineNumber}: {text} is not a finite number; every value must be finite."))
            : throw new FormatException($"{source}, line {lineNumber}: {Csv.Show(text)} is not a number.");
}
