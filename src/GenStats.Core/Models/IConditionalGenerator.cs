using GenStats.Models.Files;

namespace GenStats.Models;

/// <summary>
/// A trained generator of feature vectors x, optionally conditioned on y: the common face of
/// every GenStats model (KDE, library, histogram, and the GAN/VAE family), so that sampling,
/// validation and the model file never need to know the model type.
/// </summary>
public interface IConditionalGenerator
{
    /// <summary>The model type name used as the model-file registry key.</summary>
    string ModelType { get; }

    /// <summary>The generated columns, in order.</summary>
    IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The conditioning columns, in order; empty for an unconditional model.</summary>
    IReadOnlyList<string> ConditionNames { get; }

    /// <summary>
    /// One generated feature vector per row of <paramref name="conditions"/> (each row holds the
    /// <see cref="ConditionNames"/> values, finite). Same seed, same result, whatever the thread count.
    /// For an unconditional model the rows must be empty; use <see cref="Sample(int, int)"/> instead.
    /// </summary>
    double[][] Sample(double[][] conditions, int seed);

    /// <summary>
    /// <paramref name="count"/> feature vectors from an unconditional model; a conditional model
    /// throws <see cref="InvalidOperationException"/> (it needs conditions).
    /// </summary>
    double[][] Sample(int count, int seed);

    /// <summary>The model's complete model-file representation (see <see cref="ModelFile"/>).</summary>
    ModelFileContent ToModelFile();
}
