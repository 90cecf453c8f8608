namespace GenStats.Models;

/// <summary>
/// Renders a <see cref="GeneratorSpec"/> (GAN generator, VAE decoder) as one ONNX graph (float32,
/// opset 17): inputs "noise" [batch, noise width] and, when conditional, "conditions" [batch,
/// conditions] in raw units; output "features" [batch, features] in raw units.
/// </summary>
internal static class OnnxExport
{
    public static byte[] Build(GeneratorSpec spec)
    {
        var g = new OnnxGraph();
        string? y = OnnxParts.Conditions(g, spec);
        string z = spec.Head is null ? "noise" : g.Columns("noise", 0, spec.Latent);
        string h = OnnxParts.Network(g, OnnxParts.Constants(g, spec.Layers), y is null ? z : g.Concat([z, y]));
        if (spec.Head is { } head)
        {
            string eps = g.Columns("noise", spec.Latent, spec.Dx);
            string sd;
            if (head.LearnedVariance)
            {
                var lv = g.Bin("Min", g.Bin("Max", g.Columns(h, spec.Dx, spec.Dx), g.Scalar(-12)), g.Scalar(8));
                sd = g.Un("Exp", g.Mul(lv, g.Scalar(0.5)));
                h = g.Columns(h, 0, spec.Dx);
            }
            else sd = g.Scalar(head.FixedSd);
            h = g.Add(h, g.Mul(sd, eps));
        }
        return OnnxParts.Model(g, spec, OnnxParts.Features(g, spec, h));
    }
}
