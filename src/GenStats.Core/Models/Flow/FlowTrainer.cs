using System.Diagnostics;
using System.Globalization;
using GenStats.Data;
using GenStats.Nn;
using GenStats.Tensors;
using GenStats.Tensors.Backends;

namespace GenStats.Models;

/// <summary>The outcome of a flow training run.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="History">Per-step losses ("nll" = Σw-weighted mean NLL per event on the preprocessed scale) and held-out evaluations (energy distance; as HeldOutMetric the held-out log-likelihood per event on the preprocessed scale).</param>
/// <param name="Steps">Steps trained.</param>
public sealed record FlowTrainingResult(ConditionalSplineFlow Model, TrainingHistory History, long Steps)
{
    /// <summary>The step whose networks the model holds: with <see cref="FlowOptions.KeepBest"/> the latest evaluation whose held-out NLL is within one paired standard error of the lowest, else the last step.</summary>
    public long SelectedStep { get; init; } = Steps;

    /// <summary>True when training ended before its planned steps (<see cref="FlowOptions.EarlyStoppingPatience"/>).</summary>
    public bool StoppedEarly { get; init; }
}

/// <summary>
/// Trains a conditional spline flow by weighted maximum likelihood: Adam on the Σw-normalised mean
/// of −log q(T(x) | y) over batches drawn with replacement, with the shared defaults of
/// <see cref="TrainingPlan"/> (automatic step budget, warm-up + cosine schedule, held-out evaluations)
/// and best-checkpoint selection on the held-out NLL (preprocessed scale: the preprocessing's Jacobian
/// does not change between steps; the latest evaluation within one paired standard error of the lowest,
/// see <see cref="FlowOptions.KeepBest"/>). Weights may be signed (sWeights): with
/// <see cref="NegativeWeightStrategy.Raw"/> the weighted NLL is unbounded below where the net weight is
/// negative (the flow gains by moving density away from such regions), so compare the held-out NLL or use
/// <see cref="NegativeWeightStrategy.Regress"/>, which replaces w by a non-negative fit of E[w | x, y].
/// With <see cref="FlowOptions.CheckpointPath"/> it writes checkpoints and <see cref="Resume"/> continues
/// bit-identically. A NaN/∞ loss or parameter, or a batch with Σw ≤ 0, stops training with a
/// <see cref="TrainingStoppedException"/> naming the last good checkpoint.
/// </summary>
public static class FlowTrainer
{
    private const string Kind = "flow-checkpoint";

    private sealed class Run
    {
        public required FlowOptions O;
        public required double[][] Features;
        public required double[][]? Conditions;
        public required double[]? Weights;
        public required int[] HeldIdx;
        public required NeuralData Data;
        public required ConditionalSplineFlow Model;
        public required Adam Opt;
        public required Rng Rng;
        public required TrainingHistory History;
        public required string Fingerprint;
        public required LikelihoodSelection Best;
        /// <summary>The parameter average and a model on it (EmaDecay &gt; 0): what is evaluated, selected and kept.</summary>
        public ParameterAverage? Average;
        public ConditionalSplineFlow? AverageModel;
        public ConditionalSplineFlow Evaluated => AverageModel ?? Model;
        public long Step;
        public long TotalSteps;
        public int EvaluateEvery;
        public bool StoppedEarly;
        public string? LastCheckpoint;
        public long LastCheckpointStep = -1;
    }

    /// <summary>Checks the options (also when a model file is read).</summary>
    /// <exception cref="ArgumentException">A value out of range (named).</exception>
    public static void CheckOptions(FlowOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        TrainingPlan.Check(o.WarmupFraction, o.EvaluateEvery, o.EarlyStoppingPatience);
        if (o.Layers <= 0) throw new ArgumentException($"Layers is {o.Layers}; at least one spline layer is required.", nameof(o));
        if (o.HiddenLayers is null || o.HiddenLayers.Length == 0 || o.HiddenLayers.Any(h => h <= 0))
            throw new ArgumentException("HiddenLayers must list at least one positive width.", nameof(o));
        new SplineShape(o.Bins, o.TailBound).Check();
        if (o.BatchSize <= 0 || o.Steps < 0 || !(o.LearningRate > 0) || !(o.GradientClip >= 0))
            throw new ArgumentException("BatchSize and LearningRate must be positive, Steps and GradientClip ≥ 0.", nameof(o));
        if (!(o.WeightDecay >= 0) || !float.IsFinite(o.WeightDecay))
            throw new ArgumentException($"WeightDecay is {o.WeightDecay}; a finite value ≥ 0 is allowed.", nameof(o));
        if (!(o.EmaDecay >= 0 && o.EmaDecay < 1))
            throw new ArgumentException($"EmaDecay is {o.EmaDecay}; 0 (off) or a value in (0, 1) is allowed.", nameof(o));
        if (!(o.Dropout >= 0 && o.Dropout < 1))
            throw new ArgumentException($"Dropout is {o.Dropout}; a probability in [0, 1) is allowed.", nameof(o));
        if (o.CheckpointEvery < 0 || o.MaxHeldOut < 0 || o.WeightRegressorSteps < 0)
            throw new ArgumentException("CheckpointEvery, MaxHeldOut and WeightRegressorSteps must be ≥ 0.", nameof(o));
        if (!(o.HeldOutFraction >= 0 && o.HeldOutFraction < 1))
            throw new ArgumentException($"HeldOutFraction is {o.HeldOutFraction}; [0, 1) is allowed.", nameof(o));
    }

    /// <summary>Trains a flow on weighted events (weights null = 1; signed allowed, see the class remarks).</summary>
    /// <exception cref="ArgumentException">Bad data or options, or a periodic feature column.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between two steps (a checkpoint is written first when <see cref="FlowOptions.CheckpointPath"/> is set).</exception>
    public static FlowTrainingResult Train(double[][] features, double[][]? conditions, double[]? weights, FlowOptions? options = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, string[]? featureNames = null, string[]? conditionNames = null)
    {
        var o = options ?? new FlowOptions();
        CheckOptions(o);
        if ((o.EvaluateEvery > 0 || o.EarlyStoppingPatience > 0) && o.HeldOutFraction == 0)
            throw new ArgumentException("EvaluateEvery and EarlyStoppingPatience need held-out events: set HeldOutFraction > 0.", nameof(options));
        NeuralData.Check(features, conditions, weights);
        int dxRaw = features[0].Length, dyRaw = conditions is null || conditions[0].Length == 0 ? 0 : conditions[0].Length;
        if (dyRaw == 0) conditions = null;
        string[] Names(string[]? n, int w, string p) => n ?? Enumerable.Range(0, w).Select(i => p + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var (trainIdx, heldIdx) = NeuralData.Split(features.Length, o.HeldOutFraction, o.MaxHeldOut, o.Seed);
        var trainW = weights is null ? null : trainIdx.Select(i => weights[i]).ToArray();
        string[] fNames = Names(featureNames, dxRaw, "x"), cNames = Names(conditionNames, dyRaw, "y");
        NeuralTransforms.CheckOverrides(o.ColumnTransforms, fNames, cNames);
        var fx = NeuralTransforms.Fit(o.FeatureTransform, o.ColumnTransforms, fNames, trainIdx.Select(i => features[i]).ToArray(), trainW);
        var periodic = fx.Columns.Select((c, i) => (c, i)).Where(p => p.c.Kind == PeriodicTransform.KindName).Select(p => fNames[p.i]).ToArray();
        if (periodic.Length > 0)
            throw new ArgumentException(
                $"feature column(s) {string.Join(", ", periodic)} use the periodic transform, which maps an angle onto the unit circle, a curve in 2-D where a flow's likelihood is unbounded; use 'identity' or 'standard' for angles in a flow.",
                nameof(options));
        var fy = conditions is null ? null : NeuralTransforms.Fit(o.ConditionTransform, o.ColumnTransforms, cNames, trainIdx.Select(i => conditions[i]).ToArray(), trainW);
        var run = Prepare(o, features, conditions, weights, trainIdx, heldIdx, fx, fy, fNames, cNames, TrainingHistory.Empty());
        return Loop(run, progress, cancellationToken);
    }

    private static Run Prepare(FlowOptions o, double[][] features, double[][]? conditions, double[]? weights, int[] trainIdx, int[] heldIdx,
        RowTransform fx, RowTransform? fy, string[] fNames, string[] cNames, TrainingHistory history)
    {
        var train = NeuralData.Build(features, conditions, weights, trainIdx, fx, fy);
        switch (o.NegativeWeights)
        {
            case NegativeWeightStrategy.Clip:
                train.W = train.W.Select(w => Math.Max(0f, w)).ToArray();
                break;
            case NegativeWeightStrategy.Regress:
                if (train.W.Any(w => w != 1f)) train.W = WeightRegressor.Fit(train, o.WeightRegressorLayers, o.WeightRegressorSteps, o.BatchSize, o.Seed);
                break;
        }
        if (!(train.W.Sum(v => (double)v) > 0)) throw new ArgumentException("the training weights sum to ≤ 0.", nameof(weights));
        int dx = fx.OutputWidth, dy = fy?.OutputWidth ?? 0;
        var net = new FlowNetwork(o, dx, dy);
        var model = new ConditionalSplineFlow(net, o with { CheckpointPath = null }, fx, fy, fNames, cNames, 0);
        long total = TrainingPlan.TotalSteps(o.Steps, null, train.Count, o.BatchSize);
        var averageNet = o.EmaDecay > 0 ? new FlowNetwork(o, dx, dy) : null;
        return new Run
        {
            Average = averageNet is null ? null : new ParameterAverage(net, averageNet, o.EmaDecay),
            AverageModel = averageNet is null ? null : new ConditionalSplineFlow(averageNet, o with { CheckpointPath = null }, fx, fy, fNames, cNames, 0),
            TotalSteps = total,
            EvaluateEvery = TrainingPlan.EvaluationInterval(o.EvaluateEvery, total, heldIdx.Length > 0),
            O = o,
            Features = features,
            Conditions = conditions,
            Weights = weights,
            HeldIdx = heldIdx,
            Data = train,
            Model = model,
            Opt = new Adam(net.Parameters(), new AdamOptions { LearningRate = o.LearningRate, WeightDecay = o.WeightDecay, Decoupled = o.WeightDecay > 0 }),
            Rng = new Rng(NeuralData.Mix(o.Seed, 13)),
            History = history,
            Fingerprint = NeuralData.Fingerprint(features, conditions, weights),
            Best = new LikelihoodSelection(new FlowNetwork(o, dx, dy)),
        };
    }

    private static FlowTrainingResult Loop(Run r, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var o = r.O;
        var net = r.Model.Network;
        var clock = Stopwatch.StartNew();
        var schedule = TrainingPlan.Schedule(o.LrSchedule, o.LearningRate, r.TotalSteps, o.WarmupFraction, o.LrGamma, 0);
        while (r.Step < r.TotalSteps && !r.StoppedEarly)
        {
            long step = r.Step;
            if (cancellationToken.IsCancellationRequested)
            {
                if (o.CheckpointPath is string cp) SaveCheckpoint(r, cp);
                cancellationToken.ThrowIfCancellationRequested();
            }
            float lr = schedule.At(step);
            r.Opt.LearningRate = lr;
            double value, ess;
            using (var scope = TensorScope.Begin())
            {
                var b = r.Data.Sample(r.Rng, Math.Min(o.BatchSize, r.Data.Count));
                ess = b.Ess;
                if (!(b.SumW > 0))
                    Stop(r, StopReason.NonPositiveBatchWeight,
                        $"a batch's weights sum to {b.SumW.ToString("G6", CultureInfo.InvariantCulture)} ≤ 0; use a larger BatchSize or NegativeWeights = Clip or Regress");
                // Dropout acts in training mode only; evaluations, the density and sampling see the full network.
                net.Train();
                var loss = GanLosses.WeightedMean(Ops.Neg(net.LogProb(b.X, b.Y)), b.W);
                net.Eval();
                value = loss.ToScalar();
                if (!double.IsFinite(value))
                    Stop(r, StopReason.NonFiniteLoss, $"the loss is {value.ToString(CultureInfo.InvariantCulture)}");
                r.Opt.ZeroGrad();
                loss.Backward();
                if (o.GradientClip > 0) ClipGradients(r.Opt.Parameters, o.GradientClip);
                r.Opt.Step();
            }
            r.Average?.Update(step);
            if (!NeuralParts.AllFinite(net))
                Stop(r, StopReason.NonFiniteLoss, "a network parameter became NaN or infinite (the learning rate may be too large)");
            r.Step = step + 1;
            var losses = new Dictionary<string, double> { ["nll"] = value };
            r.History.Steps.Add(new StepRecord(step + 1, losses, ess, lr));
            if (r.EvaluateEvery > 0 && (r.Step % r.EvaluateEvery == 0 || r.Step == r.TotalSteps))
                EvaluateAndSelect(r, step);
            if (o.CheckpointPath is string path && ((o.CheckpointEvery > 0 && r.Step % o.CheckpointEvery == 0) || r.Step == r.TotalSteps))
                SaveCheckpoint(r, path);
            if (progress is not null)
            {
                var ev = r.History.Evaluations.Count > 0 ? r.History.Evaluations[^1] : null;
                progress.Report(new TrainingProgress(step + 1, r.TotalSteps, losses, ess, lr, ev?.EnergyDistance, null, clock.Elapsed));
            }
        }
        bool best = r.Best.Step >= 0;
        long selected = best ? r.Best.Step : r.Step;
        var history = new TrainingHistory([.. r.History.Steps], [.. r.History.Evaluations]) { SelectedStep = selected };
        var kept = Snapshot(r.Model, best ? (FlowNetwork)r.Best.Copy : r.Evaluated.Network, r.Step);
        var model = new ConditionalSplineFlow(kept.Network, kept.Options, kept.FeatureTransform, kept.ConditionTransform, [.. kept.FeatureNames], [.. kept.ConditionNames], r.Step)
        { History = history };
        return new FlowTrainingResult(model, r.History, r.Step) { SelectedStep = selected, StoppedEarly = r.StoppedEarly };
    }

    /// <summary>Scales every gradient by min(1, c/‖g‖) with ‖g‖ the global L2 norm (torch.nn.utils.clip_grad_norm_).</summary>
    private static void ClipGradients(IReadOnlyList<Tensor> parameters, float maxNorm)
    {
        double sq = 0;
        foreach (var p in parameters)
            if (p.Grad is not null) sq += p.Grad.Backend.SumOfSquares(p.Grad.Buffer, p.Size);
        double norm = Math.Sqrt(sq);
        if (!(norm > maxNorm)) return;
        float scale = (float)(maxNorm / norm);
        foreach (var p in parameters)
        {
            if (p.Grad is null) continue;
            p.Grad.Backend.Unary(UnaryOp.Affine, p.Grad.Buffer, p.Grad.Buffer, p.Size, scale, 0);
        }
    }

    /// <summary>Evaluates on the held-out events and keeps the networks with the lowest held-out NLL (preprocessed scale).</summary>
    private static void EvaluateAndSelect(Run r, long step)
    {
        var hx = r.HeldIdx.Select(i => r.Features[i]).ToArray();
        var hy = r.Conditions is null ? null : r.HeldIdx.Select(i => r.Conditions[i]).ToArray();
        var hw = r.Weights is null ? null : r.HeldIdx.Select(i => r.Weights[i]).ToArray();
        var model = r.Evaluated;
        // The preprocessed scale: finite (a held-out event outside a quantile column's training range has raw density 0) and comparable between steps.
        var logL = model.ModelScale(model.Build(hx, hy, hw));
        double meanLogL = ConditionalSplineFlow.WeightedMean(logL, hw).PerEvent;
        int evalSeed = (int)(NeuralData.Mix(r.O.Seed, (ulong)step) & 0x7FFFFFFF);
        var gen = hy is null ? model.Sample(hx.Length, evalSeed) : model.Sample(hy, evalSeed);
        var fx = model.FeatureTransform;
        double ed = NeuralParts.EnergyDistance(hx.Select(fx.ForwardRow).ToArray(), hw, gen.Select(fx.ForwardRow).ToArray(), hy is null ? null : hw);
        r.History.Evaluations.Add(new EvaluationRecord(step + 1, ed, null, meanLogL));
        if (!r.O.KeepBest) return;
        r.Best.Offer(model.Network, logL.Select(v => -v).ToArray(), hw, r.Step);
        if (r.O.EarlyStoppingPatience > 0 && r.Best.SinceReference >= r.O.EarlyStoppingPatience) r.StoppedEarly = true;
    }

    private static void Stop(Run r, StopReason reason, string what)
    {
        throw NeuralParts.Stopped("flow training", r.Step + 1, what, reason, r.LastCheckpoint, r.LastCheckpointStep, r.History);
    }

    /// <summary>Writes a checkpoint (conditioners, Adam state, RNG position, step, options, preprocessing, history, data fingerprint, best networks).</summary>
    private static void SaveCheckpoint(Run r, string path)
    {
        var tensors = new List<NamedTensor>();
        tensors.AddRange(NeuralParts.Prefixed("c.", r.Model.Network));
        var (steps, buffers) = r.Opt.ExportState();
        tensors.AddRange(NeuralParts.Prefixed("o.", buffers));
        if (r.Best.Step >= 0) tensors.AddRange(NeuralParts.Prefixed("b.", r.Best.Copy));
        if (r.Average is not null) tensors.AddRange(NeuralParts.Prefixed("a.", r.Average.Average));
        var meta = NeuralCheckpoint<FlowOptions>.WriteMetadata(Kind, r.O with { CheckpointPath = null }, r.Step, r.Rng.Draws,
            steps.ToString(CultureInfo.InvariantCulture), r.Model.FeatureTransform, r.Model.ConditionTransform,
            r.Model.FeatureNames, r.Model.ConditionNames, r.Fingerprint, r.History);
        meta["selection"] = NeuralParts.Json(r.Best.State);
        ParameterFile.Save(path, tensors, meta);
        r.LastCheckpoint = path;
        r.LastCheckpointStep = r.Step;
    }

    /// <summary>
    /// Continues a run from a checkpoint written by <see cref="Train"/> on the same data (checked by
    /// fingerprint) up to the checkpoint's <see cref="FlowOptions.Steps"/>; the parameters equal those
    /// of an uninterrupted run bit for bit (without <see cref="FlowOptions.Dropout"/>, whose masks are not saved). Checkpoints go on to the checkpoint's own path unless
    /// <paramref name="checkpointPath"/> is given.
    /// </summary>
    /// <exception cref="InvalidDataException">Corrupt checkpoint, not a flow checkpoint, or different data.</exception>
    public static FlowTrainingResult Resume(string checkpoint, double[][] features, double[][]? conditions, double[]? weights,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, string? checkpointPath = null)
    {
        var c = NeuralCheckpoint<FlowOptions>.Open(checkpoint, Kind, "flow", features, conditions, weights,
            o => o with { CheckpointPath = checkpointPath ?? checkpoint });
        var o = c.Options;
        var (trainIdx, heldIdx) = NeuralData.Split(features.Length, o.HeldOutFraction, o.MaxHeldOut, o.Seed);
        var r = Prepare(o, features, c.Conditions, weights, trainIdx, heldIdx, c.FeatureTransform, c.ConditionTransform,
            c.FeatureNames, c.ConditionNames, c.History);
        NeuralParts.Load("c.", r.Model.Network, c.Tensors, checkpoint);
        r.Opt.ImportState(c.ReadLong("optimizerSteps"), NeuralParts.OptimizerBuffers("o.", c.Tensors));
        if (r.Average is not null) NeuralParts.Load("a.", r.Average.Average, c.Tensors, checkpoint);
        var sel = c.Read<LikelihoodSelectionState>("selection");
        if (sel.Step >= 0) NeuralParts.Load("b.", r.Best.Copy, c.Tensors, checkpoint);
        r.Best.Restore(sel);
        r.Step = c.Step;
        r.Rng = new Rng(NeuralData.Mix(o.Seed, 13), c.RngDraws);
        r.LastCheckpoint = checkpoint;
        r.LastCheckpointStep = r.Step;
        return Loop(r, progress, cancellationToken);
    }

    private static ConditionalSplineFlow Snapshot(ConditionalSplineFlow m, FlowNetwork from, long steps)
    {
        var net = new FlowNetwork(m.Options, m.Dx, m.Dy);
        NeuralParts.Copy(from, net);
        return new ConditionalSplineFlow(net, m.Options, m.FeatureTransform, m.ConditionTransform, [.. m.FeatureNames], [.. m.ConditionNames], steps);
    }
}
