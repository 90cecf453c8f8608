using ILGPU;
using ILGPU.Runtime;

namespace GenStats.Tensors.Cuda.Kernels;

/// <summary>Row-major SGEMM arguments (the ITensorBackend.Gemm convention) plus the fused epilogue of Linear.</summary>
internal struct GemmArgs
{
    public int TransA, TransB, M, N, K;
    public float Alpha, Beta;
    public int AOffset, Lda, BOffset, Ldb, COffset, Ldc;
    /// <summary>1: add bias[column] after α·AB + βC; then ReLU when <see cref="Relu"/> is 1.</summary>
    public int HasBias, Relu;
}

/// <summary>
/// A shared-memory tiled SGEMM (tile = the group's side, at most <see cref="MaxTile"/>), with the
/// bias/ReLU epilogue fused. It runs on the CPU accelerator and is the CUDA fallback when cuBLAS is
/// absent. Each output sums its k products in ascending k, so results are deterministic.
/// </summary>
internal static class GemmKernels
{
    public const int MaxTile = 16;

    private static float LoadA(ArrayView1D<float, Stride1D.Dense> a, in GemmArgs g, int row, int kk) =>
        row < g.M && kk < g.K ? a[g.AOffset + (g.TransA != 0 ? kk * g.Lda + row : row * g.Lda + kk)] : 0f;

    private static float LoadB(ArrayView1D<float, Stride1D.Dense> b, in GemmArgs g, int kk, int col) =>
        kk < g.K && col < g.N ? b[g.BOffset + (g.TransB != 0 ? col * g.Ldb + kk : kk * g.Ldb + col)] : 0f;

    public static void Tiled(ArrayView1D<float, Stride1D.Dense> a, ArrayView1D<float, Stride1D.Dense> b,
                             ArrayView1D<float, Stride1D.Dense> c, ArrayView1D<float, Stride1D.Dense> bias, GemmArgs g)
    {
        var tileA = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        var tileB = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        int t = Group.DimX, tx = Group.IdxX, ty = Group.IdxY;
        int row = Grid.IdxY * t + ty, col = Grid.IdxX * t + tx;
        float sum = 0;
        for (int k0 = 0; k0 < g.K; k0 += t)
        {
            tileA[ty * t + tx] = LoadA(a, g, row, k0 + tx);
            tileB[ty * t + tx] = LoadB(b, g, k0 + ty, col);
            Group.Barrier();
            for (int kk = 0; kk < t; kk++) sum += tileA[ty * t + kk] * tileB[kk * t + tx];
            Group.Barrier();
        }
        if (row >= g.M || col >= g.N) return;
        int at = g.COffset + row * g.Ldc + col;
        Epilogue(c, bias, g, at, col, sum);
    }

    /// <summary>c = α·sum + βc (β = 0 overwrites, NaN in c is dropped), + bias[col], then ReLU.</summary>
    public static void Epilogue(ArrayView1D<float, Stride1D.Dense> c, ArrayView1D<float, Stride1D.Dense> bias, in GemmArgs g, int at, int col, float sum)
    {
        float v = g.Alpha * sum;
        if (g.Beta != 0) v += g.Beta * c[at];
        if (g.HasBias != 0) v += bias[col];
        if (g.Relu != 0) v = DeviceMath.Max(v, 0f);
        c[at] = v;
    }

    /// <summary>The bias/ReLU epilogue alone, after cuBLAS wrote c = x·W (one thread per element of c [rows, n]).</summary>
    public static void BiasRelu(Index1D i, ArrayView1D<float, Stride1D.Dense> c, ArrayView1D<float, Stride1D.Dense> bias, int n, int hasBias, int relu)
    {
        float v = c[i];
        if (hasBias != 0) v += bias[i % n];
        if (relu != 0) v = DeviceMath.Max(v, 0f);
        c[i] = v;
    }
}
