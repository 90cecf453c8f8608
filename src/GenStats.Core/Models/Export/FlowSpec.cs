using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>
/// One spline layer of a flow, read for sampling: its column order and inverse permutation, and
/// its conditioner: a network (MADE weights already multiplied by their masks) or, for an
/// unconditional one-column flow, a learned constant parameter row.
/// </summary>
internal sealed record FlowLayerSpec(int[] Order, int[] Inverse, DenseLayer[]? Network, float[]? Constant);

/// <summary>
/// What an exported <see cref="ConditionalSplineFlow"/> computes (its sampling direction): raw
/// conditions → T_y; z (noise, N(0, I)) through the inverse of layers L − 1 … 0 (permute, inverse
/// rational-quadratic splines whose parameters the conditioner gives, permute back; an
/// autoregressive layer takes one pass per column); then T_x⁻¹.
/// </summary>
internal sealed record FlowSpec(string ModelType, string[] FeatureNames, string[] ConditionNames,
    ColumnTransformState[] FeatureColumns, ColumnTransformState[] ConditionColumns, int Dx, int Dy, bool Autoregressive, int IdentityColumns,
    SplineShape Spline, FlowLayerSpec[] Layers)
    : ExportSpec(ModelType, FeatureNames, ConditionNames, FeatureColumns, ConditionColumns)
{
    /// <inheritdoc />
    public override int NoiseWidth => Dx;

    /// <inheritdoc />
    public override string NoiseDoc => $"z ~ N(0, I), {Dx} independent standard normal values per event (the flow's base distribution)";

    public static FlowSpec Of(ConditionalSplineFlow flow)
    {
        var net = flow.Network;
        var layers = new FlowLayerSpec[net.LayerCount];
        for (int l = 0; l < layers.Length; l++)
        {
            var (order, inverse, conditioner) = net.LayerParts(l);
            layers[l] = conditioner switch
            {
                ConstantParameters c => new FlowLayerSpec(order, inverse, null, c.Value.ToArray()),
                Mlp m => new FlowLayerSpec(order, inverse, DenseLayer.Of(m), null),
                MaskedMlp m => new FlowLayerSpec(order, inverse, Masked(m), null),
                _ => throw new NotSupportedException($"export does not cover the flow conditioner {conditioner.GetType().Name}."),
            };
        }
        return new FlowSpec(flow.ModelType, [.. flow.FeatureNames], [.. flow.ConditionNames], flow.FeatureTransform.States, flow.ConditionTransform?.States ?? [],
            flow.Dx, flow.Dy, flow.Options.Architecture == FlowArchitecture.Autoregressive, net.IdentityColumns, net.Spline, layers);
    }

    /// <summary>MADE's layers with W ⊙ M (exact in float32: the mask is 0 or 1); hidden activation, linear output.</summary>
    private static DenseLayer[] Masked(MaskedMlp m)
    {
        var (linears, masks, hidden) = m.Parts;
        return linears.Select((l, i) =>
        {
            var w = l.Weight.ToArray();
            var mask = masks[i].ToArray();
            for (int k = 0; k < w.Length; k++) w[k] *= mask[k];
            return new DenseLayer(l.InFeatures, l.OutFeatures, w, l.Bias?.ToArray() ?? new float[l.OutFeatures],
                i + 1 < linears.Count ? hidden : Activation.Identity, 0.01f);
        }).ToArray();
    }
}
