using System.Diagnostics;
using GenStats.Data;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>The outcome of a conv-GAN training run.</summary>
/// <param name="Model">The trained model (the EMA generator of the selected step).</param>
/// <param name="History">Per-step losses ("critic", "penalty", "generator", "regressor") and held-out evaluations.</param>
/// <param name="Steps">Generator steps done.</param>
/// <param name="SelectedStep">The step whose generator the model holds.</param>
public sealed record ConvGanTrainingResult(ConditionalConvGan Model, TrainingHistory History, long Steps, long SelectedStep);

/// <summary>
/// Trains a <see cref="ConditionalConvGan"/> with the WGAN-GP loss on weighted images (the
/// weights enter every expectation as in <see cref="GanLosses"/>; signed sWeights are allowed in
/// the adversarial terms, the regressor uses max(w, 0)). First a condition regressor R is fitted
/// to the training images (weighted MSE on standardised conditions, Adam 1e-3) and frozen; then
/// every step makes <see cref="ConvGanOptions.CriticSteps"/> critic updates and one generator
/// update minimising −E_w[D(G(z, y), y)] + λ_r·E_w[‖R(G(z, y)) − y‖²]/C. Same seed, same result.
/// A trainer is a resumable session like <see cref="GanTrainer"/>: <see cref="RunTo"/> advances it,
/// <see cref="SaveCheckpoint"/> writes its whole state and <see cref="Resume"/> continues
/// bit-identically to an uninterrupted run.
/// </summary>
public sealed partial class ConvGanTrainer
{
    private readonly ConvGanOptions o;
    private readonly int height, width, cells, dy;
    private readonly NeuralData train;
    private readonly NeuralData? held;
    private readonly ImageScale scale;
    private readonly RowTransform? fy;
    private readonly string[] conditionNames;
    private readonly ConvGenerator gen, average;
    private readonly ConvEncoder critic;
    private readonly ConvEncoder? regressor;
    private readonly ShowerSummaries? summaries;
    private readonly Optimizer optG, optC;
    private TrainingHistory history;
    private readonly int evaluateEvery;
    private readonly ParameterAverage? averaging;
    private readonly string fingerprint;
    private Rng rng;
    private string? lastCheckpoint;
    private long lastCheckpointStep = -1;
    private float[][]? bestState;
    private double bestValue = double.PositiveInfinity;
    private long bestStep = -1;
    private long step;

    private ConvGanTrainer(ConvGanOptions o, int height, int width, NeuralData train, NeuralData? held, ImageScale scale,
        RowTransform? fy, string[] conditionNames, string fingerprint)
    {
        this.fingerprint = fingerprint;
        history = TrainingHistory.Empty();
        this.o = o;
        this.height = height;
        this.width = width;
        cells = height * width;
        this.train = train;
        this.held = held;
        this.scale = scale;
        this.fy = fy;
        this.conditionNames = conditionNames;
        dy = train.Dy;
        (gen, regressor) = Networks(o, height, width, conditionNames.Length, dy, NeuralData.Mix(o.Seed, 1));
        (average, _) = Networks(o, height, width, conditionNames.Length, dy, NeuralData.Mix(o.Seed, 1));
        summaries = o.CriticSummaries ? ShowerSummaries.Fit(scale, height, width, train.X, train.W) : null;
        critic = new ConvEncoder(height, width, o.CriticChannels, dy + (summaries?.Count ?? 0), o.CriticHidden, 1, o.LeakySlope, o.CriticLayerNorm, NeuralData.Mix(o.Seed, 2));
        optG = NeuralParts.Optimizer(OptimizerKind.Adam, gen.Parameters(), o.GeneratorLearningRate, o.AdamBeta1, o.AdamBeta2);
        optC = NeuralParts.Optimizer(OptimizerKind.Adam, critic.Parameters(), o.CriticLearningRate, o.AdamBeta1, o.AdamBeta2);
        TotalSteps = TrainingPlan.TotalSteps(o.Steps, null, train.Count, o.BatchSize);
        evaluateEvery = TrainingPlan.EvaluationInterval(o.EvaluateEvery, TotalSteps, held is not null);
        CopyState(gen, average);
        if (o.EmaDecay > 0) averaging = new ParameterAverage(gen, average, o.EmaDecay);
        rng = new Rng(NeuralData.Mix(o.Seed, 4));
    }

    /// <summary>
    /// The generator and the regressor (null when <see cref="ConvGanOptions.RegressorWeight"/> is 0 or
    /// there are no conditions) for H×W images, C raw and dy preprocessed condition columns.
    /// </summary>
    internal static (ConvGenerator Generator, ConvEncoder? Regressor) Networks(ConvGanOptions o, int height, int width, int conditions, int dy, ulong seed = 1)
    {
        var g = new ConvGenerator(o.LatentSize + dy, height, width, o.GeneratorChannels, o.Upsample, o.Output, seed);
        var r = o.RegressorWeight > 0 && conditions > 0
            ? new ConvEncoder(height, width, o.RegressorChannels, 0, o.CriticHidden, dy, o.LeakySlope, false, NeuralData.Mix(seed, 3))
            : null;
        return (g, r);
    }

    /// <summary>Generator steps planned.</summary>
    public long TotalSteps { get; }

    /// <summary>Generator steps done.</summary>
    public long Step => step;

    /// <summary>The regressor's weighted MSE per condition after pre-training (null before or without one).</summary>
    public double? RegressorMse { get; private set; }

    /// <summary>
    /// Prepares a run: checks the images (finite; ≥ 0 for log1p scaling), conditions and weights,
    /// splits off held-out events, fits the scaling and the condition preprocessing (max(w, 0)),
    /// builds the networks and pre-trains the regressor.
    /// </summary>
    /// <param name="images">Flat [N, H, W] cell energies, row-major.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="conditions">N rows of conditions, or null for an unconditional model.</param>
    /// <param name="weights">Per-event weights (null = 1), signed allowed.</param>
    /// <param name="options">Options (null = defaults).</param>
    /// <param name="conditionNames">Names of the condition columns (null = y0, y1, …).</param>
    /// <exception cref="ArgumentException">Bad data or options.</exception>
    public static ConvGanTrainer Create(float[] images, int height, int width, double[][]? conditions, double[]? weights,
        ConvGanOptions? options = null, string[]? conditionNames = null)
    {
        var t = Prepare(images, height, width, conditions, weights, options ?? new ConvGanOptions(), conditionNames);
        t.PretrainRegressor();
        return t;
    }

    /// <summary>Everything of <see cref="Create"/> but the regressor's pre-training (a resumed run loads it instead).</summary>
    private static ConvGanTrainer Prepare(float[] images, int height, int width, double[][]? conditions, double[]? weights,
        ConvGanOptions o, string[]? conditionNames)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckOptions(o);
        ImageLadder.Doublings(height, width);
        int c = height * width;
        if (images.Length == 0 || images.Length % c != 0)
            throw new ArgumentException($"images has {images.Length} values; a positive multiple of {height}×{width} = {c} is required.", nameof(images));
        int n = images.Length / c;
        if (conditions is not null && conditions.Length != n)
            throw new ArgumentException($"conditions has {conditions.Length} rows but there are {n} images; one row per image is required.", nameof(conditions));
        int dyRaw = conditions is null || conditions.Length == 0 ? 0 : conditions[0]?.Length ?? 0;
        if (dyRaw == 0) conditions = null;
        // The shared checks on a one-column stand-in for the images (conditions and weights are what they read).
        NeuralData.Check(Enumerable.Range(0, n).Select(_ => new[] { 0.0 }).ToArray(), conditions, weights);
        var cNames = NeuralParts.ColumnNames(conditionNames, dyRaw, "y", nameof(conditionNames));
        var (trainIdx, heldIdx) = NeuralData.Split(n, o.HeldOutFraction, o.MaxHeldOut, o.Seed);
        if (trainIdx.Length < 2) throw new ArgumentException($"{trainIdx.Length} training image(s) after the held-out split; at least 2 are required (BatchNorm needs a batch).", nameof(images));
        var trainW = weights is null ? null : trainIdx.Select(i => weights[i]).ToArray();
        var scale = ImageScale.Fit(o.Scaling, Gather(images, trainIdx, c), c, trainW, o.ScaleQuantile);
        var fy = conditions is null ? null : NeuralTransforms.Fit(o.ConditionTransform, null, cNames, trainIdx.Select(i => conditions[i]).ToArray(), trainW);
        var trainData = Build(images, c, conditions, weights, trainIdx, scale, fy);
        if (!(trainData.W.Sum(v => (double)v) > 0)) throw new ArgumentException("the training weights sum to ≤ 0; nothing can be learned.", nameof(weights));
        var heldData = heldIdx.Length > 0 ? Build(images, c, conditions, weights, heldIdx, scale, fy) : null;
        if (heldData is not null && !(heldData.W.Sum(v => (double)v) > 0))
            throw new ArgumentException("the held-out events' weights sum to ≤ 0; use a larger HeldOutFraction or MaxHeldOut.", nameof(o));
        return new ConvGanTrainer(o, height, width, trainData, heldData, scale, fy, cNames, Fingerprint(images, height, width, conditions, weights));
    }

    /// <summary>Create and run to the planned number of steps.</summary>
    public static ConvGanTrainingResult Train(float[] images, int height, int width, double[][]? conditions, double[]? weights,
        ConvGanOptions? options = null, string[]? conditionNames = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Create(images, height, width, conditions, weights, options, conditionNames).Run(progress, cancellationToken);

    private static float[] Gather(float[] images, int[] idx, int c)
    {
        var r = new float[idx.Length * c];
        for (int i = 0; i < idx.Length; i++) Array.Copy(images, (long)idx[i] * c, r, (long)i * c, c);
        return r;
    }

    private static NeuralData Build(float[] images, int c, double[][]? conditions, double[]? weights, int[] idx, ImageScale scale, RowTransform? fy)
    {
        var x = Gather(images, idx, c);
        for (int i = 0; i < x.Length; i++) x[i] = scale.Forward(x[i]);
        int dy = fy?.OutputWidth ?? 0;
        return new NeuralData
        {
            Dx = c,
            Dy = dy,
            X = x,
            Y = NeuralParts.FlatConditions(fy, conditions is null ? null : idx.Select(i => conditions[i]).ToArray(), 0, idx.Length),
            W = idx.Select(i => weights is null ? 1f : (float)weights[i]).ToArray(),
        };
    }

    private static void CheckOptions(ConvGanOptions o)
    {
        void Positive(double v, string name) { if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"{name} is {v}; a finite positive value is required.", name); }
        Positive(o.LatentSize, nameof(o.LatentSize));
        Positive(o.CriticSteps, nameof(o.CriticSteps));
        Positive(o.CriticHidden, nameof(o.CriticHidden));
        Positive(o.GeneratorLearningRate, nameof(o.GeneratorLearningRate));
        Positive(o.CriticLearningRate, nameof(o.CriticLearningRate));
        if (o.BatchSize < 2) throw new ArgumentException($"BatchSize is {o.BatchSize}; at least 2 is required (BatchNorm needs a batch).", nameof(o.BatchSize));
        if (o.Steps < 0) throw new ArgumentException($"Steps is {o.Steps}; it must be ≥ 0 (0 = the automatic budget).", nameof(o.Steps));
        if (!(o.PenaltyWeight >= 0) || !float.IsFinite(o.PenaltyWeight)) throw new ArgumentException($"PenaltyWeight is {o.PenaltyWeight}; a finite value ≥ 0 is required.", nameof(o.PenaltyWeight));
        if (!(o.RegressorWeight >= 0) || !float.IsFinite(o.RegressorWeight)) throw new ArgumentException($"RegressorWeight is {o.RegressorWeight}; a finite value ≥ 0 is required.", nameof(o.RegressorWeight));
        if (o.RegressorSteps < 0) throw new ArgumentException($"RegressorSteps is {o.RegressorSteps}; it must be ≥ 0.", nameof(o.RegressorSteps));
        if (!(o.EmaDecay >= 0 && o.EmaDecay < 1)) throw new ArgumentException($"EmaDecay is {o.EmaDecay}; 0 (off) or a value in (0, 1) is allowed.", nameof(o.EmaDecay));
        if (!(o.HeldOutFraction >= 0 && o.HeldOutFraction < 1)) throw new ArgumentException($"HeldOutFraction is {o.HeldOutFraction}; [0, 1) is allowed.", nameof(o.HeldOutFraction));
        if (o.ScaleQuantile is double q && !(q > 0 && q < 1)) throw new ArgumentException($"ScaleQuantile is {q}; a value in (0, 1) is required (null = the mean non-zero cell).", nameof(o.ScaleQuantile));
        if (o.MaxHeldOut < 0) throw new ArgumentException($"MaxHeldOut is {o.MaxHeldOut}; it must be ≥ 0.", nameof(o.MaxHeldOut));
        if (o.CheckpointEvery < 0) throw new ArgumentException($"CheckpointEvery is {o.CheckpointEvery}; it must be ≥ 0 (0 = only at the end and on cancellation).", nameof(o.CheckpointEvery));
        TrainingPlan.Check(o.WarmupFraction, o.EvaluateEvery, 0);
    }

    // ---- the regressor ----

    private void PretrainRegressor()
    {
        if (regressor is null) return;
        var opt = new Adam(regressor.Parameters(), new AdamOptions { LearningRate = 1e-3f });
        var rrng = new Rng(NeuralData.Mix(o.Seed, 5));
        for (int s = 0; s < o.RegressorSteps; s++)
        {
            using var scope = TensorScope.Begin();
            var b = train.Sample(rrng, o.BatchSize);
            var loss = RegressorLoss(regressor, Images(b.X), b.Y!, b.W);
            if (loss is null) continue;
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        foreach (var p in regressor.Parameters()) p.RequiresGrad = false;
        RegressorMse = RegressorTrainingMse();
    }

    /// <summary>E_{max(w,0)}[‖R(x) − y‖²]/C, or null when the batch has no positive weight.</summary>
    private static Tensor? RegressorLoss(ConvEncoder r, Tensor images, Tensor y, Tensor w)
    {
        var wp = Ops.Relu(w);
        if (!(Ops.Sum(Ops.Detach(wp)).ToScalar() > 0)) return null; // one scalar read-back
        var per = Ops.Mean(Ops.Square(Ops.Sub(r.Forward(images, null), y)), 1);
        return GanLosses.WeightedMean(per, wp);
    }

    private double RegressorTrainingMse()
    {
        using var ng = Autograd.NoGrad();
        double sum = 0, sw = 0;
        const int chunk = 256;
        for (int start = 0; start < train.Count; start += chunk)
        {
            using var scope = TensorScope.Begin();
            var b = train.Rows(start, Math.Min(chunk, train.Count - start));
            var pred = regressor!.Forward(Images(b.X), null).ToArray();
            var y = b.Y!.ToArray();
            var w = b.W.ToArray();
            for (int i = 0; i < b.Size; i++)
            {
                double e = 0;
                for (int c = 0; c < dy; c++) e += Math.Pow(pred[i * dy + c] - y[i * dy + c], 2);
                double wi = Math.Max(0, w[i]);
                sum += wi * e / dy;
                sw += wi;
            }
        }
        return sw > 0 ? sum / sw : double.NaN;
    }

    // ---- training ----

    private Tensor Images(Tensor flat) => Ops.Reshape(flat, flat.Shape[0], 1, height, width);

    private Tensor Generate(ConvGenerator g, Tensor? y, int n) => g.Forward(NeuralParts.Input(rng.Normal(n, o.LatentSize), y));

    private Tensor Critic(Tensor images, Tensor? y)
    {
        var head = summaries is null ? y : y is null ? summaries.Forward(images) : Ops.Concat([y, summaries.Forward(images)], 1);
        return Ops.Reshape(critic.Forward(images, head), images.Shape[0]);
    }

    /// <summary>Runs to <see cref="TotalSteps"/> and returns the model.</summary>
    /// <exception cref="TrainingStoppedException">A non-finite loss, or a batch whose weights sum to ≤ 0.</exception>
    public ConvGanTrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        RunTo(TotalSteps, progress, cancellationToken);
        return Result();
    }

    /// <summary>
    /// Advances training until <paramref name="untilStep"/> generator steps are done (a step is
    /// <see cref="ConvGanOptions.CriticSteps"/> critic updates and one generator update).
    /// </summary>
    /// <exception cref="TrainingStoppedException">A non-finite loss, or a batch whose weights sum to ≤ 0.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between two steps (a checkpoint is written first when <see cref="ConvGanOptions.CheckpointPath"/> is set).</exception>
    public void RunTo(long untilStep, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (step < untilStep)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Between two steps the state is consistent: keep it, then report the cancellation.
                if (o.CheckpointPath is string cp) SaveCheckpoint(cp);
                cancellationToken.ThrowIfCancellationRequested();
            }
            var record = OneStep();
            step++;
            history.Steps.Add(record);
            if (evaluateEvery > 0 && (step % evaluateEvery == 0 || step == TotalSteps)) Evaluate();
            if (o.CheckpointPath is string path && ((o.CheckpointEvery > 0 && step % o.CheckpointEvery == 0) || step == TotalSteps))
                SaveCheckpoint(path);
            if (progress is not null)
            {
                var ev = history.Evaluations.Count > 0 ? history.Evaluations[^1] : null;
                progress.Report(new TrainingProgress(step, TotalSteps, record.Losses, record.BatchEss, record.LearningRate, ev?.EnergyDistance, null, clock.Elapsed));
            }
        }
    }

    /// <summary>The model and history as they stand (the best evaluated generator when <see cref="ConvGanOptions.KeepBest"/>, else the sampled one).</summary>
    public ConvGanTrainingResult Result()
    {
        var (g, r) = Networks(o, height, width, conditionNames.Length, dy);
        CopyState(Sampled, g);
        if (bestState is not null) SetState(g, bestState);
        if (regressor is not null) CopyState(regressor, r!);
        long selected = bestState is not null ? bestStep : step;
        var finalHistory = new TrainingHistory([.. history.Steps], [.. history.Evaluations]) { SelectedStep = selected };
        var model = new ConditionalConvGan(g, r, o, scale, fy, conditionNames, step) { RegressorMse = RegressorMse, History = finalHistory };
        return new ConvGanTrainingResult(model, finalHistory, step, selected);
    }

    /// <summary>The EMA generator (its BatchNorm statistics copied from the live one), or the live one.</summary>
    private ConvGenerator Sampled => o.EmaDecay > 0 ? average : gen;

    private float Lr(float initial) => TrainingPlan.Schedule(o.LrSchedule, initial, TotalSteps, o.WarmupFraction, 0.999f, 0f).At(step);

    private StepRecord OneStep()
    {
        float lrG = Lr(o.GeneratorLearningRate);
        optG.LearningRate = lrG;
        optC.LearningRate = Lr(o.CriticLearningRate);
        var losses = new Dictionary<string, double>();
        double ess = 0;
        for (int k = 0; k < o.CriticSteps; k++) ess = CriticStep(losses);
        GeneratorStep(losses);
        return new StepRecord(step + 1, losses, ess, lrG);
    }

    private Batch NextBatch()
    {
        var b = train.Sample(rng, o.BatchSize);
        if (!(b.SumW > 0))
            throw NeuralParts.Stopped("conv-GAN training", step + 1, $"a batch's weights sum to {b.SumW:G6} ≤ 0 (signed weights); use a larger BatchSize",
                StopReason.NonPositiveBatchWeight, lastCheckpoint, lastCheckpointStep, history);
        return b;
    }

    private void RequireFinite(double v, string what)
    {
        if (!double.IsFinite(v))
            throw NeuralParts.Stopped("conv-GAN training", step + 1, $"the {what} is {v} (the learning rate may be too large)", StopReason.NonFiniteLoss, lastCheckpoint, lastCheckpointStep, history);
    }

    private double CriticStep(Dictionary<string, double> losses)
    {
        using var scope = TensorScope.Begin();
        var b = NextBatch();
        int n = b.Size;
        var xr = Images(b.X);
        Tensor xg;
        using (Autograd.NoGrad()) xg = Generate(gen, b.Y, n);
        var wg = dy > 0 ? b.W : Tensor.Ones(n);
        var loss = GanLosses.CriticLoss(GanLoss.WganGp, Critic(xr, b.Y), Critic(xg, b.Y), b.W, wg);
        var total = loss;
        Tensor? penalty = null;
        if (o.PenaltyWeight > 0)
        {
            var eps = rng.Uniform(n, 1, 1, 1);
            var xhat = Ops.Add(Ops.Mul(eps, xr), Ops.Mul(Ops.Affine(eps, -1, 1), xg)).Detach().RequireGrad();
            var grad = Autograd.Grad(Ops.Sum(Critic(xhat, b.Y)), [xhat], createGraph: true)[0];
            penalty = GanLosses.GradientPenalty(Ops.Reshape(grad, n, cells), o.Penalty, null);
            total = Ops.Add(loss, Ops.Affine(penalty, o.PenaltyWeight, 0));
        }
        double value = total.ToScalar();
        RequireFinite(value, "critic loss");
        optC.ZeroGrad();
        total.Backward();
        optC.Step();
        losses["critic"] = loss.ToScalar();
        if (penalty is not null) losses["penalty"] = penalty.ToScalar();
        return b.Ess;
    }

    private void GeneratorStep(Dictionary<string, double> losses)
    {
        using var scope = TensorScope.Begin();
        var b = NextBatch();
        int n = b.Size;
        var wg = dy > 0 ? b.W : Tensor.Ones(n);
        foreach (var p in critic.Parameters()) p.RequiresGrad = false;
        try
        {
            var xg = Generate(gen, b.Y, n);
            var loss = GanLosses.GeneratorLoss(GanLoss.WganGp, Critic(xg, b.Y), wg);
            var total = loss;
            if (regressor is not null && RegressorLoss(regressor, xg, b.Y!, b.W) is Tensor reg)
            {
                losses["regressor"] = reg.ToScalar();
                total = Ops.Add(total, Ops.Affine(reg, o.RegressorWeight, 0));
            }
            double value = total.ToScalar();
            RequireFinite(value, "generator loss");
            losses["generator"] = loss.ToScalar();
            optG.ZeroGrad();
            total.Backward();
            optG.Step();
        }
        finally
        {
            foreach (var p in critic.Parameters()) p.RequiresGrad = true;
        }
        if (o.EmaDecay > 0) UpdateAverage();
    }

    private void UpdateAverage()
    {
        averaging!.Update(step);
        // BatchNorm statistics are not averaged: the sampled generator uses the live running statistics.
        var la = gen.NamedBuffers();
        var lb = average.NamedBuffers();
        for (int i = 0; i < la.Count; i++) lb[i].Tensor.CopyFrom(la[i].Tensor);
    }

    // ---- held-out evaluation and best-generator selection ----

    private void Evaluate()
    {
        var h = held!;
        var g = Sampled;
        g.Eval();
        var fake = new double[h.Count][];
        // The same noise at every evaluation, from its own stream: the figure moves with the generator only.
        var noise = new Rng(NeuralData.Mix(o.Seed, 6));
        try
        {
            using var ng = Autograd.NoGrad();
            for (int start = 0; start < h.Count; start += 256)
            {
                using var scope = TensorScope.Begin();
                var b = h.Rows(start, Math.Min(256, h.Count - start));
                var x = g.Forward(NeuralParts.Input(noise.Normal(b.Size, o.LatentSize), b.Y)).ToArray();
                NeuralParts.ToRows(x, b.Size, cells).CopyTo(fake, start);
            }
        }
        finally
        {
            g.Train();
        }
        var real = NeuralParts.ToRows(h.X, h.Count, cells);
        var w = h.W.Select(v => (double)v).ToArray();
        double ed = NeuralParts.EnergyDistance(real, w, fake, dy > 0 ? w : null);
        history.Evaluations.Add(new EvaluationRecord(step, ed, null, null));
        if (o.KeepBest && double.IsFinite(ed) && ed < bestValue)
        {
            bestValue = ed;
            bestStep = step;
            bestState = GetState(g);
        }
    }

    private static List<Tensor> StateTensors(Module m) =>
        [.. m.Parameters(), .. m.NamedBuffers().Select(b => b.Tensor)];

    private static float[][] GetState(Module m) => StateTensors(m).Select(t => t.ToArray()).ToArray();

    private static void SetState(Module m, float[][] state)
    {
        var ts = StateTensors(m);
        for (int i = 0; i < ts.Count; i++) ts[i].CopyFrom(state[i]);
    }

    private static void CopyState(Module from, Module to) => SetState(to, GetState(from));
}
