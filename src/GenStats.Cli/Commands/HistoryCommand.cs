using System.CommandLine;
using System.Globalization;
using GenStats.Models;
using GenStats.Models.Files;

namespace GenStats.Cli;

/// <summary>
/// `genstats history MODEL.gsm`: the training history a neural model file keeps — the held-out
/// evaluations (and which one was kept), the last losses — and optionally the whole table as CSV.
/// </summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "A neural model file (.gsm) written by genstats train." };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the history as CSV (a row per stored step and per evaluation)." };
        var force = CliOptions.Force();
        var command = new Command("history", "Print the training history kept in a neural model file.") { model, csv, force };
        command.SetAction(r => Run(r.GetValue(model)!, r.GetValue(csv), r.GetValue(force)));
        return command;
    }

    private static int Run(FileInfo file, FileInfo? csv, bool force)
    {
        CliFiles.Input(file, "MODEL");
        if (csv is not null) CliFiles.Output(csv, "--csv", CliFiles.Kind.Table, force, ("MODEL", file));
        var m = ModelFile.Load(file.FullName);
        var h = m switch
        {
            ConditionalGan g => g.History,
            ConditionalVae v => v.History,
            ConditionalFlowMatching f => f.History,
            ConditionalSplineFlow f => f.History,
            _ => throw new ArgumentException($"{file.Name} holds a '{m.ModelType}' model; only neural models (GAN family, VAE, cfm, flow) keep a training history."),
        } ?? throw new ArgumentException($"{file.Name} was written before models kept their training history; retrain it to get one.");
        Console.Write(Describe(h));
        if (csv is not null)
        {
            TrainingHistoryCsv.Write(h, csv.FullName);
            Console.WriteLine($"wrote {csv.FullName}");
        }
        return 0;
    }

    /// <summary>The printed summary (also used by `train --history`).</summary>
    public static string Describe(TrainingHistory h)
    {
        var c = CultureInfo.InvariantCulture;
        var w = new StringWriter(c);
        long last = h.Steps.Count > 0 ? h.Steps[^1].Step : 0;
        w.WriteLine($"steps {last} ({h.Steps.Count} stored), evaluations {h.Evaluations.Count}, kept the generator of step {h.SelectedStep?.ToString(c) ?? "?"}");
        if (h.Evaluations.Count > 0)
        {
            w.WriteLine("  step   held-out ED   referee AUC   held-out metric");
            foreach (var e in h.Evaluations)
                w.WriteLine(string.Create(c,
                    $"{(e.Step == h.SelectedStep ? "*" : " ")}{e.Step,6}   {e.EnergyDistance,11:G4}   {(e.RefereeAuc is double a ? a.ToString("F3", c) : "-"),11}   {(e.HeldOutMetric is double hm ? hm.ToString("G6", c) : "-"),15}"));
        }
        if (h.Steps.Count > 0)
        {
            var s = h.Steps[^1];
            w.WriteLine(string.Create(c, $"last step {s.Step}: lr {s.LearningRate:G3}, batch ESS {s.BatchEss:G4}, ") +
                string.Join(", ", s.Losses.Select(kv => string.Create(c, $"{kv.Key} {kv.Value:G4}"))));
        }
        return w.ToString();
    }
}
