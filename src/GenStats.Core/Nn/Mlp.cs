using GenStats.Tensors;

namespace GenStats.Nn;

/// <summary>How to build a multilayer perceptron.</summary>
/// <param name="Sizes">Layer widths from input to output, e.g. [67, 128, 128, 5]; at least two.</param>
public sealed record MlpOptions(int[] Sizes)
{
    /// <summary>Activation after every hidden layer.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Activation after the last layer.</summary>
    public Activation OutputActivation { get; init; } = Activation.Identity;

    /// <summary>Weight initialisation.</summary>
    public Init Init { get; init; } = Init.KaimingUniform;

    /// <summary>Dropout probability after each hidden activation (0 = none).</summary>
    public float Dropout { get; init; }

    /// <summary>Layer normalisation before each hidden activation.</summary>
    public bool LayerNorm { get; init; }

    /// <summary>Seed of the initialisation (and dropout) generators.</summary>
    public ulong Seed { get; init; } = 1;
}

/// <summary>
/// A multilayer perceptron: Linear → [LayerNorm] → activation → [Dropout] for each hidden layer,
/// then Linear → output activation. Children are named 0, 1, 2, … in order.
/// </summary>
public sealed class Mlp : Module
{
    private readonly Sequential body;

    /// <summary>Builds the network described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two sizes or a non-positive size.</exception>
    public Mlp(MlpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sizes = options.Sizes ?? throw new ArgumentNullException(nameof(options), "Sizes is null.");
        if (sizes.Length < 2)
            throw new ArgumentException($"Sizes has {sizes.Length} entries; at least input and output sizes are required.", nameof(options));
        for (int i = 0; i < sizes.Length; i++)
            if (sizes[i] <= 0) throw new ArgumentException($"Sizes[{i}] is {sizes[i]}; sizes must be positive.", nameof(options));
        Options = options;
        var rng = new Rng(options.Seed);
        var layers = new List<Module>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            bool last = i + 2 == sizes.Length;
            var linear = new Linear(sizes[i], sizes[i + 1], rng, options.Init);
            linears.Add(linear);
            layers.Add(linear);
            if (!last)
            {
                if (options.LayerNorm) layers.Add(new LayerNorm(sizes[i + 1]));
                layers.Add(new ActivationLayer(options.Activation));
                if (options.Dropout > 0) layers.Add(new Dropout(options.Dropout, options.Seed * 7919UL + (ulong)i));
            }
            else if (options.OutputActivation != Activation.Identity) layers.Add(new ActivationLayer(options.OutputActivation));
        }
        body = new Sequential(layers.ToArray());
    }

    /// <summary>Builds an MLP with the given widths, hidden activation, output activation and seed.</summary>
    public static Mlp Create(int[] sizes, Activation activation = Activation.Relu, Activation outputActivation = Activation.Identity, ulong seed = 1) =>
        new(new MlpOptions(sizes) { Activation = activation, OutputActivation = outputActivation, Seed = seed });

    /// <summary>The options it was built with.</summary>
    public MlpOptions Options { get; }

    /// <summary>The fully connected layers in order.</summary>
    public IReadOnlyList<Linear> Linears => linears;

    private readonly List<Linear> linears = new();

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        // Same result as running the layers one by one, but Linear followed by ReLU is one fused op.
        var layers = body.Layers;
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is Linear lin && i + 1 < layers.Count && layers[i + 1] is ActivationLayer { Kind: Activation.Relu })
            {
                x = Ops.LinearRelu(x, lin.Weight, lin.Bias);
                i++;
            }
            else x = layers[i].Forward(x);
        }
        return x;
    }

    /// <inheritdoc />
    public override IEnumerable<NamedModule> Children() => body.Children();
}
