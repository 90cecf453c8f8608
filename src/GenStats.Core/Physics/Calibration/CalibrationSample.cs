using GenStats.Data;
using GenStats.Stats;

namespace GenStats.Physics;

/// <summary>Signal mass shape of the calibration toy.</summary>
public enum SignalShapeKind
{
    /// <summary>Gaussian.</summary>
    Gaussian,
    /// <summary>Crystal Ball (radiative low-mass tail).</summary>
    CrystalBall,
}

/// <summary>Background mass shape of the calibration toy.</summary>
public enum BackgroundShapeKind
{
    /// <summary>Exponential.</summary>
    Exponential,
    /// <summary>Second-order Chebyshev polynomial.</summary>
    Chebyshev2,
}

/// <summary>Settings of <see cref="CalibrationSample.Generate"/> (masses in MeV/c²).</summary>
/// <param name="Events">Number of probe tracks (rows).</param>
/// <param name="Seed">RNG seed.</param>
/// <param name="SignalFraction">Probability that a row is a signal probe.</param>
/// <param name="Signal">Signal mass shape.</param>
/// <param name="Background">Background mass shape.</param>
/// <param name="MassLow">Lower end of the mass window.</param>
/// <param name="MassHigh">Upper end of the mass window.</param>
/// <param name="PeakMass">Signal peak (D⁰ mass 1864.84).</param>
/// <param name="PeakWidth">Signal σ.</param>
/// <param name="TailAlpha">Crystal Ball α.</param>
/// <param name="TailN">Crystal Ball n.</param>
/// <param name="BackgroundSlope">Exponential slope per MeV/c².</param>
/// <param name="ChebyshevC1">Chebyshev c₁.</param>
/// <param name="ChebyshevC2">Chebyshev c₂.</param>
/// <param name="ComputeSWeights">Fill probe_sWeight from an sPlot fit with the generating shape
/// families (as the real calibration files carry sWeights); false leaves it 1.</param>
public sealed record CalibrationOptions(
    int Events, int Seed, double SignalFraction = 0.4,
    SignalShapeKind Signal = SignalShapeKind.Gaussian, BackgroundShapeKind Background = BackgroundShapeKind.Exponential,
    double MassLow = 1825, double MassHigh = 1910, double PeakMass = 1864.84, double PeakWidth = 7.0,
    double TailAlpha = 1.5, double TailN = 3.0, double BackgroundSlope = -0.01, double ChebyshevC1 = -0.3, double ChebyshevC2 = 0.05,
    bool ComputeSWeights = true);

/// <summary>
/// A D*⁺ → D⁰(→ K⁻π⁺)π⁺-like particle-ID calibration sample with known truth. Each row is one probe
/// track: signal probes are the kaon or the pion of a real D⁰ (50/50, harder spectrum), background
/// probes come from random combinations (species mix e 5 %, μ 5 %, π 60 %, K 20 %, p 10 %, softer
/// spectrum). Every row has the D⁰ candidate mass D0_M (signal: Gaussian or Crystal Ball;
/// background: exponential or Chebyshev) drawn independently of the track, so within each
/// component the mass is independent of the PID and kinematic columns — the sPlot prerequisite.
/// The RICH response comes from <see cref="RichSimulator"/>; truth is in truth_signal (1/0) and
/// truth_species (PDG code), which an analysis must not use.
/// </summary>
public static class CalibrationSample
{
    /// <summary>Name of the mass column.</summary>
    public const string MassColumn = "D0_M";

    /// <summary>Name of the signal truth column (1 = signal, 0 = background).</summary>
    public const string TruthSignal = "truth_signal";

    /// <summary>Signal probe kinematics (harder, from D* decays).</summary>
    public static KinematicSpectrum SignalSpectrum { get; } = new(EtaMean: 3.1, EtaSigma: 0.6, PtScaleMeV: 800);

    /// <summary>Background probe kinematics (softer, combinatorial).</summary>
    public static KinematicSpectrum BackgroundSpectrum { get; } = new(EtaMean: 3.4, EtaSigma: 0.8, PtScaleMeV: 450);

    /// <summary>Background species fractions (e, μ, π, K, p).</summary>
    public static IReadOnlyList<double> BackgroundFractions { get; } = [0.05, 0.05, 0.60, 0.20, 0.10];

    /// <summary>The signal mass shape of these options (starting values = generating values).</summary>
    public static IFitShape SignalShape(CalibrationOptions o) => o.Signal == SignalShapeKind.Gaussian
        ? new GaussianShape(o.PeakMass, o.PeakWidth)
        : new CrystalBallShape(o.PeakMass, o.PeakWidth, o.TailAlpha, o.TailN);

    /// <summary>The background mass shape of these options.</summary>
    public static IFitShape BackgroundShape(CalibrationOptions o) => o.Background == BackgroundShapeKind.Exponential
        ? new ExponentialShape(o.BackgroundSlope)
        : new Chebyshev2Shape(o.ChebyshevC1, o.ChebyshevC2);

    /// <summary>Draws one mass from the signal shape.</summary>
    public static double SampleSignalMass(Random rng, CalibrationOptions o) => o.Signal == SignalShapeKind.Gaussian
        ? Samplers.TruncatedNormal(rng, o.PeakMass, o.PeakWidth, o.MassLow, o.MassHigh)
        : Samplers.CrystalBall(rng, o.PeakMass, o.PeakWidth, o.TailAlpha, o.TailN, o.MassLow, o.MassHigh);

    /// <summary>Draws one mass from the background shape.</summary>
    public static double SampleBackgroundMass(Random rng, CalibrationOptions o)
    {
        if (o.Background == BackgroundShapeKind.Exponential)
            return Samplers.TruncatedExponential(rng, o.BackgroundSlope, o.MassLow, o.MassHigh);
        // Accept–reject under the polynomial's maximum on [−1, 1] (at an end or the vertex).
        double max = new[] { -1.0, 1.0, Math.Clamp(-o.ChebyshevC1 / (4 * o.ChebyshevC2 + 1e-300), -1, 1) }
            .Max(t => 1 + o.ChebyshevC1 * t + o.ChebyshevC2 * (2 * t * t - 1));
        while (true)
        {
            double t = 2 * rng.NextDouble() - 1;
            if (max * rng.NextDouble() <= 1 + o.ChebyshevC1 * t + o.ChebyshevC2 * (2 * t * t - 1))
                return o.MassLow + (t + 1) / 2 * (o.MassHigh - o.MassLow);
        }
    }

    /// <summary>
    /// Generates the sample: the RICH columns (see <see cref="RichSimulator.Generate"/>), D0_M,
    /// truth_species and truth_signal; probe_sWeight holds the signal sWeights of an sPlot fit
    /// when <see cref="CalibrationOptions.ComputeSWeights"/> (throws InvalidOperationException if that fit fails).
    /// </summary>
    public static Dataset Generate(CalibrationOptions options, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Events < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Events, "Events must be at least 1.");
        if (!(options.SignalFraction >= 0 && options.SignalFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.SignalFraction, "SignalFraction must lie in [0, 1].");
        if (!(options.MassLow < options.MassHigh))
            throw new ArgumentException($"The mass window [{options.MassLow}, {options.MassHigh}] is empty.", nameof(options));
        if (options.Background == BackgroundShapeKind.Chebyshev2 && Chebyshev2Shape.MinimumOnRange(options.ChebyshevC1, options.ChebyshevC2) < 0)
            throw new ArgumentException("The Chebyshev coefficients make the background density negative.", nameof(options));

        int n = options.Events;
        var tracks = new RichSimulator.TrackSpec[n];
        var mass = new double[n];
        var truth = new double[n];
        var bgFractions = BackgroundFractions.ToArray();
        Parallel.For(0, RichSimulator.ChunkCount(n), new ParallelOptions { CancellationToken = cancellationToken }, chunk =>
        {
            var rng = RichSimulator.ChunkRandom(options.Seed, chunk, 3);
            var occupancy = OccupancySpectrum.Default;
            for (int i = chunk * 4096; i < Math.Min(n, (chunk + 1) * 4096); i++)
            {
                bool signal = rng.NextDouble() < options.SignalFraction;
                truth[i] = signal ? 1 : 0;
                var species = signal
                    ? (rng.NextDouble() < 0.5 ? ParticleSpecies.Kaon : ParticleSpecies.Pion)
                    : RichSimulator.PickSpecies(rng, bgFractions);
                var kin = (signal ? SignalSpectrum : BackgroundSpectrum).Sample(rng);
                tracks[i] = new RichSimulator.TrackSpec(species, kin, occupancy.Sample(rng));
                mass[i] = signal ? SampleSignalMass(rng, options) : SampleBackgroundMass(rng, options);
            }
        });
        var rich = RichSimulator.Simulate(tracks, options.Seed, null, progress, cancellationToken);
        var data = rich.WithColumn(MassColumn, mass).WithColumn(TruthSignal, truth);
        if (options.ComputeSWeights)
        {
            var model = new FitModel(options.MassLow, options.MassHigh,
            [
                new FitComponent("signal", SignalShape(options), options.SignalFraction * n),
                new FitComponent("background", BackgroundShape(options), (1 - options.SignalFraction) * n),
            ]);
            var fit = ExtendedMaximumLikelihood.Fit(mass, model);
            if (fit.Status == FitStatus.Failed)
                throw new InvalidOperationException($"The sPlot fit of the calibration toy failed: {fit.Message}");
            data = data.WithColumn(RichColumns.Weight, SPlot.FromFit(mass, fit).Weights[0]);
        }
        // Put the truth columns last, after the mass, in a fixed order.
        string[] order = [.. RichColumns.Features, .. RichColumns.Conditions, RichColumns.Weight, MassColumn, RichColumns.TruthSpecies, TruthSignal];
        return Dataset.Create(order, order.Select(data.Column).ToArray())
            .WithRoles(RichColumns.Features, RichColumns.Conditions, RichColumns.Weight);
    }
}
