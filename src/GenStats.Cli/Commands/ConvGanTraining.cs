using System.Globalization;
using GenStats.Data.Images;
using GenStats.Models;

namespace GenStats.Cli;

/// <summary>
/// `genstats train --model conv-gan`: the convolutional conditional GAN on an image file (HDF5
/// simple or CaloGAN layout, or CSV with cell_r_c columns; see docs/images.md). The image file
/// fixes the cells, the conditions and the weights, so --features, --conditions, --weight,
/// --transform and --aux do not apply. Checkpoints and --resume work as for the other neural models
/// (the trainer writes its checkpoint on Ctrl-C itself).
/// </summary>
internal static class ConvGanTraining
{
    /// <summary>The model name on the command line.</summary>
    public const string Name = "conv-gan";

    /// <summary>Why `genstats ensemble` refuses conv-gan (docs/ensembles.md).</summary>
    public const string NoEnsemble =
        "--model conv-gan cannot be an ensemble: a member reads a table with --features/--conditions roles and gather measures a quantity of "
        + "the generated table columns, while conv-gan trains on an image file (cells, conditions and weights fixed by the file) and its "
        + "figures are shower statistics (Calorimeter in F#), not column quantities; for a seed-only spread train K models with genstats train --model conv-gan --seed i.";

    /// <summary>Refuses the table options that an image file replaces.</summary>
    public static void CheckOptions(string? features, string? conditions, string? weight, string? transform, string? aux)
    {
        foreach (var (option, value) in new[] { ("--features", features), ("--conditions", conditions), ("--weight", weight), ("--transform", transform), ("--aux", aux) })
            if (value is not null)
                throw new CliException($"{option} does not apply to --model {Name}: the image file (--data) fixes the cells, the conditions and the weights.");
    }

    /// <summary>Reads the images, trains (or resumes) with a progress bar and <paramref name="checkpoints"/>; null when cancelled.</summary>
    public static ConditionalConvGan? Train(FileInfo dataFile, string configText, string configSource, int? steps, int? seed, NeuralTraining.Checkpointing checkpoints)
    {
        var data = ImageFile.Read(dataFile.FullName);
        var o = TrainCommand.Config<ConvGanOptions>(configText, configSource);
        if (steps is int s) o = o with { Steps = s };
        if (seed is int sd) o = o with { Seed = unchecked((ulong)sd) };
        o = o with { CheckpointPath = checkpoints.Path, CheckpointEvery = checkpoints.Every > 0 ? checkpoints.Every : o.CheckpointEvery };
        int c = data.ConditionNames.Count;
        double[][]? conditions = c == 0 ? null
            : Enumerable.Range(0, data.Count).Select(i => Enumerable.Range(0, c).Select(j => (double)data.Conditions[i * c + j]).ToArray()).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training {Name} on {data.Count} images of {data.Height}×{data.Width} cells, conditions [{string.Join(", ", data.ConditionNames)}] (Ctrl-C cancels and writes the checkpoint{(checkpoints.Resume is null ? "; the condition regressor is fitted first" : "; resumed from " + checkpoints.Resume)})"));
        using var cts = CliCancellation.Open();
        var trainer = checkpoints.Resume is string from
            ? ConvGanTrainer.Open(from, data.Images, data.Height, data.Width, conditions, data.Weights, checkpoints.Path)
            : ConvGanTrainer.Create(data.Images, data.Height, data.Width, conditions, data.Weights, o, [.. data.ConditionNames]);
        return (ConditionalConvGan?)NeuralTraining.TrainSelfCheckpointing(Name, trainer.TotalSteps, (p, ct) => trainer.Run(p, ct).Model, checkpoints, cts.Token);
    }

    /// <summary>One line about the trained model.</summary>
    public static string Describe(ConditionalConvGan m)
    {
        var c = CultureInfo.InvariantCulture;
        string line = string.Create(c, $"{m.ImageHeight}×{m.ImageWidth} images, {m.TrainedSteps} generator steps (selected {m.History?.SelectedStep}), cell scaling {m.Options.Scaling.ToString().ToLowerInvariant()} (s = {m.Scale.Scale:G4})");
        return m.RegressorMse is double r ? line + string.Create(c, $", regressor training MSE {r:G3} per standardised condition") : line;
    }
}
