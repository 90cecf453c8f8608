using GenStats.Nn;

namespace GenStats.Models;

/// <summary>
/// An automatic step budget: ⌈<paramref name="Epochs"/>·N_train/batch⌉ steps clamped to
/// [<paramref name="MinSteps"/>, <paramref name="MaxSteps"/>].
/// </summary>
/// <param name="Epochs">Epochs of the training events (an epoch = N_train events drawn).</param>
/// <param name="MinSteps">Fewest steps: small samples still need this many updates to converge.</param>
/// <param name="MaxSteps">Most steps: the run-time ceiling.</param>
public sealed record AutoBudget(double Epochs, int MinSteps, int MaxSteps)
{
    /// <summary>The steps for <paramref name="trainCount"/> training events at <paramref name="batchSize"/> per step.</summary>
    public long Steps(int trainCount, int batchSize) =>
        Math.Clamp((long)Math.Ceiling(Epochs * trainCount / batchSize), MinSteps, MaxSteps);
}

/// <summary>
/// The defaults every neural trainer shares (GAN family, VAE, flow; flow matching with its own
/// budget): the step budget when none is given,
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

    /// <summary>The automatic budget of the GAN family, the VAE and the spline flow.</summary>
    public static readonly AutoBudget Shared = new(AutoEpochs, AutoMinSteps, AutoMaxSteps);

    /// <summary>
    /// The automatic budget of flow matching: a step is one cheap regression of the velocity
    /// network (no critic, no inverse), and a narrow structure — a resonance's mass, a fine
    /// cancellation of several columns — keeps improving for tens of thousands of steps, so the
    /// floor is high (20 000 steps of 1 024 events: the camel and the ring train in under 3 minutes
    /// on 2 cores); data sets above ≈ 20 000 training events get 1 000 epochs, at most 40 000 steps
    /// (docs/neural-models.md, "Dimuon toy, mass held out").
    /// </summary>
    public static readonly AutoBudget FlowMatching = new(FlowMatchingEpochs, FlowMatchingMinSteps, FlowMatchingMaxSteps);

    /// <summary>Epochs of flow matching's automatic budget.</summary>
    public const double FlowMatchingEpochs = 1000;

    /// <summary>Fewest steps of flow matching's automatic budget.</summary>
    public const int FlowMatchingMinSteps = 20000;

    /// <summary>Most steps of flow matching's automatic budget.</summary>
    public const int FlowMatchingMaxSteps = 40000;

    /// <summary>Held-out evaluations over a run when the interval is automatic.</summary>
    public const int AutoEvaluations = 25;

    /// <summary>
    /// Steps of a run: <paramref name="steps"/> when positive, else ⌈epochs·N_train/batch⌉ when
    /// <paramref name="epochs"/> is set, else the automatic <paramref name="budget"/> (null =
    /// <see cref="Shared"/>: ⌈<see cref="AutoEpochs"/>·N/batch⌉ clamped to
    /// [<see cref="AutoMinSteps"/>, <see cref="AutoMaxSteps"/>]).
    /// </summary>
    public static long TotalSteps(int steps, double? epochs, int trainCount, int batchSize, AutoBudget? budget = null)
    {
        if (epochs is double e) return (long)Math.Ceiling(e * trainCount / batchSize);
        if (steps > 0) return steps;
        return (budget ?? Shared).Steps(trainCount, batchSize);
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
