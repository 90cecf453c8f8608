using System.Globalization;
using System.Text;

namespace GenStats.Models;

/// <summary>
/// Renders a <see cref="GeneratorSpec"/> (GAN generator, VAE decoder) as one dependency-free C99
/// file (<see cref="CParts"/>): <c>void genstats_generate(const float* conditions, const float* noise, float* out, int n)</c>.
/// </summary>
internal static class CExport
{
    public static string Build(GeneratorSpec spec)
    {
        var sb = new StringBuilder();
        spec = CParts.Named(spec);
        int dx = spec.Dx;
        CParts.Header(sb, spec, "");
        CParts.Network(sb, "gs_net", spec.Layers);
        string declarations = string.Create(CultureInfo.InvariantCulture, $"    float a[{spec.Latent + spec.Dy}], h[{spec.Layers[^1].Out}];\n    double x[{dx}];\n");
        CParts.Generate(sb, spec, declarations, "a", spec.Latent, body =>
        {
            for (int k = 0; k < spec.Latent; k++) body.Append(CultureInfo.InvariantCulture, $"        a[{k}] = nz[{k}];\n");
            body.Append("        gs_net(a, h);\n");
            for (int k = 0; k < dx; k++)
            {
                string e = spec.Head switch
                {
                    null => $"(double)h[{k}]",
                    { LearnedVariance: true } => $"(double)(h[{k}] + expf(0.5f * fminf(fmaxf(h[{dx + k}], -12.0f), 8.0f)) * nz[{spec.Latent + k}])",
                    { FixedSd: var sd } => $"(double)(h[{k}] + {CParts.F(sd)} * nz[{spec.Latent + k}])",
                };
                body.Append(CultureInfo.InvariantCulture, $"        x[{k}] = {e};\n");
            }
        }, "x");
        return sb.ToString();
    }
}
