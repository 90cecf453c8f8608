using System.Globalization;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>Checkpoints of a conv-GAN run (the resumable-session half of <see cref="ConvGanTrainer"/>).</summary>
public sealed partial class ConvGanTrainer
{
    private const string Kind = "conv-gan-checkpoint";

    /// <summary>The SHA-256 of the training images (with their size), conditions and weights, as <see cref="NeuralData.Fingerprint(double[][], double[][], double[])"/> for tables.</summary>
    private static string Fingerprint(float[] images, int height, int width, double[][]? conditions, double[]? weights) =>
        NeuralData.Fingerprint(add =>
        {
            add(height);
            add(width);
            foreach (float v in images) add(v);
        }, conditions, weights);

    /// <summary>
    /// Writes a checkpoint (a <see cref="ParameterFile"/>, atomically): the live and the EMA
    /// generator (parameters and BatchNorm running statistics), the critic, the frozen regressor,
    /// the kept-best generator, both Adam states with their step counts, the RNG position, the
    /// step, the options, the history, the regressor's MSE and a SHA-256 fingerprint of the data.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tensors = new List<NamedTensor>();
        tensors.AddRange(NeuralParts.PrefixedState("g.", gen));
        tensors.AddRange(NeuralParts.PrefixedState("d.", critic));
        if (averaging is not null) tensors.AddRange(NeuralParts.PrefixedState("ga.", average));
        if (regressor is not null) tensors.AddRange(NeuralParts.PrefixedState("r.", regressor));
        if (bestState is not null)
            tensors.AddRange(NeuralParts.PrefixedState("gb.", gen).Select((t, i) => new NamedTensor(t.Name, Tensor.FromArray((float[])bestState[i].Clone(), t.Tensor.Shape))));
        var (sg, bg) = optG.ExportState();
        var (sc, bc) = optC.ExportState();
        tensors.AddRange(NeuralParts.Prefixed("og.", bg));
        tensors.AddRange(NeuralParts.Prefixed("od.", bc));
        var c = CultureInfo.InvariantCulture;
        var meta = new Dictionary<string, string>
        {
            ["kind"] = Kind,
            ["options"] = NeuralParts.Json(o with { CheckpointPath = null }),
            ["step"] = step.ToString(c),
            ["rngDraws"] = rng.Draws.ToString(c),
            ["optimizerSteps"] = NeuralParts.Json(new[] { sg, sc }),
            ["imageSize"] = NeuralParts.Json(new[] { height, width }),
            ["conditionNames"] = NeuralParts.Json(conditionNames),
            ["dataFingerprint"] = fingerprint,
            ["history"] = NeuralParts.Json(history),
            ["regressorMse"] = NeuralParts.Json(RegressorMse),
            ["selection"] = NeuralParts.Json(new SelectionState(double.IsFinite(bestValue) ? bestValue : null, bestStep, 0)),
        };
        ParameterFile.Save(path, tensors, meta);
        lastCheckpoint = path;
        lastCheckpointStep = step;
    }

    /// <summary>
    /// Continues a run from a checkpoint written by <see cref="SaveCheckpoint"/> (or by a run with
    /// <see cref="ConvGanOptions.CheckpointPath"/>) on the same images, conditions and weights
    /// (checked by fingerprint), up to the checkpoint's <see cref="ConvGanOptions.Steps"/>; the
    /// result equals that of an uninterrupted run bit for bit. Checkpoints go on to the
    /// checkpoint's own path unless <paramref name="checkpointPath"/> is given. The same shape as
    /// <see cref="GanTrainer.Resume"/>; <see cref="Open"/> gives the trainer, to run step by step.
    /// </summary>
    /// <exception cref="InvalidDataException">Corrupt checkpoint, not a conv-GAN checkpoint, or different data.</exception>
    public static ConvGanTrainingResult Resume(string checkpoint, float[] images, int height, int width, double[][]? conditions, double[]? weights,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, string? checkpointPath = null) =>
        Open(checkpoint, images, height, width, conditions, weights, checkpointPath).Run(progress, cancellationToken);

    /// <summary>
    /// The trainer of a run continued from a checkpoint (see <see cref="Resume"/>), positioned at the
    /// checkpoint's step; running it to step N gives the same state as an uninterrupted run to N.
    /// </summary>
    /// <exception cref="InvalidDataException">Corrupt checkpoint, not a conv-GAN checkpoint, or different data.</exception>
    public static ConvGanTrainer Open(string checkpoint, float[] images, int height, int width, double[][]? conditions, double[]? weights,
        string? checkpointPath = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        var content = ParameterFile.Load(checkpoint);
        var m = content.Metadata;
        if (!m.TryGetValue("kind", out var found) || found != Kind)
            throw new InvalidDataException($"{checkpoint} is not a conv-GAN checkpoint (kind '{found}').");
        var size = NeuralParts.ReadJson<int[]>(m, "imageSize", checkpoint);
        if (size.Length != 2 || size[0] != height || size[1] != width)
            throw new InvalidDataException($"{checkpoint} was written for {string.Join("×", size)} images; the data has {height}×{width}.");
        if (conditions is not null && (conditions.Length == 0 || (conditions[0]?.Length ?? 0) == 0)) conditions = null;
        if (Fingerprint(images, height, width, conditions, weights) != m.GetValueOrDefault("dataFingerprint"))
            throw new InvalidDataException($"{checkpoint} was written for different training data (fingerprint mismatch); resume needs the same images, conditions and weights.");
        var o = NeuralParts.ReadJson<ConvGanOptions>(m, "options", checkpoint) with { CheckpointPath = checkpointPath ?? checkpoint };
        var t = Prepare(images, height, width, conditions, weights, o, NeuralParts.ReadJson<string[]>(m, "conditionNames", checkpoint));
        var byName = content.Tensors.ToDictionary(s => s.Name);
        ConditionalConvGan.LoadState("g.", t.gen, byName, checkpoint);
        ConditionalConvGan.LoadState("d.", t.critic, byName, checkpoint);
        if (t.averaging is not null) ConditionalConvGan.LoadState("ga.", t.average, byName, checkpoint);
        if (t.regressor is not null)
        {
            ConditionalConvGan.LoadState("r.", t.regressor, byName, checkpoint);
            foreach (var p in t.regressor.Parameters()) p.RequiresGrad = false;
        }
        var sel = NeuralParts.ReadJson<SelectionState>(m, "selection", checkpoint);
        if (sel.Step >= 0)
        {
            t.bestState = NeuralParts.PrefixedState("gb.", t.gen).Select(s => byName.TryGetValue(s.Name, out var b) && b.Values.Length == s.Tensor.Size
                ? (float[])b.Values.Clone() : throw new InvalidDataException($"{checkpoint}: tensor '{s.Name}' of the kept-best generator is missing or has the wrong size.")).ToArray();
            t.bestValue = sel.Value ?? double.PositiveInfinity;
            t.bestStep = sel.Step;
        }
        var steps = NeuralParts.ReadJson<long[]>(m, "optimizerSteps", checkpoint);
        if (steps.Length != 2) throw new InvalidDataException($"{checkpoint}: metadata 'optimizerSteps' has {steps.Length} entries; 2 (generator, critic) expected.");
        t.optG.ImportState(steps[0], NeuralParts.OptimizerBuffers("og.", byName));
        t.optC.ImportState(steps[1], NeuralParts.OptimizerBuffers("od.", byName));
        t.RegressorMse = NeuralParts.ReadJson<double?>(m, "regressorMse", checkpoint);
        t.history = NeuralParts.ReadJson<TrainingHistory>(m, "history", checkpoint);
        t.step = ReadLong(m, "step", checkpoint);
        t.rng = new Rng(NeuralData.Mix(o.Seed, 4), (ulong)ReadLong(m, "rngDraws", checkpoint));
        t.lastCheckpoint = checkpoint;
        t.lastCheckpointStep = t.step;
        return t;
    }

    private static long ReadLong(IReadOnlyDictionary<string, string> m, string key, string source) =>
        long.TryParse(m.GetValueOrDefault(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= 0
            ? v : throw new InvalidDataException($"{source}: metadata '{key}' is missing or not a whole number ≥ 0.");
}
