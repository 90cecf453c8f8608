using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>One fully connected layer y = act(x·W + b), W row-major [In, Out] (GenStats' layout).</summary>
internal sealed record DenseLayer(int In, int Out, float[] Weight, float[] Bias, Activation Activation, float Slope);

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
{
    /// <summary>Noise values per event: the latent, then (VAE) the output noise ε of width Dx.</summary>
    public int NoiseWidth => Latent + (Head is null ? 0 : Dx);

    /// <summary>The description of a GAN generator or a VAE decoder (N(0, I) prior only).</summary>
    /// <exception cref="NotSupportedException">Another model type, a VAE with a latent mixture, or a network part the writers do not cover.</exception>
    public static GeneratorSpec Of(IConditionalGenerator model)
    {
        ArgumentNullException.ThrowIfNull(model);
        switch (model)
        {
            case ConditionalGan g:
                return new GeneratorSpec(g.ModelType, [.. g.FeatureNames], [.. g.ConditionNames], g.FeatureTransform.States, g.ConditionTransform?.States ?? [],
                    g.Options.LatentSize, g.FeatureTransform.OutputWidth, g.ConditionTransform?.OutputWidth ?? 0, Dense((Mlp)g.Generator), null);
            case ConditionalVae v:
                if (v.LatentMixture is not null)
                    throw new NotSupportedException("this VAE samples its latent z from a fitted Gaussian mixture (LatentMixture); export covers VAEs with the N(0, I) prior (train with LatentMixtureComponents = 0).");
                var head = new VaeHead(v.Options.LearnedVariance, MathF.Exp(0.5f * MathF.Log(v.Options.FixedVariance)));
                return new GeneratorSpec(v.ModelType, [.. v.FeatureNames], [.. v.ConditionNames], v.FeatureTransform.States, v.ConditionTransform?.States ?? [],
                    v.Options.LatentSize, v.Dx, v.Dy, Dense(v.Decoder), head);
            default:
                throw new NotSupportedException($"export covers the GAN family's generator and the VAE decoder; '{model.ModelType}' is neither.");
        }
    }

    private static DenseLayer[] Dense(Mlp mlp)
    {
        var o = mlp.Options;
        if (o.LayerNorm) throw new NotSupportedException("export does not cover layer normalisation inside the generator network.");
        var linears = mlp.Linears;
        return linears.Select((l, i) => new DenseLayer(l.InFeatures, l.OutFeatures, l.Weight.ToArray(),
            l.Bias?.ToArray() ?? new float[l.OutFeatures], i + 1 < linears.Count ? o.Activation : o.OutputActivation, 0.01f)).ToArray();
    }
}
