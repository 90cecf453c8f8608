using System.Globalization;
using GenStats.Data;
using GenStats.Models.Files;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// A trained convolutional conditional GAN for images: E = s⁻¹(G(z, T_y(y))) with z ~ N(0, I),
/// the fitted condition preprocessing T_y and the cell scaling s (<see cref="ImageScale"/>); the
/// generator runs in evaluation mode (BatchNorm with its running statistics). It also holds the
/// condition regressor that was in the generator loss (<see cref="RecoverConditions"/>). Saved in
/// the common model file as type "conv-gan".
/// </summary>
public sealed class ConditionalConvGan : IImageGenerator
{
    /// <summary>The model type name, "conv-gan".</summary>
    public const string ModelTypeName = "conv-gan";
    private const int Chunk = 256;
    private readonly ConvGenerator generator;
    private readonly ConvEncoder? regressor;

    internal ConditionalConvGan(ConvGenerator generator, ConvEncoder? regressor, ConvGanOptions options, ImageScale scale,
        RowTransform? conditionTransform, string[] conditionNames, long steps)
    {
        this.generator = generator;
        this.regressor = regressor;
        generator.Eval();
        regressor?.Eval();
        Options = options with { CheckpointPath = null };
        Scale = scale;
        ConditionTransform = conditionTransform;
        ConditionNames = conditionNames;
        ImageHeight = generator.Height;
        ImageWidth = generator.Width;
        FeatureNames = ImageCells.Names(ImageHeight, ImageWidth);
        TrainedSteps = steps;
    }

    /// <summary>"conv-gan".</summary>
    public string ModelType => ModelTypeName;
    /// <summary>The cells <c>cell_r_c</c>, row-major.</summary>
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Condition columns (empty = unconditional).</summary>
    public IReadOnlyList<string> ConditionNames { get; }
    /// <summary>Image height.</summary>
    public int ImageHeight { get; }
    /// <summary>Image width.</summary>
    public int ImageWidth { get; }
    /// <summary>The training options.</summary>
    public ConvGanOptions Options { get; }
    /// <summary>The cell scaling.</summary>
    public ImageScale Scale { get; }
    /// <summary>Preprocessing of the conditions (null when unconditional).</summary>
    public RowTransform? ConditionTransform { get; }
    /// <summary>Generator steps trained.</summary>
    public long TrainedSteps { get; }
    /// <summary>The regressor's weighted mean squared error per condition (standardised scale) on the training images after its pre-training; null without a regressor.</summary>
    public double? RegressorMse { get; init; }
    /// <summary>The training history (thinned), null when not kept.</summary>
    public TrainingHistory? History { get; init; }
    /// <summary>The generator network (input [z, T_y(y)], output [B, 1, H, W] on the scaled axis).</summary>
    public ConvGenerator Generator => generator;
    /// <summary>The condition regressor (input scaled images [B, 1, H, W], output T_y(y)), or null.</summary>
    public ConvEncoder? Regressor => regressor;

    /// <summary>One image per condition row, flat [N, H, W] (raw energies).</summary>
    /// <exception cref="ArgumentException">Wrong width or non-finite conditions.</exception>
    public float[] SampleImages(double[][] conditions, int seed)
    {
        GeneratorChecks.RequireConditions(conditions, ConditionNames.Count, "conv-GAN");
        return Generate(conditions.Length, conditions, seed);
    }

    /// <summary>One row of H·W cells per condition row (raw energies).</summary>
    public double[][] Sample(double[][] conditions, int seed) => Rows(SampleImages(conditions, seed), conditions.Length);

    /// <summary><paramref name="count"/> images from an unconditional model, as rows of cells.</summary>
    public double[][] Sample(int count, int seed)
    {
        GeneratorChecks.RequireCount(count);
        GeneratorChecks.RequireUnconditional(ConditionNames.Count, "conv-GAN");
        return Rows(Generate(count, null, seed), count);
    }

    private double[][] Rows(float[] flat, int n)
    {
        int cells = ImageHeight * ImageWidth;
        var r = new double[n][];
        for (int i = 0; i < n; i++)
        {
            r[i] = new double[cells];
            for (int c = 0; c < cells; c++) r[i][c] = flat[i * cells + c];
        }
        return r;
    }

    /// <summary>Noise values per event: the latent z (what <see cref="SampleFromNoise"/> and the exported files take).</summary>
    public int NoiseWidth => Options.LatentSize;

    /// <summary>
    /// The images for given noise: E = s⁻¹(G(z, T_y(y))) per row, as rows of H·W cells (raw
    /// energies, row-major) — the function <see cref="ModelExport"/> exports. <see cref="Sample(double[][], int)"/>
    /// is this on its own seeded N(0, I) draws, bit for bit.
    /// </summary>
    /// <param name="conditions">One raw condition row per noise row (null when unconditional).</param>
    /// <param name="noise">One latent row (<see cref="NoiseWidth"/> values) per event.</param>
    /// <exception cref="ArgumentException">Wrong widths, counts or non-finite values.</exception>
    public double[][] SampleFromNoise(double[][]? conditions, double[][] noise)
    {
        GeneratorChecks.RequireNoise(noise, Options.LatentSize, "conv-GAN");
        if (ConditionNames.Count > 0)
        {
            GeneratorChecks.RequireConditions(conditions!, ConditionNames.Count, "conv-GAN");
            GeneratorChecks.RequireSameCount(conditions!, noise);
        }
        return Rows(Generate(noise.Length, ConditionNames.Count > 0 ? conditions : null, (start, n) => NeuralParts.Block(noise, start, n, 0, Options.LatentSize)), noise.Length);
    }

    private float[] Generate(int count, double[][]? conditions, int seed)
    {
        var rng = new Rng(unchecked((ulong)(long)seed));
        return Generate(count, conditions, (_, n) => rng.Normal(n, Options.LatentSize));
    }

    private float[] Generate(int count, double[][]? conditions, Func<int, int, Tensor> latent)
    {
        int cells = ImageHeight * ImageWidth;
        var result = new float[count * cells];
        using var ng = Autograd.NoGrad();
        for (int start = 0; start < count; start += Chunk)
        {
            using var scope = TensorScope.Begin();
            int n = Math.Min(Chunk, count - start);
            var y = NeuralParts.Conditions(ConditionTransform, conditions, start, n);
            var t = generator.Forward(NeuralParts.Input(latent(start, n), y)).Values;
            for (int i = 0; i < n * cells; i++) result[start * cells + i] = Scale.Inverse(t[i]);
        }
        return result;
    }

    /// <summary>
    /// The regressor's estimate of the raw conditions of images [N, H, W] (flat, raw energies): the
    /// "recovered conditions" view of generated showers.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no regressor.</exception>
    /// <exception cref="ArgumentException">The array is not N whole images.</exception>
    public double[][] RecoverConditions(float[] images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (regressor is null || ConditionTransform is null)
            throw new InvalidOperationException("this conv-GAN has no condition regressor (RegressorWeight was 0 or it is unconditional).");
        int cells = ImageHeight * ImageWidth;
        if (images.Length % cells != 0)
            throw new ArgumentException($"images has {images.Length} values, not a multiple of {ImageHeight}×{ImageWidth} = {cells}.", nameof(images));
        int count = images.Length / cells, dy = ConditionNames.Count;
        var result = new double[count][];
        using var ng = Autograd.NoGrad();
        for (int start = 0; start < count; start += Chunk)
        {
            using var scope = TensorScope.Begin();
            int n = Math.Min(Chunk, count - start);
            var t = new float[n * cells];
            for (int i = 0; i < t.Length; i++) t[i] = Scale.Forward(images[start * cells + i]);
            var z = regressor.Forward(Tensor.FromArray(t, n, 1, ImageHeight, ImageWidth), null).Values;
            for (int i = 0; i < n; i++)
                result[start + i] = ConditionTransform.InverseRow(NeuralParts.ToRows(z.Slice(i * dy, dy), 1, dy)[0]);
        }
        return result;
    }

    /// <summary>
    /// The model file: type "conv-gan", metadata <see cref="ConvGanMetadata"/>, the generator's
    /// parameters and BatchNorm buffers as "g.*" and the regressor's parameters as "r.*" (float32).
    /// </summary>
    public ModelFileContent ToModelFile() => new(ModelTypeName, [.. FeatureNames], [.. ConditionNames],
        ModelJson.ToElement(new ConvGanMetadata(Options, ImageHeight, ImageWidth, Scale.Scale, ConditionTransform?.States ?? [], TrainedSteps, RegressorMse, History?.Thinned())),
        NeuralParts.ToArrays(NeuralParts.PrefixedState("g.", generator).Concat(regressor is null ? [] : NeuralParts.PrefixedState("r.", regressor))));

    /// <summary>Rebuilds a model from its model-file content (the loader registered in <see cref="ModelRegistry"/>).</summary>
    /// <exception cref="InvalidDataException">Inconsistent content.</exception>
    public static ConditionalConvGan FromModelFile(ModelFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        const string source = "model type 'conv-gan'";
        var meta = content.ReadMetadata<ConvGanMetadata>();
        var o = meta.Options;
        string[] cNames = [.. content.ConditionNames];
        if (content.FeatureNames.Count != meta.ImageHeight * meta.ImageWidth)
            throw new InvalidDataException($"{source}: {content.FeatureNames.Count} feature names for {meta.ImageHeight}×{meta.ImageWidth} images.");
        var fy = cNames.Length == 0 ? null : NeuralTransforms.FromStates(meta.ConditionTransform, cNames.Length, "condition", source);
        if (!(meta.EnergyScale > 0) || !double.IsFinite(meta.EnergyScale))
            throw new InvalidDataException($"{source}: energy scale {meta.EnergyScale}; a finite positive value is required.");
        var (g, r) = ConvGanTrainer.Networks(o, meta.ImageHeight, meta.ImageWidth, cNames.Length, fy?.OutputWidth ?? 0);
        var tensors = NeuralParts.FromArrays(content.Arrays, source);
        int expected = LoadState("g.", g, tensors, source) + (r is null ? 0 : LoadState("r.", r, tensors, source));
        if (tensors.Count != expected)
            throw new InvalidDataException($"{source}: {tensors.Count} arrays but the networks have {expected} tensors.");
        return new ConditionalConvGan(g, r, o, new ImageScale(o.Scaling, meta.EnergyScale), fy, cNames, meta.TrainedSteps)
        {
            RegressorMse = meta.RegressorMse,
            History = meta.History,
        };
    }

    /// <summary>Copies the tensors named prefix + name into the module's parameters and buffers; returns how many it read.</summary>
    internal static int LoadState(string prefix, Module m, IReadOnlyDictionary<string, StoredTensor> tensors, string source)
    {
        var all = m.NamedParameters().Concat(m.NamedBuffers()).ToList();
        foreach (var p in all)
        {
            if (!tensors.TryGetValue(prefix + p.Name, out var t))
                throw new InvalidDataException($"{source}: tensor '{prefix}{p.Name}' is missing.");
            if (!t.Shape.SequenceEqual(p.Tensor.Shape.ToArray()))
                throw new InvalidDataException($"{source}: tensor '{prefix}{p.Name}' has shape [{string.Join(", ", t.Shape)}]; [{string.Join(", ", p.Tensor.Shape.ToArray())}] expected.");
            t.Values.AsSpan().CopyTo(p.Tensor.Data);
        }
        return all.Count;
    }

    /// <summary>Saves the model as a model file (atomic, SHA-256 protected).</summary>
    public void Save(string path) => ModelFile.Save(path, this);

    /// <summary>Loads a conv-GAN model file.</summary>
    /// <exception cref="InvalidDataException">Corrupt file or not a conv-GAN.</exception>
    public static ConditionalConvGan Load(string path) =>
        ModelFile.Load(path) as ConditionalConvGan ?? throw new InvalidDataException($"{path} holds a model that is not a conv-GAN.");

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"conv-GAN ({ImageHeight}×{ImageWidth} images | {ConditionNames.Count} conditions, {TrainedSteps} steps)");
}

/// <summary>The JSON metadata of a conv-GAN model file.</summary>
/// <param name="Options">Training options (network shapes are rebuilt from them and the image size).</param>
/// <param name="ImageHeight">H.</param>
/// <param name="ImageWidth">W.</param>
/// <param name="EnergyScale">s of <see cref="ImageScale"/>.</param>
/// <param name="ConditionTransform">Fitted preprocessing, one state per condition column.</param>
/// <param name="TrainedSteps">Generator steps trained.</param>
/// <param name="RegressorMse">The regressor's training MSE per condition (null without one).</param>
/// <param name="History">The thinned training history.</param>
public sealed record ConvGanMetadata(ConvGanOptions Options, int ImageHeight, int ImageWidth, double EnergyScale, ColumnTransformState[] ConditionTransform,
    long TrainedSteps, double? RegressorMse = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TrainingHistory? History = null);
