using System.Globalization;
using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>
/// The checkpoint of a neural training run (GAN or VAE): a <see cref="ParameterFile"/> with the
/// network and optimizer tensors and the metadata both trainers share — kind, options, step, RNG
/// position, optimizer steps, preprocessing, column names, data fingerprint and history — written
/// by <see cref="WriteMetadata"/> and read back, checked against the training data, by <see cref="Open"/>.
/// </summary>
internal sealed class NeuralCheckpoint<TOptions>
{
    /// <summary>The checkpoint file.</summary>
    public required string Path { get; init; }

    /// <summary>The raw metadata (for entries only one trainer writes).</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>The stored tensors by name.</summary>
    public required Dictionary<string, StoredTensor> Tensors { get; init; }

    /// <summary>The run's options, with the checkpoint path the resumed run writes to.</summary>
    public required TOptions Options { get; init; }

    /// <summary>Feature column names.</summary>
    public required string[] FeatureNames { get; init; }

    /// <summary>Condition column names (empty when unconditional).</summary>
    public required string[] ConditionNames { get; init; }

    /// <summary>The fitted feature preprocessing.</summary>
    public required RowTransform FeatureTransform { get; init; }

    /// <summary>The fitted condition preprocessing (null when unconditional).</summary>
    public required RowTransform? ConditionTransform { get; init; }

    /// <summary>The conditions, null when there are none (an empty matrix counts as none).</summary>
    public required double[][]? Conditions { get; init; }

    /// <summary>The history up to the checkpoint.</summary>
    public required TrainingHistory History { get; init; }

    /// <summary>The step the checkpoint was written at.</summary>
    public required long Step { get; init; }

    /// <summary>The number of draws the run's RNG had made.</summary>
    public required ulong RngDraws { get; init; }

    /// <summary>The SHA-256 fingerprint of the training data.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>An entry of the metadata as JSON (missing or malformed → <see cref="InvalidDataException"/>).</summary>
    public T Read<T>(string key) => NeuralParts.ReadJson<T>(Metadata, key, Path);

    /// <summary>
    /// Reads a checkpoint of <paramref name="kind"/> and checks it against the training data (same
    /// events, conditions and weights, by fingerprint); <paramref name="withCheckpointPath"/> sets
    /// the path the resumed run writes its checkpoints to.
    /// </summary>
    /// <exception cref="InvalidDataException">Corrupt checkpoint, another kind, or different data.</exception>
    public static NeuralCheckpoint<TOptions> Open(string checkpoint, string kind, string label,
        double[][] features, double[][]? conditions, double[]? weights, Func<TOptions, TOptions> withCheckpointPath)
    {
        var content = ParameterFile.Load(checkpoint);
        var m = content.Metadata;
        if (!m.TryGetValue("kind", out var found) || found != kind)
            throw new InvalidDataException($"{checkpoint} is not a {label} checkpoint (kind '{found}').");
        NeuralData.Check(features, conditions, weights);
        if (conditions is not null && (conditions.Length == 0 || conditions[0].Length == 0)) conditions = null;
        string fingerprint = NeuralData.Fingerprint(features, conditions, weights);
        if (fingerprint != m.GetValueOrDefault("dataFingerprint"))
            throw new InvalidDataException($"{checkpoint} was written for different training data (fingerprint mismatch); resume needs the same events, conditions and weights.");
        var fNames = NeuralParts.ReadJson<string[]>(m, "featureNames", checkpoint);
        var cNames = NeuralParts.ReadJson<string[]>(m, "conditionNames", checkpoint);
        return new NeuralCheckpoint<TOptions>
        {
            Path = checkpoint,
            Metadata = m,
            Tensors = content.Tensors.ToDictionary(t => t.Name),
            Options = withCheckpointPath(NeuralParts.ReadJson<TOptions>(m, "options", checkpoint)),
            FeatureNames = fNames,
            ConditionNames = cNames,
            FeatureTransform = NeuralTransforms.FromStates(NeuralParts.ReadJson<ColumnTransformState[]>(m, "featureTransform", checkpoint), fNames.Length, "feature", checkpoint),
            ConditionTransform = m.GetValueOrDefault("conditionTransform") is null or "null" ? null
                : NeuralTransforms.FromStates(NeuralParts.ReadJson<ColumnTransformState[]>(m, "conditionTransform", checkpoint), cNames.Length, "condition", checkpoint),
            Conditions = conditions,
            History = NeuralParts.ReadJson<TrainingHistory>(m, "history", checkpoint),
            Step = ParseLong(m, "step", checkpoint),
            RngDraws = ulong.Parse(m.GetValueOrDefault("rngDraws") ?? throw Missing("rngDraws", checkpoint), CultureInfo.InvariantCulture),
            Fingerprint = fingerprint,
        };
    }

    /// <summary>The shared metadata of a checkpoint (<paramref name="options"/> without its checkpoint path).</summary>
    public static Dictionary<string, string> WriteMetadata(string kind, TOptions options, long step, ulong rngDraws, string optimizerSteps,
        RowTransform featureTransform, RowTransform? conditionTransform, IReadOnlyList<string> featureNames, IReadOnlyList<string> conditionNames,
        string fingerprint, TrainingHistory history) => new()
        {
            ["kind"] = kind,
            ["options"] = NeuralParts.Json(options),
            ["step"] = step.ToString(CultureInfo.InvariantCulture),
            ["rngDraws"] = rngDraws.ToString(CultureInfo.InvariantCulture),
            ["optimizerSteps"] = optimizerSteps,
            ["featureTransform"] = NeuralParts.Json(featureTransform.States),
            ["conditionTransform"] = conditionTransform is null ? "null" : NeuralParts.Json(conditionTransform.States),
            ["featureNames"] = NeuralParts.Json(featureNames.ToArray()),
            ["conditionNames"] = NeuralParts.Json(conditionNames.ToArray()),
            ["dataFingerprint"] = fingerprint,
            ["history"] = NeuralParts.Json(history),
        };

    /// <summary>A whole-number metadata entry.</summary>
    public long ReadLong(string key) => ParseLong(Metadata, key, Path);

    private static long ParseLong(IReadOnlyDictionary<string, string> m, string key, string source) =>
        long.TryParse(m.GetValueOrDefault(key) ?? throw Missing(key, source), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
            ? v : throw new InvalidDataException($"{source}: metadata '{key}' is not an integer.");

    private static InvalidDataException Missing(string key, string source) => new($"{source}: metadata '{key}' is missing.");
}
