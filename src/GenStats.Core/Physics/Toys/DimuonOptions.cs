namespace GenStats.Physics;

/// <summary>
/// Parameters of <see cref="DimuonToy"/> (GeV, radians). Defaults: PDG Z mass and width, the
/// relativistic Breit–Wigner truncated to [60, 120] GeV, p(pT) ∝ pT/(pT² + p₀²)^k with p₀ = 10 GeV,
/// k = 2.5 (peak 5 GeV, mean 10 GeV) below 500 GeV, y ~ N(0, 2²) on |y| &lt; 4, muon σ(pT)/pT rising
/// from 1 % at η = 0 to 3 % at |η| = 2.4 (quadratically in |η|), and pT &gt; 20 GeV, |η| &lt; 2.4 on both muons.
/// </summary>
/// <param name="Mass">Pole mass M (91.1876 GeV).</param>
/// <param name="Width">Width Γ (2.4952 GeV).</param>
/// <param name="MassLow">Lower end of the mass window.</param>
/// <param name="MassHigh">Upper end of the mass window.</param>
/// <param name="PtScale">p₀ of the pT spectrum.</param>
/// <param name="PtPower">k of the pT spectrum (&gt; 1).</param>
/// <param name="PtMax">Largest Z pT generated.</param>
/// <param name="RapiditySigma">Width of the Gaussian Z rapidity.</param>
/// <param name="RapidityMax">|y| limit of the Z rapidity.</param>
/// <param name="ResolutionCentral">σ(pT)/pT at η = 0.</param>
/// <param name="ResolutionEdge">σ(pT)/pT at |η| = <paramref name="EtaCut"/>.</param>
/// <param name="PtCut">Both muons need reconstructed pT above this.</param>
/// <param name="EtaCut">Both muons need |η| below this.</param>
/// <param name="Smear">False: reconstructed pT = true pT (the generator-level tests use it).</param>
/// <param name="ApplyCuts">False: every generated event is kept (then M_true follows the Breit–Wigner exactly).</param>
public sealed record DimuonOptions(
    double Mass = 91.1876, double Width = 2.4952, double MassLow = 60, double MassHigh = 120,
    double PtScale = 10, double PtPower = 2.5, double PtMax = 500,
    double RapiditySigma = 2, double RapidityMax = 4,
    double ResolutionCentral = 0.01, double ResolutionEdge = 0.03,
    double PtCut = 20, double EtaCut = 2.4, bool Smear = true, bool ApplyCuts = true)
{
    /// <summary>The defaults.</summary>
    public static DimuonOptions Default { get; } = new();

    /// <summary>The muon mass (PDG 2024), GeV.</summary>
    public const double MuonMass = 0.1056583755;

    internal void Check()
    {
        if (!(Mass > 0) || !(Width > 0)) throw new ArgumentException($"Mass {Mass} and Width {Width} must be positive.");
        if (!(MassLow >= 2 * MuonMass) || !(MassHigh > MassLow))
            throw new ArgumentException($"The mass window [{MassLow}, {MassHigh}] must have MassLow ≥ 2 m_μ and MassHigh > MassLow.");
        if (!(PtScale > 0) || !(PtPower > 1) || !(PtMax > 0)) throw new ArgumentException($"Need PtScale > 0, PtPower > 1 and PtMax > 0 (got {PtScale}, {PtPower}, {PtMax}).");
        if (!(RapiditySigma > 0) || !(RapidityMax > 0)) throw new ArgumentException($"Need RapiditySigma > 0 and RapidityMax > 0 (got {RapiditySigma}, {RapidityMax}).");
        if (!(ResolutionCentral >= 0) || !(ResolutionEdge >= 0) || ResolutionEdge > 0.2 || ResolutionCentral > 0.2)
            throw new ArgumentException($"Resolutions must lie in [0, 0.2] (got {ResolutionCentral}, {ResolutionEdge}).");
        if (!(PtCut >= 0) || !(EtaCut > 0)) throw new ArgumentException($"Need PtCut ≥ 0 and EtaCut > 0 (got {PtCut}, {EtaCut}).");
    }
}

/// <summary>A dimuon sample and its generator-level truth (one entry per kept event, in row order).</summary>
/// <param name="Data">The columns pt1, eta1, phi1, Q1, pt2, eta2, phi2, Q2 (features: the six kinematics), M (reconstructed mass with muon masses) and M_true (the Breit–Wigner draw).</param>
/// <param name="CosThetaStar">cos θ of the μ⁻ in the Collins–Soper frame as drawn.</param>
/// <param name="ZPt">The Z transverse momentum as drawn.</param>
/// <param name="ZRapidity">The Z rapidity as drawn.</param>
/// <param name="Attempts">Events generated to keep Data.Count (efficiency = Count/Attempts).</param>
public sealed record DimuonEvents(
    GenStats.Data.Dataset Data, double[] CosThetaStar, double[] ZPt, double[] ZRapidity, long Attempts)
{
    /// <summary>The fraction of generated events that passed the acceptance.</summary>
    public double Efficiency => (double)Data.Count / Attempts;
}
