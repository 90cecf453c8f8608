namespace GenStats.Physics;

/// <summary>
/// One Cherenkov radiator of the toy RICH. Photons are emitted at cos θ = 1/(nβ) (none below
/// threshold, nβ ≤ 1), their number is Poisson with mean SaturatedPhotons · sin²θ / sin²θ_sat
/// (Frank–Tamm: yield ∝ sin²θ at fixed path length), each is reconstructed with a Gaussian
/// angular error <see cref="ResolutionMrad"/>, and only photons inside the window
/// [0, WindowFactor · θ_sat] are kept. Background photons (other tracks' rings, noise) are
/// Poisson with mean BackgroundBase + BackgroundPerTrack · nTracks, uniform in the window.
/// </summary>
/// <param name="Name">"aerogel", "C4F10", "CF4".</param>
/// <param name="RefractiveIndex">n (LHCb: aerogel 1.03, C4F10 1.0014, CF4 1.0005).</param>
/// <param name="ResolutionMrad">Per-photon Cherenkov-angle resolution in mrad (LHCb: 2.6, 1.5, 0.7).</param>
/// <param name="SaturatedPhotons">Mean detected signal photons of a β = 1 track.</param>
/// <param name="BackgroundBase">Mean background photons in the window at zero occupancy.</param>
/// <param name="BackgroundPerTrack">Extra mean background photons per track in the event.</param>
/// <param name="EtaMin">Lower pseudorapidity edge of the radiator's acceptance.</param>
/// <param name="EtaMax">Upper pseudorapidity edge of the radiator's acceptance.</param>
/// <param name="WindowFactor">Half-open angle window [0, WindowFactor · θ_sat] where photons are reconstructed.</param>
public sealed record Radiator(
    string Name, double RefractiveIndex, double ResolutionMrad, double SaturatedPhotons,
    double BackgroundBase, double BackgroundPerTrack, double EtaMin, double EtaMax, double WindowFactor = 1.3)
{
    /// <summary>RICH1 aerogel: n = 1.03, 2.6 mrad, 6.5 photons, η ∈ [1.8, 4.4].</summary>
    public static Radiator Aerogel { get; } = new("aerogel", 1.03, 2.6, 6.5, 2.0, 0.01, 1.8, 4.4);

    /// <summary>RICH1 C4F10 gas: n = 1.0014, 1.5 mrad, 30 photons, η ∈ [1.8, 4.4].</summary>
    public static Radiator C4F10 { get; } = new("C4F10", 1.0014, 1.5, 30.0, 3.0, 0.03, 1.8, 4.4);

    /// <summary>RICH2 CF4 gas: n = 1.0005, 0.7 mrad, 22 photons, η ∈ [2.8, 5.5].</summary>
    public static Radiator CF4 { get; } = new("CF4", 1.0005, 0.7, 22.0, 2.0, 0.02, 2.8, 5.5);

    /// <summary>Momentum threshold p_th = m/√(n² − 1) in MeV/c for a particle of mass m (MeV/c²).</summary>
    public double ThresholdMomentum(double massMeV) => massMeV / Math.Sqrt(RefractiveIndex * RefractiveIndex - 1);

    /// <summary>Saturated (β = 1) Cherenkov angle acos(1/n) in radians.</summary>
    public double SaturatedAngle => Math.Acos(1 / RefractiveIndex);

    /// <summary>Cherenkov angle acos(1/(nβ)) in radians, or NaN below threshold (nβ ≤ 1).</summary>
    public double CherenkovAngle(double momentumMeV, double massMeV)
    {
        double nBeta = RefractiveIndex * Particles.Beta(momentumMeV, massMeV);
        return nBeta > 1 ? Math.Acos(1 / nBeta) : double.NaN;
    }

    /// <summary>Mean emitted signal photons (before the window cut), 0 below threshold.</summary>
    public double MeanPhotons(double momentumMeV, double massMeV)
    {
        double theta = CherenkovAngle(momentumMeV, massMeV);
        if (double.IsNaN(theta)) return 0;
        double s = Math.Sin(theta), s0 = Math.Sin(SaturatedAngle);
        return SaturatedPhotons * s * s / (s0 * s0);
    }

    /// <summary>Mean background photons in the window for an event with <paramref name="nTracks"/> tracks.</summary>
    public double MeanBackground(double nTracks) => BackgroundBase + BackgroundPerTrack * nTracks;

    /// <summary>True when a track of this pseudorapidity crosses the radiator.</summary>
    public bool Accepts(double eta) => eta >= EtaMin && eta <= EtaMax;
}

/// <summary>The toy RICH system: its radiators.</summary>
/// <param name="Radiators">Radiators a track may cross (each contributes to the likelihood when in acceptance).</param>
public sealed record RichDetector(Radiator[] Radiators)
{
    /// <summary>LHCb-like: aerogel and C4F10 (RICH1), CF4 (RICH2).</summary>
    public static RichDetector Default { get; } = new([Radiator.Aerogel, Radiator.C4F10, Radiator.CF4]);
}
