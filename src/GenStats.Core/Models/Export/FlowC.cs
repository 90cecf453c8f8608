using System.Globalization;
using System.Text;

namespace GenStats.Models;

/// <summary>
/// Renders a <see cref="FlowSpec"/> as one dependency-free C99 file (<see cref="CParts"/>): the
/// conditioners in float32 with double accumulation, the inverse splines and the state between
/// layers in double (nflows' formulas, as <see cref="RationalQuadraticSpline.Inverse"/>).
/// </summary>
internal static class FlowC
{
    public static string Build(FlowSpec spec)
    {
        spec = CParts.Named(spec);
        var sb = new StringBuilder();
        int dx = spec.Dx, dy = spec.Dy;
        var s = spec.Spline;
        CParts.Header(sb, spec, string.Create(CultureInfo.InvariantCulture, $"#define GENSTATS_BINS {s.Bins}\n"));
        sb.Append(Spline(s));
        int input = 1, parameters = 1;
        for (int l = 0; l < spec.Layers.Length; l++)
        {
            var layer = spec.Layers[l];
            sb.Append(CultureInfo.InvariantCulture, $"static const int gs_order{l}[{dx}] = {{").AppendJoin(",", layer.Order).Append("};\n");
            sb.Append(CultureInfo.InvariantCulture, $"static const int gs_inverse{l}[{dx}] = {{").AppendJoin(",", layer.Inverse).Append("};\n");
            if (layer.Constant is { } c)
            {
                sb.Append(CultureInfo.InvariantCulture, $"static const float gs_const{l}[{c.Length}] = {{").AppendJoin(",", c.Select(CParts.F)).Append("};\n");
                parameters = Math.Max(parameters, c.Length);
            }
            else
            {
                CParts.Network(sb, $"gs_net{l}", layer.Network!);
                input = Math.Max(input, layer.Network![0].In);
                parameters = Math.Max(parameters, layer.Network[^1].Out);
            }
        }
        string declarations = string.Create(CultureInfo.InvariantCulture, $"""
                float in[{input}], par[{parameters}], yt[{Math.Max(dy, 1)}];
                double z[{dx}], zo[{dx}], x[{dx}], xn[{dx}];
                (void)in; (void)par; (void)yt; (void)xn;

            """);
        CParts.Generate(sb, spec, declarations, "yt", 0, body => Layers(body, spec), "z");
        return sb.ToString();
    }

    /// <summary>z = noise through the inverse of layers L − 1 … 0.</summary>
    private static void Layers(StringBuilder sb, FlowSpec spec)
    {
        int dx = spec.Dx, dy = spec.Dy, a = spec.IdentityColumns, p = spec.Spline.ParameterCount;
        sb.Append(CultureInfo.InvariantCulture, $"        for (int i = 0; i < {dx}; i++) z[i] = nz[i];\n");
        for (int l = spec.Layers.Length - 1; l >= 0; l--)
        {
            var layer = spec.Layers[l];
            sb.Append(CultureInfo.InvariantCulture, $"        /* layer {l} inverted */\n        for (int i = 0; i < {dx}; i++) zo[i] = z[gs_order{l}[i]];\n");
            if (spec.Autoregressive)
            {
                // As FlowNetwork.InverseLayer: pass i makes columns ≤ i exact; dx passes from zeros.
                sb.Append(CultureInfo.InvariantCulture, $$"""
                            for (int i = 0; i < {{dx}}; i++) x[i] = 0.0;
                            for (int pass = 0; pass < {{dx}}; pass++) {
                                for (int i = 0; i < {{dx}}; i++) in[i] = (float)x[i];
                                for (int j = 0; j < {{dy}}; j++) in[{{dx}} + j] = yt[j];
                                gs_net{{l}}(in, par);
                                for (int i = 0; i < {{dx}}; i++) xn[i] = gs_spline_inverse(par + i * {{p}}, zo[i]);
                                for (int i = 0; i < {{dx}}; i++) x[i] = xn[i];
                            }

                    """);
            }
            else
            {
                string pp = layer.Constant is not null ? $"gs_const{l}" : "par";
                if (layer.Constant is null)
                    sb.Append(CultureInfo.InvariantCulture, $$"""
                                for (int i = 0; i < {{a}}; i++) in[i] = (float)zo[i];
                                for (int j = 0; j < {{dy}}; j++) in[{{a}} + j] = yt[j];
                                gs_net{{l}}(in, par);

                        """);
                sb.Append(CultureInfo.InvariantCulture, $$"""
                            for (int i = 0; i < {{a}}; i++) x[i] = zo[i];
                            for (int i = {{a}}; i < {{dx}}; i++) x[i] = gs_spline_inverse({{pp}} + (i - {{a}}) * {{p}}, zo[i]);

                    """);
            }
            sb.Append(CultureInfo.InvariantCulture, $"        for (int i = 0; i < {dx}; i++) z[i] = x[gs_inverse{l}[i]];\n");
        }
    }

    /// <summary>The inverse spline of one value in double (parameters float: K widths, K heights, K − 1 derivatives).</summary>
    private static string Spline(SplineShape s) => $$"""

        /* Knots (-B and B at the ends) from K unconstrained sizes: softmax, floor `minimum`, cumulative sum. */
        static void gs_knots(const float* u, double minimum, double* cum)
        {
            const double bound = {{CParts.D(s.Bound)}};
            double e[GENSTATS_BINS], m = u[0], sum = 0.0, acc = 0.0;
            for (int k = 1; k < GENSTATS_BINS; k++) if (u[k] > m) m = u[k];
            for (int k = 0; k < GENSTATS_BINS; k++) { e[k] = exp((double)u[k] - m); sum += e[k]; }
            cum[0] = -bound;
            for (int k = 0; k < GENSTATS_BINS - 1; k++) {
                acc += e[k] / sum * (1.0 - minimum * GENSTATS_BINS) + minimum;
                cum[k + 1] = acc * 2.0 * bound - bound;
            }
            cum[GENSTATS_BINS] = bound;
        }

        /* x = s^-1(y), the monotone rational-quadratic spline of nflows (Durkan et al. 2019), identity outside [-B, B]. */
        static double gs_spline_inverse(const float* p, double y)
        {
            const int K = GENSTATS_BINS;
            const double bound = {{CParts.D(s.Bound)}}, minDerivative = {{CParts.D(s.MinDerivative)}};
            double cw[GENSTATS_BINS + 1], ch[GENSTATS_BINS + 1], d[GENSTATS_BINS + 1];
            if (!(y >= -bound && y <= bound)) return y;
            gs_knots(p, {{CParts.D(s.MinBinWidth)}}, cw);
            gs_knots(p + K, {{CParts.D(s.MinBinHeight)}}, ch);
            d[0] = d[K] = 1.0;
            for (int k = 1; k < K; k++) {
                double u = p[2 * K + k - 1];
                d[k] = (u > 0.0 ? u + log1p(exp(-u)) : log1p(exp(u))) + minDerivative;
            }
            int b = -1;
            for (int k = 0; k <= K; k++) if (ch[k] <= y) b++;
            b = b < 0 ? 0 : b > K - 1 ? K - 1 : b;
            double w = cw[b + 1] - cw[b], h = ch[b + 1] - ch[b], delta = h / w, d0 = d[b], d1 = d[b + 1];
            double s = d0 + d1 - 2.0 * delta, r = y - ch[b], rs = r * s;
            double qa = h * (delta - d0) + rs, qb = h * d0 - rs, qc = -delta * r;
            double disc = qb * qb - 4.0 * qa * qc;
            double theta = 2.0 * qc / (-qb - sqrt(disc > 0.0 ? disc : 0.0));
            return cw[b] + theta * w;
        }

        """;
}
