using System.Diagnostics;
using System.Globalization;
using GenStats.Stats;

namespace GenStats.Benchmarks;

/// <summary>
/// One GenStats-vs-reference comparison of the `stats` suite. <see cref="Prepare"/> writes the
/// case's input data into the shared data folder (raw little-endian float64 files the Python
/// reference reads with numpy.fromfile) and returns the GenStats computation to time; the
/// reference script times the function registered under <see cref="Name"/> on the same files.
/// </summary>
/// <param name="Name">Name in `ratio:` lines and in reference/stats_reference.py's CASES.</param>
/// <param name="Description">What is computed, for the absolute-figure lines.</param>
/// <param name="Prepare">Writes the data to the folder, returns the timed GenStats call (its result is printed).</param>
public sealed record StatsComparison(string Name, string Description, Func<string, Func<double>> Prepare);

/// <summary>
/// The `stats` suite: each case runs GenStats and its Python reference (scipy / scikit-learn) on
/// the same data in one run, prints medians, both results, then `ratio: NAME VALUE` lines
/// (reference time ÷ GenStats time; &gt; 1 means GenStats is faster). Add a case to
/// <see cref="Cases"/> and a function of the same name to reference/stats_reference.py.
/// </summary>
public static class StatsSuite
{
    private const int Repeats = 5;

    /// <summary>The comparisons, in the order they run.</summary>
    public static readonly List<StatsComparison> Cases =
    [
        new("ks_1e6", "KS statistic + p-value, 10^6 vs 10^6 (scipy ks_2samp)", dir =>
        {
            var (a, b) = OneDimensionalData(dir);
            return () => KolmogorovSmirnov.QuickTest(a, b).PValue;
        }),
        new("w1_1e6", "Wasserstein-1, 10^6 vs 10^6 (scipy wasserstein_distance)", dir =>
        {
            var (a, b) = OneDimensionalData(dir);
            return () => CdfDistances.Wasserstein1Value(a, b);
        }),
        new("energy_1e6", "1-D energy distance, 10^6 vs 10^6 (scipy energy_distance)", dir =>
        {
            var (a, b) = OneDimensionalData(dir);
            return () => CdfDistances.EnergyValue(a, b);
        }),
    ];

    /// <summary>Runs every case and its reference; prints figures, then the ratio lines.</summary>
    public static void Run()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"genstats-bench-stats-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var ours = new Dictionary<string, (double Seconds, double Value)>();
            foreach (var c in Cases)
            {
                var run = c.Prepare(dir);
                run(); // warm-up: JIT and first-touch allocation are not what we measure
                var times = new double[Repeats];
                double value = 0;
                for (int r = 0; r < Repeats; r++)
                {
                    var sw = Stopwatch.StartNew();
                    value = run();
                    times[r] = sw.Elapsed.TotalSeconds;
                }
                Array.Sort(times);
                ours[c.Name] = (times[Repeats / 2], value);
                Console.WriteLine(Invariant($"genstats  {c.Name,-14} median {times[Repeats / 2] * 1e3,9:F1} ms  value {value:G12}   ({c.Description})"));
            }
            var reference = RunReference(dir, Cases.Select(c => c.Name).ToArray());
            foreach (var c in Cases)
                if (reference.TryGetValue(c.Name, out var r))
                    Console.WriteLine(Invariant($"reference {c.Name,-14} median {r.Seconds * 1e3,9:F1} ms  value {r.Value:G12}"));
            foreach (var c in Cases)
                if (reference.TryGetValue(c.Name, out var r))
                    Console.WriteLine(Invariant($"ratio: {c.Name} {r.Seconds / ours[c.Name].Seconds:F2}"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // 10^6 N(0, 1) vs 10^6 N(0.01, 1.02²), seeded; written once and shared by the 1-D cases.
    private static (double[] A, double[] B) OneDimensionalData(string dir)
    {
        string fa = Path.Combine(dir, "a1d.f64"), fb = Path.Combine(dir, "b1d.f64");
        if (File.Exists(fa)) return (ReadDoubles(fa), ReadDoubles(fb));
        var rng = new Random(20261124);
        var a = new double[1_000_000];
        var b = new double[1_000_000];
        for (int i = 0; i < a.Length; i++) a[i] = MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        for (int i = 0; i < b.Length; i++) b[i] = MathNet.Numerics.Distributions.Normal.Sample(rng, 0.01, 1.02);
        WriteDoubles(fa, a);
        WriteDoubles(fb, b);
        return (a, b);
    }

    /// <summary>Raw little-endian float64, as numpy.fromfile(path, dtype='&lt;f8') reads it.</summary>
    public static void WriteDoubles(string path, double[] values) =>
        File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>Reads a file written by <see cref="WriteDoubles"/>.</summary>
    public static double[] ReadDoubles(string path) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(path)).ToArray();

    private static Dictionary<string, (double Seconds, double Value)> RunReference(string dir, string[] names)
    {
        string python = Environment.GetEnvironmentVariable("GENSTATS_PYTHON") ?? "/usr/bin/python3";
        string script = Path.Combine(AppContext.BaseDirectory, "reference", "stats_reference.py");
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(dir);
        psi.ArgumentList.Add(Repeats.ToString(CultureInfo.InvariantCulture));
        foreach (var n in names) psi.ArgumentList.Add(n);
        var result = new Dictionary<string, (double, double)>();
        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            for (string? line = p.StandardOutput.ReadLine(); line is not null; line = p.StandardOutput.ReadLine())
            {
                // "NAME SECONDS VALUE"
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length == 3)
                    result[f[0]] = (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture));
            }
            p.WaitForExit();
            if (p.ExitCode != 0) Console.WriteLine($"reference failed ({python} {script}): {stderr.Result.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"reference not run: cannot start {python} ({e.Message}); scripts/bench.sh installs python3-scipy.");
        }
        return result;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
