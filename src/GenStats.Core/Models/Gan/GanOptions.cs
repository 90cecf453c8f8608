using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>The adversarial loss of a GAN (formulas in <see cref="GanLosses"/>).</summary>
public enum GanLoss
{
    /// <summary>Goodfellow's minimax BCE: D minimises BCE; G minimises E log(1 − σ(D(G(z)))).</summary>
    Minimax,
    /// <summary>Non-saturating BCE: as <see cref="Minimax"/> but G minimises −E log σ(D(G(z))).</summary>
    NonSaturating,
    /// <summary>Least squares (LSGAN, a=0, b=c=1).</summary>
    LeastSquares,
    /// <summary>Wasserstein GAN with critic weight clipping to [−c, c] after every critic update.</summary>
    Wgan,
    /// <summary>Wasserstein GAN with a gradient penalty on random interpolates.</summary>
    WganGp,
    /// <summary>Cramér GAN: energy-distance critic with the surrogate h and a gradient penalty.</summary>
    Cramer,
}

/// <summary>Gradient penalty on interpolates x̂ = εx_r + (1 − ε)x_g.</summary>
public enum PenaltyKind
{
    /// <summary>(‖∇ₓ̂D‖ − 1)² (Gulrajani et al.).</summary>
    TwoSided,
    /// <summary>max(0, ‖∇ₓ̂D‖ − 1)² (Petzka et al.; the LHCb RICH GAN's choice).</summary>
    OneSided,
}

/// <summary>How negative per-event weights (sWeights) enter the losses.</summary>
public enum NegativeWeightStrategy
{
    /// <summary>As given (unbiased; the losses may be unbounded below and a batch's Σw may be ≤ 0).</summary>
    Raw,
    /// <summary>max(w, 0) (biased: the background share with positive weight survives).</summary>
    Clip,
    /// <summary>A network estimate of E[w | x, y], non-negative (softplus output), fitted by MSE before the GAN.</summary>
    Regress,
}

/// <summary>Optimizer of the networks.</summary>
public enum OptimizerKind
{
    /// <summary>RMSProp (PyTorch defaults α = 0.99, ε = 1e-8).</summary>
    RmsProp,
    /// <summary>Adam with β₁ = <see cref="GanOptions.AdamBeta1"/>, β₂ = <see cref="GanOptions.AdamBeta2"/>.</summary>
    Adam,
}

/// <summary>Learning-rate schedule over generator steps t.</summary>
public enum LrScheduleKind
{
    /// <summary>Constant η₀.</summary>
    Constant,
    /// <summary>η₀·γᵗ (the RICH GAN's exponential decay).</summary>
    Exponential,
    /// <summary>Cosine annealing from η₀ to <see cref="GanOptions.LrMinimum"/> over the planned steps.</summary>
    Cosine,
}

/// <summary>
/// Everything that defines a GAN training run (JSON-serialisable; saved in checkpoints and model
/// files). Defaults (chosen by the settings study in docs/neural-models.md): a Cramér GAN with 3 hidden layers of 128 ReLU in both networks, Adam 1e-3 with a 5 % warm-up and cosine decay, 2 critic steps, an EMA generator and the best held-out checkpoint.
/// </summary>
public sealed record GanOptions
{
    /// <summary>The adversarial loss.</summary>
    public GanLoss Loss { get; init; } = GanLoss.Cramer;
    /// <summary>Size of the latent noise z ~ N(0, I).</summary>
    public int LatentSize { get; init; } = 16;
    /// <summary>Hidden layer widths of the generator G(z, y).</summary>
    public int[] GeneratorLayers { get; init; } = [128, 128, 128];
    /// <summary>Hidden layer widths of the critic D(x, y).</summary>
    public int[] CriticLayers { get; init; } = [128, 128, 128];
    /// <summary>Hidden activation of both networks.</summary>
    public Activation Activation { get; init; } = Activation.Relu;
    /// <summary>Critic output size for the Cramér GAN (the RICH GAN uses 256); other losses use 1.</summary>
    public int CriticOutputSize { get; init; } = 32;
    /// <summary>Critic updates per generator update.</summary>
    public int CriticSteps { get; init; } = 2;
    /// <summary>Optimizer of both networks.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>Initial learning rate of the generator.</summary>
    public float GeneratorLearningRate { get; init; } = 1e-3f;
    /// <summary>Initial learning rate of the critic.</summary>
    public float CriticLearningRate { get; init; } = 1e-3f;
    /// <summary>Adam β₁ (0.5 as in WGAN-GP practice).</summary>
    public float AdamBeta1 { get; init; } = 0.5f;
    /// <summary>Adam β₂.</summary>
    public float AdamBeta2 { get; init; } = 0.9f;
    /// <summary>Learning-rate schedule (per generator step, applied to both networks).</summary>
    public LrScheduleKind LrSchedule { get; init; } = LrScheduleKind.Cosine;
    /// <summary>γ of the exponential schedule.</summary>
    public float LrGamma { get; init; } = 0.999f;
    /// <summary>Final learning rate of the cosine schedule.</summary>
    public float LrMinimum { get; init; }
    /// <summary>Events per batch.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>
    /// Generator steps; 0 (the default) = the automatic budget of <see cref="TrainingPlan.TotalSteps"/>
    /// (⌈100·N_train/BatchSize⌉ clamped to [2000, 4000]); ignored when <see cref="Epochs"/> is set.
    /// </summary>
    public int Steps { get; init; }
    /// <summary>When set, Steps = ⌈Epochs·N_train/BatchSize⌉ (batches are drawn with replacement, so an epoch is N_train events on average).</summary>
    public double? Epochs { get; init; }
    /// <summary>Fraction of the steps over which the learning rate ramps up linearly from 0 (before the schedule takes over).</summary>
    public double WarmupFraction { get; init; } = 0.05;
    /// <summary>Decay β of the exponential moving average of the generator's weights that is sampled, evaluated and saved (0 = no averaging: the live generator).</summary>
    public float EmaDecay { get; init; } = 0.999f;
    /// <summary>Keep the generator of the evaluation with the lowest held-out energy distance (needs held-out events), not the last one.</summary>
    public bool KeepBest { get; init; } = true;
    /// <summary>Stop when this many held-out evaluations in a row did not improve on the best (0 = never stop early).</summary>
    public int EarlyStoppingPatience { get; init; }
    /// <summary>Seed of the initialisation, the batches, the noise and the held-out split.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Gradient-penalty weight λ (WGAN-GP, Cramér).</summary>
    public float PenaltyWeight { get; init; } = 10f;
    /// <summary>Two- or one-sided penalty.</summary>
    public PenaltyKind Penalty { get; init; } = PenaltyKind.OneSided;
    /// <summary>Weight the penalty's mean by the events' weights (else a plain mean; recommended with signed weights).</summary>
    public bool WeightedPenalty { get; init; }
    /// <summary>WGAN clip value c: every critic parameter is clamped to [−c, c] after each critic update.</summary>
    public float ClipValue { get; init; } = 0.01f;
    /// <summary>How negative weights are used.</summary>
    public NegativeWeightStrategy NegativeWeights { get; init; } = NegativeWeightStrategy.Raw;
    /// <summary>Hidden layers of the E[w | x, y] regressor (<see cref="NegativeWeightStrategy.Regress"/>).</summary>
    public int[] WeightRegressorLayers { get; init; } = [64, 64];
    /// <summary>Adam steps of the E[w | x, y] regressor.</summary>
    public int WeightRegressorSteps { get; init; } = 2000;
    /// <summary>Preprocessing of every feature column: <c>"quantile-normal"</c> (the default, as the LHCb RICH GAN: a multimodal marginal becomes one Gaussian, so the generator needs no steep map between modes), <c>"standard"</c> or <c>"identity"</c>; fitted with max(w, 0).</summary>
    public TransformKind FeatureTransform { get; init; } = TransformKind.QuantileNormal;
    /// <summary>Preprocessing of every condition column (same kinds).</summary>
    public TransformKind ConditionTransform { get; init; } = TransformKind.Standard;
    /// <summary>
    /// Per-column preprocessing that overrides the group defaults: column name → spec text
    /// (<see cref="TransformSpec"/>: "log", "log1p", "logit(lo,hi)", "periodic", "standard", …); null = none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ColumnTransforms { get; init; }
    /// <summary>Fraction of events held out for evaluation (energy distance, referee AUC, best-generator selection); 0 = none.</summary>
    public double HeldOutFraction { get; init; } = 0.1;
    /// <summary>At most this many held-out events (the energy distance costs O(n²)).</summary>
    public int MaxHeldOut { get; init; } = 2000;
    /// <summary>Evaluate on the held-out events every this many generator steps (0 = never; −1, the default = 25 evaluations over the run).</summary>
    public int EvaluateEvery { get; init; } = -1;
    /// <summary>Train a referee classifier (MLP [d, 32, 32, 1], BCE, Adam 1e-3) alongside, one step per generator step.</summary>
    public bool Referee { get; init; }
    /// <summary>Joint gradient-norm clip of each network's update (0 = none).</summary>
    public double MaxGradNorm { get; init; }
    /// <summary>Write a checkpoint here every <see cref="CheckpointEvery"/> generator steps and at the end (null = never).</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Checkpoint interval in generator steps (0 = only at the end).</summary>
    public int CheckpointEvery { get; init; }
}
