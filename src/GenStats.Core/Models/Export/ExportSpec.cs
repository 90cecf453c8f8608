using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>One fully connected layer y = act(x·W + b), W row-major [In, Out] (GenStats' layout).</summary>
internal sealed record DenseLayer(int In, int Out, float[] Weight, float[] Bias, Activation Activation, float Slope)
{
    /// <summary>The layers of an MLP (no layer normalisation), the last with the output activation.</summary>
    /// <exception cref="NotSupportedException">Layer normalisation.</exception>
    public static DenseLayer[] Of(Mlp mlp)
    {
        var o = mlp.Options;
        if (o.LayerNorm) throw new NotSupportedException("export does not cover layer normalisation inside a network.");
        var linears = mlp.Linears;
        return linears.Select((l, i) => new DenseLayer(l.InFeatures, l.OutFeatures, l.Weight.ToArray(),
            l.Bias?.ToArray() ?? new float[l.OutFeatures], i + 1 < linears.Count ? o.Activation : o.OutputActivation, 0.01f)).ToArray();
    }
}

/// <summary>
/// What every exported model shares: raw conditions → T_y, a model-specific map from noise (and
/// T_y(y)) to the preprocessed feature scale, then T_x⁻¹. The per-model records add that map;
/// the ONNX and C writers render the shared parts with <see cref="OnnxParts"/> and <see cref="CParts"/>.
/// </summary>
internal abstract record ExportSpec(string ModelType, string[] FeatureNames, string[] ConditionNames,
    ColumnTransformState[] FeatureColumns, ColumnTransformState[] ConditionColumns)
{
    /// <summary>Noise values per event.</summary>
    public abstract int NoiseWidth { get; }

    /// <summary>What the noise values of one event are (for the files' documentation).</summary>
    public abstract string NoiseDoc { get; }

    /// <summary>What one output row holds (the files' documentation).</summary>
    public virtual string OutputDoc => "generated values in raw units: " + string.Join(", ", FeatureNames);

    /// <summary>One sentence on the exported function.</summary>
    public virtual string Describe() =>
        $"GenStats {ModelType} generator: features ({string.Join(", ", FeatureNames)}) from noise [{NoiseDoc}]"
        + (ConditionNames.Length > 0 ? $" and raw conditions ({string.Join(", ", ConditionNames)})" : "") + "; preprocessing included.";

    /// <summary>The description of an exportable model.</summary>
    /// <exception cref="NotSupportedException">A model type or a part export does not cover.</exception>
    public static ExportSpec For(IConditionalGenerator model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model switch
        {
            ConditionalGan or ConditionalVae => GeneratorSpec.Of(model),
            ConditionalSplineFlow f => FlowSpec.Of(f),
            ConditionalFlowMatching c => CfmSpec.Of(c),
            ConditionalConvGan c => ConvGanSpec.Of(c),
            _ => throw new NotSupportedException(
                $"export covers the GAN family's generator, the VAE decoder, the spline flow ('flow'), flow matching ('cfm') and the conv GAN's generator ('conv-gan'); '{model.ModelType}' is none of them."),
        };
    }
}
