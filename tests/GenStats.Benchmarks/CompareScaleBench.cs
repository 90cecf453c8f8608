using System.Diagnostics;
using System.Globalization;
using GenStats.Data;
using GenStats.Stats;

namespace GenStats.Benchmarks;

/// <summary>
/// Suite `compare-scale`: `genstats compare --metrics ks,w1` on two CSV files of 10⁶ events × 2
/// columns with the default 200 bootstrap replicas — wall time and maximum resident set size of
/// the process, before and after the streaming bootstrap, in one run (aim: ≤ 10 s, ≤ 400 MB).
/// "before" is a child process that computes exactly what compare computed before the streaming
/// bootstrap (per metric and column: one sort, then Bootstrap.TwoSample materialising every
/// replica's n weights); "after" is the real CLI. A third child reads the two files only, to show
/// how much of the time is CSV parsing. Peak memory is the child's VmHWM (/proc/PID/status),
/// polled every 20 ms until it exits.
/// </summary>
public static class CompareScaleBench
{
    private const int Events = 1_000_000;

    /// <summary>The argument that turns this benchmark executable into a "before" or "parse" child.</summary>
    public const string ChildFlag = "--compare-child";

    public static void Run()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"genstats-bench-compare-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            string real = Path.Combine(dir, "real.csv"), generated = Path.Combine(dir, "generated.csv");
            WriteSample(real, 20261202, 0.0);
            WriteSample(generated, 20261203, 0.01);
            string self = typeof(CompareScaleBench).Assembly.Location;
            string cli = Path.Combine(RepositoryRoot(), "src", "GenStats.Cli", "bin", "Release", "net10.0", "genstats.dll");
            Console.WriteLine($"compare-scale: {Events} events x 2 columns per file, metrics ks,w1, 200 replicas (default); load average at start {LoadAverage()}");
            var parse = Measure("parse only", [self, ChildFlag, "parse", real, generated]);
            var before = Measure("before (in-memory replicas)", [self, ChildFlag, "in-memory", real, generated]);
            var after = File.Exists(cli)
                ? Measure("after (genstats compare)", [cli, "compare", real, generated, "--metrics", "ks,w1"])
                : null;
            if (after is null) Console.WriteLine($"after: {cli} is not built (scripts/bench.sh builds it)");
            Console.WriteLine(Invariant($"parse share: {parse.Seconds:F2} s of the wall time is starting the process and reading both CSV files"));
            if (after is not null)
            {
                Console.WriteLine(Invariant($"ratio: compare_ks_w1_1e6x2_time {before.Seconds / after.Seconds:F2}"));
                Console.WriteLine(Invariant($"ratio: compare_ks_w1_1e6x2_cpu {before.CpuSeconds / after.CpuSeconds:F2}"));
                Console.WriteLine(Invariant($"ratio: compare_ks_w1_1e6x2_memory {before.PeakMb / after.PeakMb:F2}"));
                Console.WriteLine(Invariant($"aim (<= 10 s, <= 400 MB): {(after.Seconds <= 10 && after.PeakMb <= 400 ? "met" : "not met")}, load average now {LoadAverage()}"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The child: "parse" reads both files; "in-memory" also computes ks and w1 the pre-streaming way.</summary>
    public static int Child(string[] args)
    {
        string mode = args[0];
        var sw = Stopwatch.StartNew();
        var real = TableFile.Read(args[1]);
        var generated = TableFile.Read(args[2]);
        double parse = sw.Elapsed.TotalSeconds;
        if (mode == "in-memory")
        {
            var options = BootstrapOptions.Default;
            foreach (bool ks in new[] { true, false })
                foreach (var column in real.ColumnNames)
                {
                    double[] a = real.Column(column), b = generated.Column(column);
                    var pair = SortedPair.Create(a, b);
                    var spread = Bootstrap.TwoSample(a.Length, null, b.Length, null,
                        (wa, wb) => ks ? pair.Walk(wa, wb).Supremum : pair.Walk(wa, wb).L1, options);
                    Console.WriteLine(Invariant($"{(ks ? "ks" : "w1")} {column}: uncertainty {spread.StandardDeviation:G6}"));
                }
        }
        Console.WriteLine(Invariant($"child {mode}: parse {parse:F2} s, total {sw.Elapsed.TotalSeconds:F2} s in process"));
        return 0;
    }

    private sealed record Measurement(double Seconds, double PeakMb, double CpuSeconds);

    private static Measurement Measure(string label, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peakKb = 0;
        double cpu = 0;
        while (!p.WaitForExit(20))
        {
            peakKb = Math.Max(peakKb, HighWaterKb(p.Id));
            cpu = Math.Max(cpu, CpuSeconds(p.Id));
        }
        double seconds = sw.Elapsed.TotalSeconds;
        var m = new Measurement(seconds, peakKb / 1024.0, cpu);
        // CPU time (user + system, all threads) depends far less on other load than the wall time does.
        Console.WriteLine(Invariant($"{label}: wall {seconds:F2} s, cpu {cpu:F2} s, max RSS {m.PeakMb:F0} MB, exit {p.ExitCode}"));
        foreach (var line in stdout.Result.Split('\n').Where(l => l.StartsWith("child", StringComparison.Ordinal)))
            Console.WriteLine("  " + line.Trim());
        if (p.ExitCode != 0) Console.WriteLine("  " + stderr.Result.Trim());
        return m;
    }

    // VmHWM: the peak resident set size of a running process, in kB (0 once it has gone).
    private static long HighWaterKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    // utime + stime of a running process (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s).
    private static double CpuSeconds(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    // x ~ N(shift, 1), y ~ Exp(1), seeded; written with full float64 precision.
    private static void WriteSample(string path, int seed, double shift)
    {
        var rng = new Random(seed);
        var x = new double[Events];
        var y = new double[Events];
        for (int i = 0; i < Events; i++)
        {
            x[i] = MathNet.Numerics.Distributions.Normal.Sample(rng, shift, 1);
            y[i] = -Math.Log(1 - rng.NextDouble());
        }
        Csv.Write(Dataset.Create(["x", "y"], [x, y]), path);
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "GenStats.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
