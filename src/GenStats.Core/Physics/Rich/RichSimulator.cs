using GenStats.Data;

namespace GenStats.Physics;

/// <summary>The LHCb calibration-file column names the simulators write.</summary>
public static class RichColumns
{
    /// <summary>Δ ln L(e − π).</summary>
    public const string DllE = "RichDLLe";
    /// <summary>Δ ln L(μ − π).</summary>
    public const string DllMu = "RichDLLmu";
    /// <summary>Δ ln L(K − π).</summary>
    public const string DllK = "RichDLLk";
    /// <summary>Δ ln L(p − π).</summary>
    public const string DllP = "RichDLLp";
    /// <summary>Δ ln L(below threshold − π).</summary>
    public const string DllBt = "RichDLLbt";
    /// <summary>Track momentum in MeV/c.</summary>
    public const string P = "Brunel_P";
    /// <summary>Track pseudorapidity.</summary>
    public const string Eta = "Brunel_ETA";
    /// <summary>Number of tracks in the event.</summary>
    public const string NTracks = "nTracks_Brunel";
    /// <summary>Per-track weight (sWeight in calibration samples, 1 in pure simulation).</summary>
    public const string Weight = "probe_sWeight";
    /// <summary>Truth: absolute PDG code of the track (never an analysis input).</summary>
    public const string TruthSpecies = "truth_species";

    /// <summary>The five DLL feature columns in file order.</summary>
    public static readonly string[] Features = [DllE, DllMu, DllK, DllP, DllBt];

    /// <summary>The three condition columns.</summary>
    public static readonly string[] Conditions = [P, Eta, NTracks];
}

/// <summary>The RICH response of one track.</summary>
/// <param name="DllE">Σ over radiators of ln L(e) − ln L(π).</param>
/// <param name="DllMu">ln L(μ) − ln L(π).</param>
/// <param name="DllK">ln L(K) − ln L(π).</param>
/// <param name="DllP">ln L(p) − ln L(π).</param>
/// <param name="DllBt">ln L(below threshold: no signal light) − ln L(π).</param>
/// <param name="SignalPhotons">Detected signal photons over all radiators.</param>
/// <param name="BackgroundPhotons">Detected background photons over all radiators.</param>
public sealed record RichResponse(double DllE, double DllMu, double DllK, double DllP, double DllBt, int SignalPhotons, int BackgroundPhotons);

/// <summary>Settings of <see cref="RichSimulator.Generate"/>.</summary>
/// <param name="Events">Number of tracks (rows).</param>
/// <param name="Seed">RNG seed; the same seed gives the same bytes for any thread count.</param>
/// <param name="SpeciesFractions">Probabilities of e, μ, π, K, p (null: 0.05, 0.05, 0.35, 0.35, 0.20).</param>
/// <param name="Spectrum">Track kinematics (null: <see cref="KinematicSpectrum.Default"/>).</param>
/// <param name="Occupancy">Event occupancy (null: <see cref="OccupancySpectrum.Default"/>).</param>
/// <param name="Detector">Radiators (null: <see cref="RichDetector.Default"/>).</param>
public sealed record RichSampleOptions(
    int Events, int Seed, double[]? SpeciesFractions = null, KinematicSpectrum? Spectrum = null,
    OccupancySpectrum? Occupancy = null, RichDetector? Detector = null);

/// <summary>
/// A photon-level toy of a RICH particle-identification system with known truth. Per radiator in
/// acceptance (see <see cref="Radiator"/>): signal photons of the true species at its Cherenkov
/// angle with Gaussian resolution, plus occupancy-dependent uniform background; then, per mass
/// hypothesis h ∈ {e, μ, π, K, p, below threshold}, the extended likelihood of the photon angles
/// ln L_h = −(μ_h + b) + Σ_i ln(μ_h g_h(θ_i) + b/W), with μ_h the expected signal photons in the
/// window, g_h the normalised (window-truncated) Gaussian around θ_h, b the expected background,
/// W the window width. The DLLs sum ln L_h − ln L_π over radiators (LHCb's RichDLLx). The model
/// generating the photons is exactly the one in the likelihood, so the DLLs are true
/// log-likelihood ratios. Tracks in no radiator's acceptance get all DLLs 0.
/// </summary>
public static class RichSimulator
{
    private const int ChunkSize = 4096;

    /// <summary>Simulates one track's photons and likelihoods.</summary>
    public static RichResponse SimulateTrack(ParticleSpecies species, double momentumMeV, double eta, int nTracks, Random rng, RichDetector? detector = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(momentumMeV > 0) || double.IsInfinity(momentumMeV))
            throw new ArgumentOutOfRangeException(nameof(momentumMeV), momentumMeV, "The momentum must be positive and finite (MeV/c).");
        if (!double.IsFinite(eta)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "η must be finite.");
        if (nTracks < 0) throw new ArgumentOutOfRangeException(nameof(nTracks), nTracks, "The track count must be ≥ 0.");
        detector ??= RichDetector.Default;

        Span<double> logL = stackalloc double[6]; // e, μ, π, K, p, bt
        logL.Clear();
        Span<double> mu = stackalloc double[6];
        Span<double> thetaH = stackalloc double[6];
        Span<double> normH = stackalloc double[6];
        var photons = new List<double>(64);
        int signalTotal = 0, backgroundTotal = 0;
        double trueMass = Particles.Mass(species);

        foreach (var radiator in detector.Radiators)
        {
            if (!radiator.Accepts(eta)) continue;
            double sigma = radiator.ResolutionMrad * 1e-3;
            double window = radiator.WindowFactor * radiator.SaturatedAngle;
            double background = radiator.MeanBackground(nTracks);

            for (int h = 0; h < 6; h++)
            {
                if (h == 5) { mu[h] = 0; continue; }
                double mass = Particles.Mass(Particles.All[h]);
                double theta = radiator.CherenkovAngle(momentumMeV, mass);
                if (double.IsNaN(theta)) { mu[h] = 0; continue; }
                double inWindow = StandardNormal.Mass(-theta / sigma, (window - theta) / sigma);
                thetaH[h] = theta;
                mu[h] = radiator.MeanPhotons(momentumMeV, mass) * inWindow;
                normH[h] = 1.0 / (sigma * Math.Sqrt(2 * Math.PI) * inWindow);
            }

            // Generate photons of the true species (truncated to the window) and the background.
            photons.Clear();
            int trueIndex = Array.IndexOf(Particles.All, species);
            double thetaTrue = radiator.CherenkovAngle(momentumMeV, trueMass);
            int nSignal = mu[trueIndex] > 0 ? Samplers.Poisson(rng, mu[trueIndex]) : 0;
            for (int i = 0; i < nSignal; i++)
                photons.Add(Samplers.TruncatedNormal(rng, thetaTrue, sigma, 0, window));
            int nBackground = Samplers.Poisson(rng, background);
            for (int i = 0; i < nBackground; i++) photons.Add(window * rng.NextDouble());
            signalTotal += nSignal;
            backgroundTotal += nBackground;

            double bDensity = background / window;
            for (int h = 0; h < 6; h++)
            {
                double sum = -(mu[h] + background);
                foreach (double t in photons)
                {
                    double s = bDensity;
                    if (mu[h] > 0)
                    {
                        double z = (t - thetaH[h]) / sigma;
                        s += mu[h] * normH[h] * Math.Exp(-0.5 * z * z);
                    }
                    sum += Math.Log(s);
                }
                logL[h] += sum;
            }
        }
        double pion = logL[2];
        return new RichResponse(logL[0] - pion, logL[1] - pion, logL[3] - pion, logL[4] - pion, logL[5] - pion, signalTotal, backgroundTotal);
    }

    /// <summary>
    /// A sample of tracks with the LHCb calibration columns (RichDLLe … RichDLLbt, Brunel_P in MeV/c,
    /// Brunel_ETA, nTracks_Brunel, probe_sWeight = 1) and the truth column truth_species (PDG code).
    /// Roles: DLLs are features, P/ETA/nTracks conditions, probe_sWeight the weight.
    /// </summary>
    public static Dataset Generate(RichSampleOptions options, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Events < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Events, "Events must be at least 1.");
        var fractions = CheckFractions(options.SpeciesFractions ?? [0.05, 0.05, 0.35, 0.35, 0.20], nameof(options.SpeciesFractions));
        var spectrum = options.Spectrum ?? KinematicSpectrum.Default;
        var occupancy = options.Occupancy ?? OccupancySpectrum.Default;
        var tracks = new TrackSpec[options.Events];
        Parallel.For(0, ChunkCount(options.Events), new ParallelOptions { CancellationToken = cancellationToken }, chunk =>
        {
            var rng = ChunkRandom(options.Seed, chunk, 1);
            for (int i = chunk * ChunkSize; i < Math.Min(options.Events, (chunk + 1) * ChunkSize); i++)
                tracks[i] = new TrackSpec(PickSpecies(rng, fractions), spectrum.Sample(rng), occupancy.Sample(rng));
        });
        return Simulate(tracks, options.Seed, options.Detector, progress, cancellationToken);
    }

    /// <summary>One track to simulate: species, kinematics, occupancy.</summary>
    internal readonly record struct TrackSpec(ParticleSpecies Species, TrackKinematics Kinematics, int NTracks);

    /// <summary>Simulates given tracks in deterministic chunks (each chunk its own seeded RNG) and builds the columns.</summary>
    internal static Dataset Simulate(TrackSpec[] tracks, int seed, RichDetector? detector, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        int n = tracks.Length;
        var cols = Enumerable.Range(0, 10).Select(_ => new double[n]).ToArray();
        int done = 0, chunks = ChunkCount(n);
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = cancellationToken }, chunk =>
        {
            var rng = ChunkRandom(seed, chunk, 2);
            for (int i = chunk * ChunkSize; i < Math.Min(n, (chunk + 1) * ChunkSize); i++)
            {
                var t = tracks[i];
                var r = SimulateTrack(t.Species, t.Kinematics.MomentumMeV, t.Kinematics.Eta, t.NTracks, rng, detector);
                cols[0][i] = r.DllE; cols[1][i] = r.DllMu; cols[2][i] = r.DllK; cols[3][i] = r.DllP; cols[4][i] = r.DllBt;
                cols[5][i] = t.Kinematics.MomentumMeV; cols[6][i] = t.Kinematics.Eta; cols[7][i] = t.NTracks;
                cols[8][i] = 1.0; cols[9][i] = Particles.PdgCode(t.Species);
            }
            progress?.Report((double)Interlocked.Increment(ref done) / chunks);
        });
        string[] names = [.. RichColumns.Features, .. RichColumns.Conditions, RichColumns.Weight, RichColumns.TruthSpecies];
        return Dataset.Create(names, cols).WithRoles(RichColumns.Features, RichColumns.Conditions, RichColumns.Weight);
    }

    internal static int ChunkCount(int n) => (n + ChunkSize - 1) / ChunkSize;

    /// <summary>An RNG per (seed, chunk, stream) from a SplitMix64 hash, so chunks are independent and thread-count free.</summary>
    internal static Random ChunkRandom(int seed, int chunk, int stream) =>
        new(SplitMix64.Seed31((ulong)(uint)seed * SplitMix64.Golden + (ulong)chunk * SplitMix64.M1 + (ulong)stream * SplitMix64.M2));

    internal static double[] CheckFractions(double[] fractions, string name)
    {
        if (fractions.Length != 5)
            throw new ArgumentException($"{name} has {fractions.Length} entries; 5 are required (e, μ, π, K, p).", name);
        if (fractions.Any(f => !(f >= 0) || double.IsInfinity(f)) || !(fractions.Sum() > 0))
            throw new ArgumentException($"{name} = [{string.Join(", ", fractions)}]; fractions must be finite, ≥ 0 and not all 0.", name);
        double total = fractions.Sum();
        return fractions.Select(f => f / total).ToArray();
    }

    internal static ParticleSpecies PickSpecies(Random rng, double[] fractions)
    {
        double u = rng.NextDouble(), c = 0;
        for (int i = 0; i < 5; i++)
        {
            c += fractions[i];
            if (u < c) return Particles.All[i];
        }
        return Particles.All[Array.FindLastIndex(fractions, f => f > 0)];
    }
}
