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
/// the GAN family (cramer, wgan-gp, wgan, bce, ns, lsgan), the VAE, conditional flow matching (cfm) and the spline flow (see <see cref="NeuralTraining"/>),
/// or the classical kde, library and histogram models.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Classical (non-neural) models.</summary>
    public static readonly string[] Classic = ["kde", "library", "histogram"];

    /// <summary>Every model name.</summary>
    public static readonly string[] All = [.. NeuralTraining.Names, ConvGanTraining.Name, .. Classic];

    /// <summary>The models that take --steps and --history: the neural ones and conv-gan.</summary>
    private static readonly string[] Stepped = [.. NeuralTraining.Names, ConvGanTraining.Name];

    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Training table: CSV with a header row, or Parquet (.parquet); for --model conv-gan an image file (HDF5 .h5 simple or CaloGAN layout, or CSV with cell_r_c columns; docs/images.md).", Required = true };
        var features = new Option<string?>("--features") { Description = "Comma-separated feature columns (what the model generates); required for every model but conv-gan, whose image file fixes them." };
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
        var resume = new Option<FileInfo?>("--resume") { Description = "Neural models: continue the run of this checkpoint (same --data, --features, --conditions, --weight, --model and --aux; the checkpoint fixes the options and the step budget). The result equals an uninterrupted run bit for bit." };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "Neural models: the checkpoint file (default OUT.ckpt, e.g. model.gsm.ckpt). Ctrl-C or SIGTERM always writes it; with --resume, the default is the resumed file." };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Neural models: also write the checkpoint every N steps, and keep the final one." };
        var force = CliOptions.Force();
        var device = CliDevice.Option();
        var command = new Command("train", "Train a generative model of p(features | conditions) and write it to a model file.\n\n" + NeuralDefaults.Text)
        {
            data, features, conditions, weight, model, config, transform, steps, seed, output, history, aux, auxWeight, auxDistance,
            resume, checkpoint, checkpointEvery, force, device,
        };
        command.SetAction(r =>
        {
            CliDevice.Select(r.GetValue(device));
            return Run(
            r.GetValue(data)!, r.GetValue(features), r.GetValue(conditions), r.GetValue(weight),
            r.GetValue(model)!, r.GetValue(config), r.GetValue(transform), r.GetValue(steps), r.GetValue(seed), r.GetValue(output)!, r.GetValue(history),
            new CliAuxiliary.Request(r.GetValue(aux), r.GetValue(auxWeight), r.GetValue(auxDistance)), r.GetValue(force),
            new CheckpointRequest(r.GetValue(resume), r.GetValue(checkpoint), r.GetValue(checkpointEvery)));
        });
        return command;
    }

    private static int Run(FileInfo dataFile, string? featureList, string? conditionList, string? weightColumn,
        string modelName, FileInfo? configFile, string? transformList, int? steps, int? seed, FileInfo output, FileInfo? historyFile = null,
        CliAuxiliary.Request? auxRequest = null, bool force = false, CheckpointRequest? checkpointRequest = null)
    {
        checkpointRequest ??= new CheckpointRequest(null, null, null);
        string name = CheckModel(modelName, steps, transformList, historyFile is not null);
        if (name == ConvGanTraining.Name)
            return RunConvGan(dataFile, featureList, conditionList, weightColumn, configFile, transformList, steps, seed, output, historyFile, auxRequest, force, checkpointRequest);
        if (featureList is null)
            throw new CliException($"Option '--features' is required for --model {name} (only conv-gan reads an image file without it).");
        bool neural = NeuralTraining.Names.Contains(name);
        if (!neural && (checkpointRequest.Resume ?? checkpointRequest.Checkpoint) is not null || !neural && checkpointRequest.Every is not null)
            throw new ArgumentException($"--resume, --checkpoint and --checkpoint-every apply to the neural models ({string.Join(", ", Stepped)}), not to '{name}'.");
        CheckCheckpointRequest(checkpointRequest, configFile, steps, seed, transformList);
        var transforms = transformList is null ? null : CliTransforms.Parse(transformList);
        var auxiliary = CliAuxiliary.Parse(auxRequest, name);

        var featureNames = CliErrors.Names(featureList, "--features");
        if (featureNames.Length == 0) throw new ArgumentException("--features names no column; at least one feature is required.");
        var conditionNames = CliErrors.Names(conditionList, "--conditions");
        string? weightName = string.IsNullOrWhiteSpace(weightColumn) ? null : weightColumn.Trim();
        var required = featureNames.Concat(conditionNames).Concat(weightName is null ? [] : [weightName]).ToArray();
        var overlap = featureNames.Intersect(conditionNames).Concat(weightName is null ? [] : featureNames.Concat(conditionNames).Where(n => n == weightName)).ToArray();
        if (overlap.Length > 0)
            throw new CliException($"column '{overlap[0]}' is given more than one role (--features, --conditions, --weight); each column has one.");
        auxiliary?.CheckColumnsOrThrow(featureNames, conditionNames);
        CheckFiles(dataFile, configFile, output, historyFile, force);
        var checkpointing = neural ? Checkpoints(checkpointRequest, output, force, dataFile, configFile, historyFile, configFile is null ? null : File.ReadAllText(configFile.FullName),
            $"genstats train --resume {{checkpoint}} --data {NeuralTraining.Quote(dataFile.FullName)} --features {NeuralTraining.Quote(featureList)}"
            + (conditionList is null ? "" : $" --conditions {NeuralTraining.Quote(conditionList)}") + (weightName is null ? "" : $" --weight {NeuralTraining.Quote(weightName)}")
            + $" --model {name} --out {NeuralTraining.Quote(output.FullName)}" + (historyFile is null ? "" : $" --history {NeuralTraining.Quote(historyFile.FullName)}")
            + (auxRequest?.Expression is string ax ? $" --aux {NeuralTraining.Quote(ax)}" : "")) : null;
        string configText = configFile is null ? "{}" : File.ReadAllText(configFile.FullName);
        string configSource = configFile?.FullName ?? "(defaults)";

        if (neural)
        {
            var data = TableFile.Read(dataFile.FullName, new CsvOptions(RequiredColumns: required)).WithRoles(featureNames, conditionNames, weightName);
            Console.WriteLine($"training {name} on {data.Count} events (Ctrl-C cancels)");
            var model = NeuralTraining.Train(name, data, configText, configSource, steps, seed, transforms, auxiliary, checkpointing!);
            if (model is null) return CliErrors.Cancelled;
            ModelFile.Save(output.FullName, model);
            Report(model, data, output);
            var kept = model switch { ConditionalGan g => g.History, ConditionalVae v => v.History, ConditionalFlowMatching f => f.History, ConditionalSplineFlow sf => sf.History, _ => null };
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
            table = TableFile.Read(dataFile.FullName, new CsvOptions(RequiredColumns: required))
                .WithRoles(featureNames, conditionNames, weightName);
            ctx.Status($"Training {name} on {table.Count} events…");
            trained = FitClassic(name, table, configText, configSource, classicSeed);
            ctx.Status($"Writing {output.Name}…");
            ModelFile.Save(output.FullName, trained);
        });
        Report(trained!, table!, output);
        return 0;
    }

    /// <summary>--checkpoint-every is positive; --resume takes no option that would change the checkpoint's run.</summary>
    private static void CheckCheckpointRequest(CheckpointRequest request, FileInfo? configFile, int? steps, int? seed, string? transformList)
    {
        if (request.Every is < 1)
            throw new ArgumentException($"--checkpoint-every is {request.Every}; give a positive number of steps.");
        if (request.Resume is not null && (configFile is not null || steps is not null || seed is not null || transformList is not null))
            throw new ArgumentException("--resume continues the checkpoint's run with its own options; --config, --steps, --seed and --transform cannot change them.");
    }

    private static int RunConvGan(FileInfo dataFile, string? featureList, string? conditionList, string? weightColumn, FileInfo? configFile, string? transformList,
        int? steps, int? seed, FileInfo output, FileInfo? historyFile, CliAuxiliary.Request? auxRequest, bool force, CheckpointRequest checkpoints)
    {
        ConvGanTraining.CheckOptions(featureList, conditionList, weightColumn, transformList, auxRequest?.Expression);
        CheckCheckpointRequest(checkpoints, configFile, steps, seed, transformList);
        CheckFiles(dataFile, configFile, output, historyFile, force);
        string configText = configFile is null ? "{}" : File.ReadAllText(configFile.FullName);
        var checkpointing = Checkpoints(checkpoints, output, force, dataFile, configFile, historyFile, configText,
            $"genstats train --resume {{checkpoint}} --data {NeuralTraining.Quote(dataFile.FullName)} --model {ConvGanTraining.Name} --out {NeuralTraining.Quote(output.FullName)}"
            + (historyFile is null ? "" : $" --history {NeuralTraining.Quote(historyFile.FullName)}"));
        var model = ConvGanTraining.Train(dataFile, configText, configFile?.FullName ?? "(defaults)", steps, seed, checkpointing);
        if (model is null) return CliErrors.Cancelled;
        ModelFile.Save(output.FullName, model);
        Console.WriteLine($"trained {model.ModelType}: {ConvGanTraining.Describe(model)}");
        Console.WriteLine($"wrote {output.FullName}");
        if (model.History is { } kept)
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

    /// <summary>The inputs exist; --out (and --history) may be written without destroying an input or another kind of file.</summary>
    private static void CheckFiles(FileInfo dataFile, FileInfo? configFile, FileInfo output, FileInfo? historyFile, bool force)
    {
        CliFiles.Input(dataFile, "--data");
        if (configFile is not null) CliFiles.Input(configFile, "--config");
        CliFiles.Output(output, "--out", CliFiles.Kind.Model, force, ("--data", dataFile), ("--config", configFile));
        if (historyFile is null) return;
        CliFiles.Output(historyFile, "--history", CliFiles.Kind.Table, force, ("--data", dataFile), ("--config", configFile));
        CliFiles.Distinct("--out", output, "--history", historyFile);
    }

    /// <summary>--resume, --checkpoint and --checkpoint-every as given.</summary>
    public sealed record CheckpointRequest(FileInfo? Resume, FileInfo? Checkpoint, int? Every);

    /// <summary>
    /// Where checkpoints go: --checkpoint, else the config's checkpointPath, else the resumed file,
    /// else OUT.ckpt; kept after a finished run when any of them was asked for or --checkpoint-every given.
    /// </summary>
    private static NeuralTraining.Checkpointing Checkpoints(CheckpointRequest request, FileInfo output, bool force,
        FileInfo dataFile, FileInfo? configFile, FileInfo? historyFile, string? configText, string resumeCommand)
    {
        string? fromConfig = null;
        if (configText is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(configText);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("checkpointPath", out var cp) && cp.ValueKind == JsonValueKind.String)
                    fromConfig = cp.GetString();
            }
            catch (JsonException)
            {
                // Reported with the config's other errors when the options are read.
            }
        }
        if (request.Resume is not null)
        {
            CliFiles.Input(request.Resume, "--resume");
            if (CliFiles.Detect(request.Resume.FullName) is not CliFiles.Kind.Checkpoint)
                throw new CliException($"--resume '{request.Resume.FullName}' is not a checkpoint; give the file a cancelled or checkpointed run wrote (default OUT.ckpt).");
        }
        var file = request.Checkpoint ?? (fromConfig is null ? null : new FileInfo(fromConfig)) ?? request.Resume ?? new FileInfo(output.FullName + ".ckpt");
        CliFiles.Output(file, "--checkpoint", CliFiles.Kind.Checkpoint, force, ("--data", dataFile), ("--config", configFile), ("--out", output), ("--history", historyFile));
        bool keep = request.Checkpoint is not null || fromConfig is not null || request.Resume is not null || request.Every is not null;
        return new NeuralTraining.Checkpointing(file.FullName, request.Every ?? 0, keep, request.Resume?.FullName, resumeCommand);
    }

    /// <summary>
    /// Checks the model name and the options only the neural models take (--steps, --transform,
    /// --history); returns the name in lower case.
    /// </summary>
    public static string CheckModel(string modelName, int? steps, string? transformList, bool history)
    {
        string name = modelName.Trim().ToLowerInvariant();
        if (!All.Contains(name))
            throw new ArgumentException($"unknown model '{modelName}'; choose one of: {string.Join(", ", All)}.");
        bool neural = NeuralTraining.Names.Contains(name);
        bool stepped = Stepped.Contains(name);
        if (!stepped && steps is not null)
            throw new ArgumentException($"--steps applies to the neural models ({string.Join(", ", Stepped)}), not to '{name}'.");
        if (!stepped && history)
            throw new ArgumentException($"--history applies to the neural models ({string.Join(", ", Stepped)}), not to '{name}'.");
        if (steps is <= 0)
            throw new ArgumentException($"--steps is {steps}; give a positive number of steps (omit it for the automatic budget).");
        if (!neural && transformList is not null)
            throw new ArgumentException($"--transform applies to the neural models ({string.Join(", ", NeuralTraining.Names)}), not to '{name}'.");
        return name;
    }

    /// <summary>Fits a classical model (kde, library, histogram) to a table with roles.</summary>
    public static IConditionalGenerator FitClassic(string name, Dataset table, string configText, string configSource, int seed) => name switch
    {
        "kde" => KernelDensity.Fit(table, Config<KdeOptions>(configText, configSource), seed),
        "library" => Library.Fit(table, Config<LibraryOptions>(configText, configSource)),
        "histogram" => HistogramSampler.Fit(table, Config<HistogramOptions>(configText, configSource)),
        _ => throw new ArgumentException($"'{name}' is not a classical model; those are {string.Join(", ", Classic)}."),
    };

    /// <summary>
    /// Trains any model as `genstats train` does (a neural model with its progress bar and
    /// <paramref name="checkpoints"/>; the seed defaults as there); null when a neural training was cancelled.
    /// </summary>
    public static IConditionalGenerator? Fit(string name, Dataset table, string configText, string configSource, int? steps, int? seed,
        IReadOnlyDictionary<string, string>? transforms, AuxiliaryStatistic? auxiliary, NeuralTraining.Checkpointing checkpoints) =>
        name == ConvGanTraining.Name
            ? throw new CliException(ConvGanTraining.NoEnsemble)
            : NeuralTraining.Names.Contains(name)
            ? NeuralTraining.Train(name, table, configText, configSource, steps, seed, transforms, auxiliary, checkpoints)
            : FitClassic(name, table, configText, configSource, seed ?? 0);

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
            ConditionalFlowMatching f => string.Create(c, $"{f.TrainedSteps} steps, sampling {Json(f.Options.Solver)} × {f.Options.OdeSteps} ODE steps, preprocessing {CliTransforms.Describe(f.FeatureNames, f.FeatureTransform, f.ConditionNames, f.ConditionTransform)}"),
            ConditionalSplineFlow f => string.Create(c, $"{f.Options.Layers} {Json(f.Options.Architecture)?.Trim('"')} spline layers (K = {f.Options.Bins}), {f.TrainedSteps} steps, selected step {f.History?.SelectedStep}, preprocessing {CliTransforms.Describe(f.FeatureNames, f.FeatureTransform, f.ConditionNames, f.ConditionTransform)}"),
            _ => "",
        };
        Console.WriteLine($"trained {model.ModelType} on {table.Count} events: {detail}");
        Console.WriteLine($"wrote {output.FullName}");
    }
}
