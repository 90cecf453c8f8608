using GenStats.Tensors.Backends;

namespace GenStats.Models;

/// <summary>
/// Renders a <see cref="ConvGanSpec"/> as one ONNX graph (float32, opset 17): inputs "noise"
/// [batch, latent] and, when conditional, "conditions" [batch, conditions] in raw units; output
/// "images" [batch, H, W] of cell energies in raw units. Nodes: Gemm, Reshape,
/// BatchNormalization (inference), Relu, Resize, Conv, Slice, the output activation, and the
/// inverse cell scaling in float64.
/// </summary>
internal static class ConvGanOnnx
{
    public static byte[] Build(ConvGanSpec spec)
    {
        var g = new OnnxGraph();
        string? y = OnnxParts.Conditions(g, spec);
        var fc = spec.Fc;
        string h = g.Node("Gemm", [y is null ? "noise" : g.Concat(["noise", y]), g.Const(fc.Weight, fc.In, fc.Out), g.Const(fc.Bias, fc.Out)]);
        h = g.Node("Reshape", [h, g.ConstInt64([-1, spec.Norm0.Channels, 4, 4], 4)]);
        h = g.Un("Relu", Norm(g, spec.Norm0, h));
        string scales = g.Const([1f, 1f, 2f, 2f], 4);
        for (int i = 0; i < spec.Convs.Length; i++)
            h = g.Un("Relu", Norm(g, spec.Norms[i], Conv(g, spec.Convs[i], Upsample(g, spec.Upsample, h, scales))));
        h = Conv(g, spec.Head, h);
        h = g.Node("Slice", [h, g.ConstInt64([spec.Top, spec.Left], 2), g.ConstInt64([spec.Top + spec.Height, spec.Left + spec.Width], 2), g.ConstInt64([2, 3], 2)]);
        h = spec.Output switch
        {
            ImageOutput.Relu => g.Un("Relu", h),
            ImageOutput.Softplus => g.Un("Softplus", h),
            _ => h,
        };
        h = g.Node("Reshape", [h, g.ConstInt64([-1, spec.Height, spec.Width], 3)]);
        // E = s·(eᵗ − 1) or s·t in float64, as ImageScale computes it (eᵗ − 1 of a small t keeps its digits there).
        string t = g.ToDouble(h), s = g.ScalarDouble(spec.Scale);
        string e = g.ToFloat(spec.Scaling == ImageScaling.Log1p ? g.Mul(g.Sub(g.Un("Exp", t), g.ScalarDouble(1)), s) : g.Mul(t, s));
        return g.Model(OnnxParts.Inputs(spec), [("images", e, new[] { spec.Height, spec.Width }, spec.OutputDoc)], spec.Describe());
    }

    private static string Norm(OnnxGraph g, NormLayer n, string x) =>
        g.Node("BatchNormalization", [x, g.Const(n.Gain, n.Channels), g.Const(n.Shift, n.Channels), g.Const(n.Mean, n.Channels), g.Const(n.Var, n.Channels)],
            ("epsilon", n.Eps));

    private static string Conv(OnnxGraph g, ConvLayer c, string x) =>
        g.Node("Conv", [x, g.Const(c.Weight, c.Out, c.In, 3, 3), g.Const(c.Bias, c.Out)], ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));

    // Nearest: y[i] = x[⌊i/2⌋] is "asymmetric" (x_orig = i/2) with floor. Bilinear: PyTorch's
    // align_corners=False is "half_pixel" (x_orig = (i + ½)/2 − ½); the −¼ at the first row and the
    // overshoot at the last read the edge value, as PyTorch's clamp does.
    private static string Upsample(OnnxGraph g, UpsampleMode mode, string x, string scales) => mode == UpsampleMode.Nearest
        ? g.Node("Resize", [x, "", scales], ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"))
        : g.Node("Resize", [x, "", scales], ("mode", "linear"), ("coordinate_transformation_mode", "half_pixel"));
}
