namespace GenStats.Models;

/// <summary>
/// Renders a <see cref="CfmSpec"/> as one ONNX graph (opset 17): the model's fixed-step ODE solver
/// unrolled, the state in float64 as <see cref="OdeSolver"/> keeps it, each velocity evaluation the
/// float32 network on [x, time features of t (a constant row per evaluation), T_y(y)]; then T_x⁻¹
/// in float32.
/// </summary>
internal static class CfmOnnx
{
    public static byte[] Build(CfmSpec spec)
    {
        var g = new OnnxGraph();
        string? y = OnnxParts.Conditions(g, spec);
        string rows = g.Columns("noise", 0, 1);
        var net = OnnxParts.Constants(g, spec.Layers);
        string Velocity(double t, string state)
        {
            var tf = spec.TimeFeatures(t);
            var parts = new List<string> { g.ToFloat(state), OnnxParts.Rows(g, g.Const(tf, 1, tf.Length), rows) };
            if (y is not null) parts.Add(y);
            return g.ToDouble(OnnxParts.Network(g, net, g.Concat(parts)));
        }
        string Step(string x, double c, string k) => g.Add(x, g.Mul(g.ScalarDouble(c), k));
        string xs = g.ToDouble("noise");
        double h = spec.StepSize;
        for (int s = 0; s < spec.Steps; s++)
        {
            // The same operations in the same order as OdeSolver.Integrate (t from the index).
            double t = 0 + s * h;
            string k1 = Velocity(t, xs);
            switch (spec.Solver)
            {
                case OdeMethod.Euler:
                    xs = Step(xs, h, k1);
                    break;
                case OdeMethod.Midpoint:
                    xs = Step(xs, h, Velocity(t + 0.5 * h, Step(xs, 0.5 * h, k1)));
                    break;
                default:
                    string k2 = Velocity(t + 0.5 * h, Step(xs, 0.5 * h, k1));
                    string k3 = Velocity(t + 0.5 * h, Step(xs, 0.5 * h, k2));
                    string k4 = Velocity(t + h, Step(xs, h, k3));
                    string two = g.ScalarDouble(2);
                    string sum = g.Add(g.Add(g.Add(k1, g.Mul(two, k2)), g.Mul(two, k3)), k4);
                    xs = Step(xs, h / 6, sum);
                    break;
            }
        }
        return OnnxParts.Model(g, spec, OnnxParts.Features(g, spec, g.ToFloat(xs)));
    }
}
