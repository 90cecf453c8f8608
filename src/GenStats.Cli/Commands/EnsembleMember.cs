using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GenStats.Data;
using GenStats.Models.Files;
using GenStats.Validation;
using GenStats.Validation.Ensembles;
using Microsoft.FSharp.Core;

namespace GenStats.Cli;

/// <summary>
/// `genstats ensemble member --out DIR --index i`: trains member i of the ensemble in DIR, exactly as
/// `genstats train` would with the manifest's arguments, on the training weights times the
/// member's Poisson(1) counts (<c>Propagation.replicaWeights</c>) and with the member's seed
/// (<c>Propagation.memberSeed</c>), so it equals the in-process <c>Propagation.run</c> bit for bit.
/// The model file, then the member's JSON, are renamed into place (atomic); a finished member exits
/// at once, so every runner may start it again.
/// </summary>
internal static class EnsembleMember
{
    /// <summary>The column that carries the replica weights; a table must not already have it.</summary>
    public const string ReplicaColumn = "genstats.replica_weight";

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Ensemble folder (holds manifest.json).", Required = true };
        var index = new Option<int>("--index") { Description = "Member index, 0 … K − 1 (Slurm: $SLURM_ARRAY_TASK_ID; HTCondor: $(Process)).", Required = true };
        var command = new Command("member", "Train one ensemble member (what every runner starts); a finished member is skipped.") { output, index };
        command.SetAction(r => CliErrors.Run("ensemble member", () => Run(r.GetValue(output)!.FullName, r.GetValue(index))));
        return command;
    }

    private static int Run(string dir, int index)
    {
        var m = Manifest.read(dir);
        Members.checkIndex(m, index);
        if (Members.tryRead(dir, m, index) is not null)
        {
            Console.WriteLine($"member {index} is already done ({Members.recordPath(dir, index)}); nothing to do");
            return 0;
        }
        Members.cleanStale(dir, index);
        var clock = Stopwatch.StartNew();
        string name = TrainCommand.CheckModel(m.Model, OptionValue(m.Steps), m.Transform?.Value, false);
        var transforms = m.Transform is null ? null : CliTransforms.Parse(m.Transform.Value);
        var auxiliary = CliAuxiliary.Parse(new CliAuxiliary.Request(m.Aux?.Value, m.AuxWeight is null ? null : (float)m.AuxWeight.Value, m.AuxDistance?.Value), name);
        string[] features = [.. m.Features], conditions = [.. m.Conditions];
        string? weight = m.Weight?.Value;
        var required = features.Concat(conditions).Concat(weight is null ? [] : [weight]).ToArray();
        var table = TableFile.Read(m.Data, new CsvOptions(RequiredColumns: required)).WithRoles(features, conditions, weight);
        if (table.HasColumn(ReplicaColumn))
            throw new ArgumentException($"{m.Data} has a column named {ReplicaColumn}, which genstats ensemble uses for the replica weights; rename it.");

        var replica = Propagation.replicaWeights(m.Seed, index, table.Weights is null ? FSharpOption<double[]>.None : FSharpOption<double[]>.Some(table.Weights), table.Count);
        int seed = Propagation.memberSeed(m.Seed, index);
        var data = table.WithColumn(ReplicaColumn, replica).WithRoles(features, conditions, ReplicaColumn);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"member {index} of {m.Members}: {name} on {data.Count} events (replica weight sum {replica.Sum():G6}), seed {seed}"));
        string modelPath = Members.modelPath(dir, index);
        // A cancelled member keeps no checkpoint: rerunning the member retrains it from the start.
        var checkpoints = new NeuralTraining.Checkpointing(modelPath + ".ckpt", 0, false, null,
            $"genstats ensemble member --out {NeuralTraining.Quote(dir)} --index {index}");
        var model = TrainCommand.Fit(name, data, m.Config?.Value ?? "{}", Manifest.path(dir), OptionValue(m.Steps), seed, transforms, auxiliary, checkpoints);
        if (model is null) return CliErrors.Cancelled;

        ModelFile.Save(modelPath, model);
        Members.write(dir, new Members.Record(index, seed, modelPath, data.Count, replica.Sum(), clock.Elapsed.TotalSeconds,
            Environment.MachineName, Manifest.fingerprint(m)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"member {index} done in {clock.Elapsed.TotalSeconds:F1} s: {modelPath}"));
        return 0;
    }

    private static int? OptionValue(FSharpOption<int>? o) => o is null ? null : o.Value;
}
