using System.Globalization;
using GenStats.Benchmarks.Engine;
using GenStats.Models;
using GenStats.Tensors;

namespace GenStats.Benchmarks;

/// <summary>
/// The conv GAN of suite `models` (issue 16): the seed's LHCb-ECAL architecture at its defaults
/// (<see cref="ConvGanOptions"/>: generator 64 + 5 → 256×4×4 → 128×8×8 → 64×16×16 → 32×32×32 → 1,
/// crop to 30×30; critic 32/64/128/256 with stride-2 convs; regressor 16/32/64/64), WGAN-GP with 5
/// critic steps per generator step, batch 64, weighted, the regressor term in the generator loss.
/// Figure: generator steps/s (each with its 5 critic steps), next to the same networks and step in
/// PyTorch CPU (reference/conv_gan_reference.py) with the same thread count, in the same run.
/// GENSTATS_BENCH_MODELS=conv runs only this part.
/// </summary>
public static class ConvGanBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Runs the figure and its reference; prints the lines and the ratio.</summary>
    public static void Run(int threads)
    {
        const int n = 2000, h = 30, w = 30;
        var rnd = new Random(5);
        var images = new float[n * h * w];
        for (int i = 0; i < images.Length; i++) images[i] = rnd.NextDouble() < 0.4 ? (float)(-Math.Log(1 - rnd.NextDouble())) : 0f;
        var y = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 5).Select(_ => rnd.NextDouble()).ToArray()).ToArray();
        var wt = Enumerable.Range(0, n).Select(_ => 1.5 * rnd.NextDouble() - 0.25).ToArray();
        var options = new ConvGanOptions { Steps = 1_000_000, RegressorSteps = 2, HeldOutFraction = 0, Seed = 7 };
        var trainer = ConvGanTrainer.Create(images, h, w, y, wt, options);
        int reps = int.Parse(Environment.GetEnvironmentVariable("GENSTATS_BENCH_TRAIN_REPS") ?? "5", Inv);
        double tStep = Timing.MedianSeconds(() => trainer.RunTo(trainer.Step + 1), reps, warmup: 1);
        Console.WriteLine($"genstats models conv-gan training (ConvGanTrainer, seed ECAL architecture, 30×30, batch 64, WGAN-GP, 5 critic steps + regressor term): {1 / tStep:F3} generator steps/s ({tStep * 1000:F0} ms/step)");
        if (Environment.GetEnvironmentVariable("GENSTATS_BENCH_NO_REFERENCE") == "1") return;
        var refs = ModelsBench.ReferenceFigures("conv_gan_reference.py", threads);
        if (refs.TryGetValue("conv_gan_train", out var r) && r > 0)
        {
            Console.WriteLine($"reference pytorch conv_gan_train: {r.ToString("F3", Inv)}");
            Console.WriteLine($"ratio: models_conv_gan_train {(1 / tStep / r).ToString("F3", Inv)}");
        }
    }
}
