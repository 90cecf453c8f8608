using GenStats.Data;
using GenStats.Nn;

namespace GenStats.Models;

/// <summary>How the layers of a <see cref="ConditionalSplineFlow"/> are built.</summary>
public enum FlowArchitecture
{
    /// <summary>
    /// Coupling layers (Dinh et al.; Durkan et al. 2019): half of the columns pass unchanged and, with
    /// the conditions, feed an MLP that outputs the splines of the other half. One network pass both
    /// ways. With one feature column the conditioner sees the conditions only (or is a learned
    /// constant when the model is unconditional).
    /// </summary>
    Coupling,
    /// <summary>
    /// Masked autoregressive layers (MADE, Germain et al. 2015; MAF, Papamakarios et al. 2017): every
    /// column's spline depends on all earlier columns and the conditions. One pass for the density,
    /// one pass per column to sample: meant for low dimension.
    /// </summary>
    Autoregressive,
}

/// <summary>The column order between flow layers.</summary>
public enum FlowPermutation
{
    /// <summary>Alternate the identity and the reversed order (for coupling: the two halves swap roles).</summary>
    Alternate,
    /// <summary>A fixed random permutation per layer, drawn from <see cref="FlowOptions.Seed"/>.</summary>
    Random,
}

/// <summary>Options of a conditional neural spline flow (JSON-serialisable, saved with the model).</summary>
public sealed record FlowOptions
{
    /// <summary>Autoregressive (MADE, the default: dimuon-toy mass ratio 2.7 against 3.6 with coupling, two seeds each) or coupling layers (one network pass to sample: for many columns).</summary>
    public FlowArchitecture Architecture { get; init; } = FlowArchitecture.Autoregressive;
    /// <summary>Number of spline layers.</summary>
    public int Layers { get; init; } = 6;
    /// <summary>Hidden layers of every conditioner network.</summary>
    public int[] HiddenLayers { get; init; } = [64, 64];
    /// <summary>Hidden activation of the conditioners.</summary>
    public Activation Activation { get; init; } = Activation.Relu;
    /// <summary>K, the spline bins.</summary>
    public int Bins { get; init; } = 8;
    /// <summary>B, the tail bound on the preprocessed scale: splines act on [−B, B], the identity outside (quantile-normal columns lie in [−5.2, 5.2]).</summary>
    public float TailBound { get; init; } = 4f;
    /// <summary>Column order between layers.</summary>
    public FlowPermutation Permutation { get; init; } = FlowPermutation.Alternate;
    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Decoupled weight decay λ (AdamW, Loshchilov and Hutter 2019, PyTorch's <c>AdamW(weight_decay=λ)</c>: θ ← θ − lr·λ·θ per step); 0 = plain Adam.</summary>
    public float WeightDecay { get; init; }
    /// <summary>Dropout probability after every hidden activation of the conditioners during training (PyTorch's inverted dropout, as nflows' <c>dropout_probability</c>; evaluation, density and sampling use the full network); 0 = none. Its masks are not checkpointed: <see cref="FlowTrainer.Resume"/> is bit-identical only without dropout.</summary>
    public float Dropout { get; init; }
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
    /// <summary>β of an exponential moving average of the conditioners' parameters (Polyak averaging, as the cfm's EMA: the average is evaluated, selected and kept); 0 = off.</summary>
    public float EmaDecay { get; init; }
    /// <summary>Gradient-norm clip (global L2 norm over all parameters; 0 = none): one outlier batch cannot throw the spline parameters far.</summary>
    public float GradientClip { get; init; } = 5f;
    /// <summary>
    /// Best-checkpoint selection on the held-out NLL (preprocessed scale; needs held-out events): keep the
    /// networks of the latest evaluation whose NLL is within one paired standard error of the lowest so far
    /// (so the annealed end wins unless over-fitting made it significantly worse); false = the last step.
    /// </summary>
    public bool KeepBest { get; init; } = true;
    /// <summary>Stop when this many held-out evaluations in a row did not lower the lowest held-out NLL (0 = never stop early).</summary>
    public int EarlyStoppingPatience { get; init; }
    /// <summary>Seed (initialisation, random permutations, batches, held-out split).</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>
    /// How negative weights (sWeights) enter the NLL: Raw (unbiased, but the weighted NLL is unbounded
    /// below where weights are negative: the flow can lower it without limit by putting no density
    /// where the net weight is negative, so watch the held-out NLL), Clip (max(w, 0), biased) or Regress
    /// (the E[w | x, y] regression of the GAN trainer: non-negative weights with the same expectations).
    /// </summary>
    public NegativeWeightStrategy NegativeWeights { get; init; } = NegativeWeightStrategy.Raw;
    /// <summary>Hidden layers of the E[w | x, y] regressor (<see cref="NegativeWeightStrategy.Regress"/>).</summary>
    public int[] WeightRegressorLayers { get; init; } = [64, 64];
    /// <summary>Steps of the E[w | x, y] regressor.</summary>
    public int WeightRegressorSteps { get; init; } = 2000;
    /// <summary>Preprocessing of every feature column: <c>"standard"</c> (the default), <c>"quantile-normal"</c>, <c>"identity"</c>, log…; periodic columns are refused (no density on the circle's embedding). Quantile-normal's piecewise-linear CDF has a knot at every training event: it carries the sample's noise into every relation between columns, which the flow then learns (dimuon-toy mass ratio 5.4 against 2.3 with standard).</summary>
    public TransformKind FeatureTransform { get; init; } = TransformKind.Standard;
    /// <summary>Preprocessing of every condition column (periodic allowed).</summary>
    public TransformKind ConditionTransform { get; init; } = TransformKind.Standard;
    /// <summary>Per-column overrides of the group defaults: column name → spec text (<see cref="TransformSpec"/>); null = none.</summary>
    public IReadOnlyDictionary<string, string>? ColumnTransforms { get; init; }
    /// <summary>Held-out fraction for the NLL and energy-distance evaluations.</summary>
    public double HeldOutFraction { get; init; } = 0.1;
    /// <summary>At most this many held-out events.</summary>
    public int MaxHeldOut { get; init; } = 2000;
    /// <summary>Evaluate every this many steps (0 = never; −1, the default = 25 evaluations over the run).</summary>
    public int EvaluateEvery { get; init; } = -1;
    /// <summary>Checkpoint file (<c>.gsp</c>) written every <see cref="CheckpointEvery"/> steps, at the end and on cancellation; null = none.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Write a checkpoint every this many steps (0 = only at the end and on cancellation).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>The spline of every layer.</summary>
    internal SplineShape Spline => new(Bins, TailBound);
}
