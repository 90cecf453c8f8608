namespace GenStats.Physics;

/// <summary>
/// Parameters of <see cref="EcalToy"/> (GeV, cm). Defaults: a 30 × 30 grid of 2 cm square cells
/// (half an LHCb ECAL inner cell, 4.04 cm, so that the profile spreads over several cells);
/// Molière radius 3.5 cm and radiation length 1.75 cm (LHCb's Pb/scintillator shashlik);
/// a transverse profile of two radial exponentials — 85 % core with scale 0.15 R_M, 15 % tail with
/// 0.6 R_M — holding ≈ 92 % of the energy within R_M; sampling fraction 0.3; σ_E/E = 10 %/√E ⊕ 1 %;
/// E log-uniform in [2, 100] GeV; slopes px/pz and py/pz uniform in ±0.25; impact point uniform
/// over the four central cells (|x|, |y| &lt; one cell); 50 energy spots per GeV (at least 100);
/// electronic noise 2 MeV per cell and a 6 MeV (3σ) readout threshold, in visible energy.
/// </summary>
/// <param name="Height">Rows of cells (y).</param>
/// <param name="Width">Columns of cells (x).</param>
/// <param name="CellSize">Side of a square cell, cm.</param>
/// <param name="MoliereRadius">R_M, cm: the unit of the profile scales.</param>
/// <param name="CoreFraction">Fraction p of the energy in the core component.</param>
/// <param name="CoreScale">Core radial scale λ_c in units of R_M (radial density ∝ r e^{−r/(λ_c R_M)}).</param>
/// <param name="TailScale">Tail radial scale λ_t in units of R_M.</param>
/// <param name="SamplingFraction">Visible fraction f of the particle energy (the mean response).</param>
/// <param name="Stochastic">Stochastic term a of σ_E/E = a/√E ⊕ b (GeV^½).</param>
/// <param name="Constant">Constant term b.</param>
/// <param name="EnergyMin">Lowest particle energy, GeV.</param>
/// <param name="EnergyMax">Highest particle energy, GeV (equal to EnergyMin: a fixed energy).</param>
/// <param name="MaxSlope">|px/pz| and |py/pz| are uniform in [−MaxSlope, MaxSlope] (0: normal incidence).</param>
/// <param name="ImpactHalfRange">x and y of the impact point are uniform in ±this, cm; null = one cell.</param>
/// <param name="RadiationLength">X0, cm: scales the shower depth.</param>
/// <param name="CriticalEnergy">E_c, GeV: the depth of the maximum is X0 (ln(E/E_c) − 0.5) (electron).</param>
/// <param name="LongitudinalB">b of the Gamma longitudinal profile dE/dt ∝ t^{a−1} e^{−bt} (t in X0).</param>
/// <param name="SpotsPerGeV">Energy spots per GeV of particle energy (transverse fluctuations).</param>
/// <param name="MinSpots">The fewest spots per shower.</param>
/// <param name="NoiseSigma">Gaussian electronic noise per cell, GeV of visible energy (0: none).</param>
/// <param name="Threshold">Readout threshold: a cell below it reads 0 (0 with no noise: nothing removed).</param>
public sealed record EcalOptions(
    int Height = 30, int Width = 30, double CellSize = 2.0, double MoliereRadius = 3.5,
    double CoreFraction = 0.85, double CoreScale = 0.15, double TailScale = 0.6,
    double SamplingFraction = 0.3, double Stochastic = 0.10, double Constant = 0.01,
    double EnergyMin = 2, double EnergyMax = 100, double MaxSlope = 0.25, double? ImpactHalfRange = null,
    double RadiationLength = 1.75, double CriticalEnergy = 0.01, double LongitudinalB = 0.5,
    double SpotsPerGeV = 50, int MinSpots = 100, double NoiseSigma = 0.002, double Threshold = 0.006)
{
    /// <summary>The defaults.</summary>
    public static EcalOptions Default { get; } = new();

    /// <summary>The half range of the impact point, cm (ImpactHalfRange or one cell).</summary>
    public double ImpactRange => ImpactHalfRange ?? CellSize;

    internal void Check()
    {
        if (Height < 3 || Width < 3 || Height > 1000 || Width > 1000)
            throw new ArgumentException($"The grid is {Height} × {Width}; each side must be between 3 and 1000 cells.");
        Positive(CellSize, nameof(CellSize));
        Positive(MoliereRadius, nameof(MoliereRadius));
        Positive(CoreScale, nameof(CoreScale));
        Positive(TailScale, nameof(TailScale));
        Positive(RadiationLength, nameof(RadiationLength));
        Positive(CriticalEnergy, nameof(CriticalEnergy));
        Positive(LongitudinalB, nameof(LongitudinalB));
        Positive(SpotsPerGeV, nameof(SpotsPerGeV));
        if (!(CoreFraction is >= 0 and <= 1)) throw new ArgumentException($"CoreFraction is {CoreFraction}; it must lie in [0, 1].");
        if (!(SamplingFraction is > 0 and <= 1)) throw new ArgumentException($"SamplingFraction is {SamplingFraction}; it must lie in (0, 1].");
        if (!(Stochastic is >= 0 and < 1) || !(Constant is >= 0 and < 0.5))
            throw new ArgumentException($"Stochastic {Stochastic} must lie in [0, 1) and Constant {Constant} in [0, 0.5).");
        if (!(EnergyMin > CriticalEnergy * Math.E) || !(EnergyMax >= EnergyMin) || double.IsInfinity(EnergyMax))
            throw new ArgumentException($"The energy range [{EnergyMin}, {EnergyMax}] GeV must be finite, ordered and above e·E_c = {CriticalEnergy * Math.E:G3} GeV.");
        if (!(MaxSlope is >= 0 and <= 2)) throw new ArgumentException($"MaxSlope is {MaxSlope}; it must lie in [0, 2].");
        if (!(ImpactRange >= 0) || ImpactRange > CellSize * Math.Min(Height, Width) / 2)
            throw new ArgumentException($"The impact half range {ImpactRange} cm must be ≥ 0 and inside the grid.");
        if (MinSpots < 1) throw new ArgumentException($"MinSpots is {MinSpots}; at least 1 spot is required.");
        if (!(NoiseSigma >= 0) || !(Threshold >= 0) || double.IsInfinity(NoiseSigma) || double.IsInfinity(Threshold))
            throw new ArgumentException($"NoiseSigma {NoiseSigma} and Threshold {Threshold} must be finite and ≥ 0.");
    }

    private static void Positive(double v, string name)
    {
        if (!(v > 0) || double.IsInfinity(v)) throw new ArgumentException($"{name} is {v}; it must be finite and > 0.");
    }
}
