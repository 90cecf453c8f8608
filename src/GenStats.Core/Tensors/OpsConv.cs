using GenStats.Tensors.Backends;

namespace GenStats.Tensors;

public static partial class Ops
{
    // ---- 2-D convolutions, NCHW, float32 (PyTorch's conventions: cross-correlation, dilation 1) ----
    //
    // Three raw operations are adjoint to one another: the convolution y = conv(x, w), its input
    // gradient dx = convᵀ(dy, w) (a transposed convolution) and its weight gradient dw = corr(x, dy).
    // Each one's backward is written with the other two, so gradients of gradients (the WGAN-GP
    // penalty through a critic's convolutions) come for free.

    /// <summary>
    /// 2-D convolution as PyTorch's <c>torch.nn.functional.conv2d(x, weight, bias, stride, padding)</c>
    /// (cross-correlation, dilation 1, groups 1): x [N, C, H, W], weight [O, C, kh, kw], bias [O] or
    /// null, output [N, O, ⌊(H + 2p − kh)/s⌋ + 1, ⌊(W + 2p − kw)/s⌋ + 1]. Zero padding of
    /// <paramref name="padding"/> on every side.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong ranks, mismatched channels, a kernel larger than the padded input, or stride &lt; 1 / padding &lt; 0.</exception>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        RequireRank(x, 4, nameof(x));
        RequireRank(weight, 4, nameof(weight));
        if (weight.Shape[1] != x.Shape[1])
            throw new ArgumentException($"x has {x.Shape[1]} channels ({x.Shape}) but weight is {weight.Shape}; [O, {x.Shape[1]}, kh, kw] is required.", nameof(weight));
        var g = new ConvGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], weight.Shape[0], weight.Shape[2], weight.Shape[3], stride, padding);
        CheckGeometry(g);
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != g.OutChannels))
            throw new ArgumentException($"bias has shape {bias.Shape}; [{g.OutChannels}] is required.", nameof(bias));
        return ConvForward(x, weight, bias, g);
    }

    /// <summary>
    /// 2-D transposed convolution as PyTorch's <c>conv_transpose2d(x, weight, bias, stride, padding,
    /// output_padding)</c> (dilation 1, groups 1): x [N, Cin, H, W], weight [Cin, Cout, kh, kw]
    /// (PyTorch's layout), output [N, Cout, (H − 1)·s − 2p + kh + op, (W − 1)·s − 2p + kw + op].
    /// It is the input gradient of <see cref="Conv2d"/> with the same weight.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong ranks or channels, stride &lt; 1, padding &lt; 0, or output padding outside 0..stride−1.</exception>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        RequireRank(x, 4, nameof(x));
        RequireRank(weight, 4, nameof(weight));
        if (weight.Shape[0] != x.Shape[1])
            throw new ArgumentException($"x has {x.Shape[1]} channels ({x.Shape}) but weight is {weight.Shape}; [{x.Shape[1]}, Cout, kh, kw] is required.", nameof(weight));
        if (stride < 1) throw new ArgumentException($"stride is {stride}; at least 1 is required.", nameof(stride));
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"outputPadding is {outputPadding}; 0..{stride - 1} (below the stride) is allowed.", nameof(outputPadding));
        int kh = weight.Shape[2], kw = weight.Shape[3];
        int h = (x.Shape[2] - 1) * stride - 2 * padding + kh + outputPadding;
        int w = (x.Shape[3] - 1) * stride - 2 * padding + kw + outputPadding;
        if (h < 1 || w < 1)
            throw new ArgumentException($"the output of a transposed convolution of {x.Shape} with kernel {kh}×{kw}, stride {stride}, padding {padding} would be {h}×{w}; reduce the padding.", nameof(padding));
        var g = new ConvGeometry(x.Shape[0], weight.Shape[1], h, w, weight.Shape[0], kh, kw, stride, padding);
        CheckGeometry(g);
        int cout = weight.Shape[1];
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != cout))
            throw new ArgumentException($"bias has shape {bias.Shape}; [{cout}] is required.", nameof(bias));
        var y = ConvData(x, weight, g);
        return bias is null ? y : Add(y, Reshape(bias, 1, cout, 1, 1));
    }

    private static void CheckGeometry(in ConvGeometry g)
    {
        if (g.Stride < 1) throw new ArgumentException($"stride is {g.Stride}; at least 1 is required.", "stride");
        if (g.Padding < 0) throw new ArgumentException($"padding is {g.Padding}; it must be non-negative.", "padding");
        if (g.KernelH < 1 || g.KernelW < 1) throw new ArgumentException($"the kernel is {g.KernelH}×{g.KernelW}; it must be at least 1×1.", "weight");
        if (g.Height + 2 * g.Padding < g.KernelH || g.Width + 2 * g.Padding < g.KernelW)
            throw new ArgumentException($"the kernel {g.KernelH}×{g.KernelW} is larger than the padded input {g.Height + 2 * g.Padding}×{g.Width + 2 * g.Padding} (input {g.Height}×{g.Width}, padding {g.Padding}).", "weight");
    }

    private static Shape InputShape(in ConvGeometry g) => new(g.Batch, g.InChannels, g.Height, g.Width);

    private static Shape OutputShape(in ConvGeometry g) => new(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth);

    /// <summary>y = conv(x, w) + b; backward: dx = convᵀ(dy, w), dw = corr(x, dy), db = Σ dy.</summary>
    private static Tensor ConvForward(Tensor x, Tensor w, Tensor? bias, ConvGeometry g)
    {
        var be = bias is null ? B(x, w) : B(x, w, bias);
        var y = Tensor.Allocate(OutputShape(g), be);
        be.Conv2d(x.Buffer, w.Buffer, bias?.Buffer, y.Buffer, g);
        bool track = Autograd.IsGradEnabled && (x.RequiresGrad || w.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (!track) return y;
        Tensor[] inputs = bias is null ? [x, w] : [x, w, bias];
        return Record(y, "conv2d", inputs, (gy, n) =>
        {
            var r = new Tensor?[inputs.Length];
            if (n[0]) r[0] = ConvData(gy, w, g);
            if (n[1]) r[1] = ConvWeight(x, gy, g);
            if (inputs.Length == 3 && n[2]) r[2] = Sum(gy, [0, 2, 3]);
            return r;
        });
    }

    /// <summary>dx = convᵀ(dy, w), the input gradient; linear in both, so its backward is conv and corr.</summary>
    private static Tensor ConvData(Tensor gy, Tensor w, ConvGeometry g)
    {
        var be = B(gy, w);
        var dx = Tensor.Allocate(InputShape(g), be);
        be.Conv2dBackwardData(gy.Buffer, w.Buffer, dx.Buffer, g);
        if (!Tracks(gy, w)) return dx;
        return Record(dx, "conv2d_transpose", [gy, w], (gg, n) =>
            [n[0] ? ConvForward(gg, w, null, g) : null, n[1] ? ConvWeight(gg, gy, g) : null]);
    }

    /// <summary>dw = corr(x, dy), the weight gradient; ⟨corr(x, dy), v⟩ = ⟨dy, conv(x, v)⟩.</summary>
    private static Tensor ConvWeight(Tensor x, Tensor gy, ConvGeometry g)
    {
        var be = B(x, gy);
        var dw = Tensor.Allocate(new Shape(g.OutChannels, g.InChannels, g.KernelH, g.KernelW), be);
        be.Conv2dBackwardWeight(x.Buffer, gy.Buffer, dw.Buffer, g);
        if (!Tracks(x, gy)) return dw;
        return Record(dw, "conv2d_weight", [x, gy], (gw, n) =>
            [n[0] ? ConvData(gy, gw, g) : null, n[1] ? ConvForward(x, gw, null, g) : null]);
    }

    // ---- resampling, pad and crop of the last two axes ----

    /// <summary>
    /// 2× upsampling of the last two axes of x [N, C, H, W] to [N, C, 2H, 2W], as PyTorch's
    /// <c>nn.Upsample(scale_factor=2, mode)</c>; bilinear uses <c>align_corners=False</c> (PyTorch's
    /// default), see <see cref="UpsampleMode"/>. Linear in x; its gradient is the adjoint resampling.
    /// </summary>
    public static Tensor Upsample2x(Tensor x, UpsampleMode mode = UpsampleMode.Nearest)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRank(x, 4, nameof(x));
        if (mode is not (UpsampleMode.Nearest or UpsampleMode.Bilinear))
            throw new ArgumentException($"mode is {mode}; Nearest or Bilinear is allowed.", nameof(mode));
        return UpsampleCore(x, mode);
    }

    private static Tensor UpsampleCore(Tensor x, UpsampleMode mode)
    {
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var be = B(x);
        var y = Tensor.Allocate(new Shape(x.Shape[0], x.Shape[1], 2 * h, 2 * w), be);
        be.Upsample2x(mode, x.Buffer, y.Buffer, planes, h, w);
        return Tracks(x) ? Record(y, "upsample2x", [x], (g, _) => [UpsampleAdjoint(g, mode, x.Shape)]) : y;
    }

    private static Tensor UpsampleAdjoint(Tensor g, UpsampleMode mode, Shape inputShape)
    {
        var be = B(g);
        var dx = Tensor.Allocate(inputShape, be);
        be.Upsample2xAdjoint(mode, g.Buffer, dx.Buffer, inputShape[0] * inputShape[1], inputShape[2], inputShape[3]);
        return Tracks(g) ? Record(dx, "upsample2x_adjoint", [g], (gg, _) => [UpsampleCore(gg, mode)]) : dx;
    }

    /// <summary>
    /// Zero padding of the last two axes of x [N, C, H, W] (torch.nn.functional.pad(x, (left, right,
    /// top, bottom))): output [N, C, H + top + bottom, W + left + right]. Negative amounts crop.
    /// </summary>
    /// <exception cref="ArgumentException">Not rank 4, or an output dimension below 1.</exception>
    public static Tensor Pad2d(Tensor x, int top, int bottom, int left, int right)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRank(x, 4, nameof(x));
        int oh = x.Shape[2] + top + bottom, ow = x.Shape[3] + left + right;
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"padding ({top}, {bottom}, {left}, {right}) of {x.Shape} leaves {oh}×{ow}; at least 1×1 is required.", nameof(top));
        return PadCrop(x, oh, ow, top, left);
    }

    /// <summary>
    /// The central height × width window of the last two axes of x [N, C, H, W]. The window starts at
    /// row ⌊(H − height)/2⌋ and column ⌊(W − width)/2⌋ (torchvision's CenterCrop when the difference
    /// is even; with an odd difference the extra row/column is dropped at the end).
    /// </summary>
    /// <exception cref="ArgumentException">Not rank 4, or a window larger than the image or below 1.</exception>
    public static Tensor CenterCrop2d(Tensor x, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRank(x, 4, nameof(x));
        if (height < 1 || width < 1 || height > x.Shape[2] || width > x.Shape[3])
            throw new ArgumentException($"the crop {height}×{width} must lie within the image {x.Shape[2]}×{x.Shape[3]} of {x.Shape} and be at least 1×1.", nameof(height));
        return PadCrop(x, height, width, -((x.Shape[2] - height) / 2), -((x.Shape[3] - width) / 2));
    }

    /// <summary>The inverse placement of <see cref="CenterCrop2d"/>: x centred in zeros of height × width (its adjoint).</summary>
    public static Tensor CenterPad2d(Tensor x, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRank(x, 4, nameof(x));
        if (height < x.Shape[2] || width < x.Shape[3])
            throw new ArgumentException($"the padded size {height}×{width} must be at least the image {x.Shape[2]}×{x.Shape[3]} of {x.Shape}.", nameof(height));
        return PadCrop(x, height, width, (height - x.Shape[2]) / 2, (width - x.Shape[3]) / 2);
    }

    /// <summary>y[n, c, i, j] = x[n, c, i − top, j − left] (0 outside x); its adjoint is the same with (−top, −left).</summary>
    private static Tensor PadCrop(Tensor x, int oh, int ow, int top, int left)
    {
        int h = x.Shape[2], w = x.Shape[3];
        if (oh == h && ow == w && top == 0 && left == 0) return x;
        var be = B(x);
        var y = Tensor.Allocate(new Shape(x.Shape[0], x.Shape[1], oh, ow), be);
        be.PadCrop2d(x.Buffer, x.Shape[0] * x.Shape[1], h, w, y.Buffer, oh, ow, top, left);
        return Tracks(x) ? Record(y, "pad_crop2d", [x], (g, _) => [PadCrop(g, h, w, -top, -left)]) : y;
    }

    /// <summary>x [N, …] as a matrix [N, rest] (torch.flatten(x, 1)); shares the buffer.</summary>
    public static Tensor Flatten(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1) throw new ArgumentException("x is a scalar; a tensor with a batch axis is required.", nameof(x));
        int n = x.Shape[0];
        return Reshape(x, n, n == 0 ? 0 : x.Size / n);
    }
}
