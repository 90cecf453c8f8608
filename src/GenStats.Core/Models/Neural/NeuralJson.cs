using System.Text.Json;
using System.Text.Json.Serialization;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// JSON conventions of neural-model metadata: camelCase names, enums as kebab-case strings,
/// unknown properties rejected. The same settings as the classic branch's <c>ModelJson.Options</c>
/// (TODO(lead): use that one after the merge).
/// </summary>
internal static class NeuralJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            PropertyNameCaseInsensitive = true,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(IReadOnlyDictionary<string, string> metadata, string key, string source)
    {
        if (!metadata.TryGetValue(key, out var text))
            throw new InvalidDataException($"{source}: metadata '{key}' is missing.");
        try
        {
            return JsonSerializer.Deserialize<T>(text, Options) ?? throw new InvalidDataException($"{source}: metadata '{key}' is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: metadata '{key}' is not valid: {e.Message}", e);
        }
    }
}

/// <summary>Building networks and moving parameters between modules and files.</summary>
internal static class NeuralParts
{
    public static Mlp Network(int input, int[] hidden, int output, Activation activation, ulong seed, Activation outputActivation = Activation.Identity) =>
        new(new MlpOptions([input, .. hidden, output]) { Activation = activation, OutputActivation = outputActivation, Seed = seed });

    public static Tensor Input(Tensor a, Tensor? b) => b is null ? a : Ops.Concat([a, b], 1);

    public static IEnumerable<NamedTensor> Prefixed(string prefix, Module m) =>
        m.NamedParameters().Select(p => new NamedTensor(prefix + p.Name, p.Tensor));

    public static IEnumerable<NamedTensor> Prefixed(string prefix, IReadOnlyList<NamedTensor> list) =>
        list.Select(p => new NamedTensor(prefix + p.Name, p.Tensor));

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
        for (int i = 0; i < a.Count; i++) a[i].Values.CopyTo(b[i].Data);
    }

    public static IEnumerable<(string, float[])> OptimizerBuffers(string prefix, IReadOnlyDictionary<string, StoredTensor> tensors) =>
        tensors.Values.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(t => (t.Name[prefix.Length..], t.Values));

    public static bool AllFinite(Module m)
    {
        var backend = TensorBackend.Current;
        foreach (var p in m.Parameters())
            if (!double.IsFinite(backend.SumOfSquares(p.Data, p.Size))) return false;
        return true;
    }

    public static Optimizer Optimizer(OptimizerKind kind, IEnumerable<Tensor> parameters, float lr, float beta1, float beta2) => kind switch
    {
        OptimizerKind.Adam => new Adam(parameters, new AdamOptions { LearningRate = lr, Beta1 = beta1, Beta2 = beta2 }),
        _ => new RmsProp(parameters, new RmsPropOptions { LearningRate = lr }),
    };

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
