using GenStats.Data;

namespace GenStats.Models;

/// <summary>
/// The per-column preprocessing as ONNX nodes (float32): T_y of a raw condition column and T_x⁻¹ of a
/// feature's model columns, the same formulas as GenStats' transforms (Data/Transforms); shared by
/// every exported model.
/// </summary>
internal static class OnnxTransforms
{
    private static double P(ColumnTransformState s, string name) => s.Get(name, 1)[0];

    /// <summary>T_y of one raw condition column v [N, 1]: one [N, 1] part, or two for periodic.</summary>
    public static string[] Forward(OnnxGraph g, ColumnTransformState s, string v)
    {
        string Standardise(string c) => g.Div(g.Sub(c, g.Scalar(P(s, "mean"))), g.Scalar(P(s, "scale")));
        return s.Kind switch
        {
            IdentityTransform.KindName => [v],
            StandardTransform.KindName => [Standardise(v)],
            LogTransform.KindName => [Standardise(g.Un("Log", v))],
            Log1pTransform.KindName => [Standardise(g.Un("Log", g.Add(v, g.Scalar(1))))],
            LogitTransform.KindName => [Standardise(g.Sub(g.Un("Log", g.Sub(v, g.Scalar(P(s, "lower")))), g.Un("Log", g.Sub(g.Scalar(P(s, "upper")), v))))],
            PeriodicTransform.KindName => [g.Un("Cos", v), g.Un("Sin", v)],
            QuantileNormalTransform.KindName => [QuantileForward(g, s.Get("quantiles"), v)],
            _ => throw new NotSupportedException($"export does not cover the transform '{s.Kind}'."),
        };
    }

    /// <summary>T_x⁻¹ of one feature's model columns (one, or (cos, sin) for periodic) → [N, 1] raw.</summary>
    public static string Inverse(OnnxGraph g, ColumnTransformState s, string z)
    {
        string Unstandardise() => g.Add(g.Mul(z, g.Scalar(P(s, "scale"))), g.Scalar(P(s, "mean")));
        switch (s.Kind)
        {
            case IdentityTransform.KindName: return z;
            case StandardTransform.KindName: return Unstandardise();
            case LogTransform.KindName: return g.Un("Exp", Unstandardise());
            case Log1pTransform.KindName: return g.Sub(g.Un("Exp", Unstandardise()), g.Scalar(1));
            case LogitTransform.KindName:
                double lo = P(s, "lower"), hi = P(s, "upper");
                return g.Add(g.Scalar(lo), g.Mul(g.Scalar(hi - lo), g.Un("Sigmoid", Unstandardise())));
            case PeriodicTransform.KindName: return Atan2(g, g.Columns(z, 1, 1), g.Columns(z, 0, 1));
            case QuantileNormalTransform.KindName: return QuantileInverse(g, s.Get("quantiles"), z);
            default: throw new NotSupportedException($"export does not cover the transform '{s.Kind}'.");
        }
    }

    // atan2(s, c) in (−π, π] from Atan, shifted by ±π when c < 0 (c = s = 0 is undefined here).
    private static string Atan2(OnnxGraph g, string s, string c)
    {
        string r = g.Un("Atan", g.Div(s, c));
        string shifted = g.Where(g.Bin("Less", s, g.Scalar(0)), g.Sub(r, g.Scalar(Math.PI)), g.Add(r, g.Scalar(Math.PI)));
        return g.Where(g.Bin("Less", c, g.Scalar(0)), shifted, r);
    }

    /// <summary>Φ(−a) for a ≥ 0 (the lower tail, with relative precision kept far out).</summary>
    private static string LowerTail(OnnxGraph g, string a)
    {
        string x = g.Mul(a, g.Scalar(1 / Math.Sqrt(2)));
        string t = g.Div(g.Scalar(1), g.Add(g.Scalar(1), g.Mul(x, g.Scalar(0.5))));
        string e = g.Un("Exp", g.Sub(g.Horner(t, NormalApprox.ErfcPoly), g.Mul(x, x)));
        return g.Mul(g.Mul(t, e), g.Scalar(0.5));
    }

    /// <summary>
    /// Φ⁻¹(p) for p ∈ (0, 1) (Acklam), evaluated in float64 (p float64, the result float32): its central polynomial cancels to a few
    /// percent of its terms near the region boundary, which float32 would turn into 1e-5 errors in z.
    /// </summary>
    private static string InverseNormal(OnnxGraph g, string p)
    {
        string q = g.Sub(p, g.ScalarDouble(0.5));
        string r = g.Mul(q, q);
        string central = g.Div(g.Mul(q, g.Horner(r, NormalApprox.CentralNum, true)), g.Horner(r, NormalApprox.CentralDen, true));
        string qt = g.Un("Sqrt", g.Mul(g.Un("Log", p), g.ScalarDouble(-2)));
        string tail = g.Div(g.Horner(qt, NormalApprox.TailNum, true), g.Horner(qt, NormalApprox.TailDen, true));
        return g.ToFloat(g.Where(g.Bin("Less", p, g.ScalarDouble(NormalApprox.PLow)), tail, central));
    }

    /// <summary>
    /// The lower knot table q followed by the upper one mirrored (−q reversed, also ascending), so that
    /// a value above the median is handled as its mirror image below it: probabilities near 1 become
    /// probabilities near 0, which float32 resolves. Indices of the upper half are offset by m.
    /// </summary>
    private static string MirroredTable(OnnxGraph g, double[] q)
    {
        int m = q.Length;
        var t = new float[2 * m];
        for (int j = 0; j < m; j++) (t[j], t[m + j]) = ((float)q[j], (float)-q[m - 1 - j]);
        return g.Const(t, 2 * m);
    }

    // x = F⁻¹(Φ(z)) with F⁻¹ piecewise linear through (j/(m−1), q_j): for z ≥ 0 the same map on the
    // mirrored table with u' = Φ(−z) = 1 − Φ(z), exact in exact arithmetic and precise in float32.
    private static string QuantileInverse(OnnxGraph g, double[] q, string z)
    {
        int m = q.Length, last = m - 1;
        string table = MirroredTable(g, q);
        string upper = g.Un("Not", g.Bin("Less", z, g.Scalar(0)));
        string pos = g.Mul(LowerTail(g, g.Un("Abs", z)), g.Scalar(last));
        string j = g.Bin("Min", g.Un("Floor", pos), g.Scalar(last - 1));
        string t = g.Sub(pos, j);
        string index = g.ToInt64(g.Add(j, g.Mul(g.ToFloat(upper), g.Scalar(m))));
        string lo = g.Node("Gather", [table, index], ("axis", 0L));
        string hi = g.Node("Gather", [table, g.Add(index, g.ConstInt64([1], 1))], ("axis", 0L));
        string x = g.Add(lo, g.Mul(t, g.Sub(hi, lo)));
        return g.Where(upper, g.Sub(g.Scalar(0), x), x);
    }

    // z = clamp(Φ⁻¹(clamp(F(x), 1e-7, 1 − 1e-7))) with F the piecewise-linear CDF through (q_j, j/(m−1))
    // and a run of equal knots at x mapped to its middle; values above the middle knot go through the
    // mirrored table (F(−x) there is 1 − F(x)) so that Φ⁻¹ sees a small, well-resolved probability.
    // In float64 up to Φ⁻¹: the stored knots are float64, and two that differ by 1e-16 (an interpolated
    // knot next to a run of ties) would be one tie in float32, moving F by ½/(m − 1).
    private static string QuantileForward(OnnxGraph g, double[] q, string v32)
    {
        int m = q.Length, last = m - 1;
        Func<double, string> k = g.ScalarDouble;
        string v = g.ToDouble(v32);
        var mirrored = new double[2 * m];
        for (int j = 0; j < m; j++) (mirrored[j], mirrored[m + j]) = (q[j], -q[m - 1 - j]);
        string table = g.ConstDouble(mirrored, 2 * m);
        string upper = g.Bin("Greater", v, k(q[last / 2]));
        string xs = g.Where(upper, g.Sub(k(0), v), v);
        // Counts of knots below x on the table each row uses, from two comparisons against q itself:
        // on the mirrored table, #(−q_rev < −x) = m − #(q ≤ x) and #(−q_rev ≤ −x) = m − #(q < x).
        string knots = g.ConstDouble(q, 1, m);
        string axes = g.ConstInt64([1], 1);
        // Counts in float32 (exact below 2²⁴), so the [N, m] temporary is as large as before.
        string Count(string op) => g.ToDouble(g.Node("ReduceSum", [g.ToFloat(g.Bin(op, knots, v)), axes], ("keepdims", 1L)));
        string less = Count("Less"), lessOrEqual = Count("LessOrEqual");
        string below = g.Where(upper, g.Sub(k(m), lessOrEqual), less);          // knots < x
        string atOrBelow = g.Where(upper, g.Sub(k(m), less), lessOrEqual);      // knots ≤ x
        string tie = g.Bin("Greater", atOrBelow, below);
        string uTie = g.Mul(g.Sub(g.Add(below, atOrBelow), k(1)), k(0.5 / last));
        string a = g.Bin("Min", g.Bin("Max", below, k(1)), k(last));
        string offset = g.Mul(g.ToDouble(upper), k(m));
        string k1 = g.ToInt64(g.Add(a, offset));
        string k0 = g.ToInt64(g.Sub(g.Add(a, offset), k(1)));
        string q0 = g.Node("Gather", [table, k0], ("axis", 0L));
        string q1 = g.Node("Gather", [table, k1], ("axis", 0L));
        string uIn = g.Div(g.Add(g.Sub(a, k(1)), g.Div(g.Sub(xs, q0), g.Sub(q1, q0))), k(last));
        string outside = g.Where(g.Bin("Less", below, k(0.5)), k(0), k(1));
        string inside = g.Bin("And", g.Bin("Greater", below, k(0.5)), g.Bin("Less", below, k(last + 0.5)));
        string u = g.Where(tie, uTie, g.Where(inside, uIn, outside));
        string p = g.Bin("Min", g.Bin("Max", u, k(QuantileNormalTransform.BoundsThreshold)), k(1 - QuantileNormalTransform.BoundsThreshold));
        string z = InverseNormal(g, p);
        double zMax = -GenStats.Numerics.StandardNormal.InverseCdf(QuantileNormalTransform.BoundsThreshold);
        return g.Bin("Min", g.Bin("Max", g.Where(upper, g.Sub(g.Scalar(0), z), z), g.Scalar(-zMax)), g.Scalar(zMax));
    }
}
