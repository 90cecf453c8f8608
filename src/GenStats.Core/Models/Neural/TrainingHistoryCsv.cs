using System.Globalization;
using System.Text;
using GenStats.Numerics;

namespace GenStats.Models;

/// <summary>
/// A training history as one CSV table: a row per step (kind "step": learning rate, batch ESS and
/// every loss) and a row per held-out evaluation (kind "evaluation": energy distance on the model's
/// preprocessed scale, referee AUC, the model-specific held-out figure). Empty cells = not measured.
/// </summary>
public static class TrainingHistoryCsv
{
    /// <summary>The fixed leading columns; the loss names follow, in first-seen order.</summary>
    public static readonly string[] FixedColumns =
        ["kind", "step", "learning_rate", "batch_ess", "held_out_energy_distance", "referee_auc", "held_out_metric", "selected"];

    /// <summary>The table as CSV text (invariant culture, round-trip precision).</summary>
    public static string Format(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var lossNames = history.Steps.SelectMany(s => s.Losses.Keys).Distinct().ToArray();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", FixedColumns.Concat(lossNames.Select(n => "loss_" + n))));
        static string F(double? v) => v is double d && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "";
        string Selected(long step) => history.SelectedStep == step ? "1" : "0";
        foreach (var s in history.Steps)
        {
            var cells = new List<string> { "step", s.Step.ToString(CultureInfo.InvariantCulture), F(s.LearningRate), F(s.BatchEss), "", "", "", "" };
            cells.AddRange(lossNames.Select(n => s.Losses.TryGetValue(n, out var v) ? F(v) : ""));
            sb.AppendLine(string.Join(",", cells));
        }
        foreach (var e in history.Evaluations)
        {
            var cells = new List<string> { "evaluation", e.Step.ToString(CultureInfo.InvariantCulture), "", "", F(e.EnergyDistance), F(e.RefereeAuc), F(e.HeldOutMetric), Selected(e.Step) };
            cells.AddRange(lossNames.Select(_ => ""));
            sb.AppendLine(string.Join(",", cells));
        }
        return sb.ToString();
    }

    /// <summary>Writes the table atomically.</summary>
    public static void Write(TrainingHistory history, string path) => AtomicFile.WriteText(path, Format(history));
}
