namespace GenStats.Models;

/// <summary>What a neural trainer reports while it runs (through <see cref="IProgress{T}"/>).</summary>
/// <param name="Step">Generator (GAN) or optimizer (VAE) steps done.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Losses">The last step's losses by name (e.g. "critic", "generator", "penalty", "aux", "elbo").</param>
/// <param name="BatchEss">Effective sample size (Σw)²/Σw² of the last batch.</param>
/// <param name="LearningRate">Current learning rate (generator's for a GAN).</param>
/// <param name="HeldOutEnergyDistance">The latest held-out energy distance, if evaluated yet.</param>
/// <param name="RefereeAuc">The latest referee AUC, if a referee runs.</param>
/// <param name="Elapsed">Wall time since this run (or resume) started.</param>
public sealed record TrainingProgress(
    long Step, long TotalSteps, IReadOnlyDictionary<string, double> Losses, double BatchEss,
    double LearningRate, double? HeldOutEnergyDistance, double? RefereeAuc, TimeSpan Elapsed);

/// <summary>One training step in the history.</summary>
/// <param name="Step">Step number (1-based: the step just done).</param>
/// <param name="Losses">Loss values by name.</param>
/// <param name="BatchEss">ESS of the step's batch (the last critic batch for a GAN).</param>
/// <param name="LearningRate">Learning rate used.</param>
public sealed record StepRecord(long Step, Dictionary<string, double> Losses, double BatchEss, double LearningRate);

/// <summary>A held-out evaluation in the history.</summary>
/// <param name="Step">Step number after which it ran.</param>
/// <param name="EnergyDistance">Energy distance (scipy convention) between generated and held-out real features on the model's (preprocessed) scale, generated at the held-out conditions, both weighted by the held-out weights.</param>
/// <param name="RefereeAuc">Real-vs-generated ROC AUC of the referee on the held-out events (0.5 = indistinguishable), or null.</param>
/// <param name="HeldOutMetric">A model-specific held-out figure (the VAE's ELBO per event on the raw scale; the flow's log-likelihood per event on the preprocessed scale), or null.</param>
public sealed record EvaluationRecord(long Step, double EnergyDistance, double? RefereeAuc, double? HeldOutMetric);

/// <summary>A training history: every step, and every evaluation.</summary>
/// <param name="Steps">Per-step records.</param>
/// <param name="Evaluations">Held-out evaluations.</param>
public sealed record TrainingHistory(List<StepRecord> Steps, List<EvaluationRecord> Evaluations)
{
    /// <summary>At most this many step records go into a model file (every evaluation does).</summary>
    public const int MaxStoredSteps = 2000;

    /// <summary>An empty history.</summary>
    public static TrainingHistory Empty() => new(new List<StepRecord>(), new List<EvaluationRecord>());

    /// <summary>The step whose networks the model holds (best held-out evaluation, or the last step); null when unknown.</summary>
    public long? SelectedStep { get; init; }

    /// <summary>
    /// A copy with every k-th step record (k = ⌈steps/<paramref name="maxSteps"/>⌉, the last step always
    /// kept) and every evaluation: what a model file stores, so a 100 000-step run does not make it megabytes.
    /// </summary>
    public TrainingHistory Thinned(int maxSteps = MaxStoredSteps)
    {
        if (maxSteps <= 0) throw new ArgumentException($"maxSteps is {maxSteps}; it must be positive.", nameof(maxSteps));
        int k = Math.Max(1, (Steps.Count + maxSteps - 1) / maxSteps);
        var kept = Steps.Where((_, i) => (i + 1) % k == 0 || i == Steps.Count - 1).ToList();
        return new TrainingHistory(kept, [.. Evaluations]) { SelectedStep = SelectedStep };
    }
}

/// <summary>Why training stopped early.</summary>
public enum StopReason
{
    /// <summary>A loss (or a parameter) became NaN or infinite.</summary>
    NonFiniteLoss,
    /// <summary>A batch's weights summed to ≤ 0 (signed sWeights): the weighted losses are undefined.</summary>
    NonPositiveBatchWeight,
}

/// <summary>
/// Training stopped before its last step. The message says why, at which step, and where the last
/// good checkpoint is (if checkpoints were enabled); <see cref="History"/> holds the steps done.
/// </summary>
public sealed class TrainingStoppedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public TrainingStoppedException(string message, StopReason reason, long step, string? lastCheckpoint, TrainingHistory history)
        : base(message)
    {
        Reason = reason;
        Step = step;
        LastCheckpoint = lastCheckpoint;
        History = history;
    }

    /// <summary>Why.</summary>
    public StopReason Reason { get; }
    /// <summary>The step that failed (1-based).</summary>
    public long Step { get; }
    /// <summary>Path of the last good checkpoint, or null when none was written.</summary>
    public string? LastCheckpoint { get; }
    /// <summary>The history up to the failure.</summary>
    public TrainingHistory History { get; }
}
