using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GenStats.Data;
using GenStats.Models;
using GenStats.Models.Files;
using Spectre.Console;

namespace GenStats.Cli;

/// <summary>
/// `genstats train`: fits a generative model to a CSV table and writes one model file (.gsm).
/// Available now: kde, library, histogram. The neural model names are reserved so the command
/// line contract is stable; they stop with a plain "not available yet in this build" message.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Models this build can train.</summary>
    public static readonly string[] Available = ["kde", "library", "histogram"];

    /// <summary>Neural models of the issue, which need the tensor engine (not in this build).</summary>
    public static readonly string[] Neural = ["cramer", "wgan-gp", "wgan", "bce", "ns", "lsgan", "vae"];

    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Training table (CSV with a header row).", Required = true };
        var features = new Option<string>("--features") { Description = "Comma-separated feature columns (what the model generates).", Required = true };
        var conditions = new Option<string?>("--conditions") { Description = "Comma-separated condition columns (omit for an unconditional model)." };
        var weight = new Option<string?>("--weight") { Description = "Per-event weight column (sWeights allowed for histogram only)." };
        var model = new Option<string>("--model") { Description = $"Model: {string.Join("|", Neural.Concat(Available))}.", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "JSON file with the model's options, e.g. {\"bandwidth\": \"cross-validated\"} or {\"neighbours\": 10, \"rule\": \"local-linear\"}." };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--out") { Description = "Model file to write (.gsm).", Required = true };
        var command = new Command("train", "Train a generative model of p(features | conditions) and write it to a model file.")
        {
            data, features, conditions, weight, model, config, seed, output,
        };
        command.SetAction(r => CliErrors.Run("train", () => Run(
            r.GetValue(data)!, r.GetValue(features)!, r.GetValue(conditions), r.GetValue(weight),
            r.GetValue(model)!, r.GetValue(config), r.GetValue(seed), r.GetValue(output)!)));
        return command;
    }

    private static int Run(FileInfo dataFile, string featureList, string? conditionList, string? weightColumn,
        string modelName, FileInfo? configFile, int seed, FileInfo output)
    {
        string name = modelName.Trim().ToLowerInvariant();
        if (Neural.Contains(name))
            throw new InvalidOperationException(
                $"model '{name}' is not available yet in this build: the neural models ({string.Join(", ", Neural)}) need the tensor engine, which this build does not include. Available now: {string.Join(", ", Available)}.");
        if (!Available.Contains(name))
            throw new ArgumentException($"unknown model '{modelName}'; choose one of: {string.Join(", ", Available.Concat(Neural))}.");

        var featureNames = CliErrors.Names(featureList, "--features");
        if (featureNames.Length == 0) throw new ArgumentException("--features names no column; at least one feature is required.");
        var conditionNames = CliErrors.Names(conditionList, "--conditions");
        string? weightName = string.IsNullOrWhiteSpace(weightColumn) ? null : weightColumn.Trim();
        var required = featureNames.Concat(conditionNames).Concat(weightName is null ? [] : [weightName]).ToArray();
        string configText = configFile is null ? "{}" : File.ReadAllText(configFile.FullName);
        string configSource = configFile?.FullName ?? "(defaults)";

        IConditionalGenerator? trained = null;
        Dataset? table = null;
        AnsiConsole.Status().Start($"Reading {dataFile.Name}…", ctx =>
        {
            table = Csv.Read(dataFile.FullName, new CsvOptions(RequiredColumns: required))
                .WithRoles(featureNames, conditionNames, weightName);
            ctx.Status($"Training {name} on {table.Count} events…");
            trained = name switch
            {
                "kde" => KernelDensity.Fit(table, Config<KdeOptions>(configText, configSource), seed),
                "library" => Library.Fit(table, Config<LibraryOptions>(configText, configSource)),
                _ => HistogramSampler.Fit(table, Config<HistogramOptions>(configText, configSource)),
            };
            ctx.Status($"Writing {output.Name}…");
            ModelFile.Save(output.FullName, trained);
        });
        Report(trained!, table!, output);
        return 0;
    }

    private static T Config<T>(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, ModelJson.Options)
                ?? throw new ArgumentException($"config {source}: the file holds null; give a JSON object.");
        }
        catch (JsonException e)
        {
            var known = ModelJson.Options.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name);
            throw new ArgumentException($"config {source}: {e.Message} The options of this model are: {string.Join(", ", known)}.", e);
        }
    }

    private static void Report(IConditionalGenerator model, Dataset table, FileInfo output)
    {
        var c = CultureInfo.InvariantCulture;
        string detail = model switch
        {
            KernelDensity k => string.Create(c, $"bandwidth factor h = {k.Factor:G6} ({k.Options.Bandwidth}), n_eff = {k.EffectiveSampleSize:G6}"),
            Library l => string.Create(c, $"{l.Count} events in the library, k = {l.Options.Neighbours}, rule {l.Options.Rule}"),
            HistogramSampler h => string.Create(c, $"bins {string.Join("×", h.Bins)} ({h.Options.Mode}), clipped negative bins: {h.ClippedBins} (weight {h.ClippedWeight:G4})"),
            _ => "",
        };
        Console.WriteLine($"trained {model.ModelType} on {table.Count} events: {detail}");
        Console.WriteLine($"wrote {output.FullName}");
    }
}
