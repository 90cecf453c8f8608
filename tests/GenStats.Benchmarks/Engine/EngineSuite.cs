using System.Diagnostics;
using System.Globalization;
using GenStats.Tensors;

namespace GenStats.Benchmarks.Engine;

/// <summary>
/// Suite `engine`: SGEMM GFLOP/s vs numpy+OpenBLAS, one Cramér-GAN generator step vs PyTorch CPU,
/// generator inference samples/s vs PyTorch CPU — same thread count, same run. The reference runs
/// reference/engine_reference.py with GENSTATS_PYTHON (default /usr/bin/python3, where Debian's
/// python3-numpy and python3-torch live); GENSTATS_BENCH_NO_REFERENCE=1 skips it.
/// </summary>
public static class EngineSuite
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Run()
    {
        int threads = TensorBackend.MaxThreads;
        Console.WriteLine($"threads: {threads}, backend: {TensorBackend.Current.Name}");
        var ours = new Dictionary<string, double>();
        foreach (var (m, n, k) in SgemmBench.Shapes)
        {
            double g = SgemmBench.GflopsPerSecond(m, n, k);
            ours[$"sgemm_{m}x{n}x{k}"] = g;
            Console.WriteLine($"genstats sgemm {m}x{n}x{k}: {g:F1} GFLOP/s");
        }

        int reps = int.Parse(Environment.GetEnvironmentVariable("GENSTATS_BENCH_TRAIN_REPS") ?? "7", Inv);
        var gan = new CramerGanBench();
        double tStep = Timing.MedianSeconds(gan.GeneratorStep, reps, warmup: 1);
        ours["cramer_gan_train"] = 1 / tStep;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        int gcBefore = GC.CollectionCount(0);
        gan.GeneratorStep();
        Console.WriteLine($"genstats cramer-gan: {(GC.GetTotalAllocatedBytes(precise: true) - before) / 1e6:F1} MB allocated and {GC.CollectionCount(0) - gcBefore} gen-0 GCs in one generator step (after warm-up)");
        Console.WriteLine($"genstats cramer-gan training: {1 / tStep:F3} generator steps/s ({tStep * 1000:F0} ms/step, 15 critic steps each)");

        var noise = new Rng(77);
        const int samples = 10_000;
        double tInf = Timing.MedianSeconds(() => gan.Sample(samples, noise), 20, warmup: 2);
        ours["generator_inference"] = samples / tInf;
        Console.WriteLine($"genstats generator inference (batch {samples}): {samples / tInf:F0} samples/s");

        if (Environment.GetEnvironmentVariable("GENSTATS_BENCH_NO_REFERENCE") == "1") return;
        var refs = RunReference(threads);
        if (refs is null) return;
        foreach (var (name, v) in refs)
            Console.WriteLine($"reference {name}: {v.ToString("F3", Inv)}");
        foreach (var (name, v) in refs)
            if (ours.TryGetValue(name, out var mine) && v > 0)
                Console.WriteLine($"ratio: {name} {(mine / v).ToString("F3", Inv)}");
    }

    private static Dictionary<string, double>? RunReference(int threads)
    {
        var python = Environment.GetEnvironmentVariable("GENSTATS_PYTHON") ?? "/usr/bin/python3";
        var script = Path.Combine(AppContext.BaseDirectory, "reference", "engine_reference.py");
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(threads.ToString(Inv));
        try
        {
            using var p = Process.Start(psi)!;
            var errTask = p.StandardError.ReadToEndAsync();
            var result = new Dictionary<string, double>();
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null)
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length == 5 && f[0] == "sgemm")
                    result[$"sgemm_{f[1]}x{f[2]}x{f[3]}"] = double.Parse(f[4], Inv);
                else if (f.Length == 2 && f[0] == "train")
                    result["cramer_gan_train"] = double.Parse(f[1], Inv);
                else if (f.Length == 2 && f[0] == "infer")
                    result["generator_inference"] = double.Parse(f[1], Inv);
            }
            p.WaitForExit();
            if (p.ExitCode != 0)
                Console.WriteLine($"reference failed (exit {p.ExitCode}): {errTask.Result.Trim()}");
            return result;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"reference skipped: cannot start {python} ({e.Message}); scripts/bench.sh installs python3-numpy and python3-torch.");
            return null;
        }
    }
}
