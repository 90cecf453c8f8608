using GenStats.Tensors;

namespace GenStats.Nn;

/// <summary>
/// Batch normalisation of NCHW images per channel (PyTorch's <c>nn.BatchNorm2d</c>): in training
/// mode y = (x − μ_B)/√(σ²_B + ε)·γ + β with the batch mean and biased variance over (N, H, W), and
/// the running statistics move as running ← (1 − momentum)·running + momentum·batch, the running
/// variance taking the unbiased batch variance (n/(n−1)·σ²_B, n = N·H·W) — exactly PyTorch's rule.
/// In evaluation mode the running statistics replace the batch ones. γ starts at 1, β at 0, the
/// running mean at 0 and the running variance at 1; the running statistics are buffers
/// (<see cref="Module.NamedBuffers"/>), saved with a model but never trained.
/// </summary>
public sealed class BatchNorm2d : Module
{
    /// <summary>Normalises <paramref name="channels"/> channels.</summary>
    /// <exception cref="ArgumentException">Non-positive channels, ε ≤ 0, or momentum outside [0, 1].</exception>
    public BatchNorm2d(int channels, float eps = 1e-5f, float momentum = 0.1f)
    {
        if (channels <= 0) throw new ArgumentException($"channels is {channels}; it must be positive.", nameof(channels));
        if (!(eps > 0)) throw new ArgumentException($"eps is {eps}; it must be positive.", nameof(eps));
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentException($"momentum is {momentum}; [0, 1] is allowed.", nameof(momentum));
        Channels = channels;
        Eps = eps;
        Momentum = momentum;
        Gain = Linear.Parameter(Tensor.Ones(channels));
        Shift = Linear.Parameter(Tensor.Zeros(channels));
        RunningMean = Tensor.Persistent(new Shape(channels));
        RunningVar = Tensor.Persistent(new Shape(channels));
        RunningVar.FillInPlace(1f);
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>Variance guard ε.</summary>
    public float Eps { get; }

    /// <summary>Weight of the current batch in the running statistics (PyTorch's momentum, default 0.1).</summary>
    public float Momentum { get; }

    /// <summary>γ [channels].</summary>
    public Tensor Gain { get; }

    /// <summary>β [channels].</summary>
    public Tensor Shift { get; }

    /// <summary>Running mean [channels] (a buffer).</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance [channels] (a buffer).</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != Channels)
            throw new ArgumentException($"input has shape {input.Shape}; [N, {Channels}, H, W] is required.", nameof(input));
        var perChannel = new Shape(1, Channels, 1, 1);
        Tensor normed;
        if (IsTraining)
        {
            int n = input.Shape[0] * input.Shape[2] * input.Shape[3];
            if (n < 2)
                throw new ArgumentException($"input has shape {input.Shape}: batch normalisation in training mode needs more than one value per channel (N·H·W ≥ 2).", nameof(input));
            var mean = Ops.Mean(input, [0, 2, 3], keepDims: true);
            var centred = Ops.Sub(input, mean);
            var variance = Ops.Mean(Ops.Square(centred), [0, 2, 3], keepDims: true);
            normed = Ops.Div(centred, Ops.Sqrt(Ops.Affine(variance, 1, Eps)));
            UpdateRunning(mean, variance, n);
        }
        else
        {
            var mean = Ops.Reshape(RunningMean, perChannel);
            var scale = Ops.Sqrt(Ops.Affine(Ops.Reshape(RunningVar, perChannel), 1, Eps));
            normed = Ops.Div(Ops.Sub(input, mean), scale);
        }
        return Ops.Add(Ops.Mul(normed, Ops.Reshape(Gain, perChannel)), Ops.Reshape(Shift, perChannel));
    }

    private void UpdateRunning(Tensor mean, Tensor variance, int n)
    {
        // PyTorch's update: r ← (1 − momentum)·r + momentum·batch statistic (variance unbiased), on the device.
        RunningMean.LerpInPlace(mean, Momentum);
        RunningVar.AffineInPlace(1 - Momentum, 0);
        RunningVar.AxpyInPlace(Momentum * n / (n - 1f), variance);
    }

    /// <inheritdoc />
    protected override IEnumerable<NamedTensor> OwnParameters()
    {
        yield return new NamedTensor("weight", Gain);
        yield return new NamedTensor("bias", Shift);
    }

    /// <inheritdoc />
    protected override IEnumerable<NamedTensor> OwnBuffers()
    {
        yield return new NamedTensor("running_mean", RunningMean);
        yield return new NamedTensor("running_var", RunningVar);
    }
}
