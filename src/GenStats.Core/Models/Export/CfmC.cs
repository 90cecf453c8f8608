using System.Globalization;
using System.Text;

namespace GenStats.Models;

/// <summary>
/// Renders a <see cref="CfmSpec"/> as one dependency-free C99 file (<see cref="CParts"/>): the model's
/// fixed-step ODE solver as a loop over float64 state (the operations of <see cref="OdeSolver"/>), the
/// velocity network in float32 with double accumulation on [x, time features, T_y(y)].
/// </summary>
internal static class CfmC
{
    public static string Build(CfmSpec spec)
    {
        spec = CParts.Named(spec);
        var sb = new StringBuilder();
        int dx = spec.Dx, dy = spec.Dy, f = spec.TimeFrequencies, tw = 1 + 2 * f;
        CParts.Header(sb, spec, "");
        CParts.Network(sb, "gs_net", spec.Layers);
        string pi = CParts.D(Math.PI);
        sb.Append(CultureInfo.InvariantCulture, $$"""

            /* v(t, x, y): the network on [x (float), t, sin(2 pi k t), cos(2 pi k t) for k = 1..{{f}}, T_y(y)]. */
            static void gs_velocity(double t, const double* x, const float* yt, double* v)
            {
                float in[{{dx + tw + dy}}], out[{{dx}}];
                (void)yt;
                for (int i = 0; i < {{dx}}; i++) in[i] = (float)x[i];
                in[{{dx}}] = (float)t;
                for (int k = 1; k <= {{f}}; k++) {
                    double a = 2.0 * {{pi}} * (double)k * t;
                    in[{{dx}} + 2 * k - 1] = (float)sin(a);
                    in[{{dx}} + 2 * k] = (float)cos(a);
                }
                for (int j = 0; j < {{dy}}; j++) in[{{dx + tw}} + j] = yt[j];
                gs_net(in, out);
                for (int i = 0; i < {{dx}}; i++) v[i] = out[i];
            }

            """);
        string declarations = string.Create(CultureInfo.InvariantCulture, $"""
                const double h = {CParts.D(spec.StepSize)};
                float yt[{Math.Max(dy, 1)}];
                double x[{dx}], k1[{dx}], k2[{dx}], k3[{dx}], k4[{dx}], tmp[{dx}];
                (void)k2; (void)k3; (void)k4; (void)tmp;

            """);
        CParts.Generate(sb, spec, declarations, "yt", 0, body => Solver(body, spec), "x");
        return sb.ToString();
    }

    /// <summary>x = noise integrated from t = 0 to 1 with the model's method and steps (as <see cref="OdeSolver.Integrate"/>).</summary>
    private static void Solver(StringBuilder sb, CfmSpec spec)
    {
        int dx = spec.Dx;
        sb.Append(CultureInfo.InvariantCulture, $$"""
                    for (int i = 0; i < {{dx}}; i++) x[i] = nz[i];
                    for (int s = 0; s < {{spec.Steps}}; s++) {
                        double t = 0.0 + s * h;
                        gs_velocity(t, x, yt, k1);

            """);
        sb.Append(spec.Solver switch
        {
            OdeMethod.Euler => $"            for (int i = 0; i < {dx}; i++) x[i] += h * k1[i];\n",
            OdeMethod.Midpoint => string.Create(CultureInfo.InvariantCulture, $$"""
                            for (int i = 0; i < {{dx}}; i++) tmp[i] = x[i] + 0.5 * h * k1[i];
                            gs_velocity(t + 0.5 * h, tmp, yt, k2);
                            for (int i = 0; i < {{dx}}; i++) x[i] += h * k2[i];

                """),
            _ => string.Create(CultureInfo.InvariantCulture, $$"""
                            for (int i = 0; i < {{dx}}; i++) tmp[i] = x[i] + 0.5 * h * k1[i];
                            gs_velocity(t + 0.5 * h, tmp, yt, k2);
                            for (int i = 0; i < {{dx}}; i++) tmp[i] = x[i] + 0.5 * h * k2[i];
                            gs_velocity(t + 0.5 * h, tmp, yt, k3);
                            for (int i = 0; i < {{dx}}; i++) tmp[i] = x[i] + h * k3[i];
                            gs_velocity(t + h, tmp, yt, k4);
                            for (int i = 0; i < {{dx}}; i++) x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);

                """),
        });
        sb.Append("        }\n");
    }
}
