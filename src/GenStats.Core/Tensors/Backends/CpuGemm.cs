using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GenStats.Tensors.Backends;

/// <summary>
/// Packed, cache-blocked, register-tiled SGEMM (the Goto/BLIS scheme) for row-major matrices.
/// Loops: jc over NC columns → pc over KC depth (pack a KC×NC panel of op(B) into NR-wide slivers)
/// → ic over MC rows (each task packs its MC×KC block of α·op(A) into MR-tall slivers) → jr, ir →
/// a 6×32 micro-kernel of 12 Vector512 FMA accumulators (6×16 with Vector256 where AVX-512 is
/// not fast; GENSTATS_GEMM_AVX2=1 forces it). Transposition is absorbed by the packing,
/// so all four combinations run the same kernel. Work is split over row blocks (and column groups
/// when there are few rows); the k-order of every sum is fixed, so results do not depend on the
/// number of threads.
/// </summary>
internal static unsafe class CpuGemm
{
    private const int MR = 6, KC = 256, MC = 120, NC = 3072, DirectMaxN = 512;

    /// <summary>Tile width: 32 columns (two Vector512) where AVX-512 is fast, else 16 (two Vector256).</summary>
    private static readonly int NR = Vector512.IsHardwareAccelerated && Environment.GetEnvironmentVariable("GENSTATS_GEMM_AVX2") != "1" ? 32 : 16;

    // Each calling thread owns its packed-B panel (shared read-only with the workers it forks) and
    // every thread owns its packed-A block, so concurrent callers never share a buffer.
    [ThreadStatic] private static float[]? packA;
    [ThreadStatic] private static float[]? packB;

    /// <summary>
    /// C = act(α·op(A)·op(B) + β·C + 1·biasᵀ) with act = ReLU when <paramref name="relu"/> is set.
    /// With β = 0 the first depth block overwrites C (C is never read); the bias is added in the
    /// first depth block and the ReLU applied in the last, while each tile is still in registers.
    /// </summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc, int threads, float[]? bias = null, bool relu = false)
    {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0 || (long)m * n * k < 4096 || !Vector256.IsHardwareAccelerated)
        {
            ScaleC(beta, c, cOff, ldc, m, n);
            Naive(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            Epilogue(c, cOff, ldc, m, n, bias, relu);
            return;
        }
        if (m < MR && !transB && n >= 2 * NR)
        {
            // Fewer rows than a tile (a conv with one or a few output channels): a 6-row tile would waste most of its FMAs.
            ScaleC(beta, c, cOff, ldc, m, n);
            FewRows(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, (long)m * n * k < 200_000 ? 1 : threads);
            Epilogue(c, cOff, ldc, m, n, bias, relu);
            return;
        }
        bool overwrite = beta == 0;
        if (!overwrite) ScaleC(beta, c, cOff, ldc, m, n);
        // Few flops per thread do not pay for the fork/join.
        if ((long)m * n * k < 200_000) threads = 1;

        int ncMax = Math.Min(NC, RoundUp(n, NR));
        if (packB is null || packB.Length < KC * ncMax)
            packB = GC.AllocateUninitializedArray<float>(KC * ncMax, pinned: true);
        var pb = packB;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                PackB(transB, b, bOff, ldb, pc, jc, kc, nc, pb, threads);
                var tile = new TileOps(overwrite && pc == 0, pc == 0 ? bias : null, pc == 0 ? jc : 0, relu && pc + kc >= k);
                RunBlock(transA, m, nc, kc, alpha, a, aOff, lda, pc, pb, c, cOff + jc, ldc, threads, tile);
            }
        }
    }

    /// <summary>What a micro-tile does when it stores: overwrite or accumulate, add bias[biasOffset + j], ReLU.</summary>
    private readonly record struct TileOps(bool Overwrite, float[]? Bias, int BiasOffset, bool Relu);

    private static void Epilogue(float[] c, int cOff, int ldc, int m, int n, float[]? bias, bool relu)
    {
        if (bias is null && !relu) return;
        for (int i = 0; i < m; i++)
        {
            var row = c.AsSpan(cOff + i * ldc, n);
            if (bias is not null) System.Numerics.Tensors.TensorPrimitives.Add(row, bias.AsSpan(0, n), row);
            if (relu) System.Numerics.Tensors.TensorPrimitives.Max(row, 0f, row);
        }
    }

    /// <summary>
    /// C += α·op(A)·B for m &lt; MR rows: each row of C takes the rows of B times its coefficients (one
    /// fused multiply-add span per depth step, depth in order), over fixed 512-column blocks in
    /// parallel, so the result does not depend on the thread count.
    /// </summary>
    private static void FewRows(bool transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, int threads)
    {
        const int Cols = 512;
        int blocks = (n + Cols - 1) / Cols;
        WorkerPool.Run(blocks, threads, blk =>
        {
            int j0 = blk * Cols, len = Math.Min(Cols, n - j0);
            for (int i = 0; i < m; i++)
            {
                var row = c.AsSpan(cOff + i * ldc + j0, len);
                for (int p = 0; p < k; p++)
                {
                    float av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                    System.Numerics.Tensors.TensorPrimitives.FusedMultiplyAdd(b.AsSpan(bOff + p * ldb + j0, len), av, row, row);
                }
            }
        });
    }

    private static int RoundUp(int x, int r) => (x + r - 1) / r * r;

    private static void ScaleC(float beta, float[] c, int cOff, int ldc, int m, int n)
    {
        if (beta == 1) return;
        for (int i = 0; i < m; i++)
        {
            var row = c.AsSpan(cOff + i * ldc, n);
            if (beta == 0) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    private static void RunBlock(bool transA, int m, int nc, int kc, float alpha, float[] a, int aOff, int lda, int pc,
                                 float[] pb, float[] c, int cOff, int ldc, int threads, TileOps ops)
    {
        int nSlivers = (nc + NR - 1) / NR;
        // Row blocks: at most MC rows, and at least one block per thread when m allows it.
        // The number of row blocks is a multiple of the thread count so that no thread idles at the end.
        int mBlocks = (m + MC - 1) / MC;
        if (threads > 1) mBlocks = RoundUp(mBlocks, threads);
        int mc = Math.Min(MC, RoundUp((m + mBlocks - 1) / mBlocks, MR));
        mBlocks = (m + mc - 1) / mc;
        int nGroups = mBlocks >= threads ? 1 : Math.Min(nSlivers, (threads + mBlocks - 1) / mBlocks);
        int slPerGroup = (nSlivers + nGroups - 1) / nGroups;
        int tasks = mBlocks * nGroups;

        void Task(int t)
        {
            int ib = t / nGroups, g = t % nGroups;
            int i0 = ib * mc, rows = Math.Min(mc, m - i0);
            int s0 = g * slPerGroup, s1 = Math.Min(nSlivers, s0 + slPerGroup);
            if (s0 >= s1) return;
            var pa = packA ??= GC.AllocateUninitializedArray<float>(MC * KC + MR * KC, pinned: true);
            // Narrow products (n ≤ DirectMaxN) read full 6-row slivers of A in place: packing A would
            // cost about as much as a quarter of the FMAs when n is 128. Only a partial last sliver is packed.
            bool direct = alpha == 1 && nc <= DirectMaxN;
            int fullRows = direct ? rows / MR * MR : 0;
            if (!direct) PackA(transA, a, aOff, lda, i0, pc, rows, kc, alpha, pa);
            else if (fullRows < rows) PackA(transA, a, aOff, lda, i0 + fullRows, pc, rows - fullRows, kc, alpha, pa);
            // Element (row ii, depth p) of a sliver is at base[ii·rs + p·ds].
            nint rsDirect = transA ? 1 : lda, dsDirect = transA ? lda : 1;
            fixed (float* aP = a, paP = pa, pbP = pb, cP = c, biasP = ops.Bias)
            {
                for (int s = s0; s < s1; s++)
                {
                    int j = s * NR, cols = Math.Min(NR, nc - j);
                    float* bs = pbP + (long)s * NR * kc;
                    for (int ir = 0; ir < rows; ir += MR)
                    {
                        int r = Math.Min(MR, rows - ir);
                        float* cp = cP + cOff + (long)(i0 + ir) * ldc + j;
                        float* asl;
                        nint rs, ds;
                        if (ir < fullRows)
                        {
                            asl = transA ? aP + aOff + (long)pc * lda + i0 + ir : aP + aOff + (long)(i0 + ir) * lda + pc;
                            rs = rsDirect; ds = dsDirect;
                        }
                        else
                        {
                            asl = paP + (long)(ir - fullRows) * kc;
                            rs = 1; ds = MR;
                        }
                        float* bp = biasP == null ? null : biasP + ops.BiasOffset + j;
                        if (r == MR && cols == NR)
                        {
                            if (NR == 32) Kernel6x32(kc, asl, rs, ds, bs, cp, ldc, ops.Overwrite, bp, ops.Relu);
                            else Kernel6x16(kc, asl, rs, ds, bs, cp, ldc, ops.Overwrite, bp, ops.Relu);
                        }
                        else Edge(kc, asl, rs, ds, bs, cp, ldc, r, cols, ops.Overwrite, bp, ops.Relu);
                    }
                }
            }
        }

        WorkerPool.Run(tasks, threads, Task);
    }

    /// <summary>Packs rows i0..i0+rows of α·op(A), depth pc..pc+kc, as MR-tall slivers (zero-padded).</summary>
    private static void PackA(bool transA, float[] a, int aOff, int lda, int i0, int pc, int rows, int kc, float alpha, float[] pa)
    {
        fixed (float* aP = a, paP = pa)
        {
            for (int ir = 0; ir < rows; ir += MR)
            {
                int r = Math.Min(MR, rows - ir);
                float* dst = paP + (long)ir * kc;
                if (!transA)
                {
                    if (r == MR)
                    {
                        // Six row pointers walked together: one contiguous MR-vector per depth step.
                        float* r0 = aP + aOff + (long)(i0 + ir) * lda + pc;
                        float* r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
                        for (int p = 0; p < kc; p++, dst += MR)
                        {
                            dst[0] = alpha * r0[p]; dst[1] = alpha * r1[p]; dst[2] = alpha * r2[p];
                            dst[3] = alpha * r3[p]; dst[4] = alpha * r4[p]; dst[5] = alpha * r5[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++, dst += MR)
                            for (int ii = 0; ii < MR; ii++)
                                dst[ii] = ii < r ? alpha * aP[aOff + (long)(i0 + ir + ii) * lda + pc + p] : 0;
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++, dst += MR)
                    {
                        float* src = aP + aOff + (long)(pc + p) * lda + i0 + ir;
                        for (int ii = 0; ii < r; ii++) dst[ii] = alpha * src[ii];
                        for (int ii = r; ii < MR; ii++) dst[ii] = 0;
                    }
                }
            }
        }
    }

    /// <summary>Packs columns jc..jc+nc of op(B), depth pc..pc+kc, as NR-wide slivers (zero-padded).</summary>
    private static void PackB(bool transB, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc, float[] pb, int threads)
    {
        int nSlivers = (nc + NR - 1) / NR;
        void Sliver(int s)
        {
            int j0 = s * NR, cols = Math.Min(NR, nc - j0);
            fixed (float* bP = b, pbP = pb)
            {
                float* dst = pbP + (long)s * NR * kc;
                if (!transB)
                {
                    float* src = bP + bOff + (long)pc * ldb + jc + j0;
                    if (cols == NR)
                    {
                        for (int p = 0; p < kc; p++, src += ldb, dst += NR)
                            for (int v = 0; v < NR; v += 8)
                                Vector256.Store(Vector256.Load(src + v), dst + v);
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++, src += ldb, dst += NR)
                            for (int jj = 0; jj < NR; jj++) dst[jj] = jj < cols ? src[jj] : 0;
                    }
                }
                else
                {
                    for (int jj = 0; jj < NR; jj++)
                    {
                        if (jj < cols)
                        {
                            float* src = bP + bOff + (long)(jc + j0 + jj) * ldb + pc;
                            for (int p = 0; p < kc; p++) dst[p * NR + jj] = src[p];
                        }
                        else
                            for (int p = 0; p < kc; p++) dst[p * NR + jj] = 0;
                    }
                }
            }
        }
        WorkerPool.Run(nSlivers, (long)kc * nc > 65536 ? threads : 1, Sliver);
    }

    private static void Edge(int kc, float* a, nint rs, nint ds, float* b, float* c, int ldc, int rows, int cols, bool overwrite, float* bias, bool relu)
    {
        float* tmp = stackalloc float[MR * 32];
        if (NR == 32) Kernel6x32(kc, a, rs, ds, b, tmp, NR, true, null, false);
        else Kernel6x16(kc, a, rs, ds, b, tmp, NR, true, null, false);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                float v = tmp[i * NR + j];
                if (!overwrite) v += c[(long)i * ldc + j];
                if (bias != null) v += bias[j];
                c[(long)i * ldc + j] = relu ? MathF.Max(v, 0) : v;
            }
    }

    /// <summary>C[6×16] (+)= Σ_p a[p,0..6) ⊗ b[p,0..16) (+ bias, ReLU): 12 accumulators stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, nint rs, nint ds, float* b, float* c, int ldc, bool overwrite, float* bias, bool relu)
    {
        nint o2 = 2 * rs, o3 = 3 * rs, o4 = 4 * rs, o5 = 5 * rs;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                         c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00); c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[rs]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10); c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[o2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20); c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[o3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30); c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[o4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40); c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[o5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50); c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
            a += ds; b += 16;
        }
        if (overwrite && bias == null && !relu)
        {
            Put(c, c00, c01); c += ldc; Put(c, c10, c11); c += ldc; Put(c, c20, c21); c += ldc;
            Put(c, c30, c31); c += ldc; Put(c, c40, c41); c += ldc; Put(c, c50, c51);
            return;
        }
        if (!overwrite && bias == null && !relu)
        {
            Acc(c, c00, c01); c += ldc; Acc(c, c10, c11); c += ldc; Acc(c, c20, c21); c += ldc;
            Acc(c, c30, c31); c += ldc; Acc(c, c40, c41); c += ldc; Acc(c, c50, c51);
            return;
        }
        var bias0 = bias == null ? default : Vector256.Load(bias);
        var bias1 = bias == null ? default : Vector256.Load(bias + 8);
        Store(c, c00, c01, overwrite, bias0, bias1, relu); c += ldc;
        Store(c, c10, c11, overwrite, bias0, bias1, relu); c += ldc;
        Store(c, c20, c21, overwrite, bias0, bias1, relu); c += ldc;
        Store(c, c30, c31, overwrite, bias0, bias1, relu); c += ldc;
        Store(c, c40, c41, overwrite, bias0, bias1, relu); c += ldc;
        Store(c, c50, c51, overwrite, bias0, bias1, relu);
    }

    /// <summary>The AVX-512 tile: C[6×32] (+)= Σ_p a[p,0..6) ⊗ b[p,0..32) (+ bias, ReLU), 12 Vector512 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x32(int kc, float* a, nint rs, nint ds, float* b, float* c, int ldc, bool overwrite, float* bias, bool relu)
    {
        nint o2 = 2 * rs, o3 = 3 * rs, o4 = 4 * rs, o5 = 5 * rs;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                         c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00); c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[rs]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10); c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[o2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20); c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[o3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30); c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[o4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40); c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[o5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50); c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
            a += ds; b += 32;
        }
        var bias0 = bias == null ? default : Vector512.Load(bias);
        var bias1 = bias == null ? default : Vector512.Load(bias + 16);
        Store512(c, c00, c01, overwrite, bias0, bias1, relu); c += ldc;
        Store512(c, c10, c11, overwrite, bias0, bias1, relu); c += ldc;
        Store512(c, c20, c21, overwrite, bias0, bias1, relu); c += ldc;
        Store512(c, c30, c31, overwrite, bias0, bias1, relu); c += ldc;
        Store512(c, c40, c41, overwrite, bias0, bias1, relu); c += ldc;
        Store512(c, c50, c51, overwrite, bias0, bias1, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> v0, Vector512<float> v1, bool overwrite, Vector512<float> b0, Vector512<float> b1, bool relu)
    {
        if (!overwrite) { v0 += Vector512.Load(c); v1 += Vector512.Load(c + 16); }
        v0 += b0; v1 += b1;
        if (relu) { v0 = Vector512.Max(v0, Vector512<float>.Zero); v1 = Vector512.Max(v1, Vector512<float>.Zero); }
        Vector512.Store(v0, c);
        Vector512.Store(v1, c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* c, Vector256<float> v0, Vector256<float> v1)
    {
        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Acc(float* c, Vector256<float> v0, Vector256<float> v1)
    {
        Vector256.Store(Vector256.Load(c) + v0, c);
        Vector256.Store(Vector256.Load(c + 8) + v1, c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> v0, Vector256<float> v1, bool overwrite, Vector256<float> b0, Vector256<float> b1, bool relu)
    {
        if (!overwrite) { v0 += Vector256.Load(c); v1 += Vector256.Load(c + 8); }
        v0 += b0; v1 += b1;
        if (relu) { v0 = Vector256.Max(v0, Vector256<float>.Zero); v1 = Vector256.Max(v1, Vector256<float>.Zero); }
        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }

    /// <summary>Plain triple loop for tiny products (C already scaled by β).</summary>
    private static void Naive(bool transA, bool transB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]) * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                c[cOff + i * ldc + j] += alpha * s;
            }
    }
}
