using GenStats.Data;
using GenStats.Observables;

namespace GenStats.Physics;

/// <summary>
/// Z → μ⁺μ⁻ at a hadron collider with known truth (parameters: <see cref="DimuonOptions"/>,
/// docs/observables.md). Per event: the mass from the fixed-width relativistic Breit–Wigner in s = m²,
/// p(s) ∝ 1/((s − M²)² + M²Γ²), truncated to the window (sampled exactly by inversion); pT by
/// inversion of F(pT) = 1 − (1 + pT²/p₀²)^{1−k}; rapidity from a truncated Gaussian; φ uniform.
/// The μ⁻ direction in the Collins–Soper frame has cos θ ~ (3/8)(1 + cos²θ) and uniform azimuth;
/// the CS z axis bisects the beam and the reversed target direction in the Z rest frame and is
/// flipped when the Z has pz &lt; 0 (the usual pp convention). Muons (mass m_μ) are boosted to the
/// lab, their pT smeared by a Gaussian of relative width σ(η), and an event failing the acceptance
/// is replaced by a new one. Muon 1 is the one with the larger reconstructed pT.
/// Sequential draws from <c>System.Random(seed)</c>: same seed, same bytes.
/// </summary>
public static class DimuonToy
{
    /// <summary>The column names, in order.</summary>
    public static readonly string[] Columns = ["pt1", "eta1", "phi1", "Q1", "pt2", "eta2", "phi2", "Q2", "M", "M_true"];

    /// <summary>The feature columns (the six muon kinematics).</summary>
    public static readonly string[] Features = ["pt1", "eta1", "phi1", "pt2", "eta2", "phi2"];

    /// <summary>A sample of <paramref name="events"/> accepted events as a dataset.</summary>
    public static Dataset Sample(int events, int seed, DimuonOptions? options = null) => Generate(events, seed, options).Data;

    /// <summary>A sample with its generator-level truth.</summary>
    public static DimuonEvents Generate(int events, int seed, DimuonOptions? options = null)
    {
        var o = options ?? DimuonOptions.Default;
        o.Check();
        if (events < 1) throw new ArgumentOutOfRangeException(nameof(events), events, "At least one event is required.");
        var rng = new Random(seed);
        var cols = Columns.Select(_ => new double[events]).ToArray();
        var cosTheta = new double[events];
        var zPt = new double[events];
        var zY = new double[events];
        long attempts = 0, limit = 10_000L * events;
        for (int i = 0; i < events; i++)
        {
            while (true)
            {
                if (++attempts > limit) throw new ArgumentException($"Fewer than 1 event in 10 000 passes the acceptance (pT > {o.PtCut}, |η| < {o.EtaCut}); loosen the cuts.");
                double m = SampleMass(rng, o), pt = SamplePt(rng, o);
                double y = Samplers.TruncatedNormal(rng, 0, o.RapiditySigma, -o.RapidityMax, o.RapidityMax);
                double phi = Math.PI - 2 * Math.PI * rng.NextDouble(); // (−π, π]
                double c = SampleCosTheta(rng.NextDouble());
                double phiStar = 2 * Math.PI * rng.NextDouble();
                var (minus, plus) = Decay(m, pt, y, phi, c, phiStar);
                var mu1 = Reconstruct(minus, -1, rng, o);
                var mu2 = Reconstruct(plus, +1, rng, o);
                if (o.ApplyCuts && !(Accepted(mu1, o) && Accepted(mu2, o))) continue;
                if (mu2.Pt > mu1.Pt) (mu1, mu2) = (mu2, mu1);
                Put(cols, 0, i, mu1);
                Put(cols, 4, i, mu2);
                cols[9][i] = m;
                cosTheta[i] = c;
                zPt[i] = pt;
                zY[i] = y;
                break;
            }
        }
        var muon = Enumerable.Repeat(DimuonOptions.MuonMass, events).ToArray();
        cols[8] = ColumnObservables.Mass([cols[0], cols[4]], [cols[1], cols[5]], [cols[2], cols[6]], [muon, muon]);
        var data = Dataset.Create(Columns, cols).WithRoles(Features);
        return new DimuonEvents(data, cosTheta, zPt, zY, attempts);
    }

    /// <summary>The CDF of the truncated Breit–Wigner mass at <paramref name="m"/>: (atan z(m) − atan z(lo))/(atan z(hi) − atan z(lo)), z = (m² − M²)/(MΓ).</summary>
    public static double MassCdf(double m, DimuonOptions? options = null)
    {
        var o = options ?? DimuonOptions.Default;
        double Angle(double x) => Math.Atan((x * x - o.Mass * o.Mass) / (o.Mass * o.Width));
        double lo = Angle(o.MassLow), hi = Angle(o.MassHigh);
        return Math.Clamp((Angle(Math.Clamp(m, o.MassLow, o.MassHigh)) - lo) / (hi - lo), 0, 1);
    }

    /// <summary>The CDF of the Z pT: (1 − (1 + pT²/p₀²)^{1−k}) / (same at PtMax).</summary>
    public static double PtCdf(double pt, DimuonOptions? options = null)
    {
        var o = options ?? DimuonOptions.Default;
        double F(double x) => 1 - Math.Pow(1 + x * x / (o.PtScale * o.PtScale), 1 - o.PtPower);
        return Math.Clamp(F(Math.Clamp(pt, 0, o.PtMax)) / F(o.PtMax), 0, 1);
    }

    /// <summary>The CDF of cos θ under (3/8)(1 + c²): (c³ + 3c + 4)/8 on [−1, 1].</summary>
    public static double CosThetaCdf(double c)
    {
        c = Math.Clamp(c, -1, 1);
        return (c * c * c + 3 * c + 4) / 8;
    }

    /// <summary>σ(pT)/pT at pseudorapidity η: central + (edge − central)(|η|/EtaCut)².</summary>
    public static double RelativeResolution(double eta, DimuonOptions? options = null)
    {
        var o = options ?? DimuonOptions.Default;
        double t = eta / o.EtaCut;
        return o.ResolutionCentral + (o.ResolutionEdge - o.ResolutionCentral) * t * t;
    }

    private static double SampleMass(Random rng, DimuonOptions o)
    {
        double m2 = o.Mass * o.Mass, mg = o.Mass * o.Width;
        double lo = Math.Atan((o.MassLow * o.MassLow - m2) / mg), hi = Math.Atan((o.MassHigh * o.MassHigh - m2) / mg);
        double a = lo + (hi - lo) * rng.NextDouble();
        return Math.Sqrt(m2 + mg * Math.Tan(a));
    }

    private static double SamplePt(Random rng, DimuonOptions o)
    {
        double fMax = 1 - Math.Pow(1 + o.PtMax * o.PtMax / (o.PtScale * o.PtScale), 1 - o.PtPower);
        double u = rng.NextDouble() * fMax;
        return o.PtScale * Math.Sqrt(Math.Pow(1 - u, 1 / (1 - o.PtPower)) - 1);
    }

    /// <summary>The root of c³ + 3c + 4 − 8u = 0 (Cardano: one real root since the discriminant is positive).</summary>
    internal static double SampleCosTheta(double u)
    {
        double q = 4 - 8 * u, r = Math.Sqrt(q * q / 4 + 1);
        return Math.Clamp(Math.Cbrt(-q / 2 + r) + Math.Cbrt(-q / 2 - r), -1, 1);
    }

    private static (LorentzVector Minus, LorentzVector Plus) Decay(double m, double pt, double y, double phi, double cosTheta, double phiStar)
    {
        double mt = Math.Sqrt(m * m + pt * pt);
        var z = new LorentzVector(mt * Math.Cosh(y), pt * Math.Cos(phi), pt * Math.Sin(phi), mt * Math.Sinh(y));
        var (bx, by, bz) = (z.X / z.E, z.Y / z.E, z.Z / z.E);
        var u1 = new LorentzVector(1, 0, 0, 1).Boost(-bx, -by, -bz).Direction();
        var u2 = new LorentzVector(1, 0, 0, -1).Boost(-bx, -by, -bz).Direction();
        var zAxis = Unit(u1.X - u2.X, u1.Y - u2.Y, u1.Z - u2.Z);
        var sum = (X: u1.X + u2.X, Y: u1.Y + u2.Y, Z: u1.Z + u2.Z);
        // At pT = 0 the beams are back to back and the x axis is any transverse direction.
        var xAxis = sum.X * sum.X + sum.Y * sum.Y + sum.Z * sum.Z < 1e-24 ? (X: 1.0, Y: 0.0, Z: 0.0) : Unit(sum.X, sum.Y, sum.Z);
        if (z.Z < 0) zAxis = (-zAxis.X, -zAxis.Y, -zAxis.Z);
        var yAxis = (X: zAxis.Y * xAxis.Z - zAxis.Z * xAxis.Y, Y: zAxis.Z * xAxis.X - zAxis.X * xAxis.Z, Z: zAxis.X * xAxis.Y - zAxis.Y * xAxis.X);
        double s = Math.Sqrt(1 - cosTheta * cosTheta), cx = s * Math.Cos(phiStar), cy = s * Math.Sin(phiStar);
        double p = Math.Sqrt(m * m / 4 - DimuonOptions.MuonMass * DimuonOptions.MuonMass);
        double nx = cx * xAxis.X + cy * yAxis.X + cosTheta * zAxis.X;
        double ny = cx * xAxis.Y + cy * yAxis.Y + cosTheta * zAxis.Y;
        double nz = cx * xAxis.Z + cy * yAxis.Z + cosTheta * zAxis.Z;
        var minus = new LorentzVector(m / 2, p * nx, p * ny, p * nz).Boost(bx, by, bz);
        var plus = new LorentzVector(m / 2, -p * nx, -p * ny, -p * nz).Boost(bx, by, bz);
        return (minus, plus);
    }

    private static (double X, double Y, double Z) Unit(double x, double y, double z)
    {
        double n = Math.Sqrt(x * x + y * y + z * z);
        return (x / n, y / n, z / n);
    }

    private readonly record struct Muon(double Pt, double Eta, double Phi, double Charge);

    private static Muon Reconstruct(LorentzVector v, int charge, Random rng, DimuonOptions o)
    {
        double pt = Math.Sqrt(v.X * v.X + v.Y * v.Y), eta = Math.Asinh(v.Z / pt);
        double phi = ColumnObservables.WrapPhi(Math.Atan2(v.Y, v.X));
        if (o.Smear)
        {
            double sigma = RelativeResolution(eta, o), smeared;
            do smeared = pt * (1 + sigma * Samplers.StandardNormal(rng)); while (!(smeared > 0));
            pt = smeared;
        }
        return new Muon(pt, eta, phi, charge);
    }

    private static bool Accepted(Muon mu, DimuonOptions o) => mu.Pt > o.PtCut && Math.Abs(mu.Eta) < o.EtaCut;

    private static void Put(double[][] cols, int at, int i, Muon mu)
    {
        cols[at][i] = mu.Pt;
        cols[at + 1][i] = mu.Eta;
        cols[at + 2][i] = mu.Phi;
        cols[at + 3][i] = mu.Charge;
    }
}
