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
    public static readonly string[] Names = [.. GanLosses.Keys, "vae", "flow"];

    /// <summary>Trains; returns the model, or null when cancelled (the message is already written).</summary>
    public static IConditionalGenerator? Train(string name, Dataset table, string configText, string configSource, int? steps, int? seed,
        IReadOnlyDictionary<string, string>? transforms = null, AuxiliaryStatistic? auxiliary = null)
    {
        var features = table.FeatureRows();
        double[][]? conditions = table.Conditions.Count > 0 ? table.ConditionRows() : null;
        var weights = table.Weights;
        string[] fNames = [.. table.Features], cNames = [.. table.Conditions];
        if (steps is < 0) throw new ArgumentException($"--steps is {steps}; it must be ≥ 0.");

        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            if (name == "vae")
            {
                var o = TrainCommand.Config<VaeOptions>(configText, configSource);
                if (steps is int s) o = o with { Steps = s };
                o = o with { ColumnTransforms = CliTransforms.Merge(o.ColumnTransforms, transforms) };
                if (seed is int sd) o = o with { Seed = unchecked((ulong)sd) };
                VaeTrainingResult? r = null;
                bool done = WithProgress($"vae", o.Steps, (p, ct) => r = VaeTrainer.Train(features, conditions, weights, o, p, ct, fNames, cNames), cts.Token);
                if (!done)
                    Console.Error.WriteLine(o.CheckpointPath is string vp
                        ? $"genstats train: cancelled; checkpoint written to {vp} (continue with VaeTrainer.Resume); no model file was written."
                        : "genstats train: cancelled; no checkpoint (set \"checkpointPath\" in --config to keep one); no model file was written.");
                return done ? r!.Model : null;
            }
            if (name == "flow")
            {
                var o = TrainCommand.Config<FlowOptions>(configText, configSource);
                if (steps is int s) o = o with { Steps = s };
                o = o with { ColumnTransforms = CliTransforms.Merge(o.ColumnTransforms, transforms) };
                if (seed is int sd) o = o with { Seed = unchecked((ulong)sd) };
                FlowTrainingResult? r = null;
                bool done = WithProgress("flow", o.Steps, (p, ct) => r = FlowTrainer.Train(features, conditions, weights, o, p, ct, fNames, cNames), cts.Token);
                if (!done)
                    Console.Error.WriteLine(o.CheckpointPath is string fp
                        ? $"genstats train: cancelled; checkpoint written to {fp} (continue with FlowTrainer.Resume); no model file was written."
                        : "genstats train: cancelled; no checkpoint (set \"checkpointPath\" in --config to keep one); no model file was written.");
                return done ? r!.Model : null;
            }
            var g = TrainCommand.Config<GanOptions>(configText, configSource) with { Loss = GanLosses[name] };
            if (steps is int gs) g = g with { Steps = gs, Epochs = null };
            g = g with { ColumnTransforms = CliTransforms.Merge(g.ColumnTransforms, transforms) };
            if (seed is int gsd) g = g with { Seed = unchecked((ulong)gsd) };
            var trainer = GanTrainer.Create(features, conditions, weights, g, auxiliary, fNames, cNames);
            GanTrainingResult? result = null;
            bool finished = WithProgress(name, trainer.TotalSteps, (p, ct) => result = trainer.Run(p, ct), cts.Token);
            if (finished) return result!.Model;
            if (g.CheckpointPath is string path)
            {
                // Cancellation lands between steps, so the trainer's state is a consistent checkpoint.
                trainer.SaveCheckpoint(path);
                Console.Error.WriteLine($"genstats train: cancelled at step {trainer.Step}; checkpoint written to {path} (continue with GanTrainer.Resume); no model file was written.");
            }
            else
                Console.Error.WriteLine($"genstats train: cancelled at step {trainer.Step}; no checkpoint (set \"checkpointPath\" in --config to keep one); no model file was written.");
            return null;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs the training with a progress bar; false when cancelled.</summary>
    private static bool WithProgress(string name, long total, Action<IProgress<TrainingProgress>, CancellationToken> run, CancellationToken token)
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
