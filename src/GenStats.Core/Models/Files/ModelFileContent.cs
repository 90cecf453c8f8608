using System.Text.Json;

namespace GenStats.Models.Files;

/// <summary>
/// Everything a model file holds: the model type (the registry key that picks the loader), the
/// feature and condition column names, model-specific JSON metadata (options, fitted transform
/// states, training summary) and named arrays (parameters, training events, histogram bins).
/// </summary>
/// <param name="ModelType">Registry key, e.g. "kde", "library", "histogram" (lower-case, no spaces).</param>
/// <param name="FeatureNames">Columns the model generates, in order.</param>
/// <param name="ConditionNames">Columns the model is conditioned on (empty = unconditional).</param>
/// <param name="Metadata">Model-specific JSON object (an object, never an array or a scalar).</param>
/// <param name="Arrays">Named arrays; names are unique.</param>
public sealed record ModelFileContent(
    string ModelType,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<string> ConditionNames,
    JsonElement Metadata,
    IReadOnlyList<ModelArray> Arrays)
{
    /// <summary>The array of that name; <see cref="InvalidDataException"/> when absent.</summary>
    public ModelArray Array(string name) =>
        Arrays.FirstOrDefault(a => a.Name == name)
        ?? throw new InvalidDataException(
            $"model type '{ModelType}': array '{name}' is missing; the file has: {string.Join(", ", Arrays.Select(a => a.Name))}.");

    /// <summary>A metadata property; <see cref="InvalidDataException"/> when absent.</summary>
    public JsonElement Property(string name) =>
        Metadata.ValueKind == JsonValueKind.Object && Metadata.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"model type '{ModelType}': metadata property '{name}' is missing.");

    /// <summary>A metadata property deserialised with the model-file JSON conventions.</summary>
    public T Property<T>(string name) =>
        Property(name).Deserialize<T>(ModelJson.Options)
        ?? throw new InvalidDataException($"model type '{ModelType}': metadata property '{name}' is null.");

    /// <summary>
    /// The whole metadata object deserialised into <typeparamref name="T"/> with the model-file JSON
    /// conventions; malformed or missing metadata gives <see cref="InvalidDataException"/>.
    /// </summary>
    public T ReadMetadata<T>()
    {
        try
        {
            return Metadata.Deserialize<T>(ModelJson.Options)
                ?? throw new InvalidDataException($"model type '{ModelType}': the metadata is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"model type '{ModelType}': the metadata does not match this model ({e.Message}).", e);
        }
    }

    /// <summary>Equal when every field, the metadata JSON text and every array agree.</summary>
    public bool Equals(ModelFileContent? other) =>
        other is not null && ModelType == other.ModelType
        && FeatureNames.SequenceEqual(other.FeatureNames) && ConditionNames.SequenceEqual(other.ConditionNames)
        && Metadata.GetRawText() == other.Metadata.GetRawText()
        && Arrays.SequenceEqual(other.Arrays);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ModelType, Arrays.Count);
}

/// <summary>
/// The JSON conventions of model files and training configs: camelCase names, enums as
/// kebab-case strings ("cross-validated", "local-linear"), unknown properties rejected (a misspelt option must not be ignored).
/// </summary>
public static class ModelJson
{
    /// <summary>The shared serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Serialises a value (an options record, a transform state) to a JSON element.</summary>
    public static JsonElement ToElement<T>(T value) => JsonSerializer.SerializeToElement(value, Options);

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
            WriteIndented = false,
            PropertyNameCaseInsensitive = true,
            // A missing constructor argument or a null where none is allowed is a malformed file, not a null reference later.
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            // a held-out ELBO can be −∞ (an event outside what a quantile transform can generate); histories keep it
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        o.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
