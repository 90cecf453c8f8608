using System.Diagnostics;
using System.Globalization;
using GenStats.Benchmarks.Engine;
using GenStats.Models;
using GenStats.Tensors;

namespace GenStats.Benchmarks;

/// <summary>
/// Suite `models`: the LHCb-RICH-shaped Cramér GAN (10 hidden layers × 128 ReLU in both networks,
/// 64-d latent, 3 conditions, 5 features, 256-d critic output, batch 512, 15 critic steps per
/// generator step, one-sided gradient penalty λ = 10, RMSProp 1e-4 with exponential decay 0.999)
/// built with GenStats.Models.GanTrainer on synthetic normal data: training generator steps/s and
/// generator inference samples/s (ConditionalGan.Sample at 10⁴ conditions, preprocessing included),
/// next to the same algorithm in PyTorch CPU (reference/engine_reference.py --torch-only) with the
/// same thread count, in the same run. GENSTATS_BENCH_NO_REFERENCE=1 skips the reference. It starts
/// with <see cref="AuxiliaryBench"/> (the auxiliary statistic's cost); GENSTATS_BENCH_MODELS=aux runs only that.
/// Then the conv GAN (<see cref="ConvGanBench"/>; GENSTATS_BENCH_MODELS=conv runs only that) and the
/// conditional spline flow (<see cref="FlowBench"/>; GENSTATS_BENCH_MODELS=flow runs only that), each
/// with its PyTorch reference.
/// </summary>
public static class ModelsBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static GanOptions RichOptions => new()
    {
        Loss = GanLoss.Cramer,
        LatentSize = 64,
        GeneratorLayers = Enumerable.Repeat(128, 10).ToArray(),
        CriticLayers = Enumerable.Repeat(128, 10).ToArray(),
        CriticOutputSize = 256,
        CriticSteps = 15,
        Optimizer = OptimizerKind.RmsProp,
        GeneratorLearningRate = 1e-4f,
        CriticLearningRate = 1e-4f,
        LrSchedule = LrScheduleKind.Exponential,
        LrGamma = 0.999f,
        BatchSize = 512,
        PenaltyWeight = 10f,
        Penalty = PenaltyKind.OneSided,
        Steps = 1_000_000,
        Seed = 2024,
    };

    public static void Run()
    {
        int threads = TensorBackend.MaxThreads;
        Console.WriteLine($"threads: {threads}, backend: {TensorBackend.Current.Name}");
        var only = Environment.GetEnvironmentVariable("GENSTATS_BENCH_MODELS");
        if (only == "flow")
        {
            FlowBench.RunWithReference(threads);
            return;
        }
        if (only != "conv") AuxiliaryBench.Run();
        if (only == "aux") return;
        ConvGanBench.Run(threads);
        if (only == "conv") return;
        const int n = 100_000;
        var rnd = new Random(1);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 5).Select(_ => Normal()).ToArray()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 3).Select(_ => Normal()).ToArray()).ToArray();
        var w = Enumerable.Range(0, n).Select(_ => 1.5 * rnd.NextDouble() - 0.25).ToArray(); // signed sWeight-like

        var trainer = GanTrainer.Create(x, y, w, RichOptions);
        int reps = int.Parse(Environment.GetEnvironmentVariable("GENSTATS_BENCH_TRAIN_REPS") ?? "5", Inv);
        double tStep = Timing.MedianSeconds(() => trainer.RunTo(trainer.Step + 1), reps, warmup: 1);
        var ours = new Dictionary<string, double> { ["cramer_gan_train"] = 1 / tStep };
        Console.WriteLine($"genstats models cramer-gan training (GanTrainer, weighted): {1 / tStep:F3} generator steps/s ({tStep * 1000:F0} ms/step, 15 critic steps each)");

        var model = trainer.Snapshot();
        const int samples = 10_000;
        var cond = y[..samples];
        int seed = 0;
        double tInf = Timing.MedianSeconds(() => model.Sample(cond, seed++), 20, warmup: 2);
        ours["generator_inference"] = samples / tInf;
        Console.WriteLine($"genstats models generator inference (ConditionalGan.Sample, {samples} conditions): {samples / tInf:F0} samples/s");
        foreach (var (name, v) in FlowBench.Run()) ours[name] = v;

        if (Environment.GetEnvironmentVariable("GENSTATS_BENCH_NO_REFERENCE") == "1") return;
        var refs = Reference(threads);
        foreach (var (name, v) in FlowBench.Reference(threads)) refs[name] = v;
        foreach (var (name, v) in refs) Console.WriteLine($"reference pytorch {name}: {v.ToString("F3", Inv)}");
        foreach (var (name, v) in refs)
            if (ours.TryGetValue(name, out var mine) && v > 0)
                Console.WriteLine($"ratio: models_{name} {(mine / v).ToString("F3", Inv)}");
    }

    private static Dictionary<string, double> Reference(int threads)
    {
        var raw = ReferenceFigures("engine_reference.py", threads, "--torch-only");
        var result = new Dictionary<string, double>();
        if (raw.TryGetValue("train", out var train)) result["cramer_gan_train"] = train;
        if (raw.TryGetValue("infer", out var infer)) result["generator_inference"] = infer;
        return result;
    }

    /// <summary>
    /// Runs reference/<paramref name="script"/> THREADS [args] with GENSTATS_PYTHON (default /usr/bin/python3)
    /// and reads its "NAME VALUE" lines; empty (with a message) when it cannot run.
    /// </summary>
    public static Dictionary<string, double> ReferenceFigures(string script, int threads, params string[] args)
    {
        var result = new Dictionary<string, double>();
        var python = Environment.GetEnvironmentVariable("GENSTATS_PYTHON") ?? "/usr/bin/python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reference", script));
        psi.ArgumentList.Add(threads.ToString(Inv));
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null)
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length == 2 && double.TryParse(f[1], NumberStyles.Float, Inv, out var v)) result[f[0]] = v;
            }
            p.WaitForExit();
            if (p.ExitCode != 0) Console.WriteLine($"reference {script} failed (exit {p.ExitCode}): {err.Result.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"reference {script} skipped: cannot start {python} ({e.Message}); scripts/bench.sh installs python3-torch.");
        }
        return result;
    }
}
