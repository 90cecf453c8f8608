using System.CommandLine;
using GenStats.Data;
using GenStats.Models.Files;
using Spectre.Console;

namespace GenStats.Cli;

/// <summary>
/// `genstats sample`: loads any model file and generates events, either one per row of a
/// conditions table (--conditions) or N events of an unconditional model (--n). The output CSV
/// has the model's condition columns (copied from the input) followed by its feature columns.
/// </summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model file written by `genstats train`.", Required = true };
        var conditions = new Option<FileInfo?>("--conditions") { Description = "CSV or Parquet (.parquet) table with the model's condition columns, one generated event per row." };
        var count = new Option<int?>("--n") { Description = "Number of events (unconditional models)." };
        var output = new Option<FileInfo>("--out") { Description = "Table to write: CSV, or Parquet when the name ends in .parquet.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var command = new Command("sample", "Generate events from a model file of any type.") { model, conditions, count, output, seed };
        command.SetAction(r => CliErrors.Run("sample", () =>
            Run(r.GetValue(model)!, r.GetValue(conditions), r.GetValue(count), r.GetValue(output)!, r.GetValue(seed))));
        return command;
    }

    private static int Run(FileInfo modelFile, FileInfo? conditionFile, int? count, FileInfo output, int seed)
    {
        if ((conditionFile is null) == (count is null))
            throw new ArgumentException("give exactly one of --conditions FILE or --n N.");
        if (count is < 0) throw new ArgumentException($"--n is {count}; the number of events must be ≥ 0.");
        Dataset result = null!;
        AnsiConsole.Status().Start($"Loading {modelFile.Name}…", ctx =>
        {
            var generator = ModelFile.Load(modelFile.FullName);
            var conditionNames = generator.ConditionNames.ToArray();
            double[][] generated;
            var columns = new List<(string Name, double[] Values)>();
            if (conditionFile is null)
            {
                if (conditionNames.Length > 0)
                    throw new ArgumentException(
                        $"model {modelFile.Name} is conditional on {string.Join(", ", conditionNames)}; give --conditions with those columns instead of --n.");
                ctx.Status($"Sampling {count} events…");
                generated = generator.Sample(count!.Value, seed);
            }
            else
            {
                var table = TableFile.Read(conditionFile.FullName, new CsvOptions(RequiredColumns: conditionNames));
                var rows = table.Rows(conditionNames);
                ctx.Status($"Sampling {rows.Length} events…");
                generated = generator.Sample(rows, seed);
                columns.AddRange(conditionNames.Select(n => (n, table.Column(n))));
            }
            var features = generator.FeatureNames.ToArray();
            for (int f = 0; f < features.Length; f++)
                columns.Add((features[f], generated.Select(row => row[f]).ToArray()));
            result = Dataset.Create(columns.Select(c => c.Name).ToArray(), columns.Select(c => c.Values).ToArray());
            ctx.Status($"Writing {output.Name}…");
            TableFile.Write(result, output.FullName);
        });
        Console.WriteLine($"wrote {result.Count} events ({string.Join(", ", result.ColumnNames)}) to {output.FullName}");
        return 0;
    }
}
