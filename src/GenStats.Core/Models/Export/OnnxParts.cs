using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>A dense layer's weight and bias as graph constants (made once, used by every evaluation of the network).</summary>
internal sealed record OnnxDense(DenseLayer Layer, string Weight, string Bias);

/// <summary>
/// The graph parts every exported model shares: the "conditions" input through T_y, networks of
/// dense layers, the feature columns through T_x⁻¹, constants broadcast over the batch, and the
/// ModelProto with its documented inputs and output.
/// </summary>
internal static class OnnxParts
{
    /// <summary>T_y(conditions) [N, Dy], or null for an unconditional model.</summary>
    public static string? Conditions(OnnxGraph g, ExportSpec spec) => spec.ConditionNames.Length == 0
        ? null
        : g.Concat(spec.ConditionColumns.SelectMany((s, c) => OnnxTransforms.Forward(g, s, g.Columns("conditions", c, 1))).ToList());

    /// <summary>The layers' constants, made once.</summary>
    public static OnnxDense[] Constants(OnnxGraph g, IEnumerable<DenseLayer> layers) =>
        layers.Select(l => new OnnxDense(l, g.Const(l.Weight, l.In, l.Out), g.Const(l.Bias, l.Out))).ToArray();

    /// <summary>The network on h: Gemm + activation per layer.</summary>
    public static string Network(OnnxGraph g, IEnumerable<OnnxDense> layers, string h)
    {
        foreach (var d in layers) h = Activate(g, d.Layer, g.Node("Gemm", [h, d.Weight, d.Bias]));
        return h;
    }

    private static string Activate(OnnxGraph g, DenseLayer layer, string h) => layer.Activation switch
    {
        Activation.Identity => h,
        Activation.Relu => g.Un("Relu", h),
        Activation.LeakyRelu => g.Node("LeakyRelu", [h], ("alpha", layer.Slope)),
        Activation.Elu => g.Node("Elu", [h], ("alpha", 1f)),
        Activation.Tanh => g.Un("Tanh", h),
        Activation.Sigmoid => g.Un("Sigmoid", h),
        Activation.Softplus => g.Un("Softplus", h),
        _ => throw new NotSupportedException($"export does not cover the activation {layer.Activation}."),
    };

    /// <summary>A constant of shape [1, k] repeated over the rows of <paramref name="rowsLike"/> (any [N, 1] value): [N, k].</summary>
    public static string Rows(OnnxGraph g, string constant, string rowsLike) => g.Node("Expand", [constant, g.Un("Shape", rowsLike)]);

    /// <summary>T_x⁻¹ of the model-scale features h [N, model width] → [N, features] in raw units.</summary>
    public static string Features(OnnxGraph g, ExportSpec spec, string h)
    {
        var outputs = new List<string>();
        int offset = 0;
        foreach (var s in spec.FeatureColumns)
        {
            int w = s.Kind == PeriodicTransform.KindName ? 2 : 1;
            outputs.Add(OnnxTransforms.Inverse(g, s, g.Columns(h, offset, w)));
            offset += w;
        }
        return g.Concat(outputs);
    }

    /// <summary>The ModelProto: inputs "noise" and (conditional) "conditions", output "features".</summary>
    public static byte[] Model(OnnxGraph g, ExportSpec spec, string features) =>
        g.Model(Inputs(spec), [("features", features, spec.FeatureNames.Length, "generated features: " + string.Join(", ", spec.FeatureNames))], spec.Describe());

    /// <summary>The documented inputs: "noise" [batch, noise width] and, when conditional, "conditions" [batch, conditions].</summary>
    public static List<(string Name, int Width, string Doc)> Inputs(ExportSpec spec)
    {
        var inputs = new List<(string, int, string)> { ("noise", spec.NoiseWidth, spec.NoiseDoc) };
        if (spec.ConditionNames.Length > 0) inputs.Add(("conditions", spec.ConditionNames.Length, "raw conditions: " + string.Join(", ", spec.ConditionNames)));
        return inputs;
    }
}
