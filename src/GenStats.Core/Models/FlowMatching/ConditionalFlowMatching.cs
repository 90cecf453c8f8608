using System.Globalization;
using GenStats.Data;
using GenStats.Models.Files;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// A trained conditional flow-matching model (Lipman et al. 2022): a velocity network v(x, t, y)
/// on the preprocessed scale, trained on the optimal-transport path (<see cref="OptimalTransportPath"/>).
/// Sampling draws x(0) ~ N(0, I), integrates dx/dt = v(x, t, T_y(y)) from t = 0 to 1 with the
/// fixed-step <see cref="OdeSolver"/> (<see cref="FlowMatchingOptions.Solver"/>,
/// <see cref="FlowMatchingOptions.OdeSteps"/>), and inverts the feature preprocessing. Deterministic
/// for a seed. Saved in the common model file (type "cfm").
/// </summary>
public sealed class ConditionalFlowMatching : IConditionalGenerator
{
    /// <summary>The model type name.</summary>
    public const string ModelTypeName = "cfm";
    private const int Chunk = 8192;
    internal readonly Mlp Velocity;

    internal ConditionalFlowMatching(Mlp velocity, FlowMatchingOptions options, RowTransform fx, RowTransform? fy, string[] featureNames, string[] conditionNames, long steps)
    {
        Velocity = velocity;
        Options = options with { CheckpointPath = null };
        FeatureTransform = fx;
        ConditionTransform = fy;
        FeatureNames = featureNames;
        ConditionNames = conditionNames;
        TrainedSteps = steps;
    }

    /// <summary>The velocity network: input [x (dx), time features (1 + 2·TimeFrequencies), y (dy)], output dx.</summary>
    internal static Mlp Network(FlowMatchingOptions o, int dx, int dy, ulong seed) =>
        NeuralParts.Network(dx + TimeWidth(o) + dy, o.Layers, dx, o.Activation, seed);

    internal static int TimeWidth(FlowMatchingOptions o) => 1 + 2 * o.TimeFrequencies;

    /// <summary>"cfm".</summary>
    public string ModelType => ModelTypeName;
    /// <summary>Generated columns.</summary>
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Condition columns (empty = unconditional).</summary>
    public IReadOnlyList<string> ConditionNames { get; }
    /// <summary>Options (network shape, solver).</summary>
    public FlowMatchingOptions Options { get; }
    /// <summary>Feature preprocessing (fitted on the training events).</summary>
    public RowTransform FeatureTransform { get; }
    /// <summary>Condition preprocessing (null when unconditional).</summary>
    public RowTransform? ConditionTransform { get; }
    /// <summary>Steps trained.</summary>
    public long TrainedSteps { get; }
    /// <summary>The training history (thinned), null when none was kept.</summary>
    public TrainingHistory? History { get; init; }

    internal int Dx => FeatureTransform.OutputWidth;
    internal int Dy => ConditionTransform?.OutputWidth ?? 0;

    /// <summary>
    /// The network input of n rows: [x_i, time features of t_i, y_i] row by row (t per row, so a
    /// training batch mixes times; sampling passes one t for all rows).
    /// </summary>
    internal float[] Input(ReadOnlySpan<double> x, Func<int, double> time, ReadOnlySpan<float> y, int n)
    {
        int dx = Dx, dy = Dy, tw = TimeWidth(Options), width = dx + tw + dy;
        var input = new float[n * width];
        for (int i = 0; i < n; i++)
        {
            var row = input.AsSpan(i * width, width);
            for (int c = 0; c < dx; c++) row[c] = (float)x[i * dx + c];
            OptimalTransportPath.TimeFeatures(time(i), Options.TimeFrequencies, row.Slice(dx, tw));
            if (dy > 0) y.Slice(i * dy, dy).CopyTo(row[(dx + tw)..]);
        }
        return input;
    }

    /// <summary>Integrates n rows from N(0, I) noise to the preprocessed data scale (flat [n·dx]), conditions y flat [n·dy] on the preprocessed scale.</summary>
    internal double[] GeneratePreprocessed(int n, float[] y, Rng rng, OdeMethod method, int steps) => GeneratePreprocessed(n, y, Draw(rng, n), method, steps);

    /// <summary>x(0) of n rows: N(0, I) draws (float32 values) as a flat float64 array.</summary>
    private double[] Draw(Rng rng, int n)
    {
        using (TensorScope.Begin())
            return rng.Normal(n, Dx).ToArray().Select(v => (double)v).ToArray();
    }

    /// <summary>Integrates n rows from the given x(0) (flat [n·dx], float64) to the preprocessed data scale.</summary>
    private double[] GeneratePreprocessed(int n, float[] y, double[] x0, OdeMethod method, int steps)
    {
        int width = Dx + TimeWidth(Options) + Dy;
        using var ng = Autograd.NoGrad();
        return OdeSolver.Integrate((t, x, v) =>
        {
            using var scope = TensorScope.Begin();
            var input = Tensor.FromArray(Input(x, _ => t, y, n), n, width);
            var output = Velocity.Forward(input).ToArray();
            for (int i = 0; i < v.Length; i++) v[i] = output[i];
        }, x0, method, steps);
    }

    /// <summary>One generated row per condition row (raw scale), with the model's solver and steps.</summary>
    /// <exception cref="ArgumentException">Wrong width or non-finite conditions.</exception>
    public double[][] Sample(double[][] conditions, int seed) => Sample(conditions, seed, Options.Solver, Options.OdeSteps);

    /// <summary>One generated row per condition row (raw scale), with another ODE method or step count than the model's.</summary>
    /// <exception cref="ArgumentException">Wrong width or non-finite conditions, or steps &lt; 1.</exception>
    public double[][] Sample(double[][] conditions, int seed, OdeMethod method, int steps)
    {
        GeneratorChecks.RequireConditions(conditions, ConditionNames.Count, "flow-matching");
        return Generate(conditions.Length, conditions, seed, method, steps);
    }

    /// <summary><paramref name="count"/> rows from an unconditional model; a conditional one throws <see cref="InvalidOperationException"/>.</summary>
    public double[][] Sample(int count, int seed) => Sample(count, seed, Options.Solver, Options.OdeSteps);

    /// <summary><paramref name="count"/> rows from an unconditional model with another ODE method or step count than the model's.</summary>
    public double[][] Sample(int count, int seed, OdeMethod method, int steps)
    {
        GeneratorChecks.RequireCount(count);
        GeneratorChecks.RequireUnconditional(ConditionNames.Count, "flow-matching");
        return Generate(count, null, seed, method, steps);
    }

    /// <summary>
    /// The generated rows for GIVEN noise, with the model's solver and steps: x(0) = <paramref name="noise"/>[i]
    /// (the caller draws it from N(0, I), width <see cref="NoiseWidth"/>; taken as float32 values, as
    /// <see cref="Sample(double[][], int)"/> draws them), integrated to t = 1, then T_x⁻¹. Sample runs
    /// the same code on its own seeded draws; the exported ONNX graph and C function
    /// (<see cref="ModelExport"/>) compute this function.
    /// </summary>
    /// <param name="conditions">One raw condition row per noise row (null when unconditional).</param>
    /// <param name="noise">One x(0) row per event.</param>
    /// <exception cref="ArgumentException">Wrong widths, counts or non-finite values.</exception>
    public double[][] SampleFromNoise(double[][]? conditions, double[][] noise) => SampleFromNoise(conditions, noise, Options.Solver, Options.OdeSteps);

    /// <summary><see cref="SampleFromNoise(double[][], double[][])"/> with another ODE method or step count than the model's.</summary>
    /// <exception cref="ArgumentException">Wrong widths, counts or non-finite values, or steps &lt; 1.</exception>
    public double[][] SampleFromNoise(double[][]? conditions, double[][] noise, OdeMethod method, int steps)
    {
        GeneratorChecks.RequireNoise(noise, Dx, "flow-matching");
        if (ConditionNames.Count > 0)
        {
            GeneratorChecks.RequireConditions(conditions!, ConditionNames.Count, "flow-matching");
            GeneratorChecks.RequireSameCount(conditions!, noise);
        }
        int dx = Dx;
        return Generate(noise.Length, ConditionNames.Count > 0 ? conditions : null, method, steps, (start, n) =>
        {
            var x0 = new double[n * dx];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < dx; c++) x0[i * dx + c] = (float)noise[start + i][c];
            return x0;
        });
    }

    /// <summary>Noise values per event of <see cref="SampleFromNoise(double[][], double[][])"/>: the model width of the features (x(0) of the ODE).</summary>
    public int NoiseWidth => Dx;

    private double[][] Generate(int count, double[][]? conditions, int seed, OdeMethod method, int steps)
    {
        var rng = new Rng(unchecked((ulong)(long)seed));
        return Generate(count, conditions, method, steps, (_, n) => Draw(rng, n));
    }

    private double[][] Generate(int count, double[][]? conditions, OdeMethod method, int steps, Func<int, int, double[]> initial)
    {
        if (steps < 1) throw new ArgumentException($"steps is {steps}; at least 1 ODE step is required.", nameof(steps));
        int dx = Dx;
        var result = new double[count][];
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            var x = GeneratePreprocessed(n, NeuralParts.FlatConditions(ConditionTransform, conditions, start, n), initial(start, n), method, steps);
            for (int i = 0; i < n; i++) result[start + i] = FeatureTransform.InverseRow(x.AsSpan(i * dx, dx).ToArray());
        }
        return result;
    }

    /// <summary>The velocity network's parameters named "v.&lt;layer&gt;.weight|bias".</summary>
    public IReadOnlyList<NamedTensor> Parameters() => NeuralParts.Prefixed("v.", Velocity).ToList();

    /// <summary>The model file: type "cfm", metadata <see cref="FlowMatchingMetadata"/>, the velocity network's parameters as float32 arrays.</summary>
    public ModelFileContent ToModelFile() => new(ModelTypeName, [.. FeatureNames], [.. ConditionNames],
        ModelJson.ToElement(new FlowMatchingMetadata(Options, FeatureTransform.States, ConditionTransform?.States ?? [], TrainedSteps, History?.Thinned())),
        NeuralParts.ToArrays(Parameters()));

    /// <summary>Rebuilds a model from its model-file content (the loader registered in <see cref="ModelRegistry"/>).</summary>
    /// <exception cref="InvalidDataException">Inconsistent content.</exception>
    public static ConditionalFlowMatching FromModelFile(ModelFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        const string source = "model type 'cfm'";
        var meta = content.ReadMetadata<FlowMatchingMetadata>();
        var (fNames, cNames, fx, fy, tensors) = NeuralParts.ReadModelFile(content, meta.FeatureTransform, meta.ConditionTransform, source);
        var v = Network(meta.Options, fx.OutputWidth, fy?.OutputWidth ?? 0, 1);
        NeuralParts.LoadAll(tensors, source, ("v.", v));
        return new ConditionalFlowMatching(v, meta.Options, fx, fy, fNames, cNames, meta.TrainedSteps) { History = meta.History };
    }

    /// <summary>Saves the model as a model file (<see cref="ModelFile.Save"/>, atomic, SHA-256 protected).</summary>
    public void Save(string path) => ModelFile.Save(path, this);

    /// <summary>Loads a flow-matching model file.</summary>
    /// <exception cref="InvalidDataException">Corrupt file or not a flow-matching model.</exception>
    public static ConditionalFlowMatching Load(string path) =>
        ModelFile.Load(path) as ConditionalFlowMatching ?? throw new InvalidDataException($"{path} holds a model that is not a flow-matching model.");

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"flow matching ({Options.Solver}, {Options.OdeSteps} ODE steps, {FeatureNames.Count} features | {ConditionNames.Count} conditions, {TrainedSteps} steps)");
}

/// <summary>The JSON metadata of a flow-matching model file (the column names and the type are in the file header).</summary>
/// <param name="Options">Options (network shape, solver).</param>
/// <param name="FeatureTransform">Fitted preprocessing, one state per feature column.</param>
/// <param name="ConditionTransform">Fitted preprocessing, one state per condition column (empty when unconditional).</param>
/// <param name="TrainedSteps">Steps trained.</param>
/// <param name="History">The thinned training history.</param>
public sealed record FlowMatchingMetadata(FlowMatchingOptions Options, ColumnTransformState[] FeatureTransform, ColumnTransformState[] ConditionTransform, long TrainedSteps,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TrainingHistory? History = null);
