using System.Globalization;
using System.Text;
using GenStats.Tensors.Backends;

namespace GenStats.Models;

/// <summary>
/// Renders a <see cref="ConvGanSpec"/> as one C99 file (<see cref="CParts"/>):
/// <c>void genstats_generate(const float* conditions, const float* noise, float* out, int n)</c>
/// writing H·W cell energies per event (row-major), with GENSTATS_HEIGHT and GENSTATS_WIDTH.
/// Direct loops in float32 with double accumulation; two working buffers from malloc per call.
/// </summary>
internal static class ConvGanC
{
    public static string Build(ConvGanSpec spec)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        spec = CParts.Named(spec);
        CParts.Header(sb, spec, string.Create(c, $"#define GENSTATS_HEIGHT {spec.Height}\n#define GENSTATS_WIDTH {spec.Width}\n#include <stdlib.h>\n"));
        sb.Append(Kernels);
        Array(sb, "gs_fc_w", spec.Fc.Weight);
        Array(sb, "gs_fc_b", spec.Fc.Bias);
        Norm(sb, "gs_bn0", spec.Norm0);
        for (int i = 0; i < spec.Convs.Length; i++)
        {
            Conv(sb, $"gs_conv{i + 1}", spec.Convs[i]);
            Norm(sb, $"gs_bn{i + 1}", spec.Norms[i]);
        }
        Conv(sb, "gs_head", spec.Head);

        // The largest activation: the 4×4 start, each block's upsampled input and output, the head's output.
        long size = spec.Norm0.Channels * 16L;
        for (int i = 0, s = 8; i < spec.Convs.Length; i++, s *= 2) size = Math.Max(size, (long)Math.Max(spec.Convs[i].In, spec.Convs[i].Out) * s * s);
        size = Math.Max(size, (long)spec.Side * spec.Side);
        int input = spec.Latent + spec.Dy, c0 = spec.Norm0.Channels;
        sb.Append(c, $$"""

            /* Working buffers: 2 × {{size}} floats from malloc per call; if it fails, out is filled with NaN. */
            void genstats_generate(const float* conditions, const float* noise, float* out, int n)
            {
                float in[{{input}}];
                float* a = (float*)malloc(sizeof(float) * {{size}});
                float* b = (float*)malloc(sizeof(float) * {{size}});
                (void)conditions;
                if (!a || !b) {
                    for (size_t i = 0; i < (size_t)n * GENSTATS_FEATURES; i++) out[i] = (float)NAN;
                    free(a);
                    free(b);
                    return;
                }
                for (int r = 0; r < n; r++) {
                    const float* nz = noise + (size_t)r * GENSTATS_NOISE;
                    float* o = out + (size_t)r * GENSTATS_FEATURES;
                    for (int k = 0; k < {{spec.Latent}}; k++) in[k] = nz[k];

            """);
        if (spec.ConditionNames.Length > 0) sb.Append("        const float* y = conditions + (size_t)r * GENSTATS_CONDITIONS;\n");
        CParts.Conditions(sb, spec, "in", spec.Latent, "        ");
        sb.Append(c, $"        gs_dense(gs_fc_w, gs_fc_b, {input}, {c0 * 16}, in, a, 0, 0.0f);\n");
        sb.Append(c, $"        gs_norm_relu(a, {c0}, 16, gs_bn0_g, gs_bn0_s, gs_bn0_m, gs_bn0_v, {CParts.F(spec.Norm0.Eps)});\n");
        int mode = spec.Upsample == UpsampleMode.Nearest ? 0 : 1;
        for (int i = 0, s = 4; i < spec.Convs.Length; i++, s *= 2)
        {
            var l = spec.Convs[i];
            string bn = $"gs_bn{i + 1}";
            sb.Append(c, $"        gs_upsample(a, {l.In}, {s}, b, {mode});\n");
            sb.Append(c, $"        gs_conv3(b, {l.In}, {2 * s}, gs_conv{i + 1}_w, gs_conv{i + 1}_b, {l.Out}, a);\n");
            sb.Append(c, $"        gs_norm_relu(a, {l.Out}, {4 * s * s}, {bn}_g, {bn}_s, {bn}_m, {bn}_v, {CParts.F(spec.Norms[i].Eps)});\n");
        }
        sb.Append(c, $"        gs_conv3(a, {spec.Head.In}, {spec.Side}, gs_head_w, gs_head_b, 1, b);\n");
        string t = spec.Output switch
        {
            ImageOutput.Relu => "(t > 0.0f ? t : 0.0f)",
            ImageOutput.Softplus => "(float)(t > 20.0f ? (double)t : log1p(exp((double)t)))",
            _ => "t",
        };
        string e = spec.Scaling == ImageScaling.Log1p ? $"{CParts.D(spec.Scale)} * expm1((double)v)" : $"{CParts.D(spec.Scale)} * (double)v";
        sb.Append(c, $$"""
                    for (int i = 0; i < {{spec.Height}}; i++)
                        for (int j = 0; j < {{spec.Width}}; j++) {
                            float t = b[(size_t)(i + {{spec.Top}}) * {{spec.Side}} + j + {{spec.Left}}];
                            float v = {{t}};
                            o[i * {{spec.Width}} + j] = (float)({{e}});
                        }
                }
                free(a);
                free(b);
            }

            """);
        return sb.ToString();
    }

    private static void Array(StringBuilder sb, string name, float[] values) =>
        sb.Append(CultureInfo.InvariantCulture, $"static const float {name}[{values.Length}] = {{").AppendJoin(",", values.Select(CParts.F)).Append("};\n");

    private static void Conv(StringBuilder sb, string name, ConvLayer l)
    {
        Array(sb, name + "_w", l.Weight);
        Array(sb, name + "_b", l.Bias);
    }

    private static void Norm(StringBuilder sb, string name, NormLayer n)
    {
        Array(sb, name + "_g", n.Gain);
        Array(sb, name + "_s", n.Shift);
        Array(sb, name + "_m", n.Mean);
        Array(sb, name + "_v", n.Var);
    }

    // BatchNorm in evaluation mode (as GenStats: (x − mean)/√(var + ε)·gain + shift in float) with ReLU;
    // PyTorch's 2× upsampling (nearest ⌊i/2⌋, bilinear align_corners=False); a 3×3 convolution with
    // zero padding 1 on a square side × side, accumulated in double.
    private const string Kernels = """

        static inline void gs_norm_relu(float* x, int channels, int plane, const float* gain, const float* shift, const float* mean, const float* var, float eps)
        {
            for (int ch = 0; ch < channels; ch++) {
                float sd = sqrtf(var[ch] + eps);
                for (int i = 0; i < plane; i++) {
                    float v = (x[(size_t)ch * plane + i] - mean[ch]) / sd * gain[ch] + shift[ch];
                    x[(size_t)ch * plane + i] = v > 0.0f ? v : 0.0f;
                }
            }
        }

        static inline void gs_upsample(const float* x, int channels, int side, float* y, int bilinear)
        {
            int out = 2 * side;
            for (int ch = 0; ch < channels; ch++) {
                const float* p = x + (size_t)ch * side * side;
                float* q = y + (size_t)ch * out * out;
                for (int i = 0; i < out; i++)
                    for (int j = 0; j < out; j++) {
                        if (!bilinear) { q[i * out + j] = p[(i / 2) * side + j / 2]; continue; }
                        float si = (i + 0.5f) * 0.5f - 0.5f, sj = (j + 0.5f) * 0.5f - 0.5f;
                        if (si < 0.0f) si = 0.0f;
                        if (sj < 0.0f) sj = 0.0f;
                        int i0 = (int)si, j0 = (int)sj;
                        int i1 = i0 + 1 < side ? i0 + 1 : side - 1, j1 = j0 + 1 < side ? j0 + 1 : side - 1;
                        float li = si - i0, lj = sj - j0;
                        float top = (1.0f - lj) * p[i0 * side + j0] + lj * p[i0 * side + j1];
                        float bottom = (1.0f - lj) * p[i1 * side + j0] + lj * p[i1 * side + j1];
                        q[i * out + j] = (1.0f - li) * top + li * bottom;
                    }
            }
        }

        static inline void gs_conv3(const float* x, int in, int side, const float* w, const float* bias, int outc, float* y)
        {
            for (int o = 0; o < outc; o++)
                for (int r = 0; r < side; r++)
                    for (int c = 0; c < side; c++) {
                        double s = bias[o];
                        for (int i = 0; i < in; i++) {
                            const float* p = x + (size_t)i * side * side;
                            const float* k = w + ((size_t)o * in + i) * 9;
                            for (int kr = 0; kr < 3; kr++) {
                                int rr = r + kr - 1;
                                if (rr < 0 || rr >= side) continue;
                                for (int kc = 0; kc < 3; kc++) {
                                    int cc = c + kc - 1;
                                    if (cc >= 0 && cc < side) s += (double)p[rr * side + cc] * k[kr * 3 + kc];
                                }
                            }
                        }
                        y[((size_t)o * side + r) * side + c] = (float)s;
                    }
        }

        """;
}
