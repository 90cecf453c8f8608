using System.CommandLine;
using GenStats.Data;
using GenStats.Data.Images;
using GenStats.Models;
using GenStats.Models.Files;

namespace GenStats.Cli;

/// <summary>
/// `genstats sample`: loads any model file and generates events, either one per row of a
/// conditions table (--conditions) or N events of an unconditional model (--n). The output CSV
/// has the model's condition columns (copied from the input) followed by its feature columns; with
/// --oversample K, K events per condition row (or per unconditional draw) and two more columns:
/// "weight" = 1/K and "row", the 0-based input row each event came from (the unit to resample by).
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
        var oversample = new Option<int?>("--oversample")
        {
            Description = "K events per condition row (per draw with --n), each with weight 1/K: adds the columns weight and row " +
                "(the input row of each event; its K events share the condition, so uncertainties must resample rows, not events — docs/studies.md).",
        };
        var force = CliOptions.Force();
        var progress = CliOptions.Progress();
        var device = CliDevice.Option();
        var command = new Command("sample", "Generate events from a model file of any type.") { model, conditions, count, output, seed, oversample, force, progress, device };
        command.SetAction(r =>
        {
            CliDevice.Select(r.GetValue(device));
            return Run(r.GetValue(model)!, r.GetValue(conditions), r.GetValue(count), r.GetValue(output)!, r.GetValue(seed), r.GetValue(force),
                r.GetValue(oversample), r.GetValue(progress));
        });
        return command;
    }

    private static int Run(FileInfo modelFile, FileInfo? conditionFile, int? count, FileInfo output, int seed, bool force, int? oversample, bool progress)
    {
        if ((conditionFile is null) == (count is null))
            throw new ArgumentException("give exactly one of --conditions FILE or --n N.");
        if (count is < 0) throw new ArgumentException($"--n is {count}; the number of events must be ≥ 0.");
        if (oversample is < 1) throw new ArgumentException($"--oversample is {oversample}; K must be ≥ 1 events per condition row.");
        CliFiles.Input(modelFile, "--model");
        if (conditionFile is not null) CliFiles.Input(conditionFile, "--conditions");
        CliFiles.Output(output, "--out", CliFiles.Kind.Table, force, ("--model", modelFile), ("--conditions", conditionFile));
        string? imageLine = null;
        // Stages on the bar (standard error): loading, sampling (the model samples in one call), writing.
        var result = CliProgress.Run("sample", bar =>
        {
            bar.Stage($"loading {modelFile.Name}", 0.0);
            var generator = ModelFile.Load(modelFile.FullName);
            if (generator is IImageGenerator images)
            {
                bar.Stage($"sampling {images.ImageHeight}×{images.ImageWidth} images", 0.1);
                imageLine = ImageSampling.Run(images, modelFile, conditionFile, count, output, seed, oversample);
                return null!;
            }
            if (ImageFile.IsHdf5(output.FullName))
                throw new CliException($"--out '{output.Name}' is an HDF5 image file, but model {modelFile.Name} ({generator.ModelType}) generates table rows; write .csv or .parquet.");
            var conditionNames = generator.ConditionNames.ToArray();
            if (conditionFile is not null && conditionNames.Length == 0)
                throw new CliException(
                    $"model {modelFile.Name} is unconditional; --conditions would only set the number of events. Use --n N instead.");
            if (count is int n)
                // The generated rows, the output columns and the CSV text: about three copies of n × width doubles.
                CliMemory.Require(3.0 * 8 * n * (oversample ?? 1) * (generator.FeatureNames.Count + conditionNames.Length + 3), $"--n {n}");
            double[][] generated;
            OversampledSample? extra = null;
            var columns = new List<(string Name, double[] Values)>();
            if (conditionFile is null)
            {
                if (conditionNames.Length > 0)
                    throw new ArgumentException(
                        $"model {modelFile.Name} is conditional on {string.Join(", ", conditionNames)}; give --conditions with those columns instead of --n.");
                bar.Stage($"sampling {count} events", 0.05);
                if (oversample is int k)
                {
                    var o = Oversampling.Sample(generator, count!.Value, k, seed);
                    generated = o.Features;
                    extra = o;
                }
                else generated = generator.Sample(count!.Value, seed);
            }
            else
            {
                var table = TableFile.Read(conditionFile.FullName, new CsvOptions(RequiredColumns: conditionNames));
                var rows = table.Rows(conditionNames);
                bar.Stage($"sampling {rows.Length} events", 0.05);
                if (oversample is int k)
                {
                    var o = Oversampling.Sample(generator, rows, k, seed);
                    generated = o.Features;
                    extra = o;
                    columns.AddRange(conditionNames.Select((n, c) => (n, o.Conditions.Select(row => row[c]).ToArray())));
                }
                else
                {
                    generated = generator.Sample(rows, seed);
                    columns.AddRange(conditionNames.Select(n => (n, table.Column(n))));
                }
            }
            var features = generator.FeatureNames.ToArray();
            for (int f = 0; f < features.Length; f++)
                columns.Add((features[f], generated.Select(row => row[f]).ToArray()));
            if (extra is not null)
            {
                foreach (var added in new[] { "weight", "row" })
                    if (columns.Any(c => c.Name == added))
                        throw new ArgumentException($"--oversample adds a column '{added}', but the model already has a column of that name.");
                columns.Add(("weight", extra.Weights));
                columns.Add(("row", extra.Rows.Select(r => (double)r).ToArray()));
            }
            var sampled = Dataset.Create(columns.Select(c => c.Name).ToArray(), columns.Select(c => c.Values).ToArray());
            bar.Stage($"writing {output.Name}", 0.6);
            TableFile.Write(sampled, output.FullName);
            return sampled;
        }, progress);
        if (imageLine is not null)
        {
            Console.WriteLine(imageLine);
            return 0;
        }
        Console.WriteLine($"wrote {result.Count} events ({string.Join(", ", result.ColumnNames)}) to {output.FullName}");
        return 0;
    }
}
