using System.Diagnostics;
using System.Globalization;
using GenStats.Stats.PrecisionRecall;

namespace GenStats.Benchmarks;

/// <summary>
/// Suite stats-prdc: precision/recall/density/coverage (k = 5) on 10⁴ × 64 real vs 10⁴ × 64
/// generated events, GenStats against the prdc package's algorithm (scikit-learn pairwise
/// distances) on the same data in the same run. Prints medians, then `ratio: NAME VALUE`.
/// </summary>
public static class StatsPrdcBench
{
    private const int N = 10_000, Dim = 64, K = 5, Repeats = 3;

    public static void Run()
    {
        var real = Gaussian(11, N, Dim, 0.0);
        var generated = Gaussian(12, N, Dim, 0.1);
        string dir = Path.Combine(Path.GetTempPath(), $"genstats-prdc-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            string realPath = Path.Combine(dir, "real.bin"), genPath = Path.Combine(dir, "generated.bin");
            WriteRaw(realPath, real);
            WriteRaw(genPath, generated);

            // Warm-up on a small slice so that JIT time is not measured.
            Prdc.Compute(real[..500], null, generated[..500], null);
            var times = new List<double>();
            PrdcResult? result = null;
            for (int r = 0; r < Repeats; r++)
            {
                var sw = Stopwatch.StartNew();
                result = Prdc.Compute(real, null, generated, null, new PrdcOptions(K));
                times.Add(sw.Elapsed.TotalSeconds);
            }
            double ours = Median(times);
            Console.WriteLine($"genstats prdc {N}x{Dim} vs {N}x{Dim}, k={K}: median {ours:F3} s over {Repeats} runs " +
                              $"(P {result!.Precision.Value:F4}, R {result.Recall.Value:F4}, D {result.Density.Value:F4}, C {result.Coverage.Value:F4}; {Environment.ProcessorCount} threads)");

            var (refTimes, refValues) = RunReference(realPath, genPath);
            if (refTimes.Count == 0)
            {
                Console.WriteLine("reference prdc (scikit-learn) unavailable; no ratio");
                return;
            }
            double theirs = Median(refTimes);
            Console.WriteLine($"reference prdc (numpy + scikit-learn pairwise_distances): median {theirs:F3} s over {refTimes.Count} runs " +
                              $"(P {refValues[0]:F4}, R {refValues[1]:F4}, D {refValues[2]:F4}, C {refValues[3]:F4})");
            double[] mine = [result.Precision.Value, result.Recall.Value, result.Density.Value, result.Coverage.Value];
            bool agree = mine.Zip(refValues).All(p => Math.Abs(p.First - p.Second) <= 2.0 / N);
            Console.WriteLine($"values agree with the reference (within 2 events): {(agree ? "yes" : "NO")}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: prdc_10k_64d {theirs / ours:F2}"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (List<double> Times, double[] Values) RunReference(string realPath, string genPath)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "reference", "prdc_reference.py");
        if (!File.Exists(script))
            script = Path.GetFullPath(Path.Combine("tests", "GenStats.Benchmarks", "reference", "prdc_reference.py"));
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { script, realPath, genPath, N.ToString(), N.ToString(), Dim.ToString(), K.ToString(), Repeats.ToString() })
            psi.ArgumentList.Add(a);
        var times = new List<double>();
        double[] values = [];
        try
        {
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) Console.WriteLine($"reference failed: {stderr.Trim()}");
            foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ');
                if (parts[0] == "seconds") times.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
                if (parts[0] == "values") values = parts[1..].Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"cannot start {python}: {e.Message}");
        }
        return (times, values);
    }

    private static double[][] Gaussian(int seed, int n, int d, double mean)
    {
        var rng = new Random(seed);
        var x = new double[n][];
        for (int i = 0; i < n; i++)
        {
            x[i] = new double[d];
            for (int c = 0; c < d; c++)
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                x[i][c] = mean + Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
        }
        return x;
    }

    private static void WriteRaw(string path, double[][] x)
    {
        using var w = new BinaryWriter(File.Create(path));
        foreach (var row in x)
            foreach (double v in row) w.Write(v); // BinaryWriter is little-endian
    }

    private static double Median(List<double> v)
    {
        var s = v.OrderBy(t => t).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
