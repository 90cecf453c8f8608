using System.Globalization;
using GenStats.Data;
using GenStats.Models.Files;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// A trained GAN generator x = T_x⁻¹(G(z, T_y(y))), z ~ N(0, I), with the fitted preprocessing
/// T_x, T_y. Sampling is deterministic for a seed (one noise stream, batches in order, the engine's
/// results are independent of the thread count). Saved in the common model file
/// (<see cref="ModelFile"/>, type "gan"), so <see cref="ModelFile.Load"/> rebuilds it without knowing its type.
/// </summary>
public sealed class ConditionalGan : IConditionalGenerator
{
    /// <summary>The model type name ("gan"; the loss is in the options).</summary>
    public const string ModelTypeName = "gan";
    private const int Chunk = 8192;
    private readonly Mlp generator;

    internal ConditionalGan(Mlp generator, GanOptions options, RowTransform fx, RowTransform? fy, string[] featureNames, string[] conditionNames, long steps)
    {
        this.generator = generator;
        Options = options with { CheckpointPath = null };
        FeatureTransform = fx;
        ConditionTransform = fy;
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
    /// <summary>Preprocessing of the features (fitted on the training events).</summary>
    public RowTransform FeatureTransform { get; }
    /// <summary>Preprocessing of the conditions (null when unconditional).</summary>
    public RowTransform? ConditionTransform { get; }
    /// <summary>Generator steps trained.</summary>
    public long TrainedSteps { get; }
    /// <summary>The training history (thinned to at most <see cref="TrainingHistory.MaxStoredSteps"/> step records, every evaluation), null for models saved before histories were kept.</summary>
    public TrainingHistory? History { get; init; }
    /// <summary>The auxiliary statistic that was in the generator loss (null = none): a statistic in the loss is matched by construction and is no evidence of the model's quality.</summary>
    public AuxiliaryTerm? Auxiliary { get; init; }
    /// <summary>The generator network (input [z, T_y(y)]).</summary>
    public Module Generator => generator;

    /// <summary>One generated feature row per condition row (raw scale in and out).</summary>
    /// <exception cref="ArgumentException">Wrong width or non-finite conditions.</exception>
    public double[][] Sample(double[][] conditions, int seed)
    {
        GeneratorChecks.RequireConditions(conditions, ConditionNames.Count, "GAN");
        return Generate(conditions.Length, conditions, seed);
    }

    /// <summary><paramref name="count"/> rows from an unconditional model; a conditional one throws <see cref="InvalidOperationException"/>.</summary>
    public double[][] Sample(int count, int seed)
    {
        GeneratorChecks.RequireCount(count);
        GeneratorChecks.RequireUnconditional(ConditionNames.Count, "GAN");
        return Generate(count, null, seed);
    }

    /// <summary>
    /// The generated rows for GIVEN noise: row i is T_x⁻¹(G(z_i, T_y(y_i))) with z_i = <paramref name="noise"/>[i]
    /// (float32 in the network, drawn by the caller from N(0, I) of width <see cref="GanOptions.LatentSize"/>).
    /// <see cref="Sample(double[][], int)"/> runs the same code on its own seeded draws; the exported
    /// ONNX graph and C function (<see cref="ModelExport"/>) compute this function.
    /// </summary>
    /// <param name="conditions">One raw condition row per noise row (null or empty rows when unconditional).</param>
    /// <param name="noise">One latent row per event.</param>
    /// <exception cref="ArgumentException">Wrong widths, counts or non-finite values.</exception>
    public double[][] SampleFromNoise(double[][]? conditions, double[][] noise)
    {
        GeneratorChecks.RequireNoise(noise, Options.LatentSize, "GAN");
        if (ConditionNames.Count > 0)
        {
            GeneratorChecks.RequireConditions(conditions!, ConditionNames.Count, "GAN");
            GeneratorChecks.RequireSameCount(conditions!, noise);
        }
        return Generate(noise.Length, ConditionNames.Count > 0 ? conditions : null, (lat, start, n) => NeuralParts.Block(noise, start, n, 0, lat));
    }

    private double[][] Generate(int count, double[][]? conditions, int seed)
    {
        var rng = new Rng(unchecked((ulong)(long)seed));
        return Generate(count, conditions, (lat, _, n) => rng.Normal(n, lat));
    }

    private double[][] Generate(int count, double[][]? conditions, Func<int, int, int, Tensor> latent)
    {
        int dx = FeatureTransform.OutputWidth, dy = ConditionTransform?.OutputWidth ?? 0, lat = Options.LatentSize;
        var result = new double[count][];
        using var ng = Autograd.NoGrad();
        for (int start = 0; start < count; start += Chunk)
        {
            using var scope = TensorScope.Begin();
            int n = Math.Min(Chunk, count - start);
            var y = dy > 0 ? NeuralParts.Conditions(ConditionTransform, conditions, start, n) : null;
            var x = generator.Forward(NeuralParts.Input(latent(lat, start, n), y)).ToArray();
            var row = new double[dx];
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < dx; c++) row[c] = x[i * dx + c];
                result[start + i] = FeatureTransform.InverseRow(row);
            }
        }
        return result;
    }

    /// <summary>The generator's parameters named "g.&lt;layer&gt;.weight|bias" (weights stored [in, out]).</summary>
    public IReadOnlyList<NamedTensor> Parameters() => NeuralParts.Prefixed("g.", generator).ToList();

    /// <summary>
    /// The model file: type "gan", metadata <see cref="GanMetadata"/> (options, per-column transform
    /// states, steps), the generator parameters as float32 arrays.
    /// </summary>
    public ModelFileContent ToModelFile() => new(ModelTypeName, [.. FeatureNames], [.. ConditionNames],
        ModelJson.ToElement(new GanMetadata(Options, FeatureTransform.States, ConditionTransform?.States ?? [], TrainedSteps, History?.Thinned(), Auxiliary)),
        NeuralParts.ToArrays(Parameters()));

    /// <summary>Rebuilds a model from its model-file content (the loader registered in <see cref="ModelRegistry"/>).</summary>
    /// <exception cref="InvalidDataException">Inconsistent content.</exception>
    public static ConditionalGan FromModelFile(ModelFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        const string source = "model type 'gan'";
        var meta = content.ReadMetadata<GanMetadata>();
        var (fNames, cNames, fx, fy, tensors) = NeuralParts.ReadModelFile(content, meta.FeatureTransform, meta.ConditionTransform, source);
        var o = meta.Options;
        var g = NeuralParts.Network(o.LatentSize + (fy?.OutputWidth ?? 0), o.GeneratorLayers, fx.OutputWidth, o.Activation, 1);
        NeuralParts.LoadAll(tensors, source, ("g.", g));
        return new ConditionalGan(g, o, fx, fy, fNames, cNames, meta.TrainedSteps) { History = meta.History, Auxiliary = meta.Auxiliary };
    }

    /// <summary>Saves the model as a model file (<see cref="ModelFile.Save"/>, atomic, SHA-256 protected).</summary>
    public void Save(string path) => ModelFile.Save(path, this);

    /// <summary>Loads a GAN model file.</summary>
    /// <exception cref="InvalidDataException">Corrupt file or not a GAN.</exception>
    public static ConditionalGan Load(string path) =>
        ModelFile.Load(path) as ConditionalGan ?? throw new InvalidDataException($"{path} holds a model that is not a GAN.");

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"GAN ({Options.Loss}, {FeatureNames.Count} features | {ConditionNames.Count} conditions, {TrainedSteps} steps)");
}

/// <summary>The JSON metadata of a GAN model file (the column names and the type are in the file header).</summary>
/// <param name="Options">Training options (network shapes are read from them).</param>
/// <param name="FeatureTransform">Fitted preprocessing, one state per feature column.</param>
/// <param name="ConditionTransform">Fitted preprocessing, one state per condition column (empty when unconditional).</param>
/// <param name="TrainedSteps">Generator steps trained.</param>
/// <param name="History">The thinned training history (absent in files written before histories were kept).</param>
/// <param name="Auxiliary">The auxiliary statistic in the generator loss (absent when none).</param>
public sealed record GanMetadata(GanOptions Options, ColumnTransformState[] FeatureTransform, ColumnTransformState[] ConditionTransform, long TrainedSteps,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TrainingHistory? History = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] AuxiliaryTerm? Auxiliary = null);
