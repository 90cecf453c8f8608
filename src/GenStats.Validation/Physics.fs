/// Physics toys for F# pipelines: thin curried wrappers over GenStats.Physics.
/// Every sampler takes its seed explicitly; momenta are in MeV/c (LHCb's Brunel_P).
module GenStats.Validation.Physics

open GenStats.Physics

/// A RICH particle-ID sample (LHCb calibration columns + truth_species) of n tracks.
let richSample (seed: int) (n: int) =
    RichSimulator.Generate(RichSampleOptions(n, seed))

/// A RICH sample of n tracks with the given species fractions (e, μ, π, K, p) and kinematics.
let richSampleWith (speciesFractions: float[]) (spectrum: KinematicSpectrum) (seed: int) (n: int) =
    RichSimulator.Generate(RichSampleOptions(n, seed, speciesFractions, spectrum))

/// The kinematics of the calibration sample's signal tracks (for truth samples to compare with it).
let calibrationSignalSpectrum: KinematicSpectrum = CalibrationSample.SignalSpectrum

/// A D*-like calibration sample of n probe tracks (Gaussian signal, exponential background, 40 % signal),
/// with probe_sWeight from an sPlot fit and the truth columns truth_signal / truth_species.
let calibrationSample (seed: int) (n: int) =
    CalibrationSample.Generate(CalibrationOptions(n, seed))

/// One track's RICH response with the default detector.
let simulateTrack (rng: System.Random) (species: ParticleSpecies) (momentumMeV: float) (eta: float) (nTracks: int) =
    RichSimulator.SimulateTrack(species, momentumMeV, eta, nTracks, rng)

/// Momentum threshold m/√(n² − 1) (MeV/c) of a species in a radiator.
let threshold (radiator: Radiator) (species: ParticleSpecies) =
    radiator.ThresholdMomentum(Particles.Mass species)

/// The LogNormal-pair toy (x1, x2); None = no marginal cut, Some 12.0 = the cut-off variant.
let logNormalPair (cut: float option) (seed: int) (n: int) =
    LogNormalPair.Sample(n, seed, LogNormalPairOptions(Cut = Option.toNullable cut))

/// The LogNormal-pair toy (x1, x2) with explicit options (μ, σ, cut).
let logNormalPairWith (options: LogNormalPairOptions) (seed: int) (n: int) = LogNormalPair.Sample(n, seed, options)

/// The target x1 + x2 of the LogNormal-pair toy.
let logNormalSum (cut: float option) (seed: int) (n: int) =
    LogNormalPair.SampleSum(n, seed, LogNormalPairOptions(Cut = Option.toNullable cut))

/// Exact CDF of x1 + x2.
let logNormalSumCdf (cut: float option) (s: float) =
    LogNormalPair.SumCdf(s, LogNormalPairOptions(Cut = Option.toNullable cut))

/// ½(N(−4,1) + N(4,1)) sample (column x).
let bimodal (seed: int) (n: int) = BimodalGaussian.Sample(n, seed)

/// The values x of a ½(N(−4,1) + N(4,1)) sample.
let bimodalValues (seed: int) (n: int) =
    (BimodalGaussian.Sample(n, seed)).Column "x"

/// Exact CDF of ½(N(−4,1) + N(4,1)).
let bimodalCdf (x: float) = BimodalGaussian.Cdf x

/// Ring with Gaussian radius N(4, 1) (columns x, y).
let ring (seed: int) (n: int) = GaussianRing.Sample(n, seed)

/// Exact CDF of the ring's radius.
let ringRadiusCdf (r: float) = GaussianRing.RadiusCdf r

/// Z → μ⁺μ⁻ with known truth (GeV): columns pt1, eta1, phi1, Q1, pt2, eta2, phi2, Q2, M, M_true
/// (features: the six kinematics); parametrisation in docs/observables.md.
let dimuon (seed: int) (n: int) = DimuonToy.Sample(n, seed)

/// The dimuon sample with its generator-level truth (cos θ* in the Collins–Soper frame, Z pT and
/// rapidity, the number of events generated to accept n).
let dimuonWith (options: DimuonOptions) (seed: int) (n: int) = DimuonToy.Generate(n, seed, options)

/// ECAL electromagnetic showers with known truth: 30 × 30 images of visible energy (GeV) in 2 cm
/// cells, conditions px, py, pz (GeV), x, y (cm); parametrisation in docs/physics.md.
let ecal (seed: int) (n: int) = EcalToy.Sample(n, seed)

/// ECAL showers with explicit options and their truth (particle and visible energies).
let ecalWith (options: EcalOptions) (seed: int) (n: int) = EcalToy.Generate(n, seed, options)
