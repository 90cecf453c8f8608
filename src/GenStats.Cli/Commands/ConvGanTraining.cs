using System.Globalization;
using GenStats.Data.Images;
using GenStats.Models;

namespace GenStats.Cli;

/// <summary>
/// `genstats train --model conv-gan`: the convolutional conditional GAN on an image file (HDF5
/// simple or CaloGAN layout, or CSV with cell_r_c columns; see docs/images.md). The image file
/// fixes the cells, the conditions and the weights, so --features, --conditions, --weight,
/// --transform and --aux do not apply; the run has no checkpoints (Ctrl-C stops it and writes nothing).
/// </summary>
internal static class ConvGanTraining
{
    /// <summary>The model name on the command line.</summary>
    public const string Name = "conv-gan";

    /// <summary>Refuses the table options that an image file replaces.</summary>
    public static void CheckOptions(string? features, string? conditions, string? weight, string? transform, string? aux, TrainCommand.CheckpointRequest checkpoints)
    {
        foreach (var (option, value) in new[] { ("--features", features), ("--conditions", conditions), ("--weight", weight), ("--transform", transform), ("--aux", aux) })
            if (value is not null)
                throw new CliException($"{option} does not apply to --model {Name}: the image file (--data) fixes the cells, the conditions and the weights.");
        if (checkpoints.Resume is not null || checkpoints.Checkpoint is not null || checkpoints.Every is not null)
            throw new CliException($"--resume, --checkpoint and --checkpoint-every are not available for --model {Name} yet (it has no checkpoints).");
    }

    /// <summary>Reads the images, trains with a progress bar; null when cancelled.</summary>
    public static ConditionalConvGan? Train(FileInfo dataFile, string configText, string configSource, int? steps, int? seed)
    {
        var data = ImageFile.Read(dataFile.FullName);
        var o = TrainCommand.Config<ConvGanOptions>(configText, configSource);
        if (steps is int s) o = o with { Steps = s };
        if (seed is int sd) o = o with { Seed = unchecked((ulong)sd) };
        int c = data.ConditionNames.Count;
        double[][]? conditions = c == 0 ? null
            : Enumerable.Range(0, data.Count).Select(i => Enumerable.Range(0, c).Select(j => (double)data.Conditions[i * c + j]).ToArray()).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training {Name} on {data.Count} images of {data.Height}×{data.Width} cells, conditions [{string.Join(", ", data.ConditionNames)}] (Ctrl-C cancels; the condition regressor is fitted first)"));
        using var cts = CliCancellation.Open();
        var trainer = ConvGanTrainer.Create(data.Images, data.Height, data.Width, conditions, data.Weights, o, [.. data.ConditionNames]);
        ConvGanTrainingResult? result = null;
        if (!NeuralTraining.WithProgress(Name, trainer.TotalSteps, (p, ct) => result = trainer.Run(p, ct), cts.Token))
        {
            Console.Error.WriteLine($"cancelled at step {trainer.Step}; {Name} training has no checkpoints, so nothing was written.");
            return null;
        }
        return result!.Model;
    }

    /// <summary>One line about the trained model.</summary>
    public static string Describe(ConditionalConvGan m)
    {
        var c = CultureInfo.InvariantCulture;
        string line = string.Create(c, $"{m.ImageHeight}×{m.ImageWidth} images, {m.TrainedSteps} generator steps (selected {m.History?.SelectedStep}), cell scaling {m.Options.Scaling.ToString().ToLowerInvariant()} (s = {m.Scale.Scale:G4})");
        return m.RegressorMse is double r ? line + string.Create(c, $", regressor training MSE {r:G3} per standardised condition") : line;
    }
}
