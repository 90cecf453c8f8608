namespace GenStats.Models.Files;

/// <summary>
/// Maps a model type name (the "modelType" of a model file) to the function that rebuilds the
/// model from the file content. The built-in types (kde, library, histogram, gan, vae, cfm, flow, conv-gan) are registered here;
/// a new model type adds one line to <see cref="BuiltIn"/> (or calls <see cref="Register"/> at
/// start-up from another assembly). Loading never creates a type named by the file: the file's
/// string is only a dictionary key.
/// </summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, Func<ModelFileContent, IConditionalGenerator>> Loaders = BuiltIn();
    private static readonly Lock Gate = new();

    private static Dictionary<string, Func<ModelFileContent, IConditionalGenerator>> BuiltIn() => new(StringComparer.Ordinal)
    {
        [KernelDensity.ModelType] = KernelDensity.FromModelFile,
        [Library.ModelType] = Library.FromModelFile,
        [HistogramSampler.ModelType] = HistogramSampler.FromModelFile,
        [ConditionalGan.ModelTypeName] = ConditionalGan.FromModelFile,
        [ConditionalVae.ModelTypeName] = ConditionalVae.FromModelFile,
        [ConditionalFlowMatching.ModelTypeName] = ConditionalFlowMatching.FromModelFile,
        [ConditionalSplineFlow.ModelTypeName] = ConditionalSplineFlow.FromModelFile,
        [ConditionalConvGan.ModelTypeName] = ConditionalConvGan.FromModelFile,
    };

    /// <summary>Registers (or replaces) the loader of a model type.</summary>
    public static void Register(string modelType, Func<ModelFileContent, IConditionalGenerator> loader)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelType);
        ArgumentNullException.ThrowIfNull(loader);
        lock (Gate) Loaders[modelType] = loader;
    }

    /// <summary>The model types that can be loaded.</summary>
    public static IReadOnlyList<string> ModelTypes
    {
        get { lock (Gate) return [.. Loaders.Keys.Order(StringComparer.Ordinal)]; }
    }

    /// <summary>The loader of a model type; <see cref="InvalidDataException"/> for an unknown type.</summary>
    public static Func<ModelFileContent, IConditionalGenerator> Loader(string modelType)
    {
        lock (Gate)
        {
            return Loaders.TryGetValue(modelType, out var loader)
                ? loader
                : throw new InvalidDataException(
                    $"model type '{modelType}' is unknown to this build; known types: {string.Join(", ", Loaders.Keys.Order(StringComparer.Ordinal))}.");
        }
    }
}
