using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using GenStats.Data;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>The outcome of a flow-matching training run.</summary>
/// <param name="Model">The trained model (the kept network: with <see cref="FlowMatchingOptions.KeepBest"/> the best held-out evaluation, else the weight average of the last step, else the live one).</param>
/// <param name="History">Per-step loss ("loss" = Σw-weighted mean of ‖v − u‖²) and held-out evaluations (energy distance on the preprocessed scale).</param>
/// <param name="Steps">Steps trained.</param>
public sealed record FlowMatchingTrainingResult(ConditionalFlowMatching Model, TrainingHistory History, long Steps)
{
    /// <summary>The step whose network the model holds.</summary>
    public long SelectedStep { get; init; } = Steps;

    /// <summary>True when training ended before its planned steps (<see cref="FlowMatchingOptions.EarlyStoppingPatience"/>).</summary>
    public bool StoppedEarly { get; init; }
}

/// <summary>
/// Trains conditional flow matching (Lipman et al. 2022) by regressing the velocity network on the
/// optimal-transport target: per event one t (<see cref="FlowMatchingOptions.TimeSampling"/>: u^(1/3) by default) and one x0 ~ N(0, I), loss
/// Σ_i w_i ‖v(x_t, t, y_i) − u_i‖² / Σ_i w_i with Adam, the shared <see cref="TrainingPlan"/>
/// (flow matching's automatic budget <see cref="TrainingPlan.FlowMatching"/>, warm-up + cosine
/// decay, held-out evaluations of the energy distance), an EMA of the weights, and the last (EMA)
/// network kept — or, with <see cref="FlowMatchingOptions.KeepBest"/>, the one of the lowest held-out energy distance.
/// </summary>
/// <remarks>
/// Signed weights (sWeights) enter the loss as they are (<see cref="NegativeWeightStrategy.Raw"/>):
/// the minimiser of the weighted loss is the Σw-weighted conditional mean of u, the velocity of the
/// signed-weighted density — correct where the local net weight is positive. Where the net weight
/// near (x_t, t, y) is negative the loss is unbounded below (it rewards a large error there), so a
/// flexible network can diverge; a batch with Σw ≤ 0 stops training. Use
/// <see cref="NegativeWeightStrategy.Clip"/> when that happens. Checkpoints (parameters, EMA, best,
/// Adam state, RNG position, step, history) make <see cref="Resume"/> bit-identical to an uninterrupted run.
/// </remarks>
public static class FlowMatchingTrainer
{
    private const string Kind = "cfm-checkpoint";

    private sealed class Run
    {
        public required FlowMatchingOptions O;
        public required double[][] Features;
        public required double[][]? Conditions;
        public required double[]? Weights;
        public required NeuralData Data;
        public required NeuralData? Held;
        public required ConditionalFlowMatching Model;
        public required Adam Opt;
        public required Rng Rng;
        public required TrainingHistory History;
        public required string Fingerprint;
        public ParameterAverage? Average;
        public BestSnapshot? Best;
        public long Step;
        public long TotalSteps;
        public int EvaluateEvery;
        public bool StoppedEarly;
        public string? LastCheckpoint;
        public long LastCheckpointStep = -1;

        /// <summary>The network that is evaluated and kept: the average with EMA, else the live one.</summary>
        public Mlp Sampled => (Mlp?)Average?.Average ?? Model.Velocity;
    }

    /// <summary>Trains on weighted events (weights null = 1; signed allowed, see the remarks).</summary>
    /// <exception cref="ArgumentException">Bad data or options.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between two steps (a checkpoint is written first when <see cref="FlowMatchingOptions.CheckpointPath"/> is set).</exception>
    /// <exception cref="TrainingStoppedException">A non-finite loss or parameter, or a batch with Σw ≤ 0.</exception>
    public static FlowMatchingTrainingResult Train(double[][] features, double[][]? conditions, double[]? weights, FlowMatchingOptions? options = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, string[]? featureNames = null, string[]? conditionNames = null)
    {
        var o = options ?? new FlowMatchingOptions();
        Check(o);
        NeuralData.Check(features, conditions, weights);
        int dxRaw = features[0].Length, dyRaw = conditions is null || conditions[0].Length == 0 ? 0 : conditions[0].Length;
        if (dyRaw == 0) conditions = null;
        string[] fNames = NeuralParts.ColumnNames(featureNames, dxRaw, "x", nameof(featureNames));
        string[] cNames = NeuralParts.ColumnNames(conditionNames, dyRaw, "y", nameof(conditionNames));
        var (trainIdx, heldIdx) = NeuralData.Split(features.Length, o.HeldOutFraction, o.MaxHeldOut, o.Seed);
        if (trainIdx.Length == 0) throw new ArgumentException("no training events are left after the held-out split.", nameof(options));
        var trainW = weights is null ? null : trainIdx.Select(i => weights[i]).ToArray();
        NeuralTransforms.CheckOverrides(o.ColumnTransforms, fNames, cNames);
        var fx = NeuralTransforms.Fit(o.FeatureTransform, o.ColumnTransforms, fNames, trainIdx.Select(i => features[i]).ToArray(), trainW);
        var fy = conditions is null ? null : NeuralTransforms.Fit(o.ConditionTransform, o.ColumnTransforms, cNames, trainIdx.Select(i => conditions[i]).ToArray(), trainW);
        var run = Prepare(o, features, conditions, weights, trainIdx, heldIdx, fx, fy, fNames, cNames, TrainingHistory.Empty());
        return Loop(run, progress, cancellationToken);
    }

    private static void Check(FlowMatchingOptions o)
    {
        TrainingPlan.Check(o.WarmupFraction, o.EvaluateEvery, o.EarlyStoppingPatience);
        if (o.BatchSize <= 0 || o.Steps < 0 || !(o.LearningRate > 0) || !float.IsFinite(o.LearningRate))
            throw new ArgumentException($"BatchSize ({o.BatchSize}) and LearningRate ({o.LearningRate}) must be positive, Steps ({o.Steps}) ≥ 0.", nameof(o));
        if (o.OdeSteps < 1 || o.EvaluationOdeSteps < 0)
            throw new ArgumentException($"OdeSteps is {o.OdeSteps} and EvaluationOdeSteps {o.EvaluationOdeSteps}; OdeSteps ≥ 1 and EvaluationOdeSteps ≥ 0 (0 = OdeSteps) are required.", nameof(o));
        OdeSolver.EvaluationsPerStep(o.Solver);
        if (!Enum.IsDefined(o.TimeSampling)) throw new ArgumentException($"TimeSampling is {o.TimeSampling}; late, uniform or logit-normal is allowed.", nameof(o));
        if (o.TimeFrequencies < 0) throw new ArgumentException($"TimeFrequencies is {o.TimeFrequencies}; ≥ 0 is required.", nameof(o));
        if (!(o.SigmaMin >= 0 && o.SigmaMin < 1)) throw new ArgumentException($"SigmaMin is {o.SigmaMin}; [0, 1) is allowed.", nameof(o));
        if (!(o.EmaDecay >= 0 && o.EmaDecay < 1)) throw new ArgumentException($"EmaDecay is {o.EmaDecay}; 0 (off) or a value in (0, 1) is allowed.", nameof(o));
        if (o.Layers is null || o.Layers.Any(s => s <= 0)) throw new ArgumentException("Layers must hold positive sizes.", nameof(o));
        if (!(o.HeldOutFraction >= 0 && o.HeldOutFraction < 1))
            throw new ArgumentException($"HeldOutFraction is {o.HeldOutFraction}; [0, 1) is allowed.", nameof(o));
        if (o.CheckpointEvery < 0 || o.MaxHeldOut < 0)
            throw new ArgumentException("CheckpointEvery and MaxHeldOut must be ≥ 0.", nameof(o));
        if (o.NegativeWeights == NegativeWeightStrategy.Regress)
            throw new ArgumentException("NegativeWeights = Regress is only available for GANs; use Raw or Clip.", nameof(o));
        if ((o.EvaluateEvery > 0 || o.EarlyStoppingPatience > 0) && o.HeldOutFraction == 0)
            throw new ArgumentException("EvaluateEvery and EarlyStoppingPatience need held-out events: set HeldOutFraction > 0.", nameof(o));
    }

    private static Run Prepare(FlowMatchingOptions o, double[][] features, double[][]? conditions, double[]? weights, int[] trainIdx, int[] heldIdx,
        RowTransform fx, RowTransform? fy, string[] fNames, string[] cNames, TrainingHistory history)
    {
        var train = NeuralData.Build(features, conditions, weights, trainIdx, fx, fy);
        if (o.NegativeWeights == NegativeWeightStrategy.Clip) train.W = train.W.Select(w => Math.Max(0f, w)).ToArray();
        if (!(train.W.Sum(v => (double)v) > 0)) throw new ArgumentException("the training weights sum to ≤ 0; nothing can be learned.", nameof(weights));
        var held = heldIdx.Length > 0 ? NeuralData.Build(features, conditions, weights, heldIdx, fx, fy) : null;
        if (held is not null && !(held.W.Sum(v => (double)v) > 0))
            throw new ArgumentException("the held-out events' weights sum to ≤ 0; use a larger HeldOutFraction or MaxHeldOut.", nameof(weights));
        int dx = fx.OutputWidth, dy = fy?.OutputWidth ?? 0;
        var net = ConditionalFlowMatching.Network(o, dx, dy, NeuralData.Mix(o.Seed, 21));
        var model = new ConditionalFlowMatching(net, o, fx, fy, fNames, cNames, 0);
        long total = TrainingPlan.TotalSteps(o.Steps, null, train.Count, o.BatchSize, TrainingPlan.FlowMatching);
        int every = TrainingPlan.EvaluationInterval(o.EvaluateEvery, total, held is not null);
        return new Run
        {
            O = o,
            Features = features,
            Conditions = conditions,
            Weights = weights,
            Data = train,
            Held = held,
            Model = model,
            Opt = new Adam(net.Parameters(), new AdamOptions { LearningRate = o.LearningRate }),
            Rng = new Rng(NeuralData.Mix(o.Seed, 22)),
            History = history,
            Fingerprint = NeuralData.Fingerprint(features, conditions, weights),
            Average = o.EmaDecay > 0 ? new ParameterAverage(net, ConditionalFlowMatching.Network(o, dx, dy, 1), o.EmaDecay) : null,
            // early stopping needs the lowest value even when the last network is kept
            Best = (o.KeepBest || o.EarlyStoppingPatience > 0) && every > 0 ? new BestSnapshot(ConditionalFlowMatching.Network(o, dx, dy, 1)) : null,
            TotalSteps = total,
            EvaluateEvery = every,
        };
    }

    private static FlowMatchingTrainingResult Loop(Run r, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var o = r.O;
        var clock = Stopwatch.StartNew();
        var schedule = TrainingPlan.Schedule(o.LrSchedule, o.LearningRate, r.TotalSteps, o.WarmupFraction, o.LrGamma, 0);
        while (r.Step < r.TotalSteps && !r.StoppedEarly)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (o.CheckpointPath is string cp) SaveCheckpoint(r, cp);
                cancellationToken.ThrowIfCancellationRequested();
            }
            float lr = schedule.At(r.Step);
            r.Opt.LearningRate = lr;
            var (loss, ess) = OneStep(r);
            var losses = new Dictionary<string, double> { ["loss"] = loss };
            r.Average?.Update(r.Step);
            r.Step++;
            r.History.Steps.Add(new StepRecord(r.Step, losses, ess, lr));
            if (r.EvaluateEvery > 0 && (r.Step % r.EvaluateEvery == 0 || r.Step == r.TotalSteps)) EvaluateAndSelect(r);
            if (o.CheckpointPath is string path && ((o.CheckpointEvery > 0 && r.Step % o.CheckpointEvery == 0) || r.Step == r.TotalSteps))
                SaveCheckpoint(r, path);
            if (progress is not null)
            {
                var ev = r.History.Evaluations.Count > 0 ? r.History.Evaluations[^1] : null;
                progress.Report(new TrainingProgress(r.Step, r.TotalSteps, losses, ess, lr, ev?.EnergyDistance, null, clock.Elapsed));
            }
        }
        bool best = o.KeepBest && r.Best is { Step: >= 0 };
        long selected = best ? r.Best!.Step : r.Step;
        var history = new TrainingHistory([.. r.History.Steps], [.. r.History.Evaluations]) { SelectedStep = selected };
        var kept = Snapshot(r, best ? r.Best!.Copy : r.Sampled);
        var model = new ConditionalFlowMatching(kept, o, r.Model.FeatureTransform, r.Model.ConditionTransform,
            [.. r.Model.FeatureNames], [.. r.Model.ConditionNames], r.Step)
        { History = history };
        return new FlowMatchingTrainingResult(model, r.History, r.Step) { SelectedStep = selected, StoppedEarly = r.StoppedEarly };
    }

    /// <summary>One Adam step on a batch: the loss value and the batch ESS.</summary>
    private static (double Loss, double Ess) OneStep(Run r)
    {
        var o = r.O;
        using var scope = TensorScope.Begin();
        var b = r.Data.Sample(r.Rng, Math.Min(o.BatchSize, r.Data.Count));
        if (!(b.SumW > 0))
            Stop(r, StopReason.NonPositiveBatchWeight,
                $"a batch's weights sum to {b.SumW.ToString("G6", CultureInfo.InvariantCulture)} ≤ 0; use a larger BatchSize or NegativeWeights = Clip");
        int n = b.Size, dx = r.Data.Dx, tw = ConditionalFlowMatching.TimeWidth(o);
        var x1 = b.X;
        var x0 = r.Rng.Normal(n, dx);
        var t = TimeSampler.Draw(o.TimeSampling, r.Rng, n);
        // The path and its velocity on the device (OptimalTransportPath's formulas in float32):
        // x_t = (1 − (1 − σ)t)·x0 + t·x1, u = x1 − (1 − σ)·x0; only t and its features are uploaded.
        float s = (float)o.SigmaMin;
        var tt = Tensor.FromArray(t, n, 1);
        var xt = Ops.Add(Ops.Mul(Ops.Affine(tt, -(1 - s), 1), x0), Ops.Mul(tt, x1));
        var u = Ops.Sub(x1, Ops.Affine(x0, 1 - s, 0));
        var features = new float[n * tw];
        for (int i = 0; i < n; i++) OptimalTransportPath.TimeFeatures(t[i], o.TimeFrequencies, features.AsSpan(i * tw, tw));
        var timeInput = Tensor.FromArray(features, n, tw);
        var input = Ops.Concat(b.Y is null ? [xt, timeInput] : [xt, timeInput, b.Y], 1);
        var v = r.Model.Velocity.Forward(input);
        var perEvent = Ops.Sum(Ops.Square(Ops.Sub(v, u)), 1);
        var loss = GanLosses.WeightedMean(perEvent, b.W);
        double value = loss.ToScalar();
        if (!double.IsFinite(value)) Stop(r, StopReason.NonFiniteLoss, $"the loss is {value.ToString(CultureInfo.InvariantCulture)}");
        r.Opt.ZeroGrad();
        loss.Backward();
        r.Opt.Step();
        if (!NeuralParts.AllFinite(r.Model.Velocity))
            Stop(r, StopReason.NonFiniteLoss, "a network parameter became NaN or infinite (the learning rate may be too large)");
        return (value, b.Ess);
    }

    /// <summary>Held-out energy distance (preprocessed scale, held-out weights on both sides when conditional) of the sampled network; keeps the best.</summary>
    private static void EvaluateAndSelect(Run r)
    {
        var h = r.Held!;
        var o = r.O;
        var probe = new ConditionalFlowMatching(r.Sampled, o, r.Model.FeatureTransform, r.Model.ConditionTransform, [], [], r.Step);
        var rng = new Rng(NeuralData.Mix(o.Seed ^ 0xE7A1UL, (ulong)r.Step));
        int steps = o.EvaluationOdeSteps > 0 ? o.EvaluationOdeSteps : o.OdeSteps;
        var gen = probe.GeneratePreprocessed(h.Count, h.Y, rng, o.Solver, steps);
        int dx = h.Dx;
        var wReal = h.W.Select(v => (double)v).ToArray();
        var genRows = new double[h.Count][];
        for (int i = 0; i < h.Count; i++) genRows[i] = gen.AsSpan(i * dx, dx).ToArray();
        double ed = NeuralParts.EnergyDistance(NeuralParts.ToRows(h.X, h.Count, dx), wReal, genRows, h.Dy > 0 ? wReal : null);
        r.History.Evaluations.Add(new EvaluationRecord(r.Step, ed, null, null));
        if (r.Best is null) return;
        r.Best.Offer(r.Sampled, ed, r.Step);
        if (o.EarlyStoppingPatience > 0 && r.Best.SinceBest >= o.EarlyStoppingPatience) r.StoppedEarly = true;
    }

    private static Mlp Snapshot(Run r, Module from)
    {
        var copy = ConditionalFlowMatching.Network(r.O, r.Model.Dx, r.Model.Dy, 1);
        NeuralParts.Copy(from, copy);
        return copy;
    }

    [DoesNotReturn]
    private static void Stop(Run r, StopReason reason, string what)
    {
        string where = r.LastCheckpoint is null
            ? "no checkpoint was written (set CheckpointPath and CheckpointEvery to keep one)"
            : $"the last good checkpoint is {r.LastCheckpoint} (step {r.LastCheckpointStep})";
        throw new TrainingStoppedException($"flow-matching training stopped at step {r.Step + 1}: {what}; {where}.", reason, r.Step + 1, r.LastCheckpoint, r.History);
    }

    /// <summary>Writes a checkpoint (live, averaged and best networks, Adam state, RNG position, step, options, preprocessing, history, data fingerprint).</summary>
    private static void SaveCheckpoint(Run r, string path)
    {
        var tensors = new List<NamedTensor>();
        tensors.AddRange(NeuralParts.Prefixed("v.", r.Model.Velocity));
        if (r.Average is not null) tensors.AddRange(NeuralParts.Prefixed("va.", r.Average.Average));
        if (r.Best is not null) tensors.AddRange(NeuralParts.Prefixed("vb.", r.Best.Copy));
        var (steps, buffers) = r.Opt.ExportState();
        tensors.AddRange(NeuralParts.Prefixed("o.", buffers));
        var meta = NeuralCheckpoint<FlowMatchingOptions>.WriteMetadata(Kind, r.O with { CheckpointPath = null }, r.Step, r.Rng.Draws,
            steps.ToString(CultureInfo.InvariantCulture), r.Model.FeatureTransform, r.Model.ConditionTransform,
            r.Model.FeatureNames, r.Model.ConditionNames, r.Fingerprint, r.History);
        if (r.Best is not null)
            meta["selection"] = NeuralParts.Json(new SelectionState(double.IsFinite(r.Best.Value) ? r.Best.Value : null, r.Best.Step, r.Best.SinceBest));
        ParameterFile.Save(path, tensors, meta);
        r.LastCheckpoint = path;
        r.LastCheckpointStep = r.Step;
    }

    /// <summary>
    /// Continues a run from a checkpoint written by <see cref="Train"/> on the same data (checked by
    /// fingerprint) up to the checkpoint's planned steps; the parameters equal those of an
    /// uninterrupted run bit for bit. The same shape as <see cref="VaeTrainer.Resume"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">Corrupt checkpoint, not a flow-matching checkpoint, or different data.</exception>
    public static FlowMatchingTrainingResult Resume(string checkpoint, double[][] features, double[][]? conditions, double[]? weights,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, string? checkpointPath = null)
    {
        var c = NeuralCheckpoint<FlowMatchingOptions>.Open(checkpoint, Kind, "flow-matching", features, conditions, weights,
            o => o with { CheckpointPath = checkpointPath ?? checkpoint });
        var o = c.Options;
        var (trainIdx, heldIdx) = NeuralData.Split(features.Length, o.HeldOutFraction, o.MaxHeldOut, o.Seed);
        var r = Prepare(o, features, c.Conditions, weights, trainIdx, heldIdx, c.FeatureTransform, c.ConditionTransform,
            c.FeatureNames, c.ConditionNames, c.History);
        NeuralParts.Load("v.", r.Model.Velocity, c.Tensors, checkpoint);
        if (r.Average is not null) NeuralParts.Load("va.", r.Average.Average, c.Tensors, checkpoint);
        if (r.Best is not null && c.Metadata.ContainsKey("selection"))
        {
            NeuralParts.Load("vb.", r.Best.Copy, c.Tensors, checkpoint);
            var sel = c.Read<SelectionState>("selection");
            r.Best.Restore(sel.Value ?? double.PositiveInfinity, sel.Step, sel.SinceBest);
        }
        r.Opt.ImportState(c.ReadLong("optimizerSteps"), NeuralParts.OptimizerBuffers("o.", c.Tensors));
        r.Step = c.Step;
        r.Rng = new Rng(NeuralData.Mix(o.Seed, 22), c.RngDraws);
        r.LastCheckpoint = checkpoint;
        r.LastCheckpointStep = r.Step;
        return Loop(r, progress, cancellationToken);
    }
}
