using System.Diagnostics;
using GenStats.Stats;

namespace GenStats.Benchmarks;

/// <summary>
/// Multi-dimensional distances against numpy/scipy on the same data in the same run:
/// energy_nd on 2·10⁴ × 5 events per sample (reference: scipy cdist in row blocks, the
/// V-statistic), and the Fréchet distance of 10⁴ × 64 features (reference: np.cov and
/// scipy.linalg.sqrtm as pytorch-fid computes it). Prints medians, then `ratio:` lines
/// (GenStats speed ÷ reference speed).
/// </summary>
public static class StatsDistancesBench
{
    private const int EnergyEvents = 20_000, EnergyDims = 5, FrechetEvents = 10_000, FrechetDims = 64;

    /// <summary>Runs the suite; writes the data to a temp folder for the Python reference.</summary>
    public static void Run()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"genstats-bench-nd-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var rng = new Random(2024);
            var ea = Gaussian(rng, EnergyEvents, EnergyDims, 0.0);
            var eb = Gaussian(rng, EnergyEvents, EnergyDims, 0.1);
            var fa = Gaussian(rng, FrechetEvents, FrechetDims, 0.0);
            var fb = Gaussian(rng, FrechetEvents, FrechetDims, 0.05);
            WriteRaw(Path.Combine(dir, "ea.bin"), ea);
            WriteRaw(Path.Combine(dir, "eb.bin"), eb);
            WriteRaw(Path.Combine(dir, "fa.bin"), fa);
            WriteRaw(Path.Combine(dir, "fb.bin"), fb);

            Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores");
            var noBoot = new EnergyDistanceNdOptions(BootstrapReplicas: 0);
            double energy = 0;
            double tEnergy = Median(3, () => energy = EnergyDistanceNd.Compute(ea, null, eb, null, noBoot).Value);
            Console.WriteLine($"genstats energy_nd {EnergyEvents}x{EnergyDims} each: {tEnergy:F3} s (value {energy:R})");
            var withBoot = EnergyDistanceNdOptions.Default;
            EnergyDistanceNdResult? boot = null;
            double tEnergyBoot = Median(1, () => boot = EnergyDistanceNd.Compute(ea, null, eb, null, withBoot));
            Console.WriteLine($"genstats energy_nd with {withBoot.BootstrapReplicas}-replica bootstrap: {tEnergyBoot:F3} s (± {boot!.Uncertainty:G4})");

            var fOpts = new FrechetDistanceOptions(BootstrapReplicas: 0);
            double frechet = 0;
            double tFrechet = Median(15, () => frechet = FrechetDistance.Compute(fa, null, fb, null, fOpts).Value);
            Console.WriteLine($"genstats frechet {FrechetEvents}x{FrechetDims} each: {tFrechet:F3} s (value {frechet:R})");

            var reference = RunReference(dir);
            if (reference is null) return;
            Console.WriteLine($"scipy energy_nd (cdist blocks): {reference["energy_s"]:F3} s (value {reference["energy"]:R})");
            Console.WriteLine($"scipy frechet (np.cov + sqrtm): {reference["frechet_s"]:F3} s (value {reference["frechet"]:R})");
            Console.WriteLine($"agreement: energy |Δ| = {Math.Abs(energy - reference["energy"]):G3}, frechet |Δ| = {Math.Abs(frechet - reference["frechet"]):G3}");
            Console.WriteLine($"ratio: energy_nd_20000x5 {reference["energy_s"] / tEnergy:F2}");
            Console.WriteLine($"ratio: frechet_10000x64 {reference["frechet_s"] / tFrechet:F2}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double[][] Gaussian(Random rng, int n, int d, double shift)
    {
        var rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new double[d];
            for (int k = 0; k < d; k++)
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                rows[i][k] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * (1 + 0.1 * k) + shift;
            }
        }
        return rows;
    }

    private static void WriteRaw(string path, double[][] rows)
    {
        using var w = new BinaryWriter(File.Create(path));
        foreach (var row in rows)
            foreach (double x in row) w.Write(x);
    }

    private static double Median(int runs, Action action)
    {
        var t = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            var sw = Stopwatch.StartNew();
            action();
            t[r] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(t);
        return t[runs / 2];
    }

    private static Dictionary<string, double>? RunReference(string dir)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "reference", "stats_nd_reference.py");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var psi = new ProcessStartInfo(python, [script, dir, EnergyEvents.ToString(), EnergyDims.ToString(),
            FrechetEvents.ToString(), FrechetDims.ToString()])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            string errors = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.WriteLine($"reference failed (exit {p.ExitCode}): {errors.Trim()}");
                return null;
            }
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' '))
                .ToDictionary(f => f[0], f => double.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"reference not run: {e.Message} (scripts/bench.sh installs python3-scipy)");
            return null;
        }
    }
}
