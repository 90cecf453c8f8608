namespace GenStats.Models;

/// <summary>
/// Renders a <see cref="FlowSpec"/> as one ONNX graph (float32, opset 17): the flow's sampling
/// direction, layer by layer from the last, with the inverse rational-quadratic spline in the nflows
/// convention (<see cref="RationalQuadraticSpline"/>): softmax + floor → knots (CumSum), softplus +
/// min_derivative → knot derivatives, the bin by counting knots ≤ y (LessOrEqual + ReduceSum) and
/// GatherElements, θ from the stable root 2c/(−b − √(b² − 4ac)), the identity outside [−B, B].
/// </summary>
internal static class FlowOnnx
{
    public static byte[] Build(FlowSpec spec)
    {
        var g = new OnnxGraph();
        string? y = OnnxParts.Conditions(g, spec);
        string rows = g.Columns("noise", 0, 1);
        int dx = spec.Dx, a = spec.IdentityColumns;
        var nets = spec.Layers.Select(l => l.Network is null ? null : OnnxParts.Constants(g, l.Network)).ToArray();
        string z = "noise";
        for (int l = spec.Layers.Length - 1; l >= 0; l--)
        {
            var layer = spec.Layers[l];
            string zo = Take(g, z, layer.Order);
            string x;
            if (spec.Autoregressive)
            {
                // As FlowNetwork.InverseLayer: pass i makes columns ≤ i exact; dx passes from zeros.
                x = OnnxParts.Rows(g, g.Const(new float[dx], 1, dx), rows);
                for (int i = 0; i < dx; i++) x = Inverse(g, zo, OnnxParts.Network(g, nets[l]!, y is null ? x : g.Concat([x, y])), spec.Spline, dx);
            }
            else
            {
                string zb = a == 0 ? zo : g.Columns(zo, a, dx - a);
                string? xa = a == 0 ? null : g.Columns(zo, 0, a);
                string parameters = layer.Constant is { } c
                    ? OnnxParts.Rows(g, g.Const(c, 1, c.Length), rows)
                    : OnnxParts.Network(g, nets[l]!, xa is null ? y! : y is null ? xa : g.Concat([xa, y]));
                string xb = Inverse(g, zb, parameters, spec.Spline, dx - a);
                x = xa is null ? xb : g.Concat([xa, xb]);
            }
            z = Take(g, x, layer.Inverse);
        }
        return OnnxParts.Model(g, spec, OnnxParts.Features(g, spec, z));
    }

    /// <summary>Columns in the given order (Ops.Take along axis 1).</summary>
    private static string Take(OnnxGraph g, string x, int[] order) =>
        order.Select((v, i) => v == i).All(b => b) ? x : g.Node("Gather", [x, g.ConstInt64([.. order.Select(i => (long)i)], order.Length)], ("axis", 1L));

    /// <summary>s⁻¹ of every value of y [N, d] with parameters [N, d·(3K − 1)]: one spline per value (rows reshaped to [N·d, …]).</summary>
    private static string Inverse(OnnxGraph g, string y, string parameters, SplineShape shape, int d)
    {
        int k = shape.Bins;
        float bound = shape.Bound;
        string v = g.Node("Reshape", [y, g.ConstInt64([-1, 1], 2)]);
        string p = g.Node("Reshape", [parameters, g.ConstInt64([-1, shape.ParameterCount], 2)]);
        string one = OnnxParts.Rows(g, g.Const([1f], 1, 1), v);
        var (cumW, widths) = Knots(g, g.Columns(p, 0, k), shape.MinBinWidth, k, bound, v);
        var (cumH, heights) = Knots(g, g.Columns(p, k, k), shape.MinBinHeight, k, bound, v);
        string derivs = g.Concat([one, g.Add(g.Un("Softplus", g.Columns(p, 2 * k, k - 1)), g.Scalar(shape.MinDerivative)), one]);
        string inside = g.Bin("And", g.Bin("GreaterOrEqual", v, g.Scalar(-bound)), g.Bin("LessOrEqual", v, g.Scalar(bound)));
        string clamped = g.Bin("Min", g.Bin("Max", v, g.Scalar(-bound)), g.Scalar(bound));
        // Bin = #(knots ≤ y) − 1 in [0, K − 1] (nflows' searchsorted; the last bin holds its right edge).
        string count = g.Node("ReduceSum", [g.ToFloat(g.Bin("LessOrEqual", cumH, clamped)), g.ConstInt64([1], 1)], ("keepdims", 1L));
        string bin = g.ToInt64(g.Bin("Min", g.Bin("Max", g.Sub(count, g.Scalar(1)), g.Scalar(0)), g.Scalar(k - 1)));
        string At(string table, string index) => g.Node("GatherElements", [table, index], ("axis", 1L));
        string cw = At(cumW, bin), w = At(widths, bin), ch = At(cumH, bin), h = At(heights, bin);
        string d0 = At(derivs, bin), d1 = At(derivs, g.Add(bin, g.ConstInt64([1], 1)));
        string delta = g.Div(h, w);
        string slopeSum = g.Sub(g.Add(d0, d1), g.Mul(delta, g.Scalar(2)));
        // y − ch = h(δθ² + d0·θ(1−θ)) / (δ + s·θ(1−θ)) as aθ² + bθ + c = 0, the root in [0, 1].
        string r = g.Sub(clamped, ch);
        string rs = g.Mul(r, slopeSum);
        string qa = g.Add(g.Mul(h, g.Sub(delta, d0)), rs);
        string qb = g.Sub(g.Mul(h, d0), rs);
        string qc = g.Sub(g.Scalar(0), g.Mul(delta, r));
        string disc = g.Bin("Max", g.Sub(g.Mul(qb, qb), g.Mul(g.Mul(qa, qc), g.Scalar(4))), g.Scalar(0));
        string theta = g.Div(g.Mul(qc, g.Scalar(2)), g.Sub(g.Sub(g.Scalar(0), qb), g.Un("Sqrt", disc)));
        string x = g.Add(g.Mul(theta, w), cw);
        return g.Node("Reshape", [g.Where(inside, x, v), g.ConstInt64([-1, d], 2)]);
    }

    /// <summary>Knots [M, K + 1] (−B and B at the ends) and bin sizes [M, K] from unconstrained sizes [M, K] (RationalQuadraticSpline.Knots).</summary>
    private static (string Cum, string Sizes) Knots(OnnxGraph g, string unconstrained, float minimum, int k, float bound, string rows)
    {
        string frac = g.Add(g.Mul(g.Node("Softmax", [unconstrained], ("axis", 1L)), g.Scalar(1 - minimum * k)), g.Scalar(minimum));
        string inner = g.Node("CumSum", [g.Columns(frac, 0, k - 1), g.ConstInt64([1])]);
        string cum = g.Concat([OnnxParts.Rows(g, g.Const([0f], 1, 1), rows), inner, OnnxParts.Rows(g, g.Const([1f], 1, 1), rows)]);
        cum = g.Add(g.Mul(cum, g.Scalar(2 * bound)), g.Scalar(-bound));
        return (cum, g.Sub(g.Columns(cum, 1, k), g.Columns(cum, 0, k)));
    }
}
