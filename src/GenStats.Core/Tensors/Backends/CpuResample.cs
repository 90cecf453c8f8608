namespace GenStats.Tensors.Backends;

/// <summary>
/// 2× upsampling (nearest, bilinear with PyTorch's align_corners=False) and zero pad / crop of
/// the last two axes, with their adjoints, for the managed backend. Planes (N·C images) run in
/// parallel; each writes its own output plane.
/// </summary>
internal static class CpuResample
{
    /// <summary>Per output index o of a 2× axis: the two source indices and their weights.</summary>
    private readonly record struct Taps(int[] I0, int[] I1, float[] W0, float[] W1);

    private static Taps TapsFor(UpsampleMode mode, int n)
    {
        int m = 2 * n;
        var t = new Taps(new int[m], new int[m], new float[m], new float[m]);
        for (int o = 0; o < m; o++)
        {
            if (mode == UpsampleMode.Nearest)
            {
                t.I0[o] = t.I1[o] = o / 2;
                t.W0[o] = 1; t.W1[o] = 0;
                continue;
            }
            // PyTorch's area_pixel_compute_source_index with align_corners=False, scale ½.
            float src = MathF.Max(0f, (o + 0.5f) * 0.5f - 0.5f);
            int i0 = Math.Min((int)src, n - 1);
            float lambda = src - i0;
            t.I0[o] = i0;
            t.I1[o] = Math.Min(i0 + 1, n - 1);
            t.W0[o] = 1 - lambda;
            t.W1[o] = lambda;
        }
        return t;
    }

    private static void ForPlanes(int planes, int planeWork, int threads, Action<int, int> body)
    {
        // Chunks of planes sized by work (not by thread count), so the split never changes a result.
        int per = Math.Max(1, 16384 / Math.Max(1, planeWork));
        int chunks = (planes + per - 1) / per;
        WorkerPool.Run(chunks, (long)planes * planeWork > 32768 ? threads : 1, c => body(c * per, Math.Min(planes, (c + 1) * per)));
    }

    /// <summary>y [planes, 2h, 2w] = upsample(x [planes, h, w]).</summary>
    public static void Upsample(UpsampleMode mode, float[] x, float[] y, int planes, int h, int w, int threads)
    {
        var th = TapsFor(mode, h);
        var tw = TapsFor(mode, w);
        int oh = 2 * h, ow = 2 * w;
        ForPlanes(planes, oh * ow, threads, (p0, p1) =>
        {
            for (int p = p0; p < p1; p++)
            {
                int xo = p * h * w, yo = p * oh * ow;
                for (int i = 0; i < oh; i++)
                {
                    int r0 = xo + th.I0[i] * w, r1 = xo + th.I1[i] * w;
                    float a0 = th.W0[i], a1 = th.W1[i];
                    int yr = yo + i * ow;
                    if (mode == UpsampleMode.Nearest)
                        for (int j = 0; j < w; j++) { float v = x[r0 + j]; y[yr + 2 * j] = v; y[yr + 2 * j + 1] = v; }
                    else
                        for (int j = 0; j < ow; j++)
                        {
                            int c0 = tw.I0[j], c1 = tw.I1[j];
                            float b0 = tw.W0[j], b1 = tw.W1[j];
                            y[yr + j] = a0 * (b0 * x[r0 + c0] + b1 * x[r0 + c1]) + a1 * (b0 * x[r1 + c0] + b1 * x[r1 + c1]);
                        }
                }
            }
        });
    }

    /// <summary>The adjoint of <see cref="Upsample"/>: dx [planes, h, w] from g [planes, 2h, 2w] (dx overwritten).</summary>
    public static void UpsampleAdjoint(UpsampleMode mode, float[] g, float[] dx, int planes, int h, int w, int threads)
    {
        var th = TapsFor(mode, h);
        var tw = TapsFor(mode, w);
        int oh = 2 * h, ow = 2 * w;
        ForPlanes(planes, oh * ow, threads, (p0, p1) =>
        {
            for (int p = p0; p < p1; p++)
            {
                int xo = p * h * w, go = p * oh * ow;
                dx.AsSpan(xo, h * w).Clear();
                for (int i = 0; i < oh; i++)
                {
                    int r0 = xo + th.I0[i] * w, r1 = xo + th.I1[i] * w;
                    float a0 = th.W0[i], a1 = th.W1[i];
                    int gr = go + i * ow;
                    if (mode == UpsampleMode.Nearest)
                        for (int j = 0; j < w; j++) dx[r0 + j] += g[gr + 2 * j] + g[gr + 2 * j + 1];
                    else
                        for (int j = 0; j < ow; j++)
                        {
                            float v = g[gr + j];
                            int c0 = tw.I0[j], c1 = tw.I1[j];
                            float b0 = tw.W0[j] * v, b1 = tw.W1[j] * v;
                            dx[r0 + c0] += a0 * b0; dx[r0 + c1] += a0 * b1;
                            dx[r1 + c0] += a1 * b0; dx[r1 + c1] += a1 * b1;
                        }
                }
            }
        });
    }

    /// <summary>y[p, i, j] = x[p, i − top, j − left] inside x, 0 outside (negative offsets crop).</summary>
    public static void PadCrop(float[] x, int planes, int h, int w, float[] y, int oh, int ow, int top, int left, int threads)
    {
        int r0 = Math.Max(0, top), r1 = Math.Min(oh, h + top);
        int c0 = Math.Max(0, left), c1 = Math.Min(ow, w + left);
        ForPlanes(planes, oh * ow, threads, (p0, p1) =>
        {
            for (int p = p0; p < p1; p++)
            {
                var dst = y.AsSpan(p * oh * ow, oh * ow);
                if (r1 <= r0 || c1 <= c0) { dst.Clear(); continue; }
                dst[..(r0 * ow)].Clear();
                dst[(r1 * ow)..].Clear();
                for (int i = r0; i < r1; i++)
                {
                    var line = dst.Slice(i * ow, ow);
                    line[..c0].Clear();
                    line[c1..].Clear();
                    x.AsSpan(p * h * w + (i - top) * w + c0 - left, c1 - c0).CopyTo(line[c0..c1]);
                }
            }
        });
    }
}
