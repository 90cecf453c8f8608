using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// MADE (Germain et al. 2015): an MLP whose weights are multiplied by fixed 0/1 masks so that the
/// output block of column i (3K − 1 spline parameters, blocks in column order) depends only on input
/// columns &lt; i and on the conditions. Degrees: input column k has degree k + 1, a condition 0,
/// hidden unit j degree j mod d; a unit sees another of lower or equal degree, output block i sees
/// hidden units of degree ≤ i. Input is [x (d columns), y (conditions)].
/// </summary>
internal sealed class MaskedMlp : Module
{
    private readonly Linear[] layers;
    private readonly Tensor[] masks;
    private readonly Activation activation;
    private readonly ActivationLayer hiddenActivation;
    private readonly Dropout[] dropouts;

    public MaskedMlp(int dx, int dy, int[] hidden, int perColumn, Activation activation, ulong seed, float identityDerivative, int bins, float dropout = 0)
    {
        dropouts = dropout > 0 ? hidden.Select((_, i) => new Dropout(dropout, seed * 7919UL + (ulong)i)).ToArray() : [];
        this.activation = activation;
        hiddenActivation = new ActivationLayer(activation);
        var rng = new Rng(seed);
        int[] inDeg = [.. Enumerable.Range(1, dx), .. Enumerable.Repeat(0, dy)];
        var sizes = new List<int> { dx + dy };
        sizes.AddRange(hidden);
        sizes.Add(dx * perColumn);
        layers = new Linear[sizes.Count - 1];
        masks = new Tensor[sizes.Count - 1];
        var prev = inDeg;
        for (int l = 0; l < layers.Length; l++)
        {
            bool last = l == layers.Length - 1;
            int outSize = sizes[l + 1];
            var deg = last ? Enumerable.Range(0, outSize).Select(c => c / perColumn).ToArray() : Enumerable.Range(0, outSize).Select(j => j % dx).ToArray();
            var m = new float[prev.Length * outSize];
            for (int i = 0; i < prev.Length; i++)
                for (int j = 0; j < outSize; j++)
                    m[i * outSize + j] = prev[i] <= deg[j] ? 1f : 0f;
            masks[l] = Tensor.Persistent(new Shape(prev.Length, outSize));
            masks[l].CopyFrom(m);
            layers[l] = new Linear(prev.Length, outSize, rng);
            prev = deg;
        }
        // Output block i has degree i (0-based) and sees hidden degrees ≤ i, which see inputs of degree ≤ i, i.e. columns < i.
        layers[^1].Weight.FillInPlace(0);
        layers[^1].Bias!.CopyFrom(FlowNetwork.IdentityBias(layers[^1].Bias!.Size, identityDerivative, bins));
    }

    /// <summary>The layers with their 0/1 masks and the hidden activation (the output is linear): what export reads.</summary>
    internal (IReadOnlyList<Linear> Layers, IReadOnlyList<Tensor> Masks, Activation Hidden) Parts => (layers, masks, activation);

    public override Tensor Forward(Tensor input)
    {
        var h = input;
        for (int l = 0; l < layers.Length; l++)
        {
            var w = Ops.Mul(layers[l].Weight, masks[l]);
            if (l == layers.Length - 1) return Ops.Linear(h, w, layers[l].Bias);
            h = activation == Activation.Relu ? Ops.LinearRelu(h, w, layers[l].Bias) : hiddenActivation.Forward(Ops.Linear(h, w, layers[l].Bias));
            if (dropouts.Length > 0) h = dropouts[l].Forward(h);
        }
        return h;
    }

    // Dropout layers hold no parameters; as children they follow Train()/Eval().
    public override IEnumerable<NamedModule> Children() =>
        layers.Select((l, i) => new NamedModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (Module)l))
            .Concat(dropouts.Select((d, i) => new NamedModule("dropout" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), (Module)d)));
}
