using GenStats.Tensors;

namespace GenStats.Benchmarks.Engine;

/// <summary>
/// Suite `engine`: SGEMM GFLOP/s vs numpy+OpenBLAS, one Cramér-GAN generator step vs PyTorch CPU,
/// generator inference samples/s vs PyTorch CPU, all with the same thread count, in one run.
/// Set GENSTATS_BENCH_QUICK=1 to skip the Python references.
/// </summary>
public static class EngineSuite
{
    public static void Run()
    {
        int threads = TensorBackend.MaxThreads;
        Console.WriteLine($"threads: {threads}");
        var ours = new Dictionary<string, double>();
        foreach (var (m, n, k) in SgemmBench.Shapes)
        {
            double g = SgemmBench.GflopsPerSecond(m, n, k);
            ours[$"sgemm_{m}x{n}x{k}"] = g;
            Console.WriteLine($"genstats sgemm {m}x{n}x{k}: {g:F1} GFLOP/s");
        }
        if (Environment.GetEnvironmentVariable("GENSTATS_BENCH_ONE_THREAD") == "1")
        {
            TensorBackend.MaxThreads = 1;
            foreach (var (m, n, k) in SgemmBench.Shapes)
                Console.WriteLine($"genstats sgemm 1 thread {m}x{n}x{k}: {SgemmBench.GflopsPerSecond(m, n, k):F1} GFLOP/s");
            TensorBackend.MaxThreads = threads;
        }
    }
}
