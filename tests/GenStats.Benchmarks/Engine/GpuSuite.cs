using System.Diagnostics;
using System.Globalization;
using GenStats.Tensors;
using GenStats.Tensors.Cuda;

namespace GenStats.Benchmarks.Engine;

/// <summary>
/// The `gpu` suite (issue 15): the RICH-shaped Cramér GAN generator step of <see cref="CramerGanBench"/>
/// (generator and critic 10 × 128, batch 512, 15 critic steps with gradient penalty) and generator
/// inference at batch 10⁵, on the CUDA backend, side by side with PyTorch CUDA on the same machine
/// (reference/engine_reference.py --cuda). Without a GPU it prints one line saying why and returns.
/// </summary>
public static class GpuSuite
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    public const int InferenceBatch = 100_000;

    /// <summary>The argument of <see cref="Probe"/> (scripts/gpu-check.sh).</summary>
    public const string ProbeFlag = "--cuda-probe";

    /// <summary>Prints the CUDA device and GEMM path and returns 0, or the one-line reason and 3.</summary>
    public static int Probe()
    {
        if (!TensorBackend.TryUseCuda())
        {
            Console.WriteLine(TensorBackend.CudaProblem);
            return 3;
        }
        var b = (IlgpuBackend)TensorBackend.Current;
        Console.WriteLine($"CUDA backend on {b.Device}; GEMM: {(b.UsesCuBlas ? "cuBLAS SGEMM" : "ILGPU tiled kernel (" + b.CuBlasProblem + ")")}");
        TensorBackend.UseManaged();
        b.Dispose();
        return 0;
    }

    public static void Run()
    {
        if (!TensorBackend.TryUseCuda())
        {
            Console.WriteLine($"gpu suite skipped: {TensorBackend.CudaProblem}");
            return;
        }
        var backend = (IlgpuBackend)TensorBackend.Current;
        Console.WriteLine($"genstats backend {backend.Name} on {backend.Device}; GEMM: {(backend.UsesCuBlas ? "cuBLAS SGEMM" : "ILGPU tiled kernel (" + backend.CuBlasProblem + ")")}");
        var ours = new Dictionary<string, double>();
        try
        {
            var gan = new CramerGanBench();
            double tStep = Timing.MedianSeconds(() => { gan.GeneratorStep(); backend.Synchronize(); }, repetitions: 7, warmup: 2);
            ours["gpu_cramer_gan_train"] = 1 / tStep;
            Console.WriteLine($"genstats cuda cramer-gan training: {1 / tStep:F3} generator steps/s ({tStep * 1000:F1} ms/step, 15 critic steps each)");
            var noise = new Rng(7);
            double tInf = Timing.MedianSeconds(() => { gan.Sample(InferenceBatch, noise); backend.Synchronize(); }, repetitions: 20, warmup: 2);
            ours["gpu_generator_inference"] = InferenceBatch / tInf;
            Console.WriteLine($"genstats cuda generator inference (batch {InferenceBatch}): {InferenceBatch / tInf:F0} samples/s");
        }
        finally
        {
            TensorBackend.UseManaged();
        }
        var reference = Reference();
        foreach (var (name, mine) in ours)
            if (reference.TryGetValue(name, out var v) && v > 0)
                Console.WriteLine($"ratio: {name} {(mine / v).ToString("F3", Inv)}");
    }

    /// <summary>PyTorch CUDA figures from reference/engine_reference.py --cuda (GENSTATS_PYTHON, default python3).</summary>
    private static Dictionary<string, double> Reference()
    {
        var result = new Dictionary<string, double>();
        if (Environment.GetEnvironmentVariable("GENSTATS_BENCH_NO_REFERENCE") == "1") return result;
        var python = Environment.GetEnvironmentVariable("GENSTATS_PYTHON") ?? "python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reference", "engine_reference.py"));
        psi.ArgumentList.Add("1");
        psi.ArgumentList.Add("--cuda");
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null)
            {
                Console.WriteLine($"reference: {line}");
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length == 2 && f[0] == "train") result["gpu_cramer_gan_train"] = double.Parse(f[1], Inv);
                else if (f.Length == 2 && f[0] == "infer") result["gpu_generator_inference"] = double.Parse(f[1], Inv);
            }
            p.WaitForExit();
            if (p.ExitCode != 0) Console.WriteLine($"reference failed (exit {p.ExitCode}): {err.Result.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"reference skipped: cannot start {python} ({e.Message}).");
        }
        return result;
    }
}
