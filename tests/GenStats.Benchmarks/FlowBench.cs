using System.Diagnostics;
using GenStats.Benchmarks.Engine;
using GenStats.Models;

namespace GenStats.Benchmarks;

/// <summary>
/// The conditional spline flow of suite `models`: 6 features, 3 conditions, 8 coupling layers with
/// 2 × 128 ReLU conditioners, K = 8 bins on [−4, 4], batch 512, Adam 1e-3, weighted (signed) MLE on
/// synthetic normal data. Figures: training steps/s (FlowTrainer, one optimizer step, no held-out
/// evaluation) and conditional sampling samples/s (ConditionalSplineFlow.Sample at 10⁵ conditions,
/// preprocessing included), next to the same flow in PyTorch CPU (reference/flow_reference.py)
/// with the same thread count, in the same run.
/// </summary>
public static class FlowBench
{
    public static FlowOptions Options => new()
    {
        // The issue's benchmark flow and the PyTorch reference are coupling flows; the trainer's
        // default architecture is autoregressive (d network passes per layer to sample), so say it.
        Architecture = FlowArchitecture.Coupling,
        Layers = 8,
        HiddenLayers = [128, 128],
        Bins = 8,
        TailBound = 4f,
        BatchSize = 512,
        LearningRate = 1e-3f,
        LrSchedule = LrScheduleKind.Constant,
        WarmupFraction = 0,
        GradientClip = 0,
        HeldOutFraction = 0,
        FeatureTransform = Data.TransformKind.Standard,
        Seed = 2024,
    };

    /// <summary>Runs the flow figures and returns them by name ("flow_train", "flow_sample").</summary>
    public static Dictionary<string, double> Run()
    {
        const int n = 100_000;
        var rnd = new Random(3);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 6).Select(_ => Normal()).ToArray()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 3).Select(_ => Normal()).ToArray()).ToArray();
        var w = Enumerable.Range(0, n).Select(_ => 1.5 * rnd.NextDouble() - 0.25).ToArray(); // signed sWeight-like

        // A run of s steps costs setup + s·step: the difference of two runs is (s2 − s1) steps.
        double Seconds(int steps)
        {
            var clock = Stopwatch.StartNew();
            FlowTrainer.Train(x, y, w, Options with { Steps = steps });
            return clock.Elapsed.TotalSeconds;
        }
        Seconds(5);
        var t1 = Timing.MedianSeconds(() => Seconds(10), 3, warmup: 0);
        var t2 = Timing.MedianSeconds(() => Seconds(60), 3, warmup: 0);
        double tStep = (t2 - t1) / 50;
        var ours = new Dictionary<string, double> { ["flow_train"] = 1 / tStep };
        Console.WriteLine($"genstats models flow training (FlowTrainer, weighted, 6-D, 8 coupling layers 2×128, K = 8, batch 512): {1 / tStep:F3} steps/s ({tStep * 1000:F1} ms/step)");
        var model = FlowTrainer.Train(x, y, w, Options with { Steps = 1 }).Model;
        const int samples = 100_000;
        var cond = y[..samples];
        int seed = 0;
        double tSample = Timing.MedianSeconds(() => model.Sample(cond, seed++), 5, warmup: 1);
        ours["flow_sample"] = samples / tSample;
        Console.WriteLine($"genstats models flow conditional sampling (ConditionalSplineFlow.Sample, {samples} conditions): {samples / tSample:F0} samples/s");
        return ours;
    }

    /// <summary>Runs the flow figures and the reference and prints the ratios (GENSTATS_BENCH_MODELS=flow).</summary>
    public static void RunWithReference(int threads)
    {
        var ours = Run();
        if (Environment.GetEnvironmentVariable("GENSTATS_BENCH_NO_REFERENCE") == "1") return;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        foreach (var (name, v) in Reference(threads))
        {
            Console.WriteLine($"reference pytorch {name}: {v.ToString("F3", inv)}");
            if (ours.TryGetValue(name, out var mine) && v > 0) Console.WriteLine($"ratio: models_{name} {(mine / v).ToString("F3", inv)}");
        }
    }

    /// <summary>The PyTorch figures of reference/flow_reference.py (empty when it cannot run).</summary>
    public static Dictionary<string, double> Reference(int threads) => ModelsBench.ReferenceFigures("flow_reference.py", threads);
}
