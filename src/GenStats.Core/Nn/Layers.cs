using GenStats.Tensors;

namespace GenStats.Nn;

/// <summary>Element-wise activation functions.</summary>
public enum Activation
{
    /// <summary>No activation (identity).</summary>
    Identity,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>Leaky ReLU with slope 0.01 (or the layer's slope) below 0.</summary>
    LeakyRelu,
    /// <summary>ELU with α = 1.</summary>
    Elu,
    /// <summary>tanh.</summary>
    Tanh,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>ln(1+eˣ).</summary>
    Softplus,
}

/// <summary>Weight initialisation schemes (fan_in/fan_out of a [in, out] weight). Biases start at zero.</summary>
public enum Init
{
    /// <summary>He/Kaiming uniform for ReLU: U(±√(6/fan_in)).</summary>
    KaimingUniform,
    /// <summary>He/Kaiming normal for ReLU: N(0, 2/fan_in).</summary>
    KaimingNormal,
    /// <summary>Glorot/Xavier uniform: U(±√(6/(fan_in+fan_out))).</summary>
    XavierUniform,
    /// <summary>Glorot/Xavier normal: N(0, 2/(fan_in+fan_out)).</summary>
    XavierNormal,
}

/// <summary>Applies an <see cref="Activation"/>.</summary>
public sealed class ActivationLayer : Module
{
    /// <summary>An activation layer; <paramref name="slope"/> is the leaky-ReLU slope.</summary>
    public ActivationLayer(Activation activation, float slope = 0.01f)
    {
        Kind = activation;
        Slope = slope;
    }

    /// <summary>The function.</summary>
    public Activation Kind { get; }

    /// <summary>Leaky-ReLU slope.</summary>
    public float Slope { get; }

    /// <summary>Applies an activation function to a tensor.</summary>
    public static Tensor Apply(Activation activation, Tensor x, float slope = 0.01f) => activation switch
    {
        Activation.Identity => x,
        Activation.Relu => Ops.Relu(x),
        Activation.LeakyRelu => Ops.LeakyRelu(x, slope),
        Activation.Elu => Ops.Elu(x),
        Activation.Tanh => Ops.Tanh(x),
        Activation.Sigmoid => Ops.Sigmoid(x),
        Activation.Softplus => Ops.Softplus(x),
        _ => throw new ArgumentException($"unknown activation {activation}.", nameof(activation)),
    };

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Apply(Kind, input, Slope);
}

/// <summary>
/// Fully connected layer y = x·W + b with W stored as [in, out] (the transpose of PyTorch's
/// layout) so the forward pass is one GEMM with no transposition.
/// </summary>
public sealed class Linear : Module
{
    /// <summary>A layer initialised from <paramref name="rng"/> with the given scheme.</summary>
    /// <exception cref="ArgumentException">Non-positive sizes.</exception>
    public Linear(int inFeatures, int outFeatures, Rng rng, Init init = Init.KaimingUniform, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inFeatures <= 0) throw new ArgumentException($"inFeatures is {inFeatures}; it must be positive.", nameof(inFeatures));
        if (outFeatures <= 0) throw new ArgumentException($"outFeatures is {outFeatures}; it must be positive.", nameof(outFeatures));
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var w = WeightInit.Draw(rng, new Shape(inFeatures, outFeatures), inFeatures, outFeatures, init);
        Weight = Parameter(w);
        Bias = bias ? Parameter(Tensor.Zeros(outFeatures)) : null;
    }

    /// <summary>A layer initialised from a fresh generator with this seed.</summary>
    public Linear(int inFeatures, int outFeatures, ulong seed, Init init = Init.KaimingUniform, bool bias = true)
        : this(inFeatures, outFeatures, new Rng(seed), init, bias) { }

    /// <summary>Copies a tensor into a fresh buffer no scope owns and marks it trainable.</summary>
    internal static Tensor Parameter(Tensor t)
    {
        var p = Tensor.Persistent(t.Shape, t.Backend);
        p.CopyFrom(t);
        return p.RequireGrad();
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Weight [in, out].</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.Linear(input, Weight, Bias);

    /// <inheritdoc />
    protected override IEnumerable<NamedTensor> OwnParameters()
    {
        yield return new NamedTensor("weight", Weight);
        if (Bias is not null) yield return new NamedTensor("bias", Bias);
    }
}

/// <summary>
/// Inverted dropout: in training mode each element is zeroed with probability p and the rest are
/// scaled by 1/(1−p); in evaluation mode it is the identity. Masks come from the layer's own
/// seeded generator, so a training run is reproducible.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Rng rng;

    /// <summary>A dropout layer with drop probability p ∈ [0, 1).</summary>
    public Dropout(float p, ulong seed)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentException($"p is {p}; a drop probability in [0, 1) is required.", nameof(p));
        P = p;
        rng = new Rng(seed);
    }

    /// <summary>Drop probability.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (!IsTraining || P == 0) return input;
        Tensor mask;
        using (Autograd.NoGrad())
        {
            var u = rng.Uniform(input.Shape);
            // Keep where u > p (probability 1 − p), scaled by 1/(1 − p).
            mask = Ops.MaskMul(Tensor.Full(1f / (1 - P), input.Shape), Ops.Affine(u, 1, -P), Tensors.Backends.MaskKind.Positive);
        }
        return Ops.Mul(input, mask);
    }
}

/// <summary>
/// Layer normalisation over the last axes (PyTorch's <c>nn.LayerNorm(normalized_shape)</c>):
/// (x − mean)/√(var + ε)·γ + β with the mean and biased variance taken over the trailing
/// <see cref="NormalizedShape"/> of each sample (e.g. [C, H, W] of an NCHW image); γ and β have
/// that shape, start at 1 and 0.
/// </summary>
public sealed class LayerNorm : Module
{
    private readonly int[] normalizedShape;

    /// <summary>Normalises vectors of <paramref name="features"/> entries (the last axis).</summary>
    public LayerNorm(int features, float eps = 1e-5f) : this([features], eps) { }

    /// <summary>Normalises over the trailing axes of shape <paramref name="normalizedShape"/> (e.g. [C, H, W]).</summary>
    /// <exception cref="ArgumentException">An empty or non-positive shape, or ε ≤ 0.</exception>
    public LayerNorm(int[] normalizedShape, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length is 0 or >= Shape.MaxRank || normalizedShape.Any(d => d <= 0))
            throw new ArgumentException($"normalizedShape is [{string.Join(", ", normalizedShape)}]; 1..{Shape.MaxRank - 1} positive dimensions are required.", nameof(normalizedShape));
        if (!(eps > 0)) throw new ArgumentException($"eps is {eps}; it must be positive.", nameof(eps));
        this.normalizedShape = (int[])normalizedShape.Clone();
        Features = normalizedShape.Aggregate(1, (a, b) => a * b);
        Eps = eps;
        Gain = Linear.Parameter(Tensor.Ones(normalizedShape));
        Shift = Linear.Parameter(Tensor.Zeros(normalizedShape));
    }

    /// <summary>Number of normalised entries per sample (the product of <see cref="NormalizedShape"/>).</summary>
    public int Features { get; }

    /// <summary>The trailing dimensions normalised together.</summary>
    public int[] NormalizedShape => (int[])normalizedShape.Clone();

    /// <summary>Variance guard ε.</summary>
    public float Eps { get; }

    /// <summary>γ, shaped like <see cref="NormalizedShape"/>.</summary>
    public Tensor Gain { get; }

    /// <summary>β, shaped like <see cref="NormalizedShape"/>.</summary>
    public Tensor Shift { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        int k = normalizedShape.Length, lead = input.Rank - k;
        bool fits = lead >= 0;
        for (int i = 0; fits && i < k; i++) fits = input.Shape[lead + i] == normalizedShape[i];
        if (!fits)
            throw new ArgumentException($"input has shape {input.Shape}; its last axes must be [{string.Join(", ", normalizedShape)}].", nameof(input));
        var axes = Enumerable.Range(lead, k).ToArray();
        var centred = Ops.Sub(input, Ops.Mean(input, axes, keepDims: true));
        var variance = Ops.Mean(Ops.Square(centred), axes, keepDims: true);
        var normed = Ops.Div(centred, Ops.Sqrt(Ops.Affine(variance, 1, Eps)));
        return Ops.Add(Ops.Mul(normed, Gain), Shift);
    }

    /// <inheritdoc />
    protected override IEnumerable<NamedTensor> OwnParameters()
    {
        yield return new NamedTensor("weight", Gain);
        yield return new NamedTensor("bias", Shift);
    }
}
