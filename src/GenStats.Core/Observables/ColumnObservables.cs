namespace GenStats.Observables;

/// <summary>
/// HEP observables of objects given as columns (float64, one array per quantity, one entry per
/// event), for statistics. Objects are (pT, η, φ[, m]) — pT and m in any common unit (GeV), η the
/// pseudorapidity, φ in radians — or (E, px, py, pz). A list argument holds one column per object:
/// <c>Mass([pt1, pt2], [eta1, eta2], [phi1, phi2])</c>; a null mass list means massless objects.
/// Conventions (as ROOT's TLorentzVector / the scikit-hep <c>vector</c> package): metric (+,−,−,−),
/// φ wrapped to (−π, π] (so −π maps to π), rapidity y = ½ ln((E + pz)/(E − pz)). Invariant masses use
/// m = √max(m², 0): the (pT, η, φ, m) forms sum non-negative terms (see <c>docs/observables.md</c>),
/// so only rounding could make m² negative; the (E, p) form subtracts and is clamped at 0.
/// Every column of one call must have the same length; a NaN in gives NaN out for that event.
/// The same functions on float32 tensors are <see cref="TensorObservables"/>.
/// </summary>
public static class ColumnObservables
{
    /// <summary>φ wrapped into (−π, π]: −π and π both give π (numpy: <c>π − (π − x) % 2π</c>).</summary>
    public static double WrapPhi(double phi)
    {
        if (double.IsNaN(phi) || (phi > -Math.PI && phi <= Math.PI)) return phi;
        double r = phi - 2 * Math.PI * Math.Ceiling((phi - Math.PI) / (2 * Math.PI));
        // Rounding of the multiple of 2π can leave r one ulp outside; fold it back.
        if (r <= -Math.PI) r += 2 * Math.PI;
        if (r > Math.PI) r -= 2 * Math.PI;
        return r;
    }

    /// <summary>Δφ = φ₁ − φ₂ wrapped to (−π, π].</summary>
    public static double[] DeltaPhi(double[] phi1, double[] phi2)
    {
        int n = Length(nameof(phi1), phi1, nameof(phi2), phi2);
        var r = new double[n];
        for (int i = 0; i < n; i++) r[i] = WrapPhi(phi1[i] - phi2[i]);
        return r;
    }

    /// <summary>ΔR = √(Δη² + Δφ²) with Δφ wrapped to (−π, π].</summary>
    public static double[] DeltaR(double[] eta1, double[] phi1, double[] eta2, double[] phi2)
    {
        int n = Length(nameof(eta1), eta1, nameof(phi1), phi1, nameof(eta2), eta2, nameof(phi2), phi2);
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            double de = eta1[i] - eta2[i], dp = WrapPhi(phi1[i] - phi2[i]);
            r[i] = Math.Sqrt(de * de + dp * dp);
        }
        return r;
    }

    /// <summary>The invariant mass of two massless objects, √(2 pT₁ pT₂ (cosh Δη − cos Δφ)), computed as
    /// 2√(pT₁pT₂)·√(sinh²(Δη/2) + sin²(Δφ/2)) (the same value without cancellation).</summary>
    public static double[] Mass(double[] pt1, double[] eta1, double[] phi1, double[] pt2, double[] eta2, double[] phi2) =>
        Mass([pt1, pt2], [eta1, eta2], [phi1, phi2]);

    /// <summary>The invariant mass of k ≥ 1 objects (pT, η, φ, m), m² = Σmᵢ² + 2Σ_{i&lt;j} pᵢ·pⱼ; <paramref name="mass"/> null = massless.</summary>
    public static double[] Mass(double[][] pt, double[][] eta, double[][] phi, double[][]? mass = null)
    {
        var o = Objects.From(pt, eta, phi, mass);
        var r = new double[o.Events];
        for (int e = 0; e < o.Events; e++)
        {
            double m2 = 0;
            for (int i = 0; i < o.Count; i++)
            {
                double mi = o.M(i, e);
                m2 += mi * mi;
                double yi = PairKinematics.Rapidity(o.Pt[i][e], o.Eta[i][e], mi);
                for (int j = i + 1; j < o.Count; j++)
                {
                    double mj = o.M(j, e);
                    double yj = PairKinematics.Rapidity(o.Pt[j][e], o.Eta[j][e], mj);
                    m2 += 2 * PairKinematics.Dot(o.Pt[i][e], yi, o.Phi![i][e], mi, o.Pt[j][e], yj, o.Phi![j][e], mj);
                }
            }
            r[e] = Math.Sqrt(Math.Max(m2, 0));
        }
        return r;
    }

    /// <summary>The invariant mass of k ≥ 1 objects (E, px, py, pz): √max((ΣE)² − |Σp|², 0).</summary>
    public static double[] MassFromFourMomenta(double[][] e, double[][] px, double[][] py, double[][] pz)
    {
        int n = Objects.CheckLists(("e", e), ("px", px), ("py", py), ("pz", pz));
        var r = new double[n];
        for (int k = 0; k < n; k++)
        {
            double se = 0, sx = 0, sy = 0, sz = 0;
            for (int i = 0; i < e.Length; i++) { se += e[i][k]; sx += px[i][k]; sy += py[i][k]; sz += pz[i][k]; }
            double p = Math.Sqrt(sx * sx + sy * sy + sz * sz);
            r[k] = Math.Sqrt(Math.Max((se - p) * (se + p), 0));
        }
        return r;
    }

    /// <summary>The transverse momentum |Σ pT⃗ᵢ| of the system of k ≥ 1 objects.</summary>
    public static double[] SystemPt(double[][] pt, double[][] phi)
    {
        int n = Objects.CheckLists(("pt", pt), ("phi", phi));
        var r = new double[n];
        for (int e = 0; e < n; e++)
        {
            var (x, y) = TransverseSum(pt, phi, e);
            r[e] = Math.Sqrt(x * x + y * y);
        }
        return r;
    }

    /// <summary>The azimuth atan2(Σpy, Σpx) of the system, in (−π, π] (0 for a system with pT = 0, as atan2(0, 0)).</summary>
    public static double[] SystemPhi(double[][] pt, double[][] phi)
    {
        int n = Objects.CheckLists(("pt", pt), ("phi", phi));
        var r = new double[n];
        for (int e = 0; e < n; e++)
        {
            var (x, y) = TransverseSum(pt, phi, e);
            r[e] = WrapPhi(Math.Atan2(y, x));
        }
        return r;
    }

    /// <summary>The rapidity of the system, Y = ½ ln(Σ mTᵢ e^{yᵢ} / Σ mTᵢ e^{−yᵢ}) (E ± pz summed
    /// without cancellation); <paramref name="mass"/> null = massless (then yᵢ = ηᵢ, mTᵢ = pTᵢ).</summary>
    public static double[] SystemRapidity(double[][] pt, double[][] eta, double[][]? mass = null)
    {
        var o = Objects.From(pt, eta, null, mass);
        var r = new double[o.Events];
        for (int e = 0; e < o.Events; e++)
        {
            double plus = 0, minus = 0;
            for (int i = 0; i < o.Count; i++)
            {
                double m = o.M(i, e), p = o.Pt[i][e];
                double y = PairKinematics.Rapidity(p, o.Eta[i][e], m), mt = Math.Sqrt(p * p + m * m);
                plus += mt * Math.Exp(y);
                minus += mt * Math.Exp(-y);
            }
            r[e] = 0.5 * Math.Log(plus / minus);
        }
        return r;
    }

    /// <summary>The transverse mass of two massless objects, √(2 pT₁ pT₂ (1 − cos Δφ)) = 2√(pT₁pT₂)|sin(Δφ/2)|.</summary>
    public static double[] TransverseMass(double[] pt1, double[] phi1, double[] pt2, double[] phi2) =>
        TransverseMass(pt1, phi1, null, pt2, phi2, null);

    /// <summary>The transverse mass with masses: mT² = m₁² + m₂² + 2(E_T1 E_T2 − pT⃗₁·pT⃗₂), E_T = √(pT² + m²); a null mass column = massless.</summary>
    public static double[] TransverseMass(double[] pt1, double[] phi1, double[]? m1, double[] pt2, double[] phi2, double[]? m2)
    {
        int n = Length(nameof(pt1), pt1, nameof(phi1), phi1, nameof(pt2), pt2, nameof(phi2), phi2);
        if (m1 is not null) Length(nameof(pt1), pt1, nameof(m1), m1);
        if (m2 is not null) Length(nameof(pt1), pt1, nameof(m2), m2);
        var r = new double[n];
        for (int e = 0; e < n; e++)
        {
            double a = m1?[e] ?? 0, b = m2?[e] ?? 0;
            double s = Math.Sin(0.5 * (phi1[e] - phi2[e]));
            double t2 = a * a + b * b + 2 * (PairKinematics.MassTerm(pt1[e], a, pt2[e], b) + 2 * pt1[e] * pt2[e] * s * s);
            r[e] = Math.Sqrt(Math.Max(t2, 0));
        }
        return r;
    }

    private static (double X, double Y) TransverseSum(double[][] pt, double[][] phi, int e)
    {
        double x = 0, y = 0;
        for (int i = 0; i < pt.Length; i++) { x += pt[i][e] * Math.Cos(phi[i][e]); y += pt[i][e] * Math.Sin(phi[i][e]); }
        return (x, y);
    }

    private static int Length(params object[] namesAndColumns)
    {
        int n = -1;
        string first = "";
        for (int i = 0; i < namesAndColumns.Length; i += 2)
        {
            var name = (string)namesAndColumns[i];
            if (namesAndColumns[i + 1] is not double[] column) throw new ArgumentNullException(name);
            if (n < 0) { n = column.Length; first = name; }
            else if (column.Length != n)
                throw new ArgumentException($"{name} has {column.Length} events but {first} has {n}; every column must have the same length.", name);
        }
        return n;
    }
}
