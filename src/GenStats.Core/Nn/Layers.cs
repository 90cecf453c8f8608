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
        var shape = new Shape(inFeatures, outFeatures);
        Tensor w;
        using (Autograd.NoGrad())
        {
            w = init switch
            {
                Init.KaimingUniform => Bound(rng, shape, MathF.Sqrt(6f / inFeatures)),
                Init.KaimingNormal => rng.Normal(shape, 0, MathF.Sqrt(2f / inFeatures)),
                Init.XavierUniform => Bound(rng, shape, MathF.Sqrt(6f / (inFeatures + outFeatures))),
                Init.XavierNormal => rng.Normal(shape, 0, MathF.Sqrt(2f / (inFeatures + outFeatures))),
                _ => throw new ArgumentException($"unknown init {init}.", nameof(init)),
            };
        }
        Weight = Parameter(w);
        Bias = bias ? Parameter(Tensor.Zeros(outFeatures)) : null;
    }

    /// <summary>A layer initialised from a fresh generator with this seed.</summary>
    public Linear(int inFeatures, int outFeatures, ulong seed, Init init = Init.KaimingUniform, bool bias = true)
        : this(inFeatures, outFeatures, new Rng(seed), init, bias) { }

    private static Tensor Bound(Rng rng, Shape s, float b) => rng.Uniform(s, -b, b);

    /// <summary>Copies a tensor into a fresh buffer no scope owns and marks it trainable.</summary>
    internal static Tensor Parameter(Tensor t)
    {
        var p = Tensor.Persistent(t.Shape);
        t.Values.CopyTo(p.Data);
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
/// Layer normalisation over the last axis: (x − mean)/√(var + ε)·γ + β with the biased variance
/// (PyTorch's LayerNorm); γ starts at 1 and β at 0.
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>Normalises vectors of <paramref name="features"/> entries.</summary>
    public LayerNorm(int features, float eps = 1e-5f)
    {
        if (features <= 0) throw new ArgumentException($"features is {features}; it must be positive.", nameof(features));
        if (!(eps > 0)) throw new ArgumentException($"eps is {eps}; it must be positive.", nameof(eps));
        Features = features;
        Eps = eps;
        Gain = Linear.Parameter(Tensor.Ones(features));
        Shift = Linear.Parameter(Tensor.Zeros(features));
    }

    /// <summary>Size of the normalised axis.</summary>
    public int Features { get; }

    /// <summary>Variance guard ε.</summary>
    public float Eps { get; }

    /// <summary>γ [features].</summary>
    public Tensor Gain { get; }

    /// <summary>β [features].</summary>
    public Tensor Shift { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank == 0 || input.Shape[-1] != Features)
            throw new ArgumentException($"input has shape {input.Shape}; the last axis must have {Features} entries.", nameof(input));
        var centred = Ops.Sub(input, Ops.Mean(input, -1, keepDims: true));
        var variance = Ops.Mean(Ops.Square(centred), -1, keepDims: true);
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
