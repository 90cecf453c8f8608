using GenStats.Tensors.Backends;
using ILGPU;
using ILGPU.Runtime;

namespace GenStats.Tensors.Cuda.Kernels;

/// <summary>
/// NCHW image kernels: im2col and its adjoint (col2im as a gather — one thread per input pixel, no
/// atomics), the [O, N·P] ↔ [N, O, P] permutes around the convolution GEMM, 2× upsampling and its
/// adjoint (also a gather), and zero pad / crop. The convolution itself is im2col + GEMM over the
/// whole batch: cols [C·kh·kw, N·OH·OW].
/// </summary>
internal static class ImageKernels
{
    /// <summary>cols[row, n·P + r·OW + q] = x[n, c, r·s − p + ki, q·s − p + kj] (0 outside), row = (c·kh + ki)·kw + kj.</summary>
    public static void Im2Col(Index1D t, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> cols, ConvGeometry g)
    {
        int oh = g.OutHeight, ow = g.OutWidth, pix = oh * ow, width = g.Batch * pix;
        int row = t / width, colIdx = t % width;
        int n = colIdx / pix, rq = colIdx % pix, r = rq / ow, q = rq % ow;
        int kj = row % g.KernelW, cki = row / g.KernelW, ki = cki % g.KernelH, c = cki / g.KernelH;
        int ih = r * g.Stride - g.Padding + ki, iw = q * g.Stride - g.Padding + kj;
        cols[t] = ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width
            ? x[((n * g.InChannels + c) * g.Height + ih) * g.Width + iw]
            : 0f;
    }

    /// <summary>dx[n, c, ih, iw] = Σ_{ki, kj} cols[row, n·P + r·OW + q] over the output pixels (r, q) that read (ih, iw).</summary>
    public static void Col2Im(Index1D t, ArrayView1D<float, Stride1D.Dense> cols, ArrayView1D<float, Stride1D.Dense> dx, ConvGeometry g)
    {
        int oh = g.OutHeight, ow = g.OutWidth, pix = oh * ow, width = g.Batch * pix, s = g.Stride;
        int iw = t % g.Width, rest = t / g.Width, ih = rest % g.Height;
        rest /= g.Height;
        int c = rest % g.InChannels, n = rest / g.InChannels;
        float sum = 0;
        for (int ki = 0; ki < g.KernelH; ki++)
        {
            int rr = ih + g.Padding - ki;
            if (rr < 0 || rr % s != 0 || rr / s >= oh) continue;
            int r = rr / s;
            for (int kj = 0; kj < g.KernelW; kj++)
            {
                int qq = iw + g.Padding - kj;
                if (qq < 0 || qq % s != 0 || qq / s >= ow) continue;
                int row = (c * g.KernelH + ki) * g.KernelW + kj;
                sum += cols[row * width + n * pix + r * ow + qq / s];
            }
        }
        dx[t] = sum;
    }

    /// <summary>y[n, o, p] = tmp[o, n·P + p] + bias[o] (hasBias ≠ 0): the GEMM's [O, N·P] back to NCHW.</summary>
    public static void FromChannelMajor(Index1D t, ArrayView1D<float, Stride1D.Dense> tmp, ArrayView1D<float, Stride1D.Dense> bias,
                                        ArrayView1D<float, Stride1D.Dense> y, int batch, int channels, int pix, int hasBias)
    {
        int p = t % pix, no = t / pix, o = no % channels, n = no / channels;
        float v = tmp[o * batch * pix + n * pix + p];
        y[t] = hasBias != 0 ? v + bias[o] : v;
    }

    /// <summary>tmp[o, n·P + p] = y[n, o, p]: NCHW to the GEMM's channel-major layout.</summary>
    public static void ToChannelMajor(Index1D t, ArrayView1D<float, Stride1D.Dense> y, ArrayView1D<float, Stride1D.Dense> tmp,
                                      int batch, int channels, int pix)
    {
        int width = batch * pix, o = t / width, np = t % width, n = np / pix, p = np % pix;
        tmp[t] = y[(n * channels + o) * pix + p];
    }

    /// <summary>PyTorch's source index for a 2× bilinear axis (align_corners=False): the two taps and the weight of the second.</summary>
    private static int Taps(int o, int n, out int i1, out float lambda)
    {
        float src = DeviceMath.Max(0f, (o + 0.5f) * 0.5f - 0.5f);
        int i0 = (int)src;
        if (i0 > n - 1) i0 = n - 1;
        lambda = src - i0;
        i1 = i0 + 1 < n ? i0 + 1 : n - 1;
        return i0;
    }

    /// <summary>The weight with which output index o of a 2× axis reads source index i (0 if it does not).</summary>
    private static float Weight(int nearest, int o, int n, int i)
    {
        if (nearest != 0) return o / 2 == i ? 1f : 0f;
        int i0 = Taps(o, n, out int i1, out float lambda);
        return (i0 == i ? 1 - lambda : 0f) + (i1 == i ? lambda : 0f);
    }

    public static void Upsample(Index1D t, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, int h, int w, int nearest)
    {
        int ow = 2 * w, oh = 2 * h;
        int j = t % ow, rest = t / ow, i = rest % oh, plane = rest / oh, xo = plane * h * w;
        if (nearest != 0) { y[t] = x[xo + (i / 2) * w + j / 2]; return; }
        int r0 = Taps(i, h, out int r1, out float a1);
        int c0 = Taps(j, w, out int c1, out float b1);
        float a0 = 1 - a1, b0 = 1 - b1;
        y[t] = a0 * (b0 * x[xo + r0 * w + c0] + b1 * x[xo + r0 * w + c1]) + a1 * (b0 * x[xo + r1 * w + c0] + b1 * x[xo + r1 * w + c1]);
    }

    /// <summary>dx[plane, r, c] = Σ over the output pixels within two of (2r, 2c) of weight·g (a gather).</summary>
    public static void UpsampleAdjoint(Index1D t, ArrayView1D<float, Stride1D.Dense> g, ArrayView1D<float, Stride1D.Dense> dx, int h, int w, int nearest)
    {
        int ow = 2 * w, oh = 2 * h;
        int c = t % w, rest = t / w, r = rest % h, plane = rest / h, go = plane * oh * ow;
        float sum = 0;
        for (int i = 2 * r - 2; i <= 2 * r + 2; i++)
        {
            if (i < 0 || i >= oh) continue;
            float wr = Weight(nearest, i, h, r);
            if (wr == 0) continue;
            for (int j = 2 * c - 2; j <= 2 * c + 2; j++)
            {
                if (j < 0 || j >= ow) continue;
                float wc = Weight(nearest, j, w, c);
                if (wc != 0) sum += wr * (wc * g[go + i * ow + j]);
            }
        }
        dx[t] = sum;
    }

    public static void PadCrop(Index1D t, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y,
                               int h, int w, int oh, int ow, int top, int left)
    {
        int j = t % ow, rest = t / ow, i = rest % oh, plane = rest / oh;
        int si = i - top, sj = j - left;
        y[t] = si >= 0 && si < h && sj >= 0 && sj < w ? x[(plane * h + si) * w + sj] : 0f;
    }
}
