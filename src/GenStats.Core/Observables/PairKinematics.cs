namespace GenStats.Observables;

/// <summary>
/// The scalar formulas behind <see cref="ColumnObservables"/>, written so that no large terms
/// cancel: for objects i, j with transverse mass mTᵢ = √(pTᵢ² + mᵢ²) and rapidity yᵢ,
/// pᵢ·pⱼ = (mTᵢmTⱼ − pTᵢpTⱼ) + 2mTᵢmTⱼ sinh²(Δy/2) + 2pTᵢpTⱼ sin²(Δφ/2), a sum of non-negative terms
/// (the first is (mᵢ²pTⱼ² + mⱼ²pTᵢ² + mᵢ²mⱼ²)/(mTᵢmTⱼ + pTᵢpTⱼ)). So m² = Σmᵢ² + 2Σ_{i&lt;j} pᵢ·pⱼ
/// stays accurate for collinear, light pairs where E² − |p|² loses every digit.
/// </summary>
internal static class PairKinematics
{
    /// <summary>mT·mT' − pT·pT' without cancellation.</summary>
    public static double MassTerm(double pt1, double m1, double pt2, double m2)
    {
        if (m1 == 0 && m2 == 0) return 0;
        double m1s = m1 * m1, m2s = m2 * m2;
        double mt1 = Math.Sqrt(pt1 * pt1 + m1s), mt2 = Math.Sqrt(pt2 * pt2 + m2s);
        double denominator = mt1 * mt2 + pt1 * pt2;
        return denominator == 0 ? 0 : (m1s * pt2 * pt2 + m2s * pt1 * pt1 + m1s * m2s) / denominator;
    }

    /// <summary>The four-momentum product pᵢ·pⱼ (metric +−−−) from (pT, y, φ, m) of both objects.</summary>
    public static double Dot(double pt1, double y1, double phi1, double m1, double pt2, double y2, double phi2, double m2)
    {
        double mt1 = Math.Sqrt(pt1 * pt1 + m1 * m1), mt2 = Math.Sqrt(pt2 * pt2 + m2 * m2);
        double sh = Math.Sinh(0.5 * (y1 - y2)), s = Math.Sin(0.5 * (phi1 - phi2));
        return MassTerm(pt1, m1, pt2, m2) + 2 * mt1 * mt2 * sh * sh + 2 * pt1 * pt2 * s * s;
    }

    /// <summary>The rapidity y = asinh(pT sinh η / mT) of one object; y = η when m = 0.</summary>
    public static double Rapidity(double pt, double eta, double m) =>
        m == 0 ? eta : Math.Asinh(pt * Math.Sinh(eta) / Math.Sqrt(pt * pt + m * m));
}
