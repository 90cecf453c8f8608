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
        sb.Append(CultureInfo.InvariantCulture, $$"""

            void genstats_generate(const float* conditions, const float* noise, float* out, int n)
            {
                float a[{{spec.Latent + spec.Dy}}], h[{{spec.Layers[^1].Out}}];
                double x[{{dx}}];
                (void)conditions;
                for (int r = 0; r < n; r++) {
                    const float* nz = noise + (size_t)r * GENSTATS_NOISE;
                    float* o = out + (size_t)r * GENSTATS_FEATURES;

            """);
        for (int k = 0; k < spec.Latent; k++) sb.Append(CultureInfo.InvariantCulture, $"        a[{k}] = nz[{k}];\n");
        if (spec.ConditionNames.Length > 0) sb.Append("        const float* y = conditions + (size_t)r * GENSTATS_CONDITIONS;\n");
        CParts.Conditions(sb, spec, "a", spec.Latent, "        ");
        sb.Append("        gs_net(a, h);\n");
        for (int k = 0; k < dx; k++)
        {
            string e = spec.Head switch
            {
                null => $"(double)h[{k}]",
                { LearnedVariance: true } => $"(double)(h[{k}] + expf(0.5f * fminf(fmaxf(h[{dx + k}], -12.0f), 8.0f)) * nz[{spec.Latent + k}])",
                { FixedSd: var sd } => $"(double)(h[{k}] + {CParts.F(sd)} * nz[{spec.Latent + k}])",
            };
            sb.Append(CultureInfo.InvariantCulture, $"        x[{k}] = {e};\n");
        }
        CParts.Features(sb, spec, "x", "        ");
        sb.Append("    }\n}\n");
        return sb.ToString();
    }
}
