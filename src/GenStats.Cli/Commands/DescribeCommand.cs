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
        try
        {
            var probabilities = quantileList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                    : throw new FormatException($"--quantiles: '{p}' is not a number; give comma-separated probabilities in [0, 1].")).ToArray();
            if (weightColumn is not null && columns.Length == 0) throw new ArgumentException("--weight names a column and needs --column.");
            if (input is not null && TableFile.IsParquet(input.FullName))
            {
                // A Parquet file has named columns only: describe the named ones, or every column.
                var wantedColumns = columns.Length == 0 ? null : columns.Concat(weightColumn is null ? [] : [weightColumn]).Distinct().ToArray();
                var table = TableFile.Read(input.FullName, new CsvOptions(Columns: wantedColumns));
                var tableWeights = weightColumn is null ? null : table.Column(weightColumn);
                foreach (var c in columns.Length == 0 ? table.ColumnNames : columns.Distinct())
                {
                    Console.WriteLine($"column      {c}");
                    Print(table.Column(c), tableWeights, probabilities);
                }
                return 0;
            }
            using var reader = input is null ? Console.In : input.OpenText();
            string source = input?.FullName ?? "standard input";
            if (columns.Length == 0)
            {
                var (values, weights) = Read(reader, source);
                Print(values, weights, probabilities);
                return 0;
            }
            var wanted = columns.Concat(weightColumn is null ? [] : [weightColumn]).Distinct().ToArray();
            var data = Csv.Read(reader, source, new CsvOptions(Columns: wanted));
            var w = weightColumn is null ? null : data.Column(weightColumn);
            foreach (var c in columns.Distinct())
            {
                Console.WriteLine($"column      {c}");
                Print(data.Column(c), w, probabilities);
            }
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"genstats describe: {e.Message}");
            return 1;
        }
    }

    private static void Print(double[] values, double[]? weights, double[] probabilities)
    {
        var summary = WeightedDescriptive.Summarize(values, weights);
        var qs = WeightedDescriptive.Quantiles(values, probabilities, weights);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"events      {summary.Count}"));
        Console.WriteLine(string.Create(c, $"sum of w    {summary.SumOfWeights:G10}"));
        Console.WriteLine(string.Create(c, $"ESS         {summary.EffectiveSampleSize:G10}"));
        Console.WriteLine(string.Create(c, $"mean        {summary.Mean:G10} ± {summary.StandardErrorOfMean:G6}"));
        Console.WriteLine(string.Create(c, $"variance    {summary.Variance:G10}"));
        Console.WriteLine(string.Create(c, $"std dev     {summary.StandardDeviation:G10}"));
        for (int i = 0; i < qs.Length; i++)
            Console.WriteLine(string.Create(c, $"{$"q({probabilities[i]:0.###})",-12}{qs[i]:G10}"));
    }

    private static (double[] Values, double[]? Weights) Read(TextReader reader, string source)
    {
        var values = new List<double>();
        var weights = new List<double>();
        int lineNumber = 0, columns = -1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
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
    }

    private static double ParseNumber(string text, string source, int lineNumber) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new FormatException($"{source}, line {lineNumber}: '{text}' is not a number.");
}
