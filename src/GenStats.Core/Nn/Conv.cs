using GenStats.Tensors;
using GenStats.Tensors.Backends;

namespace GenStats.Nn;

/// <summary>
/// 2-D convolution layer on NCHW images (PyTorch's <c>nn.Conv2d</c>, dilation 1, groups 1): weight
/// [out, in, kh, kw] in PyTorch's layout, bias [out] starting at zero; see <see cref="Ops.Conv2d"/>.
/// Weights are initialised with fan_in = in·kh·kw and fan_out = out·kh·kw.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>A square-kernel convolution initialised from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">Non-positive channels or kernel, stride &lt; 1 or padding &lt; 0.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0,
                  Init init = Init.KaimingUniform, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        WeightInit.Check(inChannels, outChannels, kernelSize, stride, padding);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        int k2 = kernelSize * kernelSize;
        Weight = Linear.Parameter(WeightInit.Draw(rng, new Shape(outChannels, inChannels, kernelSize, kernelSize), inChannels * k2, outChannels * k2, init));
        Bias = bias ? Linear.Parameter(Tensor.Zeros(outChannels)) : null;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>Weight [out, in, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.Conv2d(input, Weight, Bias, Stride, Padding);

    /// <inheritdoc />
    protected override IEnumerable<NamedTensor> OwnParameters()
    {
        yield return new NamedTensor("weight", Weight);
        if (Bias is not null) yield return new NamedTensor("bias", Bias);
    }
}

/// <summary>
/// 2-D transposed convolution layer (PyTorch's <c>nn.ConvTranspose2d</c>, dilation 1, groups 1):
/// weight [in, out, kh, kw] in PyTorch's layout, bias [out] starting at zero; see
/// <see cref="Ops.ConvTranspose2d"/>.
/// </summary>
public sealed class ConvTranspose2d : Module
{
    /// <summary>A square-kernel transposed convolution initialised from <paramref name="rng"/>.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0,
                           int outputPadding = 0, Init init = Init.KaimingUniform, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        WeightInit.Check(inChannels, outChannels, kernelSize, stride, padding);
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"outputPadding is {outputPadding}; 0..{stride - 1} is allowed.", nameof(outputPadding));
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        int k2 = kernelSize * kernelSize;
        // PyTorch computes the fans of a transposed convolution from weight.shape[1]·k² (its out channels).
        Weight = Linear.Parameter(WeightInit.Draw(rng, new Shape(inChannels, outChannels, kernelSize, kernelSize), outChannels * k2, inChannels * k2, init));
        Bias = bias ? Linear.Parameter(Tensor.Zeros(outChannels)) : null;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Padding removed from each side of the output.</summary>
    public int Padding { get; }

    /// <summary>Extra rows/columns added at the bottom/right of the output (0..stride−1).</summary>
    public int OutputPadding { get; }

    /// <summary>Weight [in, out, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding);

    /// <inheritdoc />
    protected override IEnumerable<NamedTensor> OwnParameters()
    {
        yield return new NamedTensor("weight", Weight);
        if (Bias is not null) yield return new NamedTensor("bias", Bias);
    }
}

/// <summary>2× upsampling of NCHW images (PyTorch's <c>nn.Upsample(scale_factor=2)</c>); see <see cref="Ops.Upsample2x"/>.</summary>
public sealed class Upsample2x : Module
{
    /// <summary>An upsampling layer; bilinear follows align_corners=False.</summary>
    public Upsample2x(UpsampleMode mode = UpsampleMode.Nearest) => Mode = mode;

    /// <summary>Nearest or bilinear.</summary>
    public UpsampleMode Mode { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.Upsample2x(input, Mode);
}

/// <summary>Flattens [N, …] to [N, rest] (PyTorch's <c>nn.Flatten()</c>).</summary>
public sealed class Flatten : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.Flatten(input);
}

/// <summary>Argument checks of the convolution layers and the weight draws of every layer (fans given by the layer).</summary>
internal static class WeightInit
{
    public static void Check(int inChannels, int outChannels, int kernelSize, int stride, int padding)
    {
        if (inChannels <= 0) throw new ArgumentException($"inChannels is {inChannels}; it must be positive.", nameof(inChannels));
        if (outChannels <= 0) throw new ArgumentException($"outChannels is {outChannels}; it must be positive.", nameof(outChannels));
        if (kernelSize <= 0) throw new ArgumentException($"kernelSize is {kernelSize}; it must be positive.", nameof(kernelSize));
        if (stride < 1) throw new ArgumentException($"stride is {stride}; at least 1 is required.", nameof(stride));
        if (padding < 0) throw new ArgumentException($"padding is {padding}; it must be non-negative.", nameof(padding));
    }

    public static Tensor Draw(Rng rng, Shape shape, int fanIn, int fanOut, Init init)
    {
        using var _ = Autograd.NoGrad();
        return init switch
        {
            Init.KaimingUniform => Bound(rng, shape, MathF.Sqrt(6f / fanIn)),
            Init.KaimingNormal => rng.Normal(shape, 0, MathF.Sqrt(2f / fanIn)),
            Init.XavierUniform => Bound(rng, shape, MathF.Sqrt(6f / (fanIn + fanOut))),
            Init.XavierNormal => rng.Normal(shape, 0, MathF.Sqrt(2f / (fanIn + fanOut))),
            _ => throw new ArgumentException($"unknown init {init}.", nameof(init)),
        };
    }

    private static Tensor Bound(Rng rng, Shape s, float b) => rng.Uniform(s, -b, b);
}
