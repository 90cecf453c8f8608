using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>Options of a conditional VAE (JSON-serialisable, saved with the model).</summary>
public sealed record VaeOptions
{
    /// <summary>Latent size.</summary>
    public int LatentSize { get; init; } = 4;
    /// <summary>Hidden layers of the encoder q(z | x, y).</summary>
    public int[] EncoderLayers { get; init; } = [64, 64];
    /// <summary>Hidden layers of the decoder p(x | z, y).</summary>
    public int[] DecoderLayers { get; init; } = [64, 64];
    /// <summary>Hidden activation.</summary>
    public Activation Activation { get; init; } = Activation.Relu;
    /// <summary>β, the weight of the KL term (1 = the ELBO).</summary>
    public float Beta { get; init; } = 1f;
    /// <summary>KL warm-up: β rises linearly from 0 to <see cref="Beta"/> over this fraction of the steps (0 = β from the start).</summary>
    public double BetaWarmupFraction { get; init; }
    /// <summary>Learn the decoder's per-feature log-variance as a function of (z, y); else use <see cref="FixedVariance"/> (on the 2-D ring a small fixed variance, 10⁻³, with <see cref="LatentMixtureComponents"/> was sharper: W1 0.02–0.07 against 0.06–0.15 learned).</summary>
    public bool LearnedVariance { get; init; } = true;
    /// <summary>The decoder variance on the preprocessed scale when it is not learned .</summary>
    public float FixedVariance { get; init; } = 0.1f;
    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Schedule (over optimizer steps).</summary>
    public LrScheduleKind LrSchedule { get; init; } = LrScheduleKind.Cosine;
    /// <summary>γ of the exponential schedule.</summary>
    public float LrGamma { get; init; } = 0.999f;
    /// <summary>Events per batch.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>Optimizer steps; 0 (the default) = the automatic budget of <see cref="TrainingPlan.TotalSteps"/> (⌈100·N_train/BatchSize⌉ clamped to [2000, 4000]).</summary>
    public int Steps { get; init; }
    /// <summary>Fraction of the steps over which the learning rate ramps up linearly from 0.</summary>
    public double WarmupFraction { get; init; } = 0.05;
    /// <summary>Keep the networks of the evaluation with the highest held-out ELBO on the preprocessed scale (needs held-out events), not the last ones.</summary>
    public bool KeepBest { get; init; } = true;
    /// <summary>Stop when this many held-out evaluations in a row did not improve the best ELBO (0 = never stop early).</summary>
    public int EarlyStoppingPatience { get; init; }
    /// <summary>Seed.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Raw or Clip (Regress is a GAN-only strategy).</summary>
    public NegativeWeightStrategy NegativeWeights { get; init; } = NegativeWeightStrategy.Raw;
    /// <summary>Preprocessing of every feature column: <c>"quantile-normal"</c> (the default: a multimodal marginal becomes one Gaussian, which a Gaussian decoder fits), <c>"standard"</c> or <c>"identity"</c>; fitted with max(w, 0).</summary>
    public TransformKind FeatureTransform { get; init; } = TransformKind.QuantileNormal;
    /// <summary>Preprocessing of every condition column (same kinds).</summary>
    public TransformKind ConditionTransform { get; init; } = TransformKind.Standard;
    /// <summary>Per-column overrides of the group defaults: column name → spec text (<see cref="TransformSpec"/>); null = none.</summary>
    public IReadOnlyDictionary<string, string>? ColumnTransforms { get; init; }
    /// <summary>
    /// Components K of the Gaussian mixture fitted (by EM, full covariances) after training to the
    /// aggregate posterior of the training events, Σ_i max(w_i, 0) q(z | x_i, y_i); sampling then
    /// draws z from it instead of N(0, I) (Ghosh et al. 2020). 0 = sample from N(0, I). The ELBO
    /// stays the one with respect to N(0, I). Unconditional models only: a conditional model's
    /// aggregate posterior mixes all y, so it keeps sampling z from N(0, I).
    /// </summary>
    public int LatentMixtureComponents { get; init; } = 10;
    /// <summary>Held-out fraction for the ELBO and energy-distance evaluations.</summary>
    public double HeldOutFraction { get; init; } = 0.1;
    /// <summary>At most this many held-out events.</summary>
    public int MaxHeldOut { get; init; } = 2000;
    /// <summary>Evaluate every this many steps (0 = never; −1, the default = 25 evaluations over the run).</summary>
    public int EvaluateEvery { get; init; } = -1;
    /// <summary>Checkpoint file (<c>.gsp</c>) written every <see cref="CheckpointEvery"/> steps, at the end and on cancellation; null = none.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Write a checkpoint every this many steps (0 = only at the end and on cancellation).</summary>
    public int CheckpointEvery { get; init; }
}
