using GenStats.Data;

namespace GenStats.Models;

/// <summary>How cell energies E ≥ 0 enter the conv GAN's networks.</summary>
public enum ImageScaling
{
    /// <summary>t = log(1 + E/s) with s the mean energy of the training cells that are not zero: showers span decades, and the log keeps the core from drowning the tail. Needs E ≥ 0.</summary>
    Log1p,
    /// <summary>t = E/s (no compression; any sign).</summary>
    Linear,
}

/// <summary>The activation of the generator's last layer (on the preprocessed scale).</summary>
public enum ImageOutput
{
    /// <summary>max(t, 0): non-negative energies with exact zeros, as a readout threshold leaves them.</summary>
    Relu,
    /// <summary>log(1 + eᵗ): strictly positive energies, never exactly zero.</summary>
    Softplus,
    /// <summary>No constraint (for <see cref="ImageScaling.Linear"/> data with signed values).</summary>
    Identity,
}

/// <summary>
/// Everything that defines a conv-GAN training run (JSON-serialisable; saved in the model file).
/// Defaults follow the seed's LHCb ECAL architecture: generator noise + conditions → Linear →
/// 256×4×4 → (2× upsample + 3×3 conv + BatchNorm + ReLU) to 128×8×8, 64×16×16, 32×32×32 → 3×3
/// conv to one channel → centre crop to H×W; critic the mirror (3×3 stride-2 convs + leaky ReLU,
/// no BatchNorm); WGAN-GP (Gulrajani et al.: λ = 10 two-sided, Adam 1e-4, β = (0.5, 0.9), 5
/// critic steps); a fixed, pre-trained condition regressor adds λ_r·MSE(R(G(z, y)), y).
/// </summary>
public sealed record ConvGanOptions
{
    /// <summary>Size of the latent noise z ~ N(0, I).</summary>
    public int LatentSize { get; init; } = 64;
    /// <summary>
    /// Generator channels: the first at 4×4, then one per 2× upsampling block. The ladder has
    /// k = ⌈log₂(max(H, W)/4)⌉ blocks (30×30: 3 blocks to 32×32); entries beyond k are unused, and
    /// missing ones halve the last (at least 8).
    /// </summary>
    public int[] GeneratorChannels { get; init; } = [256, 128, 64, 32];
    /// <summary>Critic channels: the first after a stride-1 3×3 conv at full size, then one per stride-2 3×3 conv (k of them, down to 4×4); same rule for unused/missing entries (missing ones double the last).</summary>
    public int[] CriticChannels { get; init; } = [32, 64, 128, 256];
    /// <summary>Width of the critic's hidden fully connected layer on [flattened features, conditions].</summary>
    public int CriticHidden { get; init; } = 128;
    /// <summary>
    /// The critic's fully connected head also sees the image's log total energy and energy-weighted
    /// widths² (standardised; <see cref="ShowerSummaries"/>) next to the conditions. Off by default:
    /// on the ECAL toy it did not narrow the total-energy resolution (docs/neural-models.md, conv GAN
    /// settings), and on the tiny blob test it learnt the energy–condition relation less well.
    /// </summary>
    public bool CriticSummaries { get; init; }
    /// <summary>Layer normalisation over [C, H, W] after each strided critic conv (allowed with a gradient penalty, unlike BatchNorm).</summary>
    public bool CriticLayerNorm { get; init; }
    /// <summary>Slope of the leaky ReLUs of the critic and the regressor.</summary>
    public float LeakySlope { get; init; } = 0.2f;
    /// <summary>Upsampling of the generator blocks (bilinear follows PyTorch's align_corners=False).</summary>
    public Tensors.Backends.UpsampleMode Upsample { get; init; } = Tensors.Backends.UpsampleMode.Nearest;
    /// <summary>Preprocessing of the cell energies.</summary>
    public ImageScaling Scaling { get; init; } = ImageScaling.Log1p;
    /// <summary>
    /// With log1p scaling, s is this weighted quantile of the non-zero training cells, in (0, 1)
    /// (null, the default = their mean). A low quantile puts s near the faintest cells a readout
    /// keeps, so they stand out from zero on the networks' scale; it also stretches the bright cells
    /// to large t, where eᵗ amplifies the generator's errors — on the tiny blob test a 5 % quantile
    /// made the totals ≈ 100× too large. Linear scaling always uses the mean of |E|.
    /// </summary>
    public double? ScaleQuantile { get; init; }
    /// <summary>The generator's output activation on the preprocessed scale.</summary>
    public ImageOutput Output { get; init; } = ImageOutput.Relu;
    /// <summary>Preprocessing of every condition column (standardised by default).</summary>
    public TransformKind ConditionTransform { get; init; } = TransformKind.Standard;
    /// <summary>Critic updates per generator update.</summary>
    public int CriticSteps { get; init; } = 5;
    /// <summary>Gradient-penalty weight λ.</summary>
    public float PenaltyWeight { get; init; } = 10f;
    /// <summary>Two-sided (Gulrajani et al.) or one-sided penalty.</summary>
    public PenaltyKind Penalty { get; init; } = PenaltyKind.TwoSided;
    /// <summary>Adam learning rate of the generator.</summary>
    public float GeneratorLearningRate { get; init; } = 1e-4f;
    /// <summary>Adam learning rate of the critic.</summary>
    public float CriticLearningRate { get; init; } = 1e-4f;
    /// <summary>Adam β₁.</summary>
    public float AdamBeta1 { get; init; } = 0.5f;
    /// <summary>Adam β₂.</summary>
    public float AdamBeta2 { get; init; } = 0.9f;
    /// <summary>Learning-rate schedule (per generator step, behind the warm-up; <see cref="TrainingPlan.Schedule"/>).</summary>
    public LrScheduleKind LrSchedule { get; init; } = LrScheduleKind.Cosine;
    /// <summary>Fraction of the steps of linear warm-up.</summary>
    public double WarmupFraction { get; init; } = 0.05;
    /// <summary>Events per batch.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Generator steps; 0 = the automatic budget of <see cref="TrainingPlan.TotalSteps"/>.</summary>
    public int Steps { get; init; }
    /// <summary>Decay of the generator's exponential moving average that is sampled and saved (0 = the live generator).</summary>
    public float EmaDecay { get; init; } = 0.999f;
    /// <summary>Weight λ_r of the regressor term λ_r·E_w[‖R(G(z, y)) − y‖²]/C (standardised conditions); 0 = no regressor.</summary>
    public float RegressorWeight { get; init; } = 1f;
    /// <summary>Regressor channels (3×3 stride-2 convs after a stride-1 one, as the critic's ladder).</summary>
    public int[] RegressorChannels { get; init; } = [16, 32, 64, 64];
    /// <summary>Adam (1e-3) steps of the regressor's pre-training on the training images.</summary>
    public int RegressorSteps { get; init; } = 2000;
    /// <summary>Fraction of events held out for the evaluation (energy distance of preprocessed images); 0 = none.</summary>
    public double HeldOutFraction { get; init; } = 0.1;
    /// <summary>At most this many held-out events (the energy distance costs O(n²·H·W)).</summary>
    public int MaxHeldOut { get; init; } = 500;
    /// <summary>Evaluate every this many generator steps (−1 = 25 evaluations over the run, 0 = never).</summary>
    public int EvaluateEvery { get; init; } = -1;
    /// <summary>Keep the EMA generator of the best held-out evaluation (needs held-out events).</summary>
    public bool KeepBest { get; init; } = true;
    /// <summary>Seed of the initialisation, the batches, the noise and the held-out split.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Checkpoint file (<c>.gsp</c>) written every <see cref="CheckpointEvery"/> generator steps, at the end and on cancellation; null = none (<see cref="ConvGanTrainer.Resume"/> continues from it).</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Checkpoint interval in generator steps (0 = only at the end and on cancellation).</summary>
    public int CheckpointEvery { get; init; }
}
