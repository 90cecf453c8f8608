namespace GenStats.Physics;

/// <summary>Momentum and pseudorapidity of one track (momentum in MeV/c, as LHCb's Brunel_P).</summary>
/// <param name="MomentumMeV">Total momentum p in MeV/c.</param>
/// <param name="Eta">Pseudorapidity η.</param>
public readonly record struct TrackKinematics(double MomentumMeV, double Eta);

/// <summary>
/// A track spectrum: η ~ N(EtaMean, EtaSigma) truncated to [EtaMin, EtaMax]; transverse momentum
/// p_T = PtFloorMeV + Gamma(shape 2, PtScaleMeV); p = p_T cosh η, redrawn until it lies in
/// [PMinMeV, PMaxMeV]. Forward tracks are therefore harder, as at LHCb.
/// </summary>
/// <param name="EtaMean">Mean of the η Gaussian.</param>
/// <param name="EtaSigma">Width of the η Gaussian.</param>
/// <param name="PtScaleMeV">Scale of the Gamma(2) p_T spectrum (mean p_T = floor + 2·scale).</param>
/// <param name="PtFloorMeV">Minimum p_T.</param>
/// <param name="EtaMin">Lowest η.</param>
/// <param name="EtaMax">Highest η.</param>
/// <param name="PMinMeV">Lowest p (2 GeV/c by default).</param>
/// <param name="PMaxMeV">Highest p (150 GeV/c by default).</param>
public sealed record KinematicSpectrum(
    double EtaMean = 3.2, double EtaSigma = 0.7, double PtScaleMeV = 600, double PtFloorMeV = 200,
    double EtaMin = 1.8, double EtaMax = 5.5, double PMinMeV = 2_000, double PMaxMeV = 150_000)
{
    /// <summary>Generic tracks of a minimum-bias event.</summary>
    public static KinematicSpectrum Default { get; } = new();

    /// <summary>Draws one track.</summary>
    public TrackKinematics Sample(Random rng)
    {
        for (int attempt = 0; attempt < 100_000; attempt++)
        {
            double eta = Samplers.TruncatedNormal(rng, EtaMean, EtaSigma, EtaMin, EtaMax);
            double pt = PtFloorMeV + Samplers.GammaInteger(rng, 2, PtScaleMeV);
            double p = pt * Math.Cosh(eta);
            if (p >= PMinMeV && p <= PMaxMeV) return new TrackKinematics(p, eta);
        }
        throw new ArgumentException("The kinematic spectrum puts almost no tracks inside [PMinMeV, PMaxMeV].");
    }
}

/// <summary>
/// Event occupancy (number of reconstructed tracks, LHCb's nTracks_Brunel): a Gamma–Poisson
/// (negative binomial) count, mean Shape · Scale, clipped to at least 1.
/// </summary>
/// <param name="Shape">Integer Gamma shape (fluctuation: variance = mean + mean²/Shape).</param>
/// <param name="Scale">Gamma scale in tracks.</param>
public sealed record OccupancySpectrum(int Shape = 3, double Scale = 50)
{
    /// <summary>Mean 150 tracks.</summary>
    public static OccupancySpectrum Default { get; } = new();

    /// <summary>Draws one event's track count.</summary>
    public int Sample(Random rng) => Math.Max(1, Samplers.Poisson(rng, Samplers.GammaInteger(rng, Shape, Scale)));
}
