using GenStats.Tensors;

namespace GenStats.Observables;

/// <summary>
/// The observables of <see cref="ColumnObservables"/> on float32 tensors, differentiable (first and
/// second order) for auxiliary losses. Convention: a column is a tensor of any shape — normally the
/// [n, 1] slice <c>Ops.SliceColumns(batch, j, 1)</c> of a generated batch — every column of one call
/// has that same shape (scalars broadcast, numpy rules), and the result has it too. Same formulas
/// as the float64 versions; where those take a square root of a quantity that can reach 0 (m², mT²,
/// ΔR²) the tensor form clamps it at <see cref="SquareFloor"/> first, so the gradient stays finite
/// (it is 0 below the floor) and the value differs only below √SquareFloor = 10⁻⁶ input units.
/// Wrapped angles (Δφ, the system φ) lie in (−π_f, π_f], π_f = (float)π, and subtract a multiple of
/// 2π computed from the values, so their
/// gradient is that of the unwrapped angle (exact everywhere but at the jump).
/// </summary>
public static class TensorObservables
{
    /// <summary>The lower clamp (10⁻¹²) of squared quantities under a square root.</summary>
    public const float SquareFloor = 1e-12f;

    /// <summary>Δφ = φ₁ − φ₂ wrapped to (−π, π].</summary>
    public static Tensor DeltaPhi(Tensor phi1, Tensor phi2) => Wrap(Ops.Sub(phi1, phi2));

    /// <summary>ΔR = √(Δη² + Δφ²), Δφ wrapped.</summary>
    public static Tensor DeltaR(Tensor eta1, Tensor phi1, Tensor eta2, Tensor phi2) =>
        SafeSqrt(Ops.Add(Ops.Square(Ops.Sub(eta1, eta2)), Ops.Square(DeltaPhi(phi1, phi2))));

    /// <summary>The invariant mass of two massless objects, 2√(pT₁pT₂(sinh²(Δη/2) + sin²(Δφ/2))).</summary>
    public static Tensor Mass(Tensor pt1, Tensor eta1, Tensor phi1, Tensor pt2, Tensor eta2, Tensor phi2) =>
        Mass([pt1, pt2], [eta1, eta2], [phi1, phi2]);

    /// <summary>The invariant mass of k ≥ 1 objects (pT, η, φ, m); <paramref name="mass"/> null = massless.</summary>
    public static Tensor Mass(Tensor[] pt, Tensor[] eta, Tensor[] phi, Tensor[]? mass = null)
    {
        int k = Count(pt, eta, phi, mass);
        var y = Rapidities(pt, eta, mass);
        Tensor? m2 = null;
        for (int i = 0; i < k; i++)
        {
            if (mass is not null) m2 = Plus(m2, Ops.Square(mass[i]));
            for (int j = i + 1; j < k; j++)
            {
                var sh = Ops.Sinh(Ops.Affine(Ops.Sub(y[i], y[j]), 0.5f, 0));
                var s = Ops.Sin(Ops.Affine(Ops.Sub(phi[i], phi[j]), 0.5f, 0));
                var ptpt = Ops.Mul(pt[i], pt[j]);
                Tensor dot;
                if (mass is null)
                    dot = Ops.Affine(Ops.Mul(ptpt, Ops.Add(Ops.Square(sh), Ops.Square(s))), 2, 0);
                else
                {
                    var mt = Ops.Mul(TransverseMassOf(pt[i], mass[i]), TransverseMassOf(pt[j], mass[j]));
                    dot = Ops.Add(MassTerm(pt[i], mass[i], pt[j], mass[j]),
                        Ops.Affine(Ops.Add(Ops.Mul(mt, Ops.Square(sh)), Ops.Mul(ptpt, Ops.Square(s))), 2, 0));
                }
                m2 = Plus(m2, Ops.Affine(dot, 2, 0));
            }
        }
        return SafeSqrt(m2 ?? Ops.Mul(pt[0], Tensor.Scalar(0f)));
    }

    /// <summary>The invariant mass of k ≥ 1 objects (E, px, py, pz): √max((ΣE)² − |Σp|², 0).</summary>
    public static Tensor MassFromFourMomenta(Tensor[] e, Tensor[] px, Tensor[] py, Tensor[] pz)
    {
        Count(e, px, py, pz);
        var se = SumOf(e);
        var p2 = Ops.Add(Ops.Add(Ops.Square(SumOf(px)), Ops.Square(SumOf(py))), Ops.Square(SumOf(pz)));
        return SafeSqrt(Ops.Sub(Ops.Square(se), p2));
    }

    /// <summary>The transverse momentum of the system.</summary>
    public static Tensor SystemPt(Tensor[] pt, Tensor[] phi)
    {
        var (x, y) = TransverseSum(pt, phi);
        return SafeSqrt(Ops.Add(Ops.Square(x), Ops.Square(y)));
    }

    /// <summary>The azimuth atan2(Σpy, Σpx) of the system, in (−π, π].</summary>
    public static Tensor SystemPhi(Tensor[] pt, Tensor[] phi)
    {
        var (x, y) = TransverseSum(pt, phi);
        return Wrap(Ops.Atan2(y, x));
    }

    /// <summary>The rapidity of the system, ½ ln(Σ mTᵢe^{yᵢ} / Σ mTᵢe^{−yᵢ}); <paramref name="mass"/> null = massless.</summary>
    public static Tensor SystemRapidity(Tensor[] pt, Tensor[] eta, Tensor[]? mass = null)
    {
        int k = Count(pt, eta, eta, mass);
        var y = Rapidities(pt, eta, mass);
        Tensor? plus = null, minus = null;
        for (int i = 0; i < k; i++)
        {
            var mt = mass is null ? pt[i] : TransverseMassOf(pt[i], mass[i]);
            plus = Plus(plus, Ops.Mul(mt, Ops.Exp(y[i])));
            minus = Plus(minus, Ops.Mul(mt, Ops.Exp(Ops.Neg(y[i]))));
        }
        return Ops.Affine(Ops.Log(Ops.Div(plus!, minus!)), 0.5f, 0);
    }

    /// <summary>The transverse mass of two massless objects, 2√(pT₁pT₂)|sin(Δφ/2)|.</summary>
    public static Tensor TransverseMass(Tensor pt1, Tensor phi1, Tensor pt2, Tensor phi2)
    {
        var s = Ops.Sin(Ops.Affine(Ops.Sub(phi1, phi2), 0.5f, 0));
        return SafeSqrt(Ops.Affine(Ops.Mul(Ops.Mul(pt1, pt2), Ops.Square(s)), 4, 0));
    }

    /// <summary>The transverse mass with masses, mT² = m₁² + m₂² + 2(E_T1E_T2 − pT⃗₁·pT⃗₂).</summary>
    public static Tensor TransverseMass(Tensor pt1, Tensor phi1, Tensor m1, Tensor pt2, Tensor phi2, Tensor m2)
    {
        var s = Ops.Sin(Ops.Affine(Ops.Sub(phi1, phi2), 0.5f, 0));
        var inner = Ops.Add(MassTerm(pt1, m1, pt2, m2), Ops.Affine(Ops.Mul(Ops.Mul(pt1, pt2), Ops.Square(s)), 2, 0));
        return SafeSqrt(Ops.Add(Ops.Add(Ops.Square(m1), Ops.Square(m2)), Ops.Affine(inner, 2, 0)));
    }

    private static Tensor SafeSqrt(Tensor x2) => Ops.Sqrt(Ops.Clamp(x2, SquareFloor, float.PositiveInfinity));

    /// <summary>
    /// x − 2πk with k taken from the values (a constant for autodiff), in backend ops on the tensor's
    /// device. The range is (−π_f, π_f] for π_f = (float)π = 3.14159274 &gt; π, so −π_f maps to π_f as
    /// −π does in the float64 version; a multiple of 2π is exact for |k| ≤ 2 and within a float32
    /// ulp of x beyond (|x| &lt; 2²² · 2π; NaN stays NaN).
    /// </summary>
    private static Tensor Wrap(Tensor x)
    {
        const float pi = (float)Math.PI, twoPi = 2 * pi;
        // round(q) by the float32 magic-number trick (exact for |q| < 2²²): no rounding op needed.
        const float magic = 12582912f; // 1.5 · 2²³
        Tensor shift;
        using (Autograd.NoGrad())
        {
            var d = x.Detach();
            var k = Ops.Affine(Ops.Affine(Ops.Affine(d, 1 / twoPi, 0), 1, magic), 1, -magic);
            shift = Ops.Affine(k, twoPi, 0);
            // One more turn where float32 rounding left x − shift just outside (−π_f, π_f].
            var r = Ops.Sub(d, shift);
            var zero = Tensor.Scalar(0);
            shift = Ops.Add(shift, Ops.Where(Ops.Relu(Ops.Affine(r, 1, -pi)), Tensor.Scalar(twoPi), zero));
            shift = Ops.Sub(shift, Ops.Where(Ops.Relu(Ops.Affine(r, 1, pi)), zero, Tensor.Scalar(twoPi)));
        }
        return Ops.Sub(x, shift);
    }

    private static Tensor TransverseMassOf(Tensor pt, Tensor m) => Ops.Sqrt(Ops.Add(Ops.Square(pt), Ops.Square(m)));

    /// <summary>mT·mT' − pT·pT' as (m²pT'² + m'²pT² + m²m'²)/(mT·mT' + pT·pT'): no cancellation.</summary>
    private static Tensor MassTerm(Tensor pt1, Tensor m1, Tensor pt2, Tensor m2)
    {
        var a = Ops.Square(m1);
        var b = Ops.Square(m2);
        var num = Ops.Add(Ops.Add(Ops.Mul(a, Ops.Square(pt2)), Ops.Mul(b, Ops.Square(pt1))), Ops.Mul(a, b));
        var den = Ops.Add(Ops.Mul(TransverseMassOf(pt1, m1), TransverseMassOf(pt2, m2)), Ops.Mul(pt1, pt2));
        return Ops.Div(num, den);
    }

    private static Tensor[] Rapidities(Tensor[] pt, Tensor[] eta, Tensor[]? mass) =>
        mass is null
            ? eta
            : [.. eta.Select((e, i) => Ops.Asinh(Ops.Div(Ops.Mul(pt[i], Ops.Sinh(e)), TransverseMassOf(pt[i], mass[i]))))];

    private static (Tensor X, Tensor Y) TransverseSum(Tensor[] pt, Tensor[] phi)
    {
        Count(pt, phi, phi, null);
        Tensor? x = null, y = null;
        for (int i = 0; i < pt.Length; i++)
        {
            x = Plus(x, Ops.Mul(pt[i], Ops.Cos(phi[i])));
            y = Plus(y, Ops.Mul(pt[i], Ops.Sin(phi[i])));
        }
        return (x!, y!);
    }

    private static Tensor SumOf(Tensor[] xs) => xs.Skip(1).Aggregate(xs[0], Ops.Add);

    private static Tensor Plus(Tensor? a, Tensor b) => a is null ? b : Ops.Add(a, b);

    private static int Count(Tensor[] a, Tensor[] b, Tensor[] c, Tensor[]? d)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        if (a.Length == 0) throw new ArgumentException("No object given; give one tensor per object (at least one).", nameof(a));
        if (b.Length != a.Length || c.Length != a.Length || (d is not null && d.Length != a.Length))
            throw new ArgumentException($"The lists name {a.Length}, {b.Length}, {c.Length}{(d is null ? "" : $", {d.Length}")} objects; every list needs one tensor per object.", nameof(b));
        return a.Length;
    }
}
