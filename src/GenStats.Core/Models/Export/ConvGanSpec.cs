using System.Globalization;
using GenStats.Data;
using GenStats.Nn;
using GenStats.Tensors.Backends;

namespace GenStats.Models;

/// <summary>A 3×3 convolution with padding 1 and stride 1, weight [Out, In, 3, 3] (PyTorch's Conv2d layout), bias [Out].</summary>
internal sealed record ConvLayer(int In, int Out, float[] Weight, float[] Bias);

/// <summary>BatchNorm2d in evaluation mode: y = (x − mean)/√(var + ε)·gain + shift per channel (PyTorch's formula).</summary>
internal sealed record NormLayer(int Channels, float[] Gain, float[] Shift, float[] Mean, float[] Var, float Eps);

/// <summary>
/// What an exported conv-GAN generator computes, read off a trained <see cref="ConditionalConvGan"/>:
/// raw conditions → T_y; [z, T_y(y)] → Linear → [C₀, 4, 4] → BatchNorm (running statistics) + ReLU
/// → per block 2× upsampling, 3×3 conv, BatchNorm, ReLU → 3×3 head conv → centre crop to H×W → the
/// output activation → E = s·(eᵗ − 1) (log1p scaling) or E = s·t (linear). The ONNX and C writers
/// render this one description.
/// </summary>
internal sealed record ConvGanSpec(string ModelType, string[] FeatureNames, string[] ConditionNames, ColumnTransformState[] ConditionColumns,
    int Latent, int Dy, int Height, int Width, DenseLayer Fc, NormLayer Norm0, ConvLayer[] Convs, NormLayer[] Norms, ConvLayer Head,
    UpsampleMode Upsample, ImageOutput Output, ImageScaling Scaling, double Scale)
    : ExportSpec(ModelType, FeatureNames, ConditionNames, [], ConditionColumns)
{
    /// <summary>Side 4·2ᵏ of the generator's square before the crop.</summary>
    public int Side => 4 << Convs.Length;

    /// <summary>The crop's first row ⌊(side − H)/2⌋ (as <c>Ops.CenterCrop2d</c>).</summary>
    public int Top => (Side - Height) / 2;

    /// <summary>The crop's first column ⌊(side − W)/2⌋.</summary>
    public int Left => (Side - Width) / 2;

    /// <inheritdoc />
    public override int NoiseWidth => Latent;

    /// <inheritdoc />
    public override string NoiseDoc => $"z ~ N(0, I), {Latent} independent standard normal values per event";

    /// <inheritdoc />
    public override string OutputDoc => string.Create(CultureInfo.InvariantCulture,
        $"cell energies of one {Height}×{Width} image in raw units, row-major (cell_r_c at r·{Width} + c)");

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"GenStats {ModelType} generator: {Height}×{Width} images of cell energies from noise [{NoiseDoc}]")
        + (ConditionNames.Length > 0 ? $" and raw conditions ({string.Join(", ", ConditionNames)})" : "") + "; preprocessing included.";

    /// <summary>The description of a conv-GAN generator (evaluation mode: BatchNorm with its running statistics).</summary>
    public static ConvGanSpec Of(ConditionalConvGan model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var g = model.Generator;
        var parts = g.Children().ToDictionary(c => c.Name, c => c.Module);
        var fc = (Linear)parts["fc"];
        int k = g.Channels.Count - 1;
        return new ConvGanSpec(model.ModelType, [.. model.FeatureNames], [.. model.ConditionNames], model.ConditionTransform?.States ?? [],
            model.Options.LatentSize, model.ConditionTransform?.OutputWidth ?? 0, model.ImageHeight, model.ImageWidth,
            new DenseLayer(fc.InFeatures, fc.OutFeatures, fc.Weight.ToArray(), fc.Bias?.ToArray() ?? new float[fc.OutFeatures], Activation.Identity, 0f),
            Norm((BatchNorm2d)parts["bn0"]),
            [.. Enumerable.Range(1, k).Select(i => Conv((Conv2d)parts[$"conv{i}"]))],
            [.. Enumerable.Range(1, k).Select(i => Norm((BatchNorm2d)parts[$"bn{i}"]))],
            Conv((Conv2d)parts["head"]), g.Upsample, g.Output, model.Scale.Kind, model.Scale.Scale);
    }

    private static ConvLayer Conv(Conv2d c)
    {
        if (c.KernelSize != 3 || c.Padding != 1 || c.Stride != 1)
            throw new NotSupportedException($"export covers 3×3 convolutions with padding 1 and stride 1; this one has kernel {c.KernelSize}, padding {c.Padding}, stride {c.Stride}.");
        return new ConvLayer(c.InChannels, c.OutChannels, c.Weight.ToArray(), c.Bias?.ToArray() ?? new float[c.OutChannels]);
    }

    private static NormLayer Norm(BatchNorm2d b) =>
        new(b.Channels, b.Gain.ToArray(), b.Shift.ToArray(), b.RunningMean.ToArray(), b.RunningVar.ToArray(), b.Eps);
}
