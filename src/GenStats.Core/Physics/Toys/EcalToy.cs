using GenStats.Data.Images;
using GenStats.Numerics;

namespace GenStats.Physics;

/// <summary>
/// Electromagnetic showers in an LHCb-ECAL-like calorimeter with known truth (parameters:
/// <see cref="EcalOptions"/>; the parametrisation and its formulas: docs/physics.md). Per event:
/// E log-uniform, slopes tx = px/pz and ty = py/pz uniform, pz = E/√(1 + tx² + ty²) (|p| = E for an
/// electron or photon); impact point (x, y) uniform around the grid centre. The visible energy is
/// E_vis = f E (1 + σ g), g ~ N(0, 1), σ = √(a²/E + b²). It is split into K = max(MinSpots,
/// round(SpotsPerGeV·E)) spots of E_vis/K; each spot has a radial distance r ~ Gamma(2, λ R_M)
/// (λ = λ_c with probability p, else λ_t; the 2-D density ∝ e^{−r/(λ R_M)}), a uniform azimuth
/// and a depth z = X0·t, t ~ Gamma(a, 1/b) with (a − 1)/b = ln(E/E_c) − 0.5, and lands at
/// (x + r cos φ + z tx, y + r sin φ + z ty): a shower entering at an angle is shifted and
/// stretched along its transverse-momentum direction by z tan θ. Spots are binned into the cells
/// (Monte-Carlo integration of the profile over the cells; spots outside the grid are lost).
/// Then each cell gets Gaussian noise and reads 0 below the threshold.
/// Cell (r, c) spans x ∈ [(c − W/2)Δ, (c + 1 − W/2)Δ], y likewise with r: the grid centre is (0, 0).
/// Sequential draws from <c>System.Random(seed)</c>: same seed, same images.
/// </summary>
public static class EcalToy
{
    /// <summary>The condition names, in order: momentum (GeV) and impact point (cm).</summary>
    public static readonly string[] Conditions = ["px", "py", "pz", "x", "y"];

    /// <summary>A sample of <paramref name="events"/> showers as an image dataset (conditions px, py, pz, x, y).</summary>
    public static ImageDataset Sample(int events, int seed, EcalOptions? options = null) => Generate(events, seed, options).Data;

    /// <summary>A sample with its truth (particle and visible energies).</summary>
    public static EcalShowers Generate(int events, int seed, EcalOptions? options = null, IProgress<double>? progress = null)
    {
        var o = options ?? EcalOptions.Default;
        o.Check();
        if (events < 1) throw new ArgumentOutOfRangeException(nameof(events), events, "At least one event is required.");
        int h = o.Height, w = o.Width, cells = h * w;
        if ((long)events * cells > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(events), events, $"{events} images of {h} × {w} cells exceed one array; generate fewer events per file.");
        var rng = new Random(seed);
        var images = new float[events * cells];
        var conditions = new float[events * Conditions.Length];
        var energy = new double[events];
        var visible = new double[events];
        var image = new double[cells];
        double logMin = Math.Log(o.EnergyMin), logMax = Math.Log(o.EnergyMax);
        for (int i = 0; i < events; i++)
        {
            double e = Math.Exp(logMin + (logMax - logMin) * rng.NextDouble());
            double tx = o.MaxSlope * (2 * rng.NextDouble() - 1), ty = o.MaxSlope * (2 * rng.NextDouble() - 1);
            double pz = e / Math.Sqrt(1 + tx * tx + ty * ty);
            double x0 = o.ImpactRange * (2 * rng.NextDouble() - 1), y0 = o.ImpactRange * (2 * rng.NextDouble() - 1);
            double sigma = RelativeResolution(e, o), eVis;
            do eVis = o.SamplingFraction * e * (1 + sigma * Samplers.StandardNormal(rng)); while (!(eVis > 0));
            Array.Clear(image);
            Deposit(rng, image, o, e, eVis, x0, y0, tx, ty);
            for (int k = 0; k < cells; k++)
            {
                double v = image[k] + (o.NoiseSigma > 0 ? o.NoiseSigma * Samplers.StandardNormal(rng) : 0);
                images[i * cells + k] = v < o.Threshold ? 0f : (float)v;
            }
            var cond = conditions.AsSpan(i * Conditions.Length, Conditions.Length);
            cond[0] = (float)(tx * pz);
            cond[1] = (float)(ty * pz);
            cond[2] = (float)pz;
            cond[3] = (float)x0;
            cond[4] = (float)y0;
            energy[i] = e;
            visible[i] = eVis;
            if (progress is not null && (i + 1) % 1000 == 0) progress.Report((i + 1.0) / events);
        }
        progress?.Report(1.0);
        return new EcalShowers(ImageDataset.Create(images, events, h, w, conditions, Conditions), energy, visible);
    }

    /// <summary>σ_E/E = √(a²/E + b²) at particle energy E (GeV).</summary>
    public static double RelativeResolution(double energy, EcalOptions? options = null)
    {
        var o = options ?? EcalOptions.Default;
        return Math.Sqrt(o.Stochastic * o.Stochastic / energy + o.Constant * o.Constant);
    }

    /// <summary>Variance of the transverse profile along any axis, cm²: 3 R_M² (p λ_c² + (1 − p) λ_t²)
    /// (each radial component is Gamma(2, λ R_M), ⟨r²⟩ = 6 λ² R_M², split over two axes).</summary>
    public static double ProfileVariance(EcalOptions? options = null)
    {
        var o = options ?? EcalOptions.Default;
        double c = o.CoreScale * o.MoliereRadius, t = o.TailScale * o.MoliereRadius;
        return 3 * (o.CoreFraction * c * c + (1 - o.CoreFraction) * t * t);
    }

    /// <summary>The Gamma shape a of the longitudinal profile at energy E: 1 + b (ln(E/E_c) − 0.5).</summary>
    public static double LongitudinalShape(double energy, EcalOptions? options = null)
    {
        var o = options ?? EcalOptions.Default;
        return 1 + o.LongitudinalB * (Math.Log(energy / o.CriticalEnergy) - 0.5);
    }

    /// <summary>Mean shower depth ⟨z⟩ = X0 a/b, cm: the barycentre moves by ⟨z⟩ tan θ along the pT direction.</summary>
    public static double MeanDepth(double energy, EcalOptions? options = null)
    {
        var o = options ?? EcalOptions.Default;
        return o.RadiationLength * LongitudinalShape(energy, o) / o.LongitudinalB;
    }

    /// <summary>Variance of the depth, X0² a/b², cm²: the spread it adds along the pT direction is this × tan²θ.</summary>
    public static double DepthVariance(double energy, EcalOptions? options = null)
    {
        var o = options ?? EcalOptions.Default;
        return o.RadiationLength * o.RadiationLength * LongitudinalShape(energy, o) / (o.LongitudinalB * o.LongitudinalB);
    }

    /// <summary>The probability that a cell without signal reads non-zero: 1 − Φ(threshold/σ_noise) (0 without noise).</summary>
    public static double NoiseOccupancy(EcalOptions? options = null)
    {
        var o = options ?? EcalOptions.Default;
        return o.NoiseSigma > 0 ? 1 - StandardNormal.Cdf(o.Threshold / o.NoiseSigma) : 0;
    }

    /// <summary>The number of spots of a shower of energy E.</summary>
    public static int Spots(double energy, EcalOptions o) => Math.Max(o.MinSpots, (int)Math.Round(o.SpotsPerGeV * energy));

    private static void Deposit(Random rng, double[] image, EcalOptions o, double e, double eVis, double x0, double y0, double tx, double ty)
    {
        int k = Spots(e, o);
        double share = eVis / k, a = LongitudinalShape(e, o), depthScale = o.RadiationLength / o.LongitudinalB;
        double core = o.CoreScale * o.MoliereRadius, tail = o.TailScale * o.MoliereRadius;
        double halfW = o.Width / 2.0, halfH = o.Height / 2.0;
        for (int s = 0; s < k; s++)
        {
            double r = Samplers.GammaInteger(rng, 2, rng.NextDouble() < o.CoreFraction ? core : tail);
            double phi = 2 * Math.PI * rng.NextDouble();
            double z = Samplers.Gamma(rng, a, depthScale);
            double x = x0 + r * Math.Cos(phi) + z * tx, y = y0 + r * Math.Sin(phi) + z * ty;
            double col = Math.Floor(x / o.CellSize + halfW), row = Math.Floor(y / o.CellSize + halfH);
            if (col >= 0 && col < o.Width && row >= 0 && row < o.Height)
                image[(int)row * o.Width + (int)col] += share;
        }
    }
}

/// <summary>An ECAL toy sample and its truth (one entry per event, in order).</summary>
/// <param name="Data">The images (visible energy per cell, GeV, after noise and threshold) with conditions px, py, pz (GeV), x, y (cm).</param>
/// <param name="Energy">The particle energy E = |p|, GeV.</param>
/// <param name="VisibleEnergy">E_vis = f E (1 + σ g) before leakage, noise and threshold, GeV.</param>
public sealed record EcalShowers(ImageDataset Data, double[] Energy, double[] VisibleEnergy);
