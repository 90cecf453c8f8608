using System.Globalization;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// A trained GAN generator x = T_x⁻¹(G(z, T_y(y))), z ~ N(0, I), with the fitted preprocessing
/// T_x, T_y. Sampling is deterministic for a seed (one noise stream, batches in order, the engine's
/// results are independent of the thread count). Saved as a <see cref="ParameterFile"/> with
/// metadata; <see cref="MetadataJson"/> and <see cref="Parameters"/> are the pieces the common
/// model-file container needs.
/// </summary>
public sealed class ConditionalGan
{
    /// <summary>The model type name ("gan"; the loss is in the options).</summary>
    public const string ModelTypeName = "gan";
    private const int Chunk = 8192;
    private readonly Mlp generator;

    internal ConditionalGan(Mlp generator, GanOptions options, IRowScaler fx, IRowScaler? fy, string[] featureNames, string[] conditionNames, long steps)
    {
        this.generator = generator;
        Options = options with { CheckpointPath = null };
        FeatureScaler = fx;
        ConditionScaler = fy;
        FeatureNames = featureNames;
        ConditionNames = conditionNames;
        TrainedSteps = steps;
    }

    /// <summary>"gan".</summary>
    public string ModelType => ModelTypeName;
    /// <summary>Generated columns.</summary>
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Condition columns (empty = unconditional).</summary>
    public IReadOnlyList<string> ConditionNames { get; }
    /// <summary>The training options.</summary>
    public GanOptions Options { get; }
    /// <summary>Preprocessing of the features.</summary>
    public IRowScaler FeatureScaler { get; }
    /// <summary>Preprocessing of the conditions (null when unconditional).</summary>
    public IRowScaler? ConditionScaler { get; }
    /// <summary>Generator steps trained.</summary>
    public long TrainedSteps { get; }
    /// <summary>The generator network (input [z, T_y(y)]).</summary>
    public Module Generator => generator;

    /// <summary>One generated feature row per condition row (raw scale in and out).</summary>
    /// <exception cref="ArgumentException">Wrong width or non-finite conditions.</exception>
    public double[][] Sample(double[][] conditions, int seed)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        int dy = ConditionNames.Count;
        for (int r = 0; r < conditions.Length; r++)
        {
            var row = conditions[r] ?? throw new ArgumentException($"conditions[{r}] is null.", nameof(conditions));
            if (row.Length != dy) throw new ArgumentException($"conditions[{r}] has {row.Length} values; this model has {dy} condition column(s).", nameof(conditions));
            foreach (var v in row) if (!double.IsFinite(v)) throw new ArgumentException($"conditions[{r}] holds {v}; conditions must be finite.", nameof(conditions));
        }
        return Generate(conditions.Length, conditions, seed);
    }

    /// <summary><paramref name="count"/> rows from an unconditional model; a conditional one throws <see cref="InvalidOperationException"/>.</summary>
    public double[][] Sample(int count, int seed)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The number of events must be ≥ 0.");
        if (ConditionNames.Count > 0)
            throw new InvalidOperationException($"This GAN is conditional ({ConditionNames.Count} condition column(s)); sample it with one row of conditions per event.");
        return Generate(count, null, seed);
    }

    private double[][] Generate(int count, double[][]? conditions, int seed)
    {
        int dx = FeatureNames.Count, dy = ConditionNames.Count, lat = Options.LatentSize;
        var rng = new Rng(unchecked((ulong)(long)seed));
        var result = new double[count][];
        using var ng = Autograd.NoGrad();
        for (int start = 0; start < count; start += Chunk)
        {
            using var scope = TensorScope.Begin();
            int n = Math.Min(Chunk, count - start);
            Tensor? y = null;
            if (conditions is not null && dy > 0)
            {
                var flat = new float[n * dy];
                for (int i = 0; i < n; i++)
                {
                    var z = ConditionScaler!.Forward(conditions[start + i]);
                    for (int c = 0; c < dy; c++) flat[i * dy + c] = (float)z[c];
                }
                y = Tensor.FromArray(flat, n, dy);
            }
            var x = generator.Forward(NeuralParts.Input(rng.Normal(n, lat), y)).Values;
            var row = new double[dx];
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < dx; c++) row[c] = x[i * dx + c];
                result[start + i] = FeatureScaler.Inverse(row);
            }
        }
        return result;
    }

    /// <summary>The model's metadata as a JSON object (type, names, options, scalers, steps).</summary>
    public string MetadataJson() => NeuralJson.Write(new GanMetadata(ModelTypeName, [.. FeatureNames], [.. ConditionNames], Options,
        FeatureScaler.State, ConditionScaler?.State, TrainedSteps));

    /// <summary>The generator's parameters named "g.&lt;layer&gt;.weight|bias" (weights stored [in, out]).</summary>
    public IReadOnlyList<NamedTensor> Parameters() => NeuralParts.Prefixed("g.", generator).ToList();

    /// <summary>Saves the model as a parameter file with metadata key "model" = <see cref="MetadataJson"/> (atomic write).</summary>
    public void Save(string path) =>
        ParameterFile.Save(path, Parameters(), new Dictionary<string, string> { ["model"] = MetadataJson() });

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">Corrupt file, not a GAN, or inconsistent content.</exception>
    public static ConditionalGan Load(string path)
    {
        var content = ParameterFile.Load(path);
        if (!content.Metadata.TryGetValue("model", out var json))
            throw new InvalidDataException($"{path} holds no model metadata; it is not a saved GAN.");
        return FromParts(json, content.Tensors, path);
    }

    /// <summary>Rebuilds a model from <see cref="MetadataJson"/> and <see cref="Parameters"/> (as stored tensors).</summary>
    /// <exception cref="InvalidDataException">Inconsistent content.</exception>
    public static ConditionalGan FromParts(string metadataJson, IReadOnlyList<StoredTensor> tensors, string source = "model")
    {
        var meta = NeuralJson.Read<GanMetadata>(new Dictionary<string, string> { ["model"] = metadataJson }, "model", source);
        if (meta.ModelType != ModelTypeName) throw new InvalidDataException($"{source}: model type is '{meta.ModelType}', not '{ModelTypeName}'.");
        var fx = RowScalers.FromState(meta.FeatureScaler);
        var fy = meta.ConditionScaler is null ? null : RowScalers.FromState(meta.ConditionScaler);
        if (fx.Width != meta.FeatureNames.Length || (fy?.Width ?? 0) != meta.ConditionNames.Length)
            throw new InvalidDataException($"{source}: the scalers' widths do not match the column names.");
        var o = meta.Options;
        var g = NeuralParts.Network(o.LatentSize + meta.ConditionNames.Length, o.GeneratorLayers, meta.FeatureNames.Length, o.Activation, 1);
        NeuralParts.Load("g.", g, tensors.ToDictionary(t => t.Name), source);
        if (tensors.Count != g.NamedParameters().Count)
            throw new InvalidDataException($"{source}: {tensors.Count} tensors but the generator has {g.NamedParameters().Count} parameters.");
        return new ConditionalGan(g, o, fx, fy, meta.FeatureNames, meta.ConditionNames, meta.TrainedSteps);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"GAN ({Options.Loss}, {FeatureNames.Count} features | {ConditionNames.Count} conditions, {TrainedSteps} steps)");
}

/// <summary>The JSON metadata of a saved GAN.</summary>
/// <param name="ModelType">"gan".</param>
/// <param name="FeatureNames">Feature columns.</param>
/// <param name="ConditionNames">Condition columns.</param>
/// <param name="Options">Training options (network shapes are read from them).</param>
/// <param name="FeatureScaler">Feature preprocessing.</param>
/// <param name="ConditionScaler">Condition preprocessing (null when unconditional).</param>
/// <param name="TrainedSteps">Generator steps trained.</param>
public sealed record GanMetadata(string ModelType, string[] FeatureNames, string[] ConditionNames, GanOptions Options,
    RowScalerState FeatureScaler, RowScalerState? ConditionScaler, long TrainedSteps);
