using System.Globalization;
using GenStats.Data;
using GenStats.Models;
using Spectre.Console;

namespace GenStats.Cli;

/// <summary>
/// The neural half of `genstats train`: maps the model name to a GAN loss or the VAE, applies
/// --steps/--seed over the --config options, shows a progress bar (ETA, live losses) and turns
/// Ctrl-C into a clean cancellation that keeps (and, with a CheckpointPath, writes) the
/// last checkpoint.
/// </summary>
internal static class NeuralTraining
{
    /// <summary>Command-line model names → GAN losses; "vae" is the conditional VAE, "flow" the conditional spline flow.</summary>
    public static readonly IReadOnlyDictionary<string, GanLoss> GanLosses = new Dictionary<string, GanLoss>(StringComparer.Ordinal)
    {
        ["cramer"] = GanLoss.Cramer,
        ["wgan-gp"] = GanLoss.WganGp,
        ["wgan"] = GanLoss.Wgan,
        ["bce"] = GanLoss.Minimax,
        ["ns"] = GanLoss.NonSaturating,
        ["lsgan"] = GanLoss.LeastSquares,
    };

    /// <summary>Every neural model name.</summary>
    public static readonly string[] Names = [.. GanLosses.Keys, "vae", "cfm", "flow"];

    /// <summary>
    /// Checkpoints of a command-line run (docs/neural-models.md, "Checkpoints and resume"):
    /// <paramref name="Path"/> gets one every <paramref name="Every"/> steps (0 = none during the
    /// run) and always on Ctrl-C/SIGTERM; <paramref name="Keep"/> false deletes the final one after
    /// a finished run (the user asked for none); <paramref name="Resume"/> continues from a
    /// checkpoint; <paramref name="ResumeCommand"/> is the command line a cancel message prints.
    /// </summary>
    public sealed record Checkpointing(string Path, int Every, bool Keep, string? Resume, string ResumeCommand);

    /// <summary>Trains (or resumes); returns the model, or null when cancelled (the message is already written).</summary>
    public static IConditionalGenerator? Train(string name, Dataset table, string configText, string configSource, int? steps, int? seed,
        IReadOnlyDictionary<string, string>? transforms, AuxiliaryStatistic? auxiliary, Checkpointing checkpoints)
    {
        var features = table.FeatureRows();
        double[][]? conditions = table.Conditions.Count > 0 ? table.ConditionRows() : null;
        var weights = table.Weights;
        string[] fNames = [.. table.Features], cNames = [.. table.Conditions];
        if (steps is < 0) throw new ArgumentException($"--steps is {steps}; it must be ≥ 0.");
        string path = checkpoints.Path;

        using var cts = CliCancellation.Open(); // Ctrl-C and SIGTERM stop between steps
        // The VAE, cfm and flow trainers write their checkpoint on cancellation themselves when they have a path.
        int every(int configured) => checkpoints.Every > 0 ? checkpoints.Every : configured;
        if (name == "vae")
        {
            var o = TrainCommand.Config<VaeOptions>(configText, configSource);
            if (steps is int s) o = o with { Steps = s };
            CheckData(table, o.BatchSize, [.. o.EncoderLayers, .. o.DecoderLayers], 1, configSource);
            o = o with { ColumnTransforms = CliTransforms.Merge(o.ColumnTransforms, transforms), CheckpointPath = path, CheckpointEvery = every(o.CheckpointEvery) };
            if (seed is int sd) o = o with { Seed = unchecked((ulong)sd) };
            return TrainSelfCheckpointing(name, o.Steps, (p, ct) => (checkpoints.Resume is string from
                ? VaeTrainer.Resume(from, features, conditions, weights, p, ct, path)
                : VaeTrainer.Train(features, conditions, weights, o, p, ct, fNames, cNames)).Model, checkpoints, cts.Token);
        }
        if (name == "cfm")
        {
            var o = TrainCommand.Config<FlowMatchingOptions>(configText, configSource);
            if (steps is int s) o = o with { Steps = s };
            CheckData(table, o.BatchSize, o.Layers, 1, configSource);
            o = o with { ColumnTransforms = CliTransforms.Merge(o.ColumnTransforms, transforms), CheckpointPath = path, CheckpointEvery = every(o.CheckpointEvery) };
            if (seed is int sd) o = o with { Seed = unchecked((ulong)sd) };
            return TrainSelfCheckpointing(name, o.Steps, (p, ct) => (checkpoints.Resume is string from
                ? FlowMatchingTrainer.Resume(from, features, conditions, weights, p, ct, path)
                : FlowMatchingTrainer.Train(features, conditions, weights, o, p, ct, fNames, cNames)).Model, checkpoints, cts.Token);
        }
        if (name == "flow")
        {
            var o = TrainCommand.Config<FlowOptions>(configText, configSource);
            if (steps is int s) o = o with { Steps = s };
            CheckData(table, o.BatchSize, o.HiddenLayers, 1, configSource);
            o = o with { ColumnTransforms = CliTransforms.Merge(o.ColumnTransforms, transforms), CheckpointPath = path, CheckpointEvery = every(o.CheckpointEvery) };
            if (seed is int sd) o = o with { Seed = unchecked((ulong)sd) };
            return TrainSelfCheckpointing(name, o.Steps, (p, ct) => (checkpoints.Resume is string from
                ? FlowTrainer.Resume(from, features, conditions, weights, p, ct, path)
                : FlowTrainer.Train(features, conditions, weights, o, p, ct, fNames, cNames)).Model, checkpoints, cts.Token);
        }
        GanTrainer trainer;
        if (checkpoints.Resume is string resume)
        {
            trainer = GanTrainer.Open(resume, features, conditions, weights, auxiliary, path);
            if (trainer.Options.Loss != GanLosses[name])
                throw new CliException($"--resume {resume} holds a run with the {GanLosses.First(kv => kv.Value == trainer.Options.Loss).Key} loss, not {name}; give --model {GanLosses.First(kv => kv.Value == trainer.Options.Loss).Key}.");
        }
        else
        {
            var g = TrainCommand.Config<GanOptions>(configText, configSource) with { Loss = GanLosses[name] };
            if (steps is int gs) g = g with { Steps = gs, Epochs = null };
            if (g.Epochs is double ep && !(ep > 0 && double.IsFinite(ep)))
                throw new CliException($"config {configSource}: epochs is {ep}; give a positive number (or omit it for the automatic budget).");
            CheckData(table, g.BatchSize, [.. g.GeneratorLayers, .. g.CriticLayers, g.CriticOutputSize], 1 + g.CriticSteps, configSource);
            g = g with { ColumnTransforms = CliTransforms.Merge(g.ColumnTransforms, transforms) };
            if (seed is int gsd) g = g with { Seed = unchecked((ulong)gsd) };
            // Periodic checkpoints (and the final one) only when asked for; the CLI writes one on cancellation below.
            g = g with { CheckpointPath = checkpoints.Every > 0 || checkpoints.Keep ? path : null, CheckpointEvery = checkpoints.Every > 0 ? checkpoints.Every : g.CheckpointEvery };
            trainer = GanTrainer.Create(features, conditions, weights, g, auxiliary, fNames, cNames);
        }
        if (trainer.TotalSteps < 1)
            throw new CliException($"the training would run {trainer.TotalSteps} steps (config {configSource}); give --steps N ≥ 1 or a positive epochs.");
        GanTrainingResult? result = null;
        bool finished = WithProgress(name, trainer.TotalSteps, (p, ct) => result = trainer.Run(p, ct), cts.Token);
        if (finished) return result!.Model;
        // Cancellation lands between steps, so the trainer's state is a consistent checkpoint.
        trainer.SaveCheckpoint(path);
        Cancelled(trainer.Step, path, checkpoints);
        return null;
    }

    /// <summary>
    /// Runs a trainer that writes its own checkpoint at <see cref="Checkpointing.Path"/> on
    /// cancellation (VAE, cfm, flow, conv-gan) with a progress bar: the model, or null after the cancel
    /// message; the final checkpoint is deleted when the user asked for none.
    /// </summary>
    internal static IConditionalGenerator? TrainSelfCheckpointing(string name, long steps,
        Func<IProgress<TrainingProgress>, CancellationToken, IConditionalGenerator> run, Checkpointing checkpoints, CancellationToken token)
    {
        IConditionalGenerator? model = null;
        string path = checkpoints.Path;
        if (!WithProgress(name, steps, (p, ct) => model = run(p, ct), token))
        {
            long at = File.Exists(path) ? CheckpointStep(path) : -1;
            Cancelled(at, File.Exists(path) ? path : null, checkpoints);
            return null;
        }
        if (!checkpoints.Keep && File.Exists(path)) File.Delete(path);
        return model;
    }

    /// <summary>The cancel message: the step, the checkpoint and the command that continues the run.</summary>
    private static void Cancelled(long step, string? path, Checkpointing checkpoints)
    {
        string at = step >= 0 ? $" at step {step}" : "";
        Console.Error.WriteLine(path is null
            ? $"genstats train: cancelled{at}; no checkpoint was written; no model file was written."
            : $"genstats train: cancelled{at}; checkpoint written to {path}; no model file was written. Continue with: {checkpoints.ResumeCommand.Replace("{checkpoint}", Quote(path), StringComparison.Ordinal)}");
    }

    /// <summary>The step a checkpoint was written at (its metadata).</summary>
    public static long CheckpointStep(string path) =>
        long.TryParse(GenStats.Nn.ParameterFile.Load(path).Metadata.GetValueOrDefault("step"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long s) ? s : -1;

    /// <summary>A shell word: quoted when it holds anything but safe characters.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_./=,:+".Contains(ch)) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Refuses what would train nothing useful: fewer events than one batch, a constant column
    /// (a neural model cannot learn a zero-width distribution; its standardisation divides by 0),
    /// and a batch whose activations would not fit in memory.
    /// </summary>
    private static void CheckData(Dataset table, int batchSize, int[] widths, int passes, string configSource)
    {
        if (batchSize < 1) throw new CliException($"config {configSource}: batchSize is {batchSize}; give a positive batch size.");
        // Activations and gradients (float32) of every hidden layer, a few copies per pass (double backward for penalties).
        double width = widths.Sum() + table.Features.Count + table.Conditions.Count;
        CliMemory.Require(4.0 * 8 * passes * batchSize * width, $"batchSize {batchSize} (config {configSource})");
        if (table.Count < batchSize)
            throw new CliException(
                $"the training data has {table.Count} events, fewer than one batch ({batchSize}); give at least {batchSize} events or a smaller batchSize in --config.");
        foreach (var column in table.Features.Concat(table.Conditions))
        {
            var v = table.Column(column);
            if (v.All(x => x == v[0]))
                throw new CliException(
                    $"column '{column}' is constant ({v[0].ToString("G6", CultureInfo.InvariantCulture)} in every event); a neural model cannot learn it. Drop it from --features/--conditions (its value is known exactly).");
        }
    }

    /// <summary>Runs the training with a progress bar; false when cancelled.</summary>
    internal static bool WithProgress(string name, long total, Action<IProgress<TrainingProgress>, CancellationToken> run, CancellationToken token)
    {
        try
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape($"{name} training"), maxValue: Math.Max(1, total));
                    run(new BarProgress(task, name), token);
                    task.Value = task.MaxValue;
                });
            return true;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Updates the bar synchronously from the training thread (no reordering, unlike Progress&lt;T&gt;).</summary>
    private sealed class BarProgress(ProgressTask task, string name) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            var c = CultureInfo.InvariantCulture;
            var parts = p.Losses.Select(kv => string.Create(c, $"{kv.Key} {kv.Value:G4}")).ToList();
            parts.Add(string.Create(c, $"ESS {p.BatchEss:G4}"));
            if (p.HeldOutEnergyDistance is double ed) parts.Add(string.Create(c, $"held-out ED {ed:G4}"));
            if (p.RefereeAuc is double auc) parts.Add(string.Create(c, $"AUC {auc:F3}"));
            task.Description = Markup.Escape(string.Create(c, $"{name} {p.Step}/{p.TotalSteps}: {string.Join(", ", parts)}"));
            task.MaxValue = Math.Max(1, p.TotalSteps);
            task.Value = p.Step;
        }
    }
}
