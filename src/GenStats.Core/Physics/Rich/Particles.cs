namespace GenStats.Physics;

/// <summary>The five charged long-lived species a RICH separates.</summary>
public enum ParticleSpecies
{
    /// <summary>e±</summary>
    Electron,
    /// <summary>μ±</summary>
    Muon,
    /// <summary>π±</summary>
    Pion,
    /// <summary>K±</summary>
    Kaon,
    /// <summary>p, p̄</summary>
    Proton,
}

/// <summary>Masses (PDG 2022, MeV/c²) and PDG codes of the species.</summary>
public static class Particles
{
    /// <summary>All species in enum order.</summary>
    public static readonly ParticleSpecies[] All =
        [ParticleSpecies.Electron, ParticleSpecies.Muon, ParticleSpecies.Pion, ParticleSpecies.Kaon, ParticleSpecies.Proton];

    /// <summary>Rest mass in MeV/c².</summary>
    public static double Mass(ParticleSpecies species) => species switch
    {
        ParticleSpecies.Electron => 0.51099895,
        ParticleSpecies.Muon => 105.6583755,
        ParticleSpecies.Pion => 139.57039,
        ParticleSpecies.Kaon => 493.677,
        ParticleSpecies.Proton => 938.27208816,
        _ => throw new ArgumentOutOfRangeException(nameof(species), species, "Unknown species."),
    };

    /// <summary>Absolute PDG Monte Carlo code (11, 13, 211, 321, 2212): the value of the truth_species column.</summary>
    public static int PdgCode(ParticleSpecies species) => species switch
    {
        ParticleSpecies.Electron => 11,
        ParticleSpecies.Muon => 13,
        ParticleSpecies.Pion => 211,
        ParticleSpecies.Kaon => 321,
        ParticleSpecies.Proton => 2212,
        _ => throw new ArgumentOutOfRangeException(nameof(species), species, "Unknown species."),
    };

    /// <summary>The species of an absolute PDG code.</summary>
    public static ParticleSpecies FromPdgCode(int code) => Math.Abs(code) switch
    {
        11 => ParticleSpecies.Electron,
        13 => ParticleSpecies.Muon,
        211 => ParticleSpecies.Pion,
        321 => ParticleSpecies.Kaon,
        2212 => ParticleSpecies.Proton,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Not one of 11, 13, 211, 321, 2212."),
    };

    /// <summary>β = p/E = p/√(p² + m²) for momentum p in MeV/c.</summary>
    public static double Beta(double momentumMeV, double massMeV) =>
        momentumMeV / Math.Sqrt(momentumMeV * momentumMeV + massMeV * massMeV);
}
