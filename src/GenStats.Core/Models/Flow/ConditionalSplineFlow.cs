using System.Globalization;
using GenStats.Data;
using GenStats.Models.Files;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>A mean log-likelihood estimate.</summary>
/// <param name="PerEvent">Σw-weighted mean of log p(x | y) per event, in nats, in the user's units.</param>
/// <param name="StandardError">Its standard error from the per-event spread (weighted: √(Σw²(ℓ − ℓ̄)²)/|Σw|).</param>
/// <param name="Events">Events used.</param>
public sealed record LogLikelihoodEstimate(double PerEvent, double StandardError, int Events);

/// <summary>
/// A trained conditional neural spline flow (Durkan et al. 2019): on the preprocessed scale
/// u = T(x) (per-column transforms, <see cref="FlowOptions.FeatureTransform"/>), z = f(u; y) is a
/// stack of rational-quadratic spline layers (coupling or autoregressive, see
/// <see cref="FlowArchitecture"/>) and z ~ N(0, I). The density is exact:
/// log p(x | y) = log N(f(T(x); y)) + log|det ∂f/∂u| + Σ_c log T_c′(x_c), the last term the
/// preprocessing's Jacobian, so <see cref="LogDensity"/> is the density in the user's units (for
/// quantile-normal columns T′ is the derivative of the piecewise-linear CDF times 1/φ(z); outside
/// the training range the transform is flat and the density −∞). Sampling draws z ~ N(0, I) and
/// inverts f and T.
/// </summary>
public sealed class ConditionalSplineFlow : IConditionalGenerator
{
    /// <summary>The model type name.</summary>
    public const string ModelTypeName = "flow";
    private const int Chunk = 8192;
    internal readonly FlowNetwork Network;

    internal ConditionalSplineFlow(FlowNetwork network, FlowOptions options, RowTransform fx, RowTransform? fy, string[] featureNames, string[] conditionNames, long steps)
    {
        Network = network;
        Options = options;
        FeatureTransform = fx;
        ConditionTransform = fy;
        FeatureNames = featureNames;
        ConditionNames = conditionNames;
        TrainedSteps = steps;
    }

    /// <summary>"flow".</summary>
    public string ModelType => ModelTypeName;
    /// <summary>Generated columns.</summary>
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Condition columns.</summary>
    public IReadOnlyList<string> ConditionNames { get; }
    /// <summary>Options.</summary>
    public FlowOptions Options { get; }
    /// <summary>Feature preprocessing (fitted on the training events).</summary>
    public RowTransform FeatureTransform { get; }
    /// <summary>Condition preprocessing (null when unconditional).</summary>
    public RowTransform? ConditionTransform { get; }
    /// <summary>Steps trained.</summary>
    public long TrainedSteps { get; }
    /// <summary>The training history (thinned to at most <see cref="TrainingHistory.MaxStoredSteps"/> step records, every evaluation).</summary>
    public TrainingHistory? History { get; init; }

    internal int Dx => FeatureTransform.OutputWidth;
    internal int Dy => ConditionTransform?.OutputWidth ?? 0;

    /// <summary>One generated row per condition row (raw scale).</summary>
    public double[][] Sample(double[][] conditions, int seed)
    {
        GeneratorChecks.RequireConditions(conditions, ConditionNames.Count, "flow");
        return Generate(conditions.Length, conditions, seed);
    }

    /// <summary><paramref name="count"/> rows from an unconditional model; a conditional one throws <see cref="InvalidOperationException"/>.</summary>
    public double[][] Sample(int count, int seed)
    {
        GeneratorChecks.RequireCount(count);
        GeneratorChecks.RequireUnconditional(ConditionNames.Count, "flow");
        return Generate(count, null, seed);
    }

    /// <summary>
    /// The generated rows for GIVEN noise: row i is T_x⁻¹(f⁻¹(z_i; T_y(y_i))) with z_i = <paramref name="noise"/>[i]
    /// (float32 in the network; the caller draws it from N(0, I), width <see cref="NoiseWidth"/>).
    /// <see cref="Sample(double[][], int)"/> runs the same code on its own seeded draws; the exported
    /// ONNX graph and C function (<see cref="ModelExport"/>) compute this function.
    /// </summary>
    /// <param name="conditions">One raw condition row per noise row (null when unconditional).</param>
    /// <param name="noise">One base-distribution row per event.</param>
    /// <exception cref="ArgumentException">Wrong widths, counts or non-finite values.</exception>
    public double[][] SampleFromNoise(double[][]? conditions, double[][] noise)
    {
        GeneratorChecks.RequireNoise(noise, Dx, "flow");
        if (ConditionNames.Count > 0)
        {
            GeneratorChecks.RequireConditions(conditions!, ConditionNames.Count, "flow");
            GeneratorChecks.RequireSameCount(conditions!, noise);
        }
        return Generate(noise.Length, ConditionNames.Count > 0 ? conditions : null, (start, n) => NeuralParts.Block(noise, start, n, 0, Dx));
    }

    /// <summary>Noise values per event of <see cref="SampleFromNoise"/>: the model width of the features (the flow's dimension).</summary>
    public int NoiseWidth => Dx;

    private double[][] Generate(int count, double[][]? conditions, int seed)
    {
        var rng = new Rng(unchecked((ulong)(long)seed));
        return Generate(count, conditions, (_, n) => rng.Normal(n, Dx));
    }

    private double[][] Generate(int count, double[][]? conditions, Func<int, int, Tensor> noise)
    {
        int dx = Dx;
        var result = new double[count][];
        using var ng = Autograd.NoGrad();
        for (int start = 0; start < count; start += Chunk)
        {
            using var scope = TensorScope.Begin();
            int n = Math.Min(Chunk, count - start);
            var y = NeuralParts.Conditions(ConditionTransform, conditions, start, n);
            var x = Network.ToData(noise(start, n), y).ToArray();
            var row = new double[dx];
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < dx; c++) row[c] = x[i * dx + c];
                result[start + i] = FeatureTransform.InverseRow(row);
            }
        }
        return result;
    }

    /// <summary>
    /// log p(x | y) per event in the user's units (float64; the network part is computed in float32):
    /// the flow's log density on the preprocessed scale plus the preprocessing's log-Jacobian. −∞ for an
    /// event outside the range a quantile-normal column can generate. <paramref name="conditions"/> is
    /// null for an unconditional model.
    /// </summary>
    /// <exception cref="ArgumentException">Bad shapes or non-finite values (named).</exception>
    public double[] LogDensity(double[][] features, double[][]? conditions)
    {
        var data = Build(features, conditions, null);
        var model = ModelScale(data);
        var result = new double[features.Length];
        for (int i = 0; i < result.Length; i++) result[i] = model[i] + FeatureTransform.LogJacobian(features[i]);
        return result;
    }

    /// <summary>
    /// log q(T(x) | y) per event on the preprocessed scale u = T(x): the flow's own density, without
    /// the preprocessing's Jacobian. Finite even where a quantile-normal column gives raw density 0
    /// (values beyond the training range are clipped), and free of the piecewise-linear quantile
    /// Jacobian's noise: the scale for comparing the flow on training and held-out events, and the one
    /// best-checkpoint selection uses.
    /// </summary>
    /// <exception cref="ArgumentException">Bad shapes or non-finite values (named).</exception>
    public double[] LogDensityPreprocessed(double[][] features, double[][]? conditions) => ModelScale(Build(features, conditions, null));

    /// <summary>
    /// The Σw-weighted mean of <see cref="LogDensity"/> with its standard error (weights null = 1; signed
    /// weights allowed, Σw &gt; 0): minus the held-out NLL per event. −∞ when an event with non-zero
    /// weight lies outside the range of a quantile-normal column.
    /// </summary>
    public LogLikelihoodEstimate MeanLogDensity(double[][] features, double[][]? conditions, double[]? weights) =>
        WeightedMean(LogDensity(features, conditions), weights);

    /// <summary>Σw-weighted mean and its standard error √(Σw²(v − v̄)²)/|Σw|.</summary>
    internal static LogLikelihoodEstimate WeightedMean(double[] values, double[]? weights)
    {
        double sw = 0, s = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1;
            if (w == 0) continue;
            sw += w;
            s += w * values[i];
        }
        double mean = s / sw, v = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1;
            if (w != 0) v += w * w * (values[i] - mean) * (values[i] - mean);
        }
        return new LogLikelihoodEstimate(mean, Math.Sqrt(v) / Math.Abs(sw), values.Length);
    }

    internal NeuralData Build(double[][] features, double[][]? conditions, double[]? weights)
    {
        NeuralData.Check(features, conditions, weights);
        int dx = FeatureNames.Count, dy = ConditionNames.Count;
        if (features[0].Length != dx) throw new ArgumentException($"features have {features[0].Length} columns; the model has {dx}.", nameof(features));
        if (dy > 0 && (conditions is null || conditions[0].Length != dy))
            throw new ArgumentException($"conditions must have {dy} column(s) ({string.Join(", ", ConditionNames)}); got {(conditions is null ? "none" : conditions[0].Length.ToString(CultureInfo.InvariantCulture))}.", nameof(conditions));
        return NeuralData.Build(features, dy > 0 ? conditions : null, weights, Enumerable.Range(0, features.Length).ToArray(), FeatureTransform, dy > 0 ? ConditionTransform : null);
    }

    /// <summary>log q(u | y) on the preprocessed scale for every event of <paramref name="data"/>.</summary>
    internal double[] ModelScale(NeuralData data)
    {
        var result = new double[data.Count];
        using var ng = Autograd.NoGrad();
        for (int start = 0; start < data.Count; start += Chunk)
        {
            using var scope = TensorScope.Begin();
            int n = Math.Min(Chunk, data.Count - start);
            var b = data.Rows(start, n);
            var lp = Network.LogProb(b.X, b.Y).ToArray();
            for (int i = 0; i < n; i++) result[start + i] = lp[i];
        }
        return result;
    }

    /// <summary>Conditioner parameters ("c.*").</summary>
    public IReadOnlyList<NamedTensor> Parameters() => NeuralParts.Prefixed("c.", Network).ToList();

    /// <summary>The model file: type "flow", metadata <see cref="FlowMetadata"/>, the conditioners' parameters as float32 arrays.</summary>
    public ModelFileContent ToModelFile() => new(ModelTypeName, [.. FeatureNames], [.. ConditionNames],
        ModelJson.ToElement(new FlowMetadata(Options, FeatureTransform.States, ConditionTransform?.States ?? [], TrainedSteps, History?.Thinned())),
        NeuralParts.ToArrays(Parameters()));

    /// <summary>Rebuilds a model from its model-file content (the loader registered in <see cref="ModelRegistry"/>).</summary>
    /// <exception cref="InvalidDataException">Inconsistent content.</exception>
    public static ConditionalSplineFlow FromModelFile(ModelFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        const string source = "model type 'flow'";
        var meta = content.ReadMetadata<FlowMetadata>();
        var (fNames, cNames, fx, fy, tensors) = NeuralParts.ReadModelFile(content, meta.FeatureTransform, meta.ConditionTransform, source);
        try
        {
            FlowTrainer.CheckOptions(meta.Options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
        var net = new FlowNetwork(meta.Options, fx.OutputWidth, fy?.OutputWidth ?? 0);
        NeuralParts.LoadAll(tensors, source, ("c.", net));
        return new ConditionalSplineFlow(net, meta.Options, fx, fy, fNames, cNames, meta.TrainedSteps) { History = meta.History };
    }

    /// <summary>Saves the model as a model file (<see cref="ModelFile.Save"/>, atomic, SHA-256 protected).</summary>
    public void Save(string path) => ModelFile.Save(path, this);

    /// <summary>Loads a flow model file.</summary>
    /// <exception cref="InvalidDataException">Corrupt file or not a flow.</exception>
    public static ConditionalSplineFlow Load(string path) =>
        ModelFile.Load(path) as ConditionalSplineFlow ?? throw new InvalidDataException($"{path} holds a model that is not a flow.");

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"spline flow ({Options.Architecture}, {Options.Layers} layers, K = {Options.Bins}, {FeatureNames.Count} features | {ConditionNames.Count} conditions, {TrainedSteps} steps)");
}

/// <summary>The JSON metadata of a flow model file (the column names and the type are in the file header).</summary>
/// <param name="Options">Options (architecture).</param>
/// <param name="FeatureTransform">Fitted preprocessing, one state per feature column.</param>
/// <param name="ConditionTransform">Fitted preprocessing, one state per condition column (empty when unconditional).</param>
/// <param name="TrainedSteps">Steps trained.</param>
/// <param name="History">The thinned training history.</param>
public sealed record FlowMetadata(FlowOptions Options, ColumnTransformState[] FeatureTransform, ColumnTransformState[] ConditionTransform, long TrainedSteps,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TrainingHistory? History = null);
