using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>
/// Options of conditional flow matching (JSON-serialisable, saved with the model; <c>--config</c>
/// keys are the camel-case property names). docs/neural-models.md explains the defaults.
/// </summary>
public sealed record FlowMatchingOptions
{
    /// <summary>Hidden layers of the velocity network v(x_t, t, y) (3 × 128: on the dimuon toy's held-out mass better than 3 × 64, and as good as 3 × 256 at a third of the cost; docs/neural-models.md).</summary>
    public int[] Layers { get; init; } = [128, 128, 128];
    /// <summary>Hidden activation (ReLU: on the camel W1 0.011 against 0.07 with ELU in the same steps, and 3× faster sampling).</summary>
    public Activation Activation { get; init; } = Activation.Relu;
    /// <summary>Fourier features of the time: the network sees t and sin(2πkt), cos(2πkt) for k = 1 … this (0 = t alone).</summary>
    public int TimeFrequencies { get; init; } = 3;
    /// <summary>σ_min of the optimal-transport path x_t = (1 − (1 − σ_min)t)·x0 + t·x1 (Lipman et al. 2022, eq. 20): the width of the path's end around each data point, on the preprocessed scale.</summary>
    public float SigmaMin { get; init; } = 1e-4f;
    /// <summary>Law of the path time t of each training event (late: t = u^(1/3), density 3t², more weight near the data end of the path; uniform as Lipman et al. 2022).</summary>
    public TimeSampling TimeSampling { get; init; } = TimeSampling.Late;
    /// <summary>ODE method of sampling.</summary>
    public OdeMethod Solver { get; init; } = OdeMethod.Midpoint;
    /// <summary>ODE steps of sampling (from t = 0 to 1; midpoint: 2 network evaluations per step).</summary>
    public int OdeSteps { get; init; } = 32;
    /// <summary>ODE steps of the held-out evaluations during training (same method; fewer than <see cref="OdeSteps"/> to keep evaluation cheap; 0 = <see cref="OdeSteps"/>).</summary>
    public int EvaluationOdeSteps { get; init; } = 16;
    /// <summary>Adam learning rate (peak of the warm-up + cosine schedule; 6e-3 with batches of 1 024: dimuon-toy mass ratio 2.9 against 4.0 at 3e-3).</summary>
    public float LearningRate { get; init; } = 6e-3f;
    /// <summary>Schedule (over optimizer steps).</summary>
    public LrScheduleKind LrSchedule { get; init; } = LrScheduleKind.Cosine;
    /// <summary>γ of the exponential schedule.</summary>
    public float LrGamma { get; init; } = 0.999f;
    /// <summary>Events per batch (one t and one x0 per event; 1 024: the regression target is noisy, and on 2 cores a step of 1 024 events costs about twice one of 256).</summary>
    public int BatchSize { get; init; } = 1024;
    /// <summary>Optimizer steps; 0 (the default) = flow matching's automatic budget, <see cref="TrainingPlan.FlowMatching"/>.</summary>
    public int Steps { get; init; }
    /// <summary>Fraction of the steps over which the learning rate ramps up linearly from 0.</summary>
    public double WarmupFraction { get; init; } = 0.05;
    /// <summary>Exponential moving average of the velocity network's weights (the averaged network is evaluated, kept and sampled); 0 = off.</summary>
    public float EmaDecay { get; init; } = 0.995f;
    /// <summary>
    /// Keep the network of the evaluation with the lowest held-out energy distance (preprocessed
    /// scale) instead of the last (EMA) one. Off by default: the cosine decay to 0 anneals the last
    /// network, and the energy distance on ≤ 2 000 held-out events does not see a narrow peak (on
    /// the dimuon toy it kept step 3 200 of 40 000: mass ratio 8.1 against 1.43 for the last network).
    /// </summary>
    public bool KeepBest { get; init; }
    /// <summary>Stop when this many held-out evaluations in a row did not improve the lowest energy distance (0 = never stop early; works with or without <see cref="KeepBest"/>).</summary>
    public int EarlyStoppingPatience { get; init; }
    /// <summary>Seed.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Raw (signed weights in the loss) or Clip (Regress is a GAN-only strategy).</summary>
    public NegativeWeightStrategy NegativeWeights { get; init; } = NegativeWeightStrategy.Raw;
    /// <summary>
    /// Preprocessing of every feature column (default standard: measured against quantile-normal on
    /// the ring, W1 0.035 / 0.043 against 0.059 / 0.043, and the dimuon toy's held-out mass, W1 ratio 15.9
    /// against 30 after 2 000 steps; quantile-normal wins on the camel, 0.011 against 0.037, both pass).
    /// </summary>
    public TransformKind FeatureTransform { get; init; } = TransformKind.Standard;
    /// <summary>Preprocessing of every condition column.</summary>
    public TransformKind ConditionTransform { get; init; } = TransformKind.Standard;
    /// <summary>Per-column overrides of the group defaults: column name → spec text (<see cref="TransformSpec"/>); null = none.</summary>
    public IReadOnlyDictionary<string, string>? ColumnTransforms { get; init; }
    /// <summary>Held-out fraction for the energy-distance evaluations.</summary>
    public double HeldOutFraction { get; init; } = 0.1;
    /// <summary>At most this many held-out events.</summary>
    public int MaxHeldOut { get; init; } = 2000;
    /// <summary>Evaluate every this many steps (0 = never; −1, the default = <see cref="TrainingPlan.AutoEvaluations"/> evaluations over the run).</summary>
    public int EvaluateEvery { get; init; } = -1;
    /// <summary>Checkpoint file (<c>.gsp</c>) written every <see cref="CheckpointEvery"/> steps, at the end and on cancellation; null = none.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Write a checkpoint every this many steps (0 = only at the end and on cancellation).</summary>
    public int CheckpointEvery { get; init; }
}
