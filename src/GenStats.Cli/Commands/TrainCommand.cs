using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GenStats.Data;
using GenStats.Models;
using GenStats.Models.Files;
using Spectre.Console;

namespace GenStats.Cli;

/// <summary>
/// `genstats train`: fits a generative model to a CSV table and writes one model file (.gsm):
/// the GAN family (cramer, wgan-gp, wgan, bce, ns, lsgan), the VAE and the spline flow (see <see cref="NeuralTraining"/>),
/// or the classical kde, library and histogram models.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Classical (non-neural) models.</summary>
    public static readonly string[] Classic = ["kde", "library", "histogram"];

    /// <summary>Every model name.</summary>
    public static readonly string[] All = [.. NeuralTraining.Names, .. Classic];

    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Training table (CSV with a header row).", Required = true };
        var features = new Option<string>("--features") { Description = "Comma-separated feature columns (what the model generates).", Required = true };
        var conditions = new Option<string?>("--conditions") { Description = "Comma-separated condition columns (omit for an unconditional model)." };
        var weight = new Option<string?>("--weight") { Description = "Per-event weight column (signed sWeights allowed for the GAN family, the VAE, the flow and histogram)." };
        var model = new Option<string>("--model") { Description = $"Model: {string.Join("|", All)}.", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "JSON file with the model's options, e.g. {\"criticSteps\": 5, \"featureTransform\": \"quantile-normal\", \"columnTransforms\": {\"pt1\": \"log\"}}, {\"bandwidth\": \"cross-validated\"} or {\"neighbours\": 10, \"rule\": \"local-linear\"}." };
        var steps = new Option<int?>("--steps") { Description = "Training steps of a neural model (overrides the config's steps/epochs)." };
        var seed = new Option<int?>("--seed") { Description = "Random seed (default 0; a neural model's config seed when omitted)." };
        var transform = new Option<string?>("--transform")
        {
            Description = "Per-column preprocessing of a neural model, e.g. pt1=log,phi1=periodic,eta1=standard,eff=logit(0,1). " +
                $"Kinds: {TransformSpec.Allowed}. log, log1p and logit are followed by a weighted standardisation; periodic feeds (cos φ, sin φ) " +
                "to the network and generates φ = atan2(s, c) in (−π, π]. Unmentioned columns keep the group default " +
                "(config featureTransform/conditionTransform, default standard); overrides the config's columnTransforms entry for a named column.",
        };
        var output = new Option<FileInfo>("--out") { Description = "Model file to write (.gsm).", Required = true };
        var history = new Option<FileInfo?>("--history") { Description = "Neural models: write the training history as CSV (a row per step: losses, batch ESS, learning rate; a row per held-out evaluation: energy distance, referee AUC, ELBO). The model file keeps a thinned copy (genstats history MODEL)." };
        var aux = new Option<string?>("--aux")
        {
            Description = "GAN family: put the distribution of an observable of the raw columns into the generator loss, e.g. " +
                "\"mass(pt1,eta1,phi1,pt2,eta2,phi2)\" (functions as in compare --derive; columns must be features or conditions). " +
                "The statistic is then matched by construction: the model file records it, and validation must hold out another one.",
        };
        var auxWeight = new Option<float?>("--aux-weight") { Description = $"Weight of the --aux term in the generator loss (default {AuxiliaryExpression.DefaultWeight.ToString(CultureInfo.InvariantCulture)})." };
        var auxDistance = new Option<string?>("--aux-distance") { Description = "Distance of the --aux term: mmd (default; Gaussian kernel, median-distance bandwidth) or energy." };
        var command = new Command("train", "Train a generative model of p(features | conditions) and write it to a model file.\n\n" + NeuralDefaults.Text)
        {
            data, features, conditions, weight, model, config, transform, steps, seed, output, history, aux, auxWeight, auxDistance,
        };
        command.SetAction(r => CliErrors.Run("train", () => Run(
            r.GetValue(data)!, r.GetValue(features)!, r.GetValue(conditions), r.GetValue(weight),
            r.GetValue(model)!, r.GetValue(config), r.GetValue(transform), r.GetValue(steps), r.GetValue(seed), r.GetValue(output)!, r.GetValue(history),
            new CliAuxiliary.Request(r.GetValue(aux), r.GetValue(auxWeight), r.GetValue(auxDistance)))));
        return command;
    }

    private static int Run(FileInfo dataFile, string featureList, string? conditionList, string? weightColumn,
        string modelName, FileInfo? configFile, string? transformList, int? steps, int? seed, FileInfo output, FileInfo? historyFile = null,
        CliAuxiliary.Request? auxRequest = null)
    {
        string name = modelName.Trim().ToLowerInvariant();
        if (!All.Contains(name))
            throw new ArgumentException($"unknown model '{modelName}'; choose one of: {string.Join(", ", All)}.");
        bool neural = NeuralTraining.Names.Contains(name);
        if (!neural && steps is not null)
            throw new ArgumentException($"--steps applies to the neural models ({string.Join(", ", NeuralTraining.Names)}), not to '{name}'.");
        if (!neural && historyFile is not null)
            throw new ArgumentException($"--history applies to the neural models ({string.Join(", ", NeuralTraining.Names)}), not to '{name}'.");
        if (steps is <= 0)
            throw new ArgumentException($"--steps is {steps}; give a positive number of steps (omit it for the automatic budget).");
        if (!neural && transformList is not null)
            throw new ArgumentException($"--transform applies to the neural models ({string.Join(", ", NeuralTraining.Names)}), not to '{name}'.");
        var transforms = transformList is null ? null : CliTransforms.Parse(transformList);
        var auxiliary = CliAuxiliary.Parse(auxRequest, name);

        var featureNames = CliErrors.Names(featureList, "--features");
        if (featureNames.Length == 0) throw new ArgumentException("--features names no column; at least one feature is required.");
        var conditionNames = CliErrors.Names(conditionList, "--conditions");
        string? weightName = string.IsNullOrWhiteSpace(weightColumn) ? null : weightColumn.Trim();
        var required = featureNames.Concat(conditionNames).Concat(weightName is null ? [] : [weightName]).ToArray();
        string configText = configFile is null ? "{}" : File.ReadAllText(configFile.FullName);
        string configSource = configFile?.FullName ?? "(defaults)";
        auxiliary?.CheckColumnsOrThrow(featureNames, conditionNames);

        if (neural)
        {
            var data = Csv.Read(dataFile.FullName, new CsvOptions(RequiredColumns: required)).WithRoles(featureNames, conditionNames, weightName);
            Console.WriteLine($"training {name} on {data.Count} events (Ctrl-C cancels)");
            var model = NeuralTraining.Train(name, data, configText, configSource, steps, seed, transforms, auxiliary);
            if (model is null) return 130;
            ModelFile.Save(output.FullName, model);
            Report(model, data, output);
            var kept = model switch { ConditionalGan g => g.History, ConditionalVae v => v.History, ConditionalSplineFlow f => f.History, _ => null };
            if (kept is not null)
            {
                Console.Write(HistoryCommand.Describe(kept));
                if (historyFile is not null)
                {
                    TrainingHistoryCsv.Write(kept, historyFile.FullName);
                    Console.WriteLine($"wrote the training history to {historyFile.FullName}");
                }
            }
            return 0;
        }

        IConditionalGenerator? trained = null;
        Dataset? table = null;
        int classicSeed = seed ?? 0;
        AnsiConsole.Status().Start($"Reading {dataFile.Name}…", ctx =>
        {
            table = Csv.Read(dataFile.FullName, new CsvOptions(RequiredColumns: required))
                .WithRoles(featureNames, conditionNames, weightName);
            ctx.Status($"Training {name} on {table.Count} events…");
            trained = name switch
            {
                "kde" => KernelDensity.Fit(table, Config<KdeOptions>(configText, configSource), classicSeed),
                "library" => Library.Fit(table, Config<LibraryOptions>(configText, configSource)),
                _ => HistogramSampler.Fit(table, Config<HistogramOptions>(configText, configSource)),
            };
            ctx.Status($"Writing {output.Name}…");
            ModelFile.Save(output.FullName, trained);
        });
        Report(trained!, table!, output);
        return 0;
    }

    /// <summary>Reads a model's options from --config JSON; a misspelt key is an error listing the valid ones.</summary>
    public static T Config<T>(string json, string source)
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

    private static string? Json<T>(T value) => ModelJson.ToElement(value).ToString();

    private static void Report(IConditionalGenerator model, Dataset table, FileInfo output)
    {
        var c = CultureInfo.InvariantCulture;
        string detail = model switch
        {
            KernelDensity k => string.Create(c, $"bandwidth factor h = {k.Factor:G6} ({k.Options.Bandwidth}), n_eff = {k.EffectiveSampleSize:G6}"),
            Library l => string.Create(c, $"{l.Count} events in the library, k = {l.Options.Neighbours}, rule {l.Options.Rule}"),
            HistogramSampler h => string.Create(c, $"bins {string.Join("×", h.Bins)} ({h.Options.Mode}), clipped negative bins: {h.ClippedBins} (weight {h.ClippedWeight:G4})"),
            ConditionalGan g => string.Create(c, $"{Json(g.Options.Loss)} loss, {g.TrainedSteps} generator steps, preprocessing {CliTransforms.Describe(g.FeatureNames, g.FeatureTransform, g.ConditionNames, g.ConditionTransform)}")
                + (g.Auxiliary is { } a ? string.Create(c, $"; auxiliary {a.Distance.ToString().ToLowerInvariant()} on {a.Statistic} (weight {a.Weight:G4}; in the loss — not evidence)") : ""),
            ConditionalVae v => string.Create(c, $"β = {v.Options.Beta}, {v.TrainedSteps} steps, preprocessing {CliTransforms.Describe(v.FeatureNames, v.FeatureTransform, v.ConditionNames, v.ConditionTransform)}"),
            ConditionalSplineFlow f => string.Create(c, $"{f.Options.Layers} {Json(f.Options.Architecture)?.Trim('"')} spline layers (K = {f.Options.Bins}), {f.TrainedSteps} steps, selected step {f.History?.SelectedStep}, preprocessing {CliTransforms.Describe(f.FeatureNames, f.FeatureTransform, f.ConditionNames, f.ConditionTransform)}"),
            _ => "",
        };
        Console.WriteLine($"trained {model.ModelType} on {table.Count} events: {detail}");
        Console.WriteLine($"wrote {output.FullName}");
    }
}
