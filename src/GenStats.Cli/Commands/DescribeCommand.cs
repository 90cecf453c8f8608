using System.CommandLine;
using System.Globalization;
using GenStats.Stats;

namespace GenStats.Cli;

/// <summary>
/// `genstats describe`: weighted descriptive statistics of numbers read one per line (optionally
/// "value weight" pairs) from a file or standard input.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo?>("--input") { Description = "File with one value, or 'value weight', per line (default: standard input)." };
        var quantiles = new Option<string>("--quantiles") { Description = "Comma-separated probabilities to report.", DefaultValueFactory = _ => "0.05,0.25,0.5,0.75,0.95" };
        var command = new Command("describe", "Weighted mean, variance, standard error, effective sample size and quantiles of a column of numbers.")
        {
            input, quantiles,
        };
        command.SetAction(result => Run(result.GetValue(input), result.GetValue(quantiles)!));
        return command;
    }

    private static int Run(FileInfo? input, string quantileList)
    {
        try
        {
            using var reader = input is null ? Console.In : input.OpenText();
            var (values, weights) = Read(reader, input?.FullName ?? "standard input");
            var probabilities = quantileList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
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
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException)
        {
            Console.Error.WriteLine($"genstats describe: {e.Message}");
            return 1;
        }
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
