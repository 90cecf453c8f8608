using System.Diagnostics;
using System.Globalization;
using GenStats.Data;
using GenStats.Nn;
using GenStats.Numerics;
using GenStats.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GenStats.Models;

/// <summary>The outcome of a GAN training run.</summary>
/// <param name="Model">The trained generator with its preprocessing, ready to sample and save.</param>
/// <param name="History">Per-step losses and batch ESS, held-out evaluations.</param>
/// <param name="Steps">Generator steps done.</param>
public sealed record GanTrainingResult(ConditionalGan Model, TrainingHistory History, long Steps)
{
    /// <summary>The step whose generator the model holds: the best held-out evaluation with <see cref="GanOptions.KeepBest"/>, else the last step.</summary>
    public long SelectedStep { get; init; } = Steps;

    /// <summary>True when training ended before its planned steps because the held-out figure stopped improving (<see cref="GanOptions.EarlyStoppingPatience"/>).</summary>
    public bool StoppedEarly { get; init; }
}

/// <summary>
/// Trains a conditional GAN G(z, y), D(x, y) on weighted events (see <see cref="GanLosses"/> for
/// the losses and <see cref="GanOptions"/> for the knobs). A trainer is a resumable session:
/// <see cref="RunTo"/> advances it, <see cref="SaveCheckpoint"/> writes parameters, optimizer
/// state, RNG position, step and history, and <see cref="Resume"/> continues bit-identically to an
/// uninterrupted run. A NaN/∞ loss or parameter, or a batch with Σw ≤ 0, stops training with a
/// <see cref="TrainingStoppedException"/>; checkpoints are only written after a good step, so the
/// last one stays usable.
/// </summary>
public sealed class GanTrainer
{
    private const string Kind = "gan-checkpoint";
    private readonly GanOptions o;
    private readonly AuxiliaryStatistic? aux;
    private readonly RowTransform fx;
    private readonly RowTransform? fy;
    private readonly NeuralData train;
    private readonly NeuralData? held;
    private readonly Mlp gen, critic;
    private readonly Mlp? referee;
    private readonly Optimizer optG, optC;
    private readonly Adam? optR;
    private readonly string fingerprint;
    private readonly string[] featureNames, conditionNames;
    private readonly int dx, dy, criticOut;
    private readonly TrainingHistory history;
    private readonly ParameterAverage? average;
    private readonly BestSnapshot? best;
    private readonly int evaluateEvery;
    private Rng rng;
    private long step;
    private bool stoppedEarly;
    private string? lastCheckpoint;
    private long lastCheckpointStep = -1;
    private float[]? realStatistic; // an expression statistic of every training event (RealStatistic)
    private int realWidth;

    private GanTrainer(GanOptions o, AuxiliaryStatistic? aux, RowTransform fx, RowTransform? fy, NeuralData train, NeuralData? held,
        string fingerprint, string[] featureNames, string[] conditionNames, TrainingHistory history)
    {
        this.o = o;
        this.aux = aux;
        this.fx = fx;
        this.fy = fy;
        this.train = train;
        this.held = held;
        this.fingerprint = fingerprint;
        this.featureNames = featureNames;
        this.conditionNames = conditionNames;
        this.history = history;
        dx = train.Dx;
        dy = train.Dy;
        criticOut = o.Loss == GanLoss.Cramer ? o.CriticOutputSize : 1;
        gen = NeuralParts.Network(o.LatentSize + dy, o.GeneratorLayers, dx, o.Activation, NeuralData.Mix(o.Seed, 1));
        critic = NeuralParts.Network(dx + dy, o.CriticLayers, criticOut, o.Activation, NeuralData.Mix(o.Seed, 2));
        optG = NeuralParts.Optimizer(o.Optimizer, gen.Parameters(), o.GeneratorLearningRate, o.AdamBeta1, o.AdamBeta2);
        optC = NeuralParts.Optimizer(o.Optimizer, critic.Parameters(), o.CriticLearningRate, o.AdamBeta1, o.AdamBeta2);
        if (o.Referee)
        {
            referee = NeuralParts.Network(dx + dy, [32, 32], 1, Activation.Relu, NeuralData.Mix(o.Seed, 3));
            optR = new Adam(referee.Parameters(), new AdamOptions { LearningRate = 1e-3f });
        }
        TotalSteps = TrainingPlan.TotalSteps(o.Steps, o.Epochs, train.Count, o.BatchSize);
        evaluateEvery = TrainingPlan.EvaluationInterval(o.EvaluateEvery, TotalSteps, held is not null);
        if (o.EmaDecay > 0) average = new ParameterAverage(gen, GeneratorCopy(), o.EmaDecay);
        if (o.KeepBest && evaluateEvery > 0) best = new BestSnapshot(GeneratorCopy());
        rng = new Rng(NeuralData.Mix(o.Seed, 4));
    }

    /// <summary>Generator steps done.</summary>
    public long Step => step;

    /// <summary>Generator steps planned (<see cref="TrainingPlan.TotalSteps"/> of <see cref="GanOptions.Steps"/>, <see cref="GanOptions.Epochs"/> and the data size).</summary>
    public long TotalSteps { get; }

    /// <summary>The options.</summary>
    public GanOptions Options => o;

    /// <summary>The history so far.</summary>
    public TrainingHistory History => history;

    /// <summary>The generator that is evaluated and sampled: the weight average with <see cref="GanOptions.EmaDecay"/> &gt; 0, else the live one.</summary>
    private Mlp Sampled => (Mlp?)average?.Average ?? gen;

    private Mlp GeneratorCopy() => NeuralParts.Network(o.LatentSize + dy, o.GeneratorLayers, dx, o.Activation, 1);

    /// <summary>Steps between held-out evaluations (0 = none).</summary>
    public int EvaluationInterval => evaluateEvery;

    /// <summary>The live generator network (input [z, y] on the preprocessed scale).</summary>
    public Module Generator => gen;

    /// <summary>The live critic network (input [x, y] on the preprocessed scale).</summary>
    public Module Critic => critic;

    /// <summary>The per-event weights the losses use after the negative-weight strategy (training part only).</summary>
    public IReadOnlyList<float> EffectiveWeights => train.W;

    /// <summary>
    /// Prepares a run: checks the data (finite, rectangular, weights finite with Σw &gt; 0; signed
    /// weights allowed), splits off the held-out events, fits the preprocessing, applies the
    /// negative-weight strategy (fitting E[w | x, y] for <see cref="NegativeWeightStrategy.Regress"/>)
    /// and builds the networks.
    /// </summary>
    /// <param name="features">Events × features.</param>
    /// <param name="conditions">Events × conditions, or null for an unconditional model.</param>
    /// <param name="weights">Per-event weights (null = 1), signed sWeights allowed.</param>
    /// <param name="options">Options (null = defaults).</param>
    /// <param name="auxiliary">Optional auxiliary statistic term.</param>
    /// <param name="featureNames">Names of the feature columns (null = x0, x1, …).</param>
    /// <param name="conditionNames">Names of the condition columns (null = y0, y1, …).</param>
    /// <exception cref="ArgumentException">Bad data or options.</exception>
    public static GanTrainer Create(double[][] features, double[][]? conditions, double[]? weights, GanOptions? options = null,
        AuxiliaryStatistic? auxiliary = null, string[]? featureNames = null, string[]? conditionNames = null)
    {
        var o = options ?? new GanOptions();
        CheckOptions(o);
        NeuralData.Check(features, conditions, weights);
        int dxRaw = features[0].Length, dyRaw = conditions is null || conditions.Length == 0 ? 0 : conditions[0].Length;
        if (dyRaw == 0) conditions = null;
        var fNames = NeuralParts.ColumnNames(featureNames, dxRaw, "x", nameof(featureNames));
        var cNames = NeuralParts.ColumnNames(conditionNames, dyRaw, "y", nameof(conditionNames));
        var (trainIdx, heldIdx) = NeuralData.Split(features.Length, o.HeldOutFraction, o.MaxHeldOut, o.Seed);
        if (trainIdx.Length == 0) throw new ArgumentException("no training events are left after the held-out split.", nameof(options));
        var trainW = weights is null ? null : trainIdx.Select(i => weights[i]).ToArray();
        var trainRows = trainIdx.Select(i => features[i]).ToArray();
        NeuralTransforms.CheckOverrides(o.ColumnTransforms, fNames, cNames);
        auxiliary?.CheckColumns(fNames, cNames);
        var fx = NeuralTransforms.Fit(o.FeatureTransform, o.ColumnTransforms, fNames, trainRows, trainW);
        var fy = conditions is null ? null : NeuralTransforms.Fit(o.ConditionTransform, o.ColumnTransforms, cNames, trainIdx.Select(i => conditions[i]).ToArray(), trainW);
        var train = NeuralData.Build(features, conditions, weights, trainIdx, fx, fy);
        var held = heldIdx.Length > 0 ? NeuralData.Build(features, conditions, weights, heldIdx, fx, fy) : null;
        if (held is not null && !(held.W.Sum(v => (double)v) > 0))
            throw new ArgumentException("the held-out events' weights sum to ≤ 0; use a larger HeldOutFraction or MaxHeldOut.", nameof(options));
        ApplyStrategy(train, o);
        var t = new GanTrainer(o, auxiliary, fx, fy, train, held, NeuralData.Fingerprint(features, conditions, weights), fNames, cNames, TrainingHistory.Empty());
        return t;
    }

    /// <summary>Create and run to the planned number of steps.</summary>
    public static GanTrainingResult Train(double[][] features, double[][]? conditions, double[]? weights, GanOptions? options = null,
        AuxiliaryStatistic? auxiliary = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Create(features, conditions, weights, options, auxiliary).Run(progress, cancellationToken);

    private static void CheckOptions(GanOptions o)
    {
        void Positive(double v, string name) { if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"{name} is {v}; a finite positive value is required.", name); }
        Positive(o.LatentSize, nameof(o.LatentSize));
        Positive(o.CriticSteps, nameof(o.CriticSteps));
        Positive(o.BatchSize, nameof(o.BatchSize));
        Positive(o.GeneratorLearningRate, nameof(o.GeneratorLearningRate));
        Positive(o.CriticLearningRate, nameof(o.CriticLearningRate));
        Positive(o.CriticOutputSize, nameof(o.CriticOutputSize));
        if (o.Epochs is null && o.Steps < 0) throw new ArgumentException($"Steps is {o.Steps}; it must be ≥ 0 (0 = the automatic budget).", nameof(o.Steps));
        TrainingPlan.Check(o.WarmupFraction, o.EvaluateEvery, o.EarlyStoppingPatience);
        if (!(o.EmaDecay >= 0 && o.EmaDecay < 1))
            throw new ArgumentException($"EmaDecay is {o.EmaDecay}; 0 (off) or a value in (0, 1) is allowed.", nameof(o.EmaDecay));
        if (o.Epochs is double e) Positive(e, nameof(o.Epochs));
        if (o.Loss == GanLoss.Wgan) Positive(o.ClipValue, nameof(o.ClipValue));
        if (o.Loss is GanLoss.WganGp or GanLoss.Cramer && (!(o.PenaltyWeight >= 0) || !float.IsFinite(o.PenaltyWeight)))
            throw new ArgumentException($"PenaltyWeight is {o.PenaltyWeight}; a finite value ≥ 0 is required.", nameof(o.PenaltyWeight));
        if (!(o.HeldOutFraction >= 0 && o.HeldOutFraction < 1))
            throw new ArgumentException($"HeldOutFraction is {o.HeldOutFraction}; [0, 1) is allowed.", nameof(o.HeldOutFraction));
        if ((o.EvaluateEvery > 0 || o.Referee || o.EarlyStoppingPatience > 0) && o.HeldOutFraction == 0)
            throw new ArgumentException("EvaluateEvery, Referee and EarlyStoppingPatience need held-out events: set HeldOutFraction > 0.", nameof(o.HeldOutFraction));
        if (o.CheckpointEvery < 0 || o.MaxHeldOut < 0 || o.WeightRegressorSteps < 0)
            throw new ArgumentException("EvaluateEvery, CheckpointEvery, MaxHeldOut and WeightRegressorSteps must be ≥ 0.", nameof(o));
        if (o.MaxGradNorm < 0) throw new ArgumentException($"MaxGradNorm is {o.MaxGradNorm}; ≥ 0 is required.", nameof(o.MaxGradNorm));
        foreach (var layers in new[] { o.GeneratorLayers, o.CriticLayers, o.WeightRegressorLayers })
            if (layers is null || layers.Any(s => s <= 0)) throw new ArgumentException("layer sizes must be positive.", nameof(o));
    }

    private static void ApplyStrategy(NeuralData train, GanOptions o)
    {
        switch (o.NegativeWeights)
        {
            case NegativeWeightStrategy.Clip:
                train.W = train.W.Select(w => Math.Max(0f, w)).ToArray();
                break;
            case NegativeWeightStrategy.Regress:
                if (train.W.Any(w => w != 1f)) train.W = WeightRegressor.Fit(train, o);
                break;
        }
        if (!(train.W.Sum(v => (double)v) > 0))
            throw new ArgumentException($"after the {o.NegativeWeights} weight strategy the training weights sum to ≤ 0; nothing can be learned.", "weights");
    }

    // ---- networks ----

    private Tensor G(Tensor? y, int b) => gen.Forward(NeuralParts.Input(rng.Normal(b, o.LatentSize), y));

    private Tensor D(Tensor x, Tensor? y) => critic.Forward(NeuralParts.Input(x, y));

    private Tensor D1(Tensor x, Tensor? y) => Ops.Reshape(D(x, y), x.Shape[0]);

    // ---- training ----

    /// <summary>Runs to <see cref="TotalSteps"/>.</summary>
    public GanTrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunTo(TotalSteps, progress, cancellationToken);

    /// <summary>
    /// Advances training until <paramref name="untilStep"/> generator steps are done (a step is
    /// <see cref="GanOptions.CriticSteps"/> critic updates then one generator update).
    /// </summary>
    /// <exception cref="TrainingStoppedException">A non-finite loss/parameter or a batch with Σw ≤ 0.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (the session stays usable; save a checkpoint if needed).</exception>
    public GanTrainingResult RunTo(long untilStep, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (step < untilStep)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = OneStep();
            step++;
            history.Steps.Add(record);
            if (!NeuralParts.AllFinite(gen) || !NeuralParts.AllFinite(critic))
                Stop(StopReason.NonFiniteLoss, "a network parameter became NaN or infinite (the learning rate may be too large)");
            if (evaluateEvery > 0 && (step % evaluateEvery == 0 || step == TotalSteps)) EvaluateAndSelect();
            if (o.CheckpointPath is string path && ((o.CheckpointEvery > 0 && step % o.CheckpointEvery == 0) || step == TotalSteps))
                SaveCheckpoint(path);
            if (progress is not null)
            {
                var ev = history.Evaluations.Count > 0 ? history.Evaluations[^1] : null;
                progress.Report(new TrainingProgress(step, TotalSteps, record.Losses, record.BatchEss, record.LearningRate, ev?.EnergyDistance, ev?.RefereeAuc, clock.Elapsed));
            }
            if (stoppedEarly) break;
        }
        return new GanTrainingResult(Snapshot(), history, step) { SelectedStep = SelectedStep, StoppedEarly = stoppedEarly };
    }

    /// <summary>The step whose generator <see cref="Snapshot"/> returns.</summary>
    public long SelectedStep => best is { Step: >= 0 } ? best.Step : step;

    /// <summary>True once the early-stopping rule has ended the run.</summary>
    public bool StoppedEarly => stoppedEarly;

    private void EvaluateAndSelect()
    {
        var ev = Evaluate();
        history.Evaluations.Add(ev);
        if (best is null) return;
        best.Offer(Sampled, ev.EnergyDistance, step);
        if (o.EarlyStoppingPatience > 0 && best.SinceBest >= o.EarlyStoppingPatience) stoppedEarly = true;
    }

    private float Lr(float initial) =>
        TrainingPlan.Schedule(o.LrSchedule, initial, TotalSteps, o.WarmupFraction, o.LrGamma, o.LrMinimum).At(step);

    private StepRecord OneStep()
    {
        float lrG = Lr(o.GeneratorLearningRate), lrC = Lr(o.CriticLearningRate);
        optG.LearningRate = lrG;
        optC.LearningRate = lrC;
        var losses = new Dictionary<string, double>();
        double ess = 0;
        for (int k = 0; k < o.CriticSteps; k++) ess = CriticStep(losses);
        GeneratorStep(losses);
        return new StepRecord(step + 1, losses, ess, lrG);
    }

    private Batch NextBatch()
    {
        var batch = train.Sample(rng, o.BatchSize);
        if (!(batch.SumW > 0))
            Stop(StopReason.NonPositiveBatchWeight,
                $"a batch's weights sum to {batch.SumW.ToString("G6", CultureInfo.InvariantCulture)} ≤ 0 (signed weights; batch ESS {batch.Ess.ToString("G4", CultureInfo.InvariantCulture)}): " +
                "the weighted losses are undefined. Use a larger BatchSize, or NegativeWeights = Clip or Regress");
        return batch;
    }

    private Tensor FakeWeights(Batch b) => dy > 0 ? b.W : Tensor.Ones(b.Size);

    private double CriticStep(Dictionary<string, double> losses)
    {
        using var scope = TensorScope.Begin();
        var b = NextBatch();
        int n = b.Size;
        var wr = b.W;
        var wg = FakeWeights(b);
        Tensor xg, xg2 = null!;
        using (Autograd.NoGrad())
        {
            xg = G(b.Y, n);
            if (o.Loss == GanLoss.Cramer) xg2 = G(b.Y, n);
        }
        Tensor loss, penalty = null!;
        Tensor? fg2 = null;
        if (o.Loss == GanLoss.Cramer)
        {
            fg2 = D(xg2, b.Y);
            loss = Ops.Neg(GanLosses.CramerObjective(D(b.X, b.Y), D(xg, b.Y), fg2, wr, wg));
        }
        else loss = GanLosses.CriticLoss(o.Loss, D1(b.X, b.Y), D1(xg, b.Y), wr, wg);
        var total = loss;
        if (o.Loss is GanLoss.WganGp or GanLoss.Cramer && o.PenaltyWeight > 0)
        {
            var eps = rng.Uniform(n, 1);
            var xhat = Ops.Add(Ops.Mul(eps, b.X), Ops.Mul(Ops.Affine(eps, -1, 1), xg)).Detach().RequireGrad();
            var outHat = o.Loss == GanLoss.Cramer ? GanLosses.CramerSurrogate(D(xhat, b.Y), fg2!) : D1(xhat, b.Y);
            var grad = Autograd.Grad(Ops.Sum(outHat), [xhat], createGraph: true)[0];
            penalty = GanLosses.GradientPenalty(grad, o.Penalty, o.WeightedPenalty ? wr : null);
            total = Ops.Add(loss, Ops.Affine(penalty, o.PenaltyWeight, 0));
        }
        double lossValue = loss.ToScalar(), totalValue = total.ToScalar();
        if (!double.IsFinite(totalValue)) Stop(StopReason.NonFiniteLoss, $"the critic loss is {totalValue}");
        optC.ZeroGrad();
        total.Backward();
        if (o.MaxGradNorm > 0) Training.ClipGradNorm(critic.Parameters(), o.MaxGradNorm);
        optC.Step();
        if (o.Loss == GanLoss.Wgan) ClipCritic(o.ClipValue);
        losses["critic"] = lossValue;
        if (penalty is not null) losses["penalty"] = penalty.ToScalar();
        return b.Ess;
    }

    /// <summary>Clamps every critic parameter (weights and biases) to [−c, c] in place (WGAN).</summary>
    private void ClipCritic(float c)
    {
        foreach (var p in critic.Parameters()) p.ClampInPlace(-c, c);
    }

    private void GeneratorStep(Dictionary<string, double> losses)
    {
        using var scope = TensorScope.Begin();
        var b = NextBatch();
        int n = b.Size;
        var wg = FakeWeights(b);
        foreach (var p in critic.Parameters()) p.RequiresGrad = false;
        Tensor xg;
        try
        {
            xg = G(b.Y, n);
            Tensor loss = o.Loss == GanLoss.Cramer
                ? GanLosses.CramerObjective(D(b.X, b.Y), D(xg, b.Y), D(G(b.Y, n), b.Y), b.W, wg)
                : GanLosses.GeneratorLoss(o.Loss, D1(xg, b.Y), wg);
            var total = loss;
            if (aux is not null)
            {
                var auxLoss = AuxiliaryLoss(b, xg, wg);
                losses[aux.Name] = auxLoss.ToScalar();
                total = Ops.Add(loss, Ops.Affine(auxLoss, aux.Weight, 0));
            }
            double value = total.ToScalar();
            if (!double.IsFinite(value)) Stop(StopReason.NonFiniteLoss, $"the generator loss is {value}");
            losses["generator"] = loss.ToScalar();
            optG.ZeroGrad();
            total.Backward();
            if (o.MaxGradNorm > 0) Training.ClipGradNorm(gen.Parameters(), o.MaxGradNorm);
            optG.Step();
            average?.Update(step);
        }
        finally
        {
            foreach (var p in critic.Parameters()) p.RequiresGrad = true;
        }
        if (referee is not null)
        {
            var xr = NeuralParts.Input(b.X, b.Y);
            var xf = NeuralParts.Input(xg.Detach(), b.Y);
            var loss = Ops.Add(
                Ops.BceWithLogits(Ops.Reshape(referee.Forward(xr), n), Tensor.Ones(n), b.W),
                Ops.BceWithLogits(Ops.Reshape(referee.Forward(xf), n), Tensor.Zeros(n), wg));
            optR!.ZeroGrad();
            loss.Backward();
            optR.Step();
            losses["referee"] = loss.ToScalar();
        }
    }

    private Tensor AuxiliaryLoss(Batch b, Tensor xg, Tensor wg)
    {
        // The statistic sees physics units: the preprocessing is undone inside the graph.
        var yRaw = RawConditions(b.Y, b.Size);
        Tensor S(Tensor x) => aux!.Evaluate(TensorInverse.Apply(fx, x), yRaw, featureNames, conditionNames);
        Tensor sr, sg = S(xg);
        sr = RealStatistic(b, S);
        if (aux!.Distance == StatisticDistance.Energy) return GanLosses.EnergyDistance2(sr, b.W, sg, wg);
        float bw = aux.Bandwidth > 0 ? aux.Bandwidth : MedianDistance(sr);
        return GanLosses.Mmd2(sr, b.W, sg, wg, bw);
    }

    private Tensor RawConditions(Tensor? y, int rows) => y is null ? Tensor.Zeros(rows, 0) : TensorInverse.Apply(fy!, y);

    // The statistic of the real batch. An expression statistic is computed row by row, so its value
    // for every training event is computed once (in chunks, without a gradient) and a batch gathers
    // its rows; a statistic given as code may depend on the whole batch and is evaluated on it.
    private Tensor RealStatistic(Batch b, Func<Tensor, Tensor> statistic)
    {
        using var ng = Autograd.NoGrad();
        if (aux!.RequiredColumns is null) return statistic(b.X);
        if (realStatistic is null)
        {
            const int chunk = 4096;
            var parts = new List<float[]>();
            for (int start = 0; start < train.Count; start += chunk)
            {
                using var scope = TensorScope.Begin();
                var rows = train.Rows(start, Math.Min(chunk, train.Count - start));
                var yRaw = RawConditions(rows.Y, rows.Size);
                var s = aux.Evaluate(TensorInverse.Apply(fx, rows.X), yRaw, featureNames, conditionNames);
                realWidth = s.Shape[1];
                parts.Add(s.ToArray());
            }
            realStatistic = parts.SelectMany(p => p).ToArray();
        }
        int k = realWidth;
        var values = new float[b.Size * k];
        for (int i = 0; i < b.Size; i++) Array.Copy(realStatistic, b.Index[i] * k, values, i * k, k);
        return Tensor.FromArray(values, b.Size, k);
    }

    // The median of the n(n − 1)/2 pairwise distances (the upper one of an even count): selected
    // among the squared distances, then its root — the same value as sorting the distances (the
    // square root is monotone), in linear instead of n² log n² time.
    private static float MedianDistance(Tensor s)
    {
        int n = s.Shape[0], k = s.Shape[1];
        if (n < 2) return 1;
        var v = s.ReadHost(); // selection runs on the host: one read-back of the [B, k] statistic
        var columns = new float[k][];
        for (int c = 0; c < k; c++)
        {
            columns[c] = new float[n];
            for (int i = 0; i < n; i++) columns[c][i] = v[i * k + c];
        }
        int pairs = n * (n - 1) / 2;
        // Pooled: a batch of 256 has 32 640 pairs, a large-object allocation every step otherwise.
        var buffer = System.Buffers.ArrayPool<float>.Shared.Rent(pairs);
        var d = buffer.AsSpan(0, pairs);
        var t = new float[n];
        int at = 0;
        for (int i = 0; i < n - 1; i++)
        {
            int len = n - 1 - i;
            var row = d.Slice(at, len);
            row.Clear();
            for (int c = 0; c < k; c++)
            {
                var diff = t.AsSpan(0, len);
                TensorPrimitives.Subtract(columns[c].AsSpan(i + 1, len), columns[c][i], diff);
                TensorPrimitives.MultiplyAdd(diff, diff, row, row);
            }
            at += len;
        }
        float m = MathF.Sqrt(Selection.Select(d, pairs / 2));
        System.Buffers.ArrayPool<float>.Shared.Return(buffer);
        return m > 0 ? m : 1;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Stop(StopReason reason, string what)
    {
        throw NeuralParts.Stopped("GAN training", step + 1, what, reason, lastCheckpoint, lastCheckpointStep, history, "generator step");
    }

    // ---- evaluation ----

    private EvaluationRecord Evaluate()
    {
        var h = held!;
        using var scope = TensorScope.Begin();
        using var ng = Autograd.NoGrad();
        var evalRng = new Rng(NeuralData.Mix(o.Seed ^ 0xE7A1UL, (ulong)step));
        var all = h.Rows(0, h.Count);
        var xg = Sampled.Forward(NeuralParts.Input(evalRng.Normal(h.Count, o.LatentSize), all.Y));
        var wReal = h.W.Select(v => (double)v).ToArray();
        var wGen = dy > 0 ? wReal : null;
        double ed = NeuralParts.EnergyDistance(NeuralParts.ToRows(h.X, h.Count, dx), wReal, NeuralParts.ToRows(xg.ToArray(), h.Count, dx), wGen);
        double? auc = null;
        if (referee is not null)
        {
            var sr = referee.Forward(NeuralParts.Input(all.X, all.Y)).ToArray().Select(v => (double)v).ToArray();
            var sg = referee.Forward(NeuralParts.Input(xg, all.Y)).ToArray().Select(v => (double)v).ToArray();
            auc = Stats.Classifier.Roc.AucValue(sr, wReal, sg, wGen);
        }
        return new EvaluationRecord(step, ed, auc, null);
    }

    // ---- model and checkpoints ----

    /// <summary>
    /// A copy of the generator to keep, with its preprocessing, independent of further training: the
    /// best so far by held-out energy distance (<see cref="GanOptions.KeepBest"/>), else the weight
    /// average (<see cref="GanOptions.EmaDecay"/>), else the live generator.
    /// </summary>
    public ConditionalGan Snapshot()
    {
        var copy = GeneratorCopy();
        NeuralParts.Copy(best is { Step: >= 0 } ? best.Copy : Sampled, copy);
        return new ConditionalGan(copy, o, fx, fy, featureNames, conditionNames, step)
        {
            History = new TrainingHistory([.. history.Steps], [.. history.Evaluations]) { SelectedStep = SelectedStep },
            Auxiliary = aux?.Describe(),
        };
    }

    /// <summary>
    /// Writes a checkpoint (a <see cref="ParameterFile"/>, atomically): generator, critic and
    /// referee parameters, optimizer states and step counts, the effective training weights, the
    /// RNG position, the step, the preprocessing, the options, the history and a SHA-256
    /// fingerprint of the data.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tensors = new List<NamedTensor>();
        tensors.AddRange(NeuralParts.Prefixed("g.", gen));
        tensors.AddRange(NeuralParts.Prefixed("d.", critic));
        if (average is not null) tensors.AddRange(NeuralParts.Prefixed("ga.", average.Average));
        if (best is not null) tensors.AddRange(NeuralParts.Prefixed("gb.", best.Copy));
        var (sg, bg) = optG.ExportState();
        var (sc, bc) = optC.ExportState();
        tensors.AddRange(NeuralParts.Prefixed("og.", bg));
        tensors.AddRange(NeuralParts.Prefixed("od.", bc));
        long sr = 0;
        if (referee is not null)
        {
            tensors.AddRange(NeuralParts.Prefixed("r.", referee));
            var (s, br) = optR!.ExportState();
            sr = s;
            tensors.AddRange(NeuralParts.Prefixed("or.", br));
        }
        tensors.Add(new NamedTensor("w.train", Tensor.FromArray((float[])train.W.Clone(), train.W.Length)));
        var meta = NeuralCheckpoint<GanOptions>.WriteMetadata(Kind, o with { CheckpointPath = null }, step, rng.Draws,
            NeuralParts.Json(new[] { sg, sc, sr }), fx, fy, featureNames, conditionNames, fingerprint, history);
        meta["auxiliary"] = aux?.Describe().Statistic ?? "";
        if (best is not null) meta["selection"] = NeuralParts.Json(new SelectionState(double.IsFinite(best.Value) ? best.Value : null, best.Step, best.SinceBest));
        ParameterFile.Save(path, tensors, meta);
        lastCheckpoint = path;
        lastCheckpointStep = step;
    }

    /// <summary>
    /// Continues a run from a checkpoint written by <see cref="SaveCheckpoint"/> (or by a run with
    /// <see cref="GanOptions.CheckpointPath"/>) on the same data (checked by fingerprint) and, if one
    /// was used, the same auxiliary statistic, up to the checkpoint's <see cref="GanOptions.Steps"/>;
    /// the parameters equal those of an uninterrupted run bit for bit. Checkpoints go on to the
    /// checkpoint's own path unless <paramref name="checkpointPath"/> is given. The same shape as
    /// <see cref="VaeTrainer.Resume"/>; <see cref="Open"/> gives the trainer instead, to run step by step.
    /// </summary>
    /// <exception cref="InvalidDataException">Corrupt checkpoint, not a GAN checkpoint, or different data.</exception>
    /// <exception cref="ArgumentException">Another auxiliary statistic than the checkpoint's.</exception>
    public static GanTrainingResult Resume(string checkpoint, double[][] features, double[][]? conditions, double[]? weights,
        AuxiliaryStatistic? auxiliary = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default,
        string? checkpointPath = null) =>
        Open(checkpoint, features, conditions, weights, auxiliary, checkpointPath).Run(progress, cancellationToken);

    /// <summary>
    /// The trainer of a run continued from a checkpoint (see <see cref="Resume"/>), positioned at the
    /// checkpoint's step, to advance with <see cref="RunTo"/> or <see cref="Run"/>. Running to step N
    /// gives the same parameters as an uninterrupted run to N.
    /// </summary>
    /// <exception cref="InvalidDataException">Corrupt checkpoint, not a GAN checkpoint, or different data.</exception>
    /// <exception cref="ArgumentException">Another auxiliary statistic than the checkpoint's.</exception>
    public static GanTrainer Open(string checkpoint, double[][] features, double[][]? conditions, double[]? weights,
        AuxiliaryStatistic? auxiliary = null, string? checkpointPath = null)
    {
        var c = NeuralCheckpoint<GanOptions>.Open(checkpoint, Kind, "GAN", features, conditions, weights,
            o => o with { CheckpointPath = checkpointPath ?? checkpoint });
        if ((c.Metadata.GetValueOrDefault("auxiliary") ?? "") != (auxiliary?.Describe().Statistic ?? ""))
            throw new ArgumentException($"{checkpoint} was trained with auxiliary statistic '{c.Metadata.GetValueOrDefault("auxiliary")}'; pass the same one.", nameof(auxiliary));
        var o = c.Options;
        conditions = c.Conditions;
        var (trainIdx, heldIdx) = NeuralData.Split(features.Length, o.HeldOutFraction, o.MaxHeldOut, o.Seed);
        var train = NeuralData.Build(features, conditions, weights, trainIdx, c.FeatureTransform, c.ConditionTransform);
        var held = heldIdx.Length > 0 ? NeuralData.Build(features, conditions, weights, heldIdx, c.FeatureTransform, c.ConditionTransform) : null;
        var byName = c.Tensors;
        var w = byName.TryGetValue("w.train", out var wt) && wt.Values.Length == train.Count ? wt.Values
            : throw new InvalidDataException($"{checkpoint}: the effective training weights are missing or do not match the data.");
        train.W = w;
        var t = new GanTrainer(o, auxiliary, c.FeatureTransform, c.ConditionTransform, train, held, c.Fingerprint,
            c.FeatureNames, c.ConditionNames, c.History);
        NeuralParts.Load("g.", t.gen, byName, checkpoint);
        NeuralParts.Load("d.", t.critic, byName, checkpoint);
        if (t.average is not null) NeuralParts.Load("ga.", t.average.Average, byName, checkpoint);
        if (t.best is not null)
        {
            NeuralParts.Load("gb.", t.best.Copy, byName, checkpoint);
            var sel = c.Read<SelectionState>("selection");
            t.best.Restore(sel.Value ?? double.PositiveInfinity, sel.Step, sel.SinceBest);
        }
        var steps = c.Read<long[]>("optimizerSteps");
        t.optG.ImportState(steps[0], NeuralParts.OptimizerBuffers("og.", byName));
        t.optC.ImportState(steps[1], NeuralParts.OptimizerBuffers("od.", byName));
        if (t.referee is not null)
        {
            NeuralParts.Load("r.", t.referee, byName, checkpoint);
            t.optR!.ImportState(steps[2], NeuralParts.OptimizerBuffers("or.", byName));
        }
        t.step = c.Step;
        t.rng = new Rng(NeuralData.Mix(o.Seed, 4), c.RngDraws);
        t.lastCheckpoint = checkpoint;
        t.lastCheckpointStep = t.step;
        return t;
    }
}

/// <summary>Best-generator bookkeeping in a checkpoint.</summary>
internal sealed record SelectionState(double? Value, long Step, int SinceBest);
