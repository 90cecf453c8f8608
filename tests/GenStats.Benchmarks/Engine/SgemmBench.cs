using GenStats.Tensors;
using GenStats.Tensors.Backends;

namespace GenStats.Benchmarks.Engine;

/// <summary>SGEMM throughput C = A·B (row-major, float32) on the engine's current backend.</summary>
public static class SgemmBench
{
    public static readonly (int M, int N, int K)[] Shapes = [(512, 128, 128), (512, 256, 256), (2048, 2048, 2048)];

    public static double GflopsPerSecond(int m, int n, int k)
    {
        var rng = new Random(1);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble();
        for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble();
        var backend = TensorBackend.Current;
        var (ab, bb, cb) = (Upload(backend, a), Upload(backend, b), backend.Allocate(c.Length));
        double flops = 2.0 * m * n * k;
        int reps = (int)Math.Clamp(2e10 / flops, 5, 2000);
        double t = Timing.MedianSeconds(() => backend.Gemm(false, false, m, n, k, 1f, ab, 0, k, bb, 0, n, 0f, cb, 0, n), reps, warmup: 3);
        return flops / t / 1e9;
    }

    private static TensorBuffer Upload(ITensorBackend backend, float[] values)
    {
        var buffer = backend.Allocate(values.Length);
        backend.CopyFromHost(values, buffer, 0);
        return buffer;
    }
}
