namespace GenStats.Nn;

/// <summary>A learning rate as a function of the epoch (or step) number t = 0, 1, 2, ….</summary>
public interface ILrSchedule
{
    /// <summary>The learning rate at t.</summary>
    float At(long t);
}

/// <summary>η_t = η₀·γᵗ (PyTorch ExponentialLR).</summary>
/// <param name="Initial">η₀.</param>
/// <param name="Gamma">Decay factor per step.</param>
public sealed record ExponentialLr(float Initial, float Gamma) : ILrSchedule
{
    /// <inheritdoc />
    public float At(long t) => (float)(Initial * Math.Pow(Gamma, t));
}

/// <summary>η_t = η₀·γ^⌊t/stepSize⌋ (PyTorch StepLR).</summary>
/// <param name="Initial">η₀.</param>
/// <param name="StepSize">Steps between decays.</param>
/// <param name="Gamma">Decay factor.</param>
public sealed record StepLr(float Initial, int StepSize, float Gamma) : ILrSchedule
{
    /// <inheritdoc />
    public float At(long t)
    {
        if (StepSize <= 0) throw new ArgumentException($"StepSize is {StepSize}; it must be positive.", nameof(StepSize));
        return (float)(Initial * Math.Pow(Gamma, t / StepSize));
    }
}

/// <summary>η_t = η_min + ½(η₀ − η_min)(1 + cos(π·min(t, T)/T)) (cosine annealing without restarts).</summary>
/// <param name="Initial">η₀.</param>
/// <param name="Period">T, steps to reach η_min.</param>
/// <param name="Minimum">η_min.</param>
public sealed record CosineLr(float Initial, long Period, float Minimum = 0) : ILrSchedule
{
    /// <inheritdoc />
    public float At(long t)
    {
        if (Period <= 0) throw new ArgumentException($"Period is {Period}; it must be positive.", nameof(Period));
        double f = Math.Min(t, Period) / (double)Period;
        return (float)(Minimum + 0.5 * (Initial - Minimum) * (1 + Math.Cos(Math.PI * f)));
    }
}

/// <summary>Applying schedules and clipping gradients.</summary>
public static class Training
{
    /// <summary>Sets the optimizer's learning rate to the schedule's value at t and returns it.</summary>
    public static float ApplySchedule(ILrSchedule schedule, Optimizer optimizer, long t)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        float lr = schedule.At(t);
        optimizer.LearningRate = lr;
        return lr;
    }

    /// <summary>
    /// Scales all gradients so that their joint L2 norm is at most <paramref name="maxNorm"/>
    /// (PyTorch clip_grad_norm_: factor maxNorm/(norm + 1e-6) when norm &gt; maxNorm). Returns the
    /// norm before clipping, accumulated in float64. Parameters without a gradient are ignored.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensors.Tensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0) || !double.IsFinite(maxNorm))
            throw new ArgumentException($"maxNorm is {maxNorm}; a finite positive value is required.", nameof(maxNorm));
        var grads = parameters.Select(p => p.Grad).Where(g => g is not null).Select(g => g!).ToList();
        double sq = 0;
        foreach (var g in grads) sq += g.Backend.SumOfSquares(g.Buffer, g.Size);
        double norm = Math.Sqrt(sq);
        if (norm > maxNorm)
        {
            float factor = (float)(maxNorm / (norm + 1e-6));
            foreach (var g in grads) g.Backend.Unary(Tensors.Backends.UnaryOp.Affine, g.Buffer, g.Buffer, g.Size, factor, 0);
        }
        return norm;
    }
}

/// <summary>
/// A linear warm-up in front of another schedule: η_t = inner(t)·min(1, (t + 1)/W). Adam's and
/// RMSProp's second-moment estimates are poor in the first steps; a short ramp keeps those steps
/// from throwing a GAN's generator into one mode.
/// </summary>
/// <param name="Inner">The schedule after the warm-up (it sees the same t).</param>
/// <param name="WarmupSteps">W, steps of the ramp (0 = none).</param>
public sealed record WarmupLr(ILrSchedule Inner, long WarmupSteps) : ILrSchedule
{
    /// <inheritdoc />
    public float At(long t)
    {
        ArgumentNullException.ThrowIfNull(Inner);
        if (WarmupSteps < 0) throw new ArgumentException($"WarmupSteps is {WarmupSteps}; it must be ≥ 0.", nameof(WarmupSteps));
        float lr = Inner.At(t);
        return WarmupSteps == 0 || t + 1 >= WarmupSteps ? lr : lr * (t + 1) / WarmupSteps;
    }
}

/// <summary>A constant learning rate η₀.</summary>
/// <param name="Initial">η₀.</param>
public sealed record ConstantLr(float Initial) : ILrSchedule
{
    /// <inheritdoc />
    public float At(long t) => Initial;
}
