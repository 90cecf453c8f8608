using System.Text.Json;
using GenStats.Data;
using GenStats.Models.Files;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>Building networks and moving parameters between modules and files.</summary>
internal static class NeuralParts
{
    /// <summary>Serialises with the model-file JSON conventions (<see cref="ModelJson.Options"/>).</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, ModelJson.Options);

    /// <summary>Reads one JSON entry of a checkpoint's metadata; missing or malformed → <see cref="InvalidDataException"/>.</summary>
    public static T ReadJson<T>(IReadOnlyDictionary<string, string> metadata, string key, string source)
    {
        if (!metadata.TryGetValue(key, out var text))
            throw new InvalidDataException($"{source}: metadata '{key}' is missing.");
        try
        {
            return JsonSerializer.Deserialize<T>(text, ModelJson.Options) ?? throw new InvalidDataException($"{source}: metadata '{key}' is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: metadata '{key}' is not valid: {e.Message}", e);
        }
    }

    public static Mlp Network(int input, int[] hidden, int output, Activation activation, ulong seed, Activation outputActivation = Activation.Identity) =>
        new(new MlpOptions([input, .. hidden, output]) { Activation = activation, OutputActivation = outputActivation, Seed = seed });

    public static Tensor Input(Tensor a, Tensor? b) => b is null ? a : Ops.Concat([a, b], 1);

    /// <summary>The column names of a trainer: the given ones (checked against the width, copied), else prefix0, prefix1, ….</summary>
    /// <exception cref="ArgumentException">A name count that differs from the width.</exception>
    public static string[] ColumnNames(string[]? names, int width, string prefix, string param)
    {
        if (names is null) return Enumerable.Range(0, width).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (names.Length != width) throw new ArgumentException($"{param} has {names.Length} names for {width} columns.", param);
        return (string[])names.Clone();
    }

    /// <summary>Rows [start, start + n) of raw conditions through the condition preprocessing, flat [n·dy] float32 (empty when unconditional).</summary>
    public static float[] FlatConditions(RowTransform? fy, double[][]? conditions, int start, int n)
    {
        int dy = fy?.OutputWidth ?? 0;
        var flat = new float[n * dy];
        if (conditions is null || dy == 0) return flat;
        for (int i = 0; i < n; i++)
        {
            var z = fy!.ForwardRow(conditions[start + i]);
            for (int c = 0; c < dy; c++) flat[i * dy + c] = (float)z[c];
        }
        return flat;
    }

    /// <summary>Rows [start, start + n) of raw conditions through the fitted transform, as a [n, width] tensor; null when unconditional.</summary>
    public static Tensor? Conditions(RowTransform? transform, double[][]? conditions, int start, int n) =>
        conditions is null || transform is null || transform.OutputWidth == 0
            ? null
            : Tensor.FromArray(FlatConditions(transform, conditions, start, n), n, transform.OutputWidth);

    /// <summary>
    /// The exception that stops a neural training run: what went wrong at which step, and where the
    /// last good checkpoint is (or that none was written).
    /// </summary>
    public static TrainingStoppedException Stopped(string run, long step, string what, StopReason reason, string? lastCheckpoint, long lastCheckpointStep, TrainingHistory history,
        string stepName = "step")
    {
        string where = lastCheckpoint is null
            ? "no checkpoint was written (set CheckpointPath and CheckpointEvery to keep one)"
            : $"the last good checkpoint is {lastCheckpoint} (step {lastCheckpointStep})";
        return new TrainingStoppedException($"{run} stopped at {stepName} {step}: {what}; {where}.", reason, step, lastCheckpoint, history);
    }

    /// <summary>Columns [offset, offset + width) of rows [start, start + n) as a float32 [n, width] tensor.</summary>
    public static Tensor Block(double[][] rows, int start, int n, int offset, int width)
    {
        var flat = new float[n * width];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < width; c++) flat[i * width + c] = (float)rows[start + i][offset + c];
        return Tensor.FromArray(flat, n, width);
    }

    public static IEnumerable<NamedTensor> Prefixed(string prefix, Module m) =>
        m.NamedParameters().Select(p => new NamedTensor(prefix + p.Name, p.Tensor));

    public static IEnumerable<NamedTensor> Prefixed(string prefix, IReadOnlyList<NamedTensor> list) =>
        list.Select(p => new NamedTensor(prefix + p.Name, p.Tensor));

    /// <summary>The parameters, then the buffers (e.g. BatchNorm running statistics), named prefix + name.</summary>
    public static IEnumerable<NamedTensor> PrefixedState(string prefix, Module m) =>
        Prefixed(prefix, m).Concat(Prefixed(prefix, m.NamedBuffers()));

    /// <summary>Parameters as float32 model-file arrays (shape kept).</summary>
    public static List<ModelArray> ToArrays(IEnumerable<NamedTensor> parameters) =>
        parameters.Select(p => ModelArray.OfFloat32(p.Name, p.Tensor.ToArray(), p.Tensor.Shape.ToArray().Select(d => (long)d).ToArray())).ToList();

    /// <summary>Model-file arrays as stored tensors; a non-float32 array or an absurd shape is <see cref="InvalidDataException"/>.</summary>
    public static Dictionary<string, StoredTensor> FromArrays(IReadOnlyList<ModelArray> arrays, string source)
    {
        var result = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        foreach (var a in arrays)
        {
            if (a.ElementType != ModelArrayType.Float32)
                throw new InvalidDataException($"{source}: array '{a.Name}' is {a.ElementType}; network parameters are float32.");
            if (a.Shape.Any(d => d > int.MaxValue))
                throw new InvalidDataException($"{source}: array '{a.Name}' has a dimension beyond int range.");
            result[a.Name] = new StoredTensor(a.Name, a.Shape.Select(d => (int)d).ToArray(), a.AsFloat32());
        }
        return result;
    }

    /// <summary>
    /// The parts every neural model file holds (GAN and VAE alike): the column names, the fitted
    /// preprocessing (no condition transform when unconditional) and the parameter tensors by name.
    /// </summary>
    public static (string[] FeatureNames, string[] ConditionNames, RowTransform FeatureTransform, RowTransform? ConditionTransform, Dictionary<string, StoredTensor> Tensors)
        ReadModelFile(ModelFileContent content, ColumnTransformState[] featureStates, ColumnTransformState[] conditionStates, string source)
    {
        string[] fNames = [.. content.FeatureNames], cNames = [.. content.ConditionNames];
        var fx = NeuralTransforms.FromStates(featureStates, fNames.Length, "feature", source);
        var fy = cNames.Length == 0 ? null : NeuralTransforms.FromStates(conditionStates, cNames.Length, "condition", source);
        return (fNames, cNames, fx, fy, FromArrays(content.Arrays, source));
    }

    /// <summary>
    /// Loads every module of a model file from its tensors (<see cref="Load"/> per prefix) and
    /// refuses tensors that belong to none of them.
    /// </summary>
    public static void LoadAll(IReadOnlyDictionary<string, StoredTensor> tensors, string source, params (string Prefix, Module Module)[] parts)
    {
        foreach (var (prefix, module) in parts) Load(prefix, module, tensors, source);
        int expected = parts.Sum(p => p.Module.NamedParameters().Count);
        if (tensors.Count != expected)
            throw new InvalidDataException($"{source}: {tensors.Count} arrays but the networks ({string.Join(", ", parts.Select(p => p.Prefix + "*"))}) have {expected} parameters.");
    }

    /// <summary>Copies the tensors named prefix + parameter name into the module.</summary>
    public static void Load(string prefix, Module m, IReadOnlyDictionary<string, StoredTensor> tensors, string source)
    {
        foreach (var p in m.NamedParameters())
        {
            if (!tensors.TryGetValue(prefix + p.Name, out var t))
                throw new InvalidDataException($"{source}: tensor '{prefix}{p.Name}' is missing.");
            if (t.Values.Length != p.Tensor.Size || !t.Shape.SequenceEqual(p.Tensor.Shape.ToArray()))
                throw new InvalidDataException($"{source}: tensor '{prefix}{p.Name}' has shape [{string.Join(", ", t.Shape)}]; [{string.Join(", ", p.Tensor.Shape.ToArray())}] expected.");
            t.Values.AsSpan().CopyTo(p.Tensor.Data);
        }
    }

    public static void Copy(Module from, Module to)
    {
        var a = from.Parameters();
        var b = to.Parameters();
        for (int i = 0; i < a.Count; i++) b[i].CopyFrom(a[i]);
    }

    public static IEnumerable<(string, float[])> OptimizerBuffers(string prefix, IReadOnlyDictionary<string, StoredTensor> tensors) =>
        tensors.Values.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(t => (t.Name[prefix.Length..], t.Values));

    public static bool AllFinite(Module m)
    {
        foreach (var p in m.Parameters())
            if (!double.IsFinite(p.Backend.SumOfSquares(p.Buffer, p.Size))) return false;
        return true;
    }

    public static Optimizer Optimizer(OptimizerKind kind, IEnumerable<Tensor> parameters, float lr, float beta1, float beta2) => kind switch
    {
        OptimizerKind.Adam => new Adam(parameters, new AdamOptions { LearningRate = lr, Beta1 = beta1, Beta2 = beta2 }),
        _ => new RmsProp(parameters, new RmsPropOptions { LearningRate = lr }),
    };

    /// <summary>
    /// The held-out energy distance of the training histories: <see cref="Stats.EnergyDistanceNd"/>
    /// (scipy convention, weighted V-statistics) on every event, without bootstrap, signed weights allowed.
    /// </summary>
    public static double EnergyDistance(double[][] a, double[]? wa, double[][] b, double[]? wb) =>
        Stats.EnergyDistanceNd.Compute(a, wa, b, wb, new Stats.EnergyDistanceNdOptions(BootstrapReplicas: 0, MaxEvents: null, SignedWeights: true)).Value;

    public static double[][] ToRows(ReadOnlySpan<float> flat, int rows, int cols)
    {
        var r = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            r[i] = new double[cols];
            for (int c = 0; c < cols; c++) r[i][c] = flat[i * cols + c];
        }
        return r;
    }
}
