using System.Diagnostics;
using System.Globalization;
using GenStats.Data;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>The outcome of a VAE training run.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="History">Per-step losses ("loss" = E_w[NLL + β·KL], "nll", "kl") and held-out evaluations (energy distance, ELBO per event).</param>
/// <param name="Steps">Steps trained (as in <see cref="GanTrainingResult"/>).</param>
public sealed record VaeTrainingResult(ConditionalVae Model, TrainingHistory History, long Steps)
{
    /// <summary>The step whose networks the model holds: the best held-out ELBO with <see cref="VaeOptions.KeepBest"/>, else the last step.</summary>
    public long SelectedStep { get; init; } = Steps;

    /// <summary>True when training ended before its planned steps (<see cref="VaeOptions.EarlyStoppingPatience"/>).</summary>
    public bool StoppedEarly { get; init; }
}

/// <summary>
/// Trains a conditional VAE by minimising the Σw-normalised mean of NLL(x | z, y) + β·KL(q(z | x, y) ‖ N(0, I))
/// with Adam, one reparametrised z per event. With <see cref="VaeOptions.CheckpointPath"/> it writes
/// checkpoints (parameters, Adam state, RNG position, step, history) and <see cref="Resume"/> continues
/// bit-identically. A NaN/∞ loss or parameter, or a batch with Σw ≤ 0, stops training with a
/// <see cref="TrainingStoppedException"/> naming the last good checkpoint (never overwritten by a bad step).
/// </summary>
public static class VaeTrainer
{
    private const string Kind = "vae-checkpoint";

    /// <summary>Mutable state of one run (shared by <see cref="Train"/> and <see cref="Resume"/>).</summary>
    private sealed class Run
    {
        public required VaeOptions O;
        public required double[][] Features;
        public required double[][]? Conditions;
        public required double[]? Weights;
        public required int[] HeldIdx;
        public required NeuralData Data;
        public required ConditionalVae Model;
        public required Adam Opt;
        public required Rng Rng;
        public required TrainingHistory History;
        public required string Fingerprint;
        public long Step;
        public long TotalSteps;
        public int EvaluateEvery;
        public ConditionalVae? Best;
        public double BestValue = double.PositiveInfinity;
        public long BestStep = -1;
        public int SinceBest;
        public bool StoppedEarly;
        public string? LastCheckpoint;
        public long LastCheckpointStep = -1;
    }

    /// <summary>Trains a VAE on weighted events (weights null = 1; signed allowed with <see cref="NegativeWeightStrategy.Raw"/>).</summary>
    /// <exception cref="ArgumentException">Bad data or options.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between two steps (a checkpoint is written first when <see cref="VaeOptions.CheckpointPath"/> is set).</exception>
    public static VaeTrainingResult Train(double[][] features, double[][]? conditions, double[]? weights, VaeOptions? options = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, string[]? featureNames = null, string[]? conditionNames = null)
    {
        var o = options ?? new VaeOptions();
        TrainingPlan.Check(o.WarmupFraction, o.EvaluateEvery, o.EarlyStoppingPatience);
        if (o.LatentSize <= 0 || o.BatchSize <= 0 || o.Steps < 0 || !(o.LearningRate > 0) || !(o.Beta >= 0) || !(o.FixedVariance > 0))
            throw new ArgumentException("LatentSize, BatchSize, LearningRate and FixedVariance must be positive, Steps and Beta ≥ 0.", nameof(options));
        if (!(o.BetaWarmupFraction >= 0 && o.BetaWarmupFraction <= 1))
            throw new ArgumentException($"BetaWarmupFraction must be in [0, 1], got {o.BetaWarmupFraction}.", nameof(options));
        if (o.LatentMixtureComponents < 0)
            throw new ArgumentException($"LatentMixtureComponents must be ≥ 0 (0 = sample z from N(0, I)), got {o.LatentMixtureComponents}.", nameof(options));
        if (o.CheckpointEvery < 0)
            throw new ArgumentException($"CheckpointEvery must be ≥ 0, got {o.CheckpointEvery}.", nameof(options));
        if (o.NegativeWeights == NegativeWeightStrategy.Regress)
            throw new ArgumentException("NegativeWeights = Regress is only available for GANs; use Raw or Clip.", nameof(options));
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
        var fy = conditions is null ? null : NeuralTransforms.Fit(o.ConditionTransform, o.ColumnTransforms, cNames, trainIdx.Select(i => conditions[i]).ToArray(), trainW);
        var run = Prepare(o, features, conditions, weights, trainIdx, heldIdx, fx, fy, fNames, cNames, TrainingHistory.Empty());
        return Loop(run, progress, cancellationToken);
    }

    private static Run Prepare(VaeOptions o, double[][] features, double[][]? conditions, double[]? weights, int[] trainIdx, int[] heldIdx,
        RowTransform fx, RowTransform? fy, string[] fNames, string[] cNames, TrainingHistory history)
    {
        var train = NeuralData.Build(features, conditions, weights, trainIdx, fx, fy);
        if (o.NegativeWeights == NegativeWeightStrategy.Clip) train.W = train.W.Select(w => Math.Max(0f, w)).ToArray();
        if (!(train.W.Sum(v => (double)v) > 0)) throw new ArgumentException("the training weights sum to ≤ 0.", nameof(weights));
        var (enc, dec) = ConditionalVae.Networks(o, fx.OutputWidth, fy?.OutputWidth ?? 0);
        var model = new ConditionalVae(enc, dec, o with { CheckpointPath = null }, fx, fy, fNames, cNames, 0);
        long total = TrainingPlan.TotalSteps(o.Steps, null, train.Count, o.BatchSize);
        int every = TrainingPlan.EvaluationInterval(o.EvaluateEvery, total, heldIdx.Length > 0);
        return new Run
        {
            TotalSteps = total,
            EvaluateEvery = every,
            O = o,
            Features = features,
            Conditions = conditions,
            Weights = weights,
            HeldIdx = heldIdx,
            Data = train,
            Model = model,
            Opt = new Adam(enc.Parameters().Concat(dec.Parameters()), new AdamOptions { LearningRate = o.LearningRate }),
            Rng = new Rng(NeuralData.Mix(o.Seed, 13)),
            History = history,
            Fingerprint = NeuralData.Fingerprint(features, conditions, weights),
        };
    }

    private static VaeTrainingResult Loop(Run r, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var o = r.O;
        var model = r.Model;
        var clock = Stopwatch.StartNew();
        var schedule = TrainingPlan.Schedule(o.LrSchedule, o.LearningRate, r.TotalSteps, o.WarmupFraction, o.LrGamma, 0);
        for (; r.Step < r.TotalSteps && !r.StoppedEarly;)
        {
            long step = r.Step;
            if (cancellationToken.IsCancellationRequested)
            {
                if (o.CheckpointPath is string cp) SaveCheckpoint(r, cp);
                cancellationToken.ThrowIfCancellationRequested();
            }
            float lr = schedule.At(step);
            r.Opt.LearningRate = lr;
            var losses = new Dictionary<string, double>();
            double ess;
            using (var scope = TensorScope.Begin())
            {
                var b = r.Data.Sample(r.Rng, Math.Min(o.BatchSize, r.Data.Count));
                ess = b.Ess;
                if (!(b.SumW > 0))
                    Stop(r, StopReason.NonPositiveBatchWeight,
                        $"a batch's weights sum to {b.SumW.ToString("G6", CultureInfo.InvariantCulture)} ≤ 0; use a larger BatchSize or NegativeWeights = Clip");
                var (nll, kl) = model.Terms(b.X, b.Y, r.Rng);
                var nllM = GanLosses.WeightedMean(nll, b.W);
                var klM = GanLosses.WeightedMean(kl, b.W);
                var loss = Ops.Add(nllM, Ops.Affine(klM, BetaAt(o, step, r.TotalSteps), 0));
                double value = loss.ToScalar();
                if (!double.IsFinite(value))
                    Stop(r, StopReason.NonFiniteLoss, $"the loss is {value.ToString(CultureInfo.InvariantCulture)}");
                r.Opt.ZeroGrad();
                loss.Backward();
                r.Opt.Step();
                losses["loss"] = value;
                losses["nll"] = nllM.ToScalar();
                losses["kl"] = klM.ToScalar();
            }
            if (!NeuralParts.AllFinite(model.Encoder) || !NeuralParts.AllFinite(model.Decoder))
                Stop(r, StopReason.NonFiniteLoss, "a network parameter became NaN or infinite (the learning rate may be too large)");
            r.Step = step + 1;
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
        var kept = r.BestStep >= 0 ? Snapshot(r.Best!, r.Step) : Snapshot(model, r.Step);
        long selected = r.BestStep >= 0 ? r.BestStep : r.Step;
        var history = new TrainingHistory([.. r.History.Steps], [.. r.History.Evaluations]) { SelectedStep = selected };
        var withHistory = new ConditionalVae(kept.Encoder, kept.Decoder, kept.Options, kept.FeatureTransform, kept.ConditionTransform,
            [.. kept.FeatureNames], [.. kept.ConditionNames], kept.TrainedSteps)
        { History = history, LatentMixture = FitLatentMixture(kept, r) };
        return new VaeTrainingResult(withHistory, r.History, r.Step) { SelectedStep = selected, StoppedEarly = r.StoppedEarly };
    }

    /// <summary>β at <paramref name="step"/>: the linear KL warm-up from 0, then <see cref="VaeOptions.Beta"/> (a function of the step alone, so a resumed run sees the same values).</summary>
    internal static float BetaAt(VaeOptions o, long step, long total)
    {
        double ramp = o.BetaWarmupFraction * total;
        return ramp > 0 && step < ramp ? (float)(o.Beta * (step + 1) / ramp) : o.Beta;
    }

    /// <summary>The ex-post latent density: a mixture fitted to the kept encoder's posteriors of the training events, weights max(w, 0); null with K = 0.</summary>
    private static LatentMixture? FitLatentMixture(ConditionalVae model, Run r)
    {
        // a conditional model's aggregate posterior mixes every y: z from it would ignore y's effect on z
        if (r.O.LatentMixtureComponents == 0 || model.ConditionNames.Count > 0) return null;
        var (mean, variance) = model.Encode(r.Data);
        return LatentMixture.Fit(mean, variance, r.Data.W.Select(w => (double)w).ToArray(), r.O.LatentMixtureComponents, NeuralData.Mix(r.O.Seed, 14));
    }

    /// <summary>
    /// Evaluates on the held-out events (the ELBO goes into the history) and keeps the networks with
    /// the best (highest) held-out β-objective −(NLL + β·KL): the ELBO itself when β = 1; with β &lt; 1
    /// the ELBO would favour the early, blurred networks whose latent carries little (small KL).
    /// </summary>
    private static void EvaluateAndSelect(Run r, long step)
    {
        var (ev, objective) = Evaluate(r, step);
        r.History.Evaluations.Add(ev);
        if (!r.O.KeepBest) return;
        double loss = -objective;
        if (double.IsFinite(loss) && loss < r.BestValue)
        {
            r.Best = Snapshot(r.Model, r.Step);
            (r.BestValue, r.BestStep, r.SinceBest) = (loss, r.Step, 0);
        }
        else r.SinceBest++;
        if (r.O.EarlyStoppingPatience > 0 && r.SinceBest >= r.O.EarlyStoppingPatience) r.StoppedEarly = true;
    }

    private static (EvaluationRecord Record, double Objective) Evaluate(Run r, long step)
    {
        var snapshot = Snapshot(r.Model, step + 1);
        var fx = r.Model.FeatureTransform;
        var hx = r.HeldIdx.Select(i => r.Features[i]).ToArray();
        var hy = r.Conditions is null ? null : r.HeldIdx.Select(i => r.Conditions[i]).ToArray();
        var hw = r.Weights is null ? null : r.HeldIdx.Select(i => r.Weights[i]).ToArray();
        int evalSeed = (int)(NeuralData.Mix(r.O.Seed, (ulong)step) & 0x7FFFFFFF);
        // A periodic column has no density in its raw units, so no raw-scale ELBO.
        double? elbo = snapshot.HasRawDensity ? snapshot.HeldOut(hx, hy, hw, evalSeed, r.O.Beta, rawScale: true).Elbo.PerEvent : null;
        var (_, objective) = snapshot.HeldOut(hx, hy, hw, evalSeed, r.O.Beta, rawScale: false);
        var gen = hy is null ? snapshot.Sample(hx.Length, evalSeed) : snapshot.Sample(hy, evalSeed);
        double ed = NeuralParts.EnergyDistance(hx.Select(fx.ForwardRow).ToArray(), hw, gen.Select(fx.ForwardRow).ToArray(), hy is null ? null : hw);
        return (new EvaluationRecord(step + 1, ed, null, elbo), objective);
    }

    private static void Stop(Run r, StopReason reason, string what)
    {
        throw NeuralParts.Stopped("VAE training", r.Step + 1, what, reason, r.LastCheckpoint, r.LastCheckpointStep, r.History);
    }

    /// <summary>Writes a checkpoint (encoder, decoder, Adam state, RNG position, step, options, preprocessing, history, data fingerprint).</summary>
    private static void SaveCheckpoint(Run r, string path)
    {
        var tensors = new List<NamedTensor>();
        tensors.AddRange(NeuralParts.Prefixed("e.", r.Model.Encoder));
        tensors.AddRange(NeuralParts.Prefixed("p.", r.Model.Decoder));
        var (steps, buffers) = r.Opt.ExportState();
        tensors.AddRange(NeuralParts.Prefixed("o.", buffers));
        if (r.Best is not null)
        {
            tensors.AddRange(NeuralParts.Prefixed("be.", r.Best.Encoder));
            tensors.AddRange(NeuralParts.Prefixed("bp.", r.Best.Decoder));
        }
        var meta = NeuralCheckpoint<VaeOptions>.WriteMetadata(Kind, r.O with { CheckpointPath = null }, r.Step, r.Rng.Draws,
            steps.ToString(CultureInfo.InvariantCulture), r.Model.FeatureTransform, r.Model.ConditionTransform,
            r.Model.FeatureNames, r.Model.ConditionNames, r.Fingerprint, r.History);
        meta["selection"] = NeuralParts.Json(new SelectionState(double.IsFinite(r.BestValue) ? r.BestValue : null, r.BestStep, r.SinceBest));
        ParameterFile.Save(path, tensors, meta);
        r.LastCheckpoint = path;
        r.LastCheckpointStep = r.Step;
    }

    /// <summary>
    /// Continues a run from a checkpoint written by <see cref="Train"/> on the same data (checked by
    /// fingerprint) up to the checkpoint's <see cref="VaeOptions.Steps"/>; the parameters equal those
    /// of an uninterrupted run bit for bit. Checkpoints go on to the checkpoint's own path unless
    /// <paramref name="checkpointPath"/> is given.
    /// </summary>
    /// <remarks>The same shape as <see cref="GanTrainer.Resume"/> (which takes the auxiliary statistic too).</remarks>
    /// <exception cref="InvalidDataException">Corrupt checkpoint, not a VAE checkpoint, or different data.</exception>
    public static VaeTrainingResult Resume(string checkpoint, double[][] features, double[][]? conditions, double[]? weights,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, string? checkpointPath = null)
    {
        var c = NeuralCheckpoint<VaeOptions>.Open(checkpoint, Kind, "VAE", features, conditions, weights,
            o => o with { CheckpointPath = checkpointPath ?? checkpoint });
        var o = c.Options;
        var (trainIdx, heldIdx) = NeuralData.Split(features.Length, o.HeldOutFraction, o.MaxHeldOut, o.Seed);
        var r = Prepare(o, features, c.Conditions, weights, trainIdx, heldIdx, c.FeatureTransform, c.ConditionTransform,
            c.FeatureNames, c.ConditionNames, c.History);
        NeuralParts.Load("e.", r.Model.Encoder, c.Tensors, checkpoint);
        NeuralParts.Load("p.", r.Model.Decoder, c.Tensors, checkpoint);
        r.Opt.ImportState(c.ReadLong("optimizerSteps"), NeuralParts.OptimizerBuffers("o.", c.Tensors));
        if (c.Metadata.ContainsKey("selection"))
        {
            var sel = c.Read<SelectionState>("selection");
            (r.BestValue, r.BestStep, r.SinceBest) = (sel.Value ?? double.PositiveInfinity, sel.Step, sel.SinceBest);
            if (sel.Step >= 0)
            {
                r.Best = Snapshot(r.Model, sel.Step);
                NeuralParts.Load("be.", r.Best.Encoder, c.Tensors, checkpoint);
                NeuralParts.Load("bp.", r.Best.Decoder, c.Tensors, checkpoint);
            }
        }
        r.Step = c.Step;
        r.Rng = new Rng(NeuralData.Mix(o.Seed, 13), c.RngDraws);
        r.LastCheckpoint = checkpoint;
        r.LastCheckpointStep = r.Step;
        return Loop(r, progress, cancellationToken);
    }

    private static ConditionalVae Snapshot(ConditionalVae m, long steps)
    {
        var (e, d) = ConditionalVae.Networks(m.Options, m.Dx, m.Dy);
        NeuralParts.Copy(m.Encoder, e);
        NeuralParts.Copy(m.Decoder, d);
        return new ConditionalVae(e, d, m.Options, m.FeatureTransform, m.ConditionTransform, [.. m.FeatureNames], [.. m.ConditionNames], steps);
    }
}
