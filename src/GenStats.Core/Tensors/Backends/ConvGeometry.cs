namespace GenStats.Tensors.Backends;

/// <summary>
/// The geometry of one 2-D convolution in NCHW layout (PyTorch's <c>torch.nn.functional.conv2d</c>
/// with dilation 1 and groups 1): input [Batch, InChannels, Height, Width], weight [OutChannels,
/// InChannels, KernelH, KernelW], output [Batch, OutChannels, OutHeight, OutWidth] with
/// OutHeight = ⌊(Height + 2·Padding − KernelH)/Stride⌋ + 1. The transposed convolution and the
/// weight gradient of the same convolution use the same geometry (they are its adjoints).
/// </summary>
/// <param name="Batch">N.</param>
/// <param name="InChannels">C of the convolution's input.</param>
/// <param name="Height">H of the convolution's input.</param>
/// <param name="Width">W of the convolution's input.</param>
/// <param name="OutChannels">O, the convolution's output channels.</param>
/// <param name="KernelH">Kernel height.</param>
/// <param name="KernelW">Kernel width.</param>
/// <param name="Stride">Stride along both axes (≥ 1).</param>
/// <param name="Padding">Zero padding on each side of both axes (≥ 0).</param>
public readonly record struct ConvGeometry(
    int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelH, int KernelW, int Stride, int Padding)
{
    /// <summary>Output height ⌊(H + 2p − kh)/s⌋ + 1.</summary>
    public int OutHeight => (Height + 2 * Padding - KernelH) / Stride + 1;

    /// <summary>Output width ⌊(W + 2p − kw)/s⌋ + 1.</summary>
    public int OutWidth => (Width + 2 * Padding - KernelW) / Stride + 1;

    /// <summary>Rows of the im2col matrix: C·kh·kw.</summary>
    public int ColumnRows => InChannels * KernelH * KernelW;

    /// <summary>Elements of the input.</summary>
    public int InputSize => Batch * InChannels * Height * Width;

    /// <summary>Elements of the output.</summary>
    public int OutputSize => Batch * OutChannels * OutHeight * OutWidth;

    /// <summary>Elements of the weight.</summary>
    public int WeightSize => OutChannels * ColumnRows;
}

/// <summary>The interpolation of <see cref="ITensorBackend.Upsample2x"/> (PyTorch's <c>nn.Upsample(scale_factor=2)</c>).</summary>
public enum UpsampleMode
{
    /// <summary>Nearest neighbour: y[i, j] = x[⌊i/2⌋, ⌊j/2⌋].</summary>
    Nearest,
    /// <summary>
    /// Bilinear with <c>align_corners=False</c> (PyTorch's default): output index o reads the source
    /// coordinate max(0, (o + ½)/2 − ½), interpolating between its two neighbours (the last one
    /// clamped to the edge).
    /// </summary>
    Bilinear,
}
