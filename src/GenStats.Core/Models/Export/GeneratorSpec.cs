using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>
/// The VAE's output head: the decoder gives [μ, log σ²] (learned, log σ² clamped to [−12, 8]) or μ
/// with the fixed σ; x_model = μ + σ·ε.
/// </summary>
internal sealed record VaeHead(bool LearnedVariance, float FixedSd);

/// <summary>
/// What an exported generator computes, read off a trained model: raw conditions → T_y → network on
/// [z, T_y(y)] → (VAE: μ + σ·ε) → T_x⁻¹. The ONNX and C writers render this one description, so
/// they cannot disagree about the order of the parts.
/// </summary>
internal sealed record GeneratorSpec(string ModelType, string[] FeatureNames, string[] ConditionNames,
    ColumnTransformState[] FeatureColumns, ColumnTransformState[] ConditionColumns, int Latent, int Dx, int Dy, DenseLayer[] Layers, VaeHead? Head)
    : ExportSpec(ModelType, FeatureNames, ConditionNames, FeatureColumns, ConditionColumns)
{
    /// <summary>Noise values per event: the latent, then (VAE) the output noise ε of width Dx.</summary>
    public override int NoiseWidth => Latent + (Head is null ? 0 : Dx);

    /// <inheritdoc />
    public override string NoiseDoc => Head is null
        ? $"z ~ N(0, I), {Latent} independent standard normal values per event"
        : $"{Latent} latent z ~ N(0, I) then {Dx} output-noise ε ~ N(0, I) values per event (all independent standard normal)";

    /// <summary>The description of a GAN generator or a VAE decoder (N(0, I) prior only).</summary>
    /// <exception cref="NotSupportedException">Another model type, a VAE with a latent mixture, or a network part the writers do not cover.</exception>
    public static GeneratorSpec Of(IConditionalGenerator model)
    {
        ArgumentNullException.ThrowIfNull(model);
        switch (model)
        {
            case ConditionalGan g:
                return new GeneratorSpec(g.ModelType, [.. g.FeatureNames], [.. g.ConditionNames], g.FeatureTransform.States, g.ConditionTransform?.States ?? [],
                    g.Options.LatentSize, g.FeatureTransform.OutputWidth, g.ConditionTransform?.OutputWidth ?? 0, DenseLayer.Of((Mlp)g.Generator), null);
            case ConditionalVae v:
                if (v.LatentMixture is not null)
                    throw new NotSupportedException("this VAE samples its latent z from a fitted Gaussian mixture (LatentMixture); export covers VAEs with the N(0, I) prior (train with LatentMixtureComponents = 0).");
                var head = new VaeHead(v.Options.LearnedVariance, MathF.Exp(0.5f * MathF.Log(v.Options.FixedVariance)));
                return new GeneratorSpec(v.ModelType, [.. v.FeatureNames], [.. v.ConditionNames], v.FeatureTransform.States, v.ConditionTransform?.States ?? [],
                    v.Options.LatentSize, v.Dx, v.Dy, DenseLayer.Of(v.Decoder), head);
            default:
                throw new NotSupportedException($"export covers the GAN family's generator and the VAE decoder; '{model.ModelType}' is neither.");
        }
    }
}
