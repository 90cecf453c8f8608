using GenStats.Nn;
using GenStats.Tensors;
using GenStats.Tensors.Backends;

namespace GenStats.Models;

/// <summary>
/// The size ladder of the conv networks: a square grid of side 4·2ᵏ with the fewest doublings k
/// that covers an H×W image, and the channel count of every level.
/// </summary>
public static class ImageLadder
{
    /// <summary>k = the fewest doublings of 4 that reach max(H, W) (0 for images up to 4×4).</summary>
    /// <exception cref="ArgumentException">A non-positive size, or one beyond 4096.</exception>
    public static int Doublings(int height, int width)
    {
        if (height < 1 || width < 1 || height > 4096 || width > 4096)
            throw new ArgumentException($"the image is {height}×{width}; sizes 1..4096 are supported.", nameof(height));
        int k = 0;
        for (int s = 4; s < Math.Max(height, width); s *= 2) k++;
        return k;
    }

    /// <summary>The side 4·2ᵏ of the square grid the networks work on.</summary>
    public static int Side(int height, int width) => 4 << Doublings(height, width);

    /// <summary>
    /// The channels of levels 0..k: the given entries in order; missing ones continue from the last
    /// (halved down to 8 for a generator, doubled up to 512 for a critic).
    /// </summary>
    /// <exception cref="ArgumentException">An empty list or a non-positive entry.</exception>
    public static int[] Channels(int[] given, int levels, bool shrinking, string name)
    {
        if (given is null || given.Length == 0 || given.Any(c => c <= 0))
            throw new ArgumentException($"{name} must list at least one positive channel count.", name);
        var r = new int[levels];
        for (int i = 0; i < levels; i++)
            r[i] = i < given.Length ? given[i] : shrinking ? Math.Max(8, r[i - 1] / 2) : Math.Min(512, r[i - 1] * 2);
        return r;
    }
}

/// <summary>
/// The conv GAN's generator: [z, y] → Linear → [C₀, 4, 4] → BatchNorm + ReLU → k blocks of
/// (2× upsampling, 3×3 conv with padding 1, BatchNorm, ReLU) → 3×3 conv to one channel → centre
/// crop to H×W → the output activation. Input [B, latent + conditions], output [B, 1, H, W] on the
/// preprocessed scale.
/// </summary>
public sealed class ConvGenerator : Module
{
    private readonly Linear fc;
    private readonly BatchNorm2d bn0;
    private readonly Conv2d[] convs;
    private readonly BatchNorm2d[] bns;
    private readonly Conv2d head;

    /// <summary>Builds the generator for H×W images (weights from <paramref name="seed"/>).</summary>
    public ConvGenerator(int inputs, int height, int width, int[] channels, UpsampleMode upsample, ImageOutput output, ulong seed)
    {
        if (inputs <= 0) throw new ArgumentException($"inputs is {inputs}; it must be positive.", nameof(inputs));
        int k = ImageLadder.Doublings(height, width);
        var ch = ImageLadder.Channels(channels, k + 1, true, nameof(channels));
        Height = height;
        Width = width;
        Upsample = upsample;
        Output = output;
        Channels = ch;
        var rng = new Rng(seed);
        fc = new Linear(inputs, ch[0] * 16, rng);
        bn0 = new BatchNorm2d(ch[0]);
        convs = new Conv2d[k];
        bns = new BatchNorm2d[k];
        for (int i = 0; i < k; i++)
        {
            convs[i] = new Conv2d(ch[i], ch[i + 1], 3, rng, padding: 1);
            bns[i] = new BatchNorm2d(ch[i + 1]);
        }
        head = new Conv2d(ch[k], 1, 3, rng, padding: 1, init: Init.XavierUniform);
    }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Channels of levels 0..k.</summary>
    public IReadOnlyList<int> Channels { get; }

    /// <summary>Upsampling mode.</summary>
    public UpsampleMode Upsample { get; }

    /// <summary>Output activation.</summary>
    public ImageOutput Output { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        int b = input.Shape[0];
        var x = Ops.Relu(bn0.Forward(Ops.Reshape(fc.Forward(input), b, Channels[0], 4, 4)));
        for (int i = 0; i < convs.Length; i++)
            x = Ops.Relu(bns[i].Forward(convs[i].Forward(Ops.Upsample2x(x, Upsample))));
        x = Ops.CenterCrop2d(head.Forward(x), Height, Width);
        return Output switch
        {
            ImageOutput.Relu => Ops.Relu(x),
            ImageOutput.Softplus => Ops.Softplus(x),
            _ => x,
        };
    }

    /// <inheritdoc />
    public override IEnumerable<NamedModule> Children()
    {
        yield return new NamedModule("fc", fc);
        yield return new NamedModule("bn0", bn0);
        for (int i = 0; i < convs.Length; i++)
        {
            yield return new NamedModule($"conv{i + 1}", convs[i]);
            yield return new NamedModule($"bn{i + 1}", bns[i]);
        }
        yield return new NamedModule("head", head);
    }
}

/// <summary>
/// An image encoder: the critic of the conv GAN and its condition regressor. The H×W image is
/// centre-padded with zeros to the ladder's square, then a 3×3 stride-1 conv and k 3×3 stride-2
/// convs (padding 1) with leaky ReLUs (and optional LayerNorm over [C, H, W]) bring it to
/// [C_k, 4, 4]; the flattened features, with the conditions appended, pass a hidden fully
/// connected layer with a leaky ReLU and a linear output. No BatchNorm: a gradient penalty needs
/// each sample's score to depend on that sample alone.
/// </summary>
public sealed class ConvEncoder : Module
{
    private readonly Conv2d[] convs;
    private readonly LayerNorm?[] norms;
    private readonly Linear hidden, output;

    /// <summary>Builds the encoder (weights from <paramref name="seed"/>).</summary>
    public ConvEncoder(int height, int width, int[] channels, int conditions, int hiddenWidth, int outputs, float slope, bool layerNorm, ulong seed)
    {
        if (conditions < 0) throw new ArgumentException($"conditions is {conditions}; it must be ≥ 0.", nameof(conditions));
        if (hiddenWidth <= 0 || outputs <= 0)
            throw new ArgumentException($"hiddenWidth {hiddenWidth} and outputs {outputs} must be positive.", nameof(hiddenWidth));
        int k = ImageLadder.Doublings(height, width);
        var ch = ImageLadder.Channels(channels, k + 1, false, nameof(channels));
        Height = height;
        Width = width;
        Side = ImageLadder.Side(height, width);
        Conditions = conditions;
        Slope = slope;
        var rng = new Rng(seed);
        convs = new Conv2d[k + 1];
        norms = new LayerNorm?[k + 1];
        convs[0] = new Conv2d(1, ch[0], 3, rng, padding: 1);
        for (int i = 1; i <= k; i++)
        {
            convs[i] = new Conv2d(ch[i - 1], ch[i], 3, rng, stride: 2, padding: 1);
            int s = Side >> i;
            if (layerNorm) norms[i] = new LayerNorm([ch[i], s, s]);
        }
        hidden = new Linear(ch[k] * 16 + conditions, hiddenWidth, rng);
        output = new Linear(hiddenWidth, outputs, rng, Init.XavierUniform);
    }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Side of the padded square.</summary>
    public int Side { get; }

    /// <summary>Number of conditions appended to the features (0 for the regressor).</summary>
    public int Conditions { get; }

    /// <summary>Leaky-ReLU slope.</summary>
    public float Slope { get; }

    /// <summary>The encoder of images [B, 1, H, W] with conditions [B, C] (null when it has none): [B, outputs].</summary>
    /// <exception cref="ArgumentException">Wrong image size or condition width.</exception>
    public Tensor Forward(Tensor images, Tensor? conditions)
    {
        if (images.Rank != 4 || images.Shape[1] != 1 || images.Shape[2] != Height || images.Shape[3] != Width)
            throw new ArgumentException($"images have shape {images.Shape}; [B, 1, {Height}, {Width}] is required.", nameof(images));
        if ((conditions?.Shape[1] ?? 0) != Conditions)
            throw new ArgumentException($"the encoder takes {Conditions} condition column(s); {conditions?.Shape[1] ?? 0} given.", nameof(conditions));
        var x = Ops.CenterPad2d(images, Side, Side);
        for (int i = 0; i < convs.Length; i++)
        {
            x = convs[i].Forward(x);
            if (norms[i] is LayerNorm ln) x = ln.Forward(x);
            x = Ops.LeakyRelu(x, Slope);
        }
        var f = Ops.Flatten(x);
        if (conditions is not null) f = Ops.Concat([f, conditions], 1);
        return output.Forward(Ops.LeakyRelu(hidden.Forward(f), Slope));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <inheritdoc />
    public override IEnumerable<NamedModule> Children()
    {
        for (int i = 0; i < convs.Length; i++)
        {
            yield return new NamedModule($"conv{i}", convs[i]);
            if (norms[i] is LayerNorm ln) yield return new NamedModule($"norm{i}", ln);
        }
        yield return new NamedModule("hidden", hidden);
        yield return new NamedModule("output", output);
    }
}
