using System.Diagnostics;
using System.Globalization;
using GenStats.Numerics;
using GenStats.Physics;
using GenStats.Stats;

namespace GenStats.Benchmarks;

/// <summary>
/// Suite `physics`: simulated RICH tracks per second, and the time of an extended unbinned ML fit
/// (Gaussian + exponential, 5 parameters, with Hessian) plus sWeights on 10⁶ events. The fit is
/// compared with a numpy/scipy implementation of the same fit (reference/splot_fit.py) on the same
/// events when python3 with scipy is available.
/// </summary>
public static class PhysicsBench
{
    private const double Lo = 1825, Hi = 1910;

    public static void Run()
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores");

        // RICH toy throughput (all cores, deterministic chunks).
        const int tracks = 200_000;
        RichSimulator.Generate(new RichSampleOptions(10_000, 1)); // warm-up (JIT)
        var richTimes = Enumerable.Range(0, 3).Select(i => Time(() => RichSimulator.Generate(new RichSampleOptions(tracks, 100 + i)))).ToArray();
        double richMedian = Median(richTimes);
        Console.WriteLine(string.Create(c, $"rich_simulation: {tracks} tracks, median {richMedian:F3} s, {tracks / richMedian:F0} tracks/s"));

        // Fit + sWeights on 10⁶ events.
        const int events = 1_000_000;
        var rng = new Random(2024);
        var x = new double[events];
        for (int i = 0; i < events; i++)
            x[i] = i < 400_000 ? Samplers.TruncatedNormal(rng, 1864.84, 7.0, Lo, Hi) : Samplers.TruncatedExponential(rng, -0.01, Lo, Hi);
        var model = new FitModel(Lo, Hi, [new FitComponent("signal", new GaussianShape(1860, 8)), new FitComponent("background", new ExponentialShape())]);
        FitResult? fit = null;
        SPlotResult? sp = null;
        var fitTimes = Enumerable.Range(0, 3).Select(_ => Time(() =>
        {
            fit = ExtendedMaximumLikelihood.Fit(x, model);
            sp = SPlot.FromFit(x, fit);
        })).ToArray();
        double fitMedian = Median(fitTimes);
        Console.WriteLine(string.Create(c, $"fit_splot_1e6: status {fit!.Status}, N_signal {fit.Yield("signal").Value:F1} ± {fit.Yield("signal").Error:F1}, Σ sW {CompensatedSum.Of(sp!.Weights[0]):F1}"));
        Console.WriteLine(string.Create(c, $"fit_splot_1e6: median {fitMedian:F3} s over {fitTimes.Length} runs ({string.Join(", ", fitTimes.Select(t => t.ToString("F3", c)))})"));

        double? reference = RunReference(x);
        if (reference is double r)
        {
            Console.WriteLine(string.Create(c, $"fit_splot_1e6 reference (numpy/scipy BFGS): median {r:F3} s"));
            Console.WriteLine(string.Create(c, $"ratio: fit_splot_1e6 {r / fitMedian:F2}"));
        }
        else Console.WriteLine("fit_splot_1e6: no reference (python3 with numpy/scipy not found); absolute figures only");
        Console.WriteLine("rich_simulation: no reference implementation exists; absolute figure only");
    }

    private static double? RunReference(double[] x)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "reference", "splot_fit.py");
        string python = Environment.GetEnvironmentVariable("GENSTATS_PYTHON") ?? "python3";
        if (!File.Exists(script) || python.Length == 0) return null;
        string data = Path.Combine(Path.GetTempPath(), $"genstats-physics-bench-{Environment.ProcessId}.f64");
        try
        {
            using (var f = File.Create(data))
            using (var w = new BinaryWriter(f))
                foreach (double v in x) w.Write(v);
            var psi = new ProcessStartInfo(python, $"\"{script}\" \"{data}\" {Lo} {Hi} 3") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi);
            if (p is null) return null;
            string output = p.StandardOutput.ReadToEnd();
            string error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) { Console.WriteLine($"reference failed: {error.Trim()}"); return null; }
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries)) Console.WriteLine("  " + line);
            var t = output.Split('\n').FirstOrDefault(l => l.StartsWith("reference_seconds", StringComparison.Ordinal));
            return t is null ? null : double.Parse(t.Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
        finally { if (File.Exists(data)) File.Delete(data); }
    }

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    private static double Median(double[] values)
    {
        var s = values.OrderBy(v => v).ToArray();
        return s[s.Length / 2];
    }
}
