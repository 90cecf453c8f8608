using GenStats.Nn;

namespace GenStats.Models;

/// <summary>
/// The defaults every neural trainer shares (GAN family, VAE): the step budget when none is given,
/// the learning-rate schedule with its warm-up, and how often the held-out evaluation runs. One home,
/// so the models cannot drift apart; docs/neural-models.md explains each number.
/// </summary>
public static class TrainingPlan
{
    /// <summary>Epochs of the automatic budget (an epoch = N_train events drawn).</summary>
    public const double AutoEpochs = 100;

    /// <summary>Fewest steps of the automatic budget: small samples still need this many updates to converge.</summary>
    public const int AutoMinSteps = 2000;

    /// <summary>Most steps of the automatic budget: beyond it a large sample is learned with larger batches, not more time.</summary>
    public const int AutoMaxSteps = 4000;

    /// <summary>Held-out evaluations over a run when the interval is automatic.</summary>
    public const int AutoEvaluations = 25;

    /// <summary>
    /// Steps of a run: <paramref name="steps"/> when positive, else ⌈epochs·N_train/batch⌉ when
    /// <paramref name="epochs"/> is set, else the automatic budget ⌈<see cref="AutoEpochs"/>·N/batch⌉
    /// clamped to [<see cref="AutoMinSteps"/>, <see cref="AutoMaxSteps"/>].
    /// </summary>
    public static long TotalSteps(int steps, double? epochs, int trainCount, int batchSize)
    {
        if (epochs is double e) return (long)Math.Ceiling(e * trainCount / batchSize);
        if (steps > 0) return steps;
        long auto = (long)Math.Ceiling(AutoEpochs * trainCount / batchSize);
        return Math.Clamp(auto, AutoMinSteps, AutoMaxSteps);
    }

    /// <summary>
    /// The learning-rate schedule of a run: the chosen kind over <paramref name="totalSteps"/> steps
    /// behind a linear warm-up over ⌈warmupFraction·totalSteps⌉ steps.
    /// </summary>
    public static ILrSchedule Schedule(LrScheduleKind kind, float initial, long totalSteps, double warmupFraction, float gamma, float minimum)
    {
        ILrSchedule inner = kind switch
        {
            LrScheduleKind.Exponential => new ExponentialLr(initial, gamma),
            LrScheduleKind.Cosine => new CosineLr(initial, Math.Max(1, totalSteps), minimum),
            _ => new ConstantLr(initial),
        };
        long warmup = (long)Math.Ceiling(Math.Max(0, warmupFraction) * totalSteps);
        return warmup > 0 ? new WarmupLr(inner, warmup) : inner;
    }

    /// <summary>
    /// Steps between held-out evaluations: <paramref name="evaluateEvery"/> when ≥ 0 (0 = never),
    /// else (automatic, −1) ⌈totalSteps/<see cref="AutoEvaluations"/>⌉; 0 when there is nothing held out.
    /// </summary>
    public static int EvaluationInterval(int evaluateEvery, long totalSteps, bool hasHeldOut)
    {
        if (!hasHeldOut) return 0;
        if (evaluateEvery >= 0) return evaluateEvery;
        return (int)Math.Max(1, (totalSteps + AutoEvaluations - 1) / AutoEvaluations);
    }

    /// <summary>Checks the options the plan reads.</summary>
    /// <exception cref="ArgumentException">A value out of its range.</exception>
    public static void Check(double warmupFraction, int evaluateEvery, int patience)
    {
        if (!(warmupFraction >= 0 && warmupFraction < 1))
            throw new ArgumentException($"WarmupFraction is {warmupFraction}; [0, 1) is allowed.", nameof(warmupFraction));
        if (evaluateEvery < -1)
            throw new ArgumentException($"EvaluateEvery is {evaluateEvery}; −1 (automatic), 0 (never) or a positive interval is allowed.", nameof(evaluateEvery));
        if (patience < 0)
            throw new ArgumentException($"EarlyStoppingPatience is {patience}; 0 (off) or a positive number of evaluations is allowed.", nameof(patience));
    }
}
