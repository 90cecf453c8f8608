using System.Diagnostics;
using System.Globalization;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>The outcome of a VAE training run.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="History">Per-step losses ("loss" = E_w[NLL + β·KL], "nll", "kl") and held-out evaluations (energy distance, ELBO per event).</param>
public sealed record VaeTrainingResult(ConditionalVae Model, TrainingHistory History);

/// <summary>
/// Trains a conditional VAE by minimising the Σw-normalised mean of NLL(x | z, y) + β·KL(q(z | x, y) ‖ N(0, I))
/// with Adam, one reparametrised z per event. A NaN/∞ loss or a batch with Σw ≤ 0 stops training
/// with a <see cref="TrainingStoppedException"/>. (Checkpoints and resume are GAN-only for now.)
/// </summary>
public static class VaeTrainer
{
    /// <summary>Trains a VAE on weighted events (weights null = 1; signed allowed with <see cref="NegativeWeightStrategy.Raw"/>).</summary>
    /// <exception cref="ArgumentException">Bad data or options.</exception>
    public static VaeTrainingResult Train(double[][] features, double[][]? conditions, double[]? weights, VaeOptions? options = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, string[]? featureNames = null, string[]? conditionNames = null)
    {
        var o = options ?? new VaeOptions();
        if (o.LatentSize <= 0 || o.BatchSize <= 0 || o.Steps < 0 || !(o.LearningRate > 0) || !(o.Beta >= 0) || !(o.FixedVariance > 0))
            throw new ArgumentException("LatentSize, BatchSize, LearningRate and FixedVariance must be positive, Steps and Beta ≥ 0.", nameof(options));
        if (o.NegativeWeights == NegativeWeightStrategy.Regress)
            throw new ArgumentException("NegativeWeights = Regress is only available for GANs; use Raw or Clip.", nameof(options));
        if (o.EvaluateEvery > 0 && o.HeldOutFraction == 0)
            throw new ArgumentException("EvaluateEvery needs held-out events: set HeldOutFraction > 0.", nameof(options));
        NeuralData.Check(features, conditions, weights);
        int dxRaw = features[0].Length, dyRaw = conditions is null || conditions[0].Length == 0 ? 0 : conditions[0].Length;
        if (dyRaw == 0) conditions = null;
        string[] Names(string[]? n, int w, string p) => n ?? Enumerable.Range(0, w).Select(i => p + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var (trainIdx, heldIdx) = NeuralData.Split(features.Length, o.HeldOutFraction, o.MaxHeldOut, o.Seed);
        var trainW = weights is null ? null : trainIdx.Select(i => weights[i]).ToArray();
        var fx = NeuralTransforms.Fit(o.FeatureTransform, trainIdx.Select(i => features[i]).ToArray(), dxRaw, trainW);
        var fy = conditions is null ? null : NeuralTransforms.Fit(o.ConditionTransform, trainIdx.Select(i => conditions[i]).ToArray(), dyRaw, trainW);
        var train = NeuralData.Build(features, conditions, weights, trainIdx, fx, fy);
        if (o.NegativeWeights == NegativeWeightStrategy.Clip) train.W = train.W.Select(w => Math.Max(0f, w)).ToArray();
        if (!(train.W.Sum(v => (double)v) > 0)) throw new ArgumentException("the training weights sum to ≤ 0.", nameof(weights));
        var (enc, dec) = ConditionalVae.Networks(o, dxRaw, dyRaw);
        var model = new ConditionalVae(enc, dec, o, fx, fy, Names(featureNames, dxRaw, "x"), Names(conditionNames, dyRaw, "y"), 0);
        var opt = new Adam(enc.Parameters().Concat(dec.Parameters()), new AdamOptions { LearningRate = o.LearningRate });
        var rng = new Rng(NeuralData.Mix(o.Seed, 13));
        var history = TrainingHistory.Empty();
        var clock = Stopwatch.StartNew();
        for (long step = 0; step < o.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            float lr = o.LrSchedule switch
            {
                LrScheduleKind.Exponential => new ExponentialLr(o.LearningRate, o.LrGamma).At(step),
                LrScheduleKind.Cosine => new CosineLr(o.LearningRate, Math.Max(1, o.Steps)).At(step),
                _ => o.LearningRate,
            };
            opt.LearningRate = lr;
            var losses = new Dictionary<string, double>();
            double ess;
            using (var scope = TensorScope.Begin())
            {
                var b = train.Sample(rng, Math.Min(o.BatchSize, train.Count));
                ess = b.Ess;
                if (!(b.SumW > 0))
                    throw new TrainingStoppedException(
                        $"VAE training stopped at step {step + 1}: a batch's weights sum to {b.SumW.ToString("G6", CultureInfo.InvariantCulture)} ≤ 0; use a larger BatchSize or NegativeWeights = Clip.",
                        StopReason.NonPositiveBatchWeight, step + 1, null, history);
                var (nll, kl) = model.Terms(b.X, b.Y, rng);
                var nllM = GanLosses.WeightedMean(nll, b.W);
                var klM = GanLosses.WeightedMean(kl, b.W);
                var loss = Ops.Add(nllM, Ops.Affine(klM, o.Beta, 0));
                double value = loss.ToScalar();
                if (!double.IsFinite(value))
                    throw new TrainingStoppedException($"VAE training stopped at step {step + 1}: the loss is {value}.", StopReason.NonFiniteLoss, step + 1, null, history);
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
                losses["loss"] = value;
                losses["nll"] = nllM.ToScalar();
                losses["kl"] = klM.ToScalar();
            }
            var rec = new StepRecord(step + 1, losses, ess, lr);
            history.Steps.Add(rec);
            if (o.EvaluateEvery > 0 && (step + 1) % o.EvaluateEvery == 0 && heldIdx.Length > 0)
            {
                var snapshot = Snapshot(model, step + 1);
                var hx = heldIdx.Select(i => features[i]).ToArray();
                var hy = conditions is null ? null : heldIdx.Select(i => conditions[i]).ToArray();
                var hw = weights is null ? null : heldIdx.Select(i => weights[i]).ToArray();
                int evalSeed = (int)(NeuralData.Mix(o.Seed, (ulong)step) & 0x7FFFFFFF);
                var elbo = snapshot.Elbo(hx, hy, hw, evalSeed).PerEvent;
                var gen = hy is null ? snapshot.Sample(hx.Length, evalSeed) : snapshot.Sample(hy, evalSeed);
                double ed = NeuralParts.EnergyDistance(hx.Select(fx.ForwardRow).ToArray(), hw, gen.Select(fx.ForwardRow).ToArray(), hy is null ? null : hw);
                history.Evaluations.Add(new EvaluationRecord(step + 1, ed, null, elbo));
            }
            if (progress is not null)
            {
                var ev = history.Evaluations.Count > 0 ? history.Evaluations[^1] : null;
                progress.Report(new TrainingProgress(step + 1, o.Steps, losses, ess, lr, ev?.EnergyDistance, null, clock.Elapsed));
            }
        }
        return new VaeTrainingResult(Snapshot(model, o.Steps), history);
    }

    private static ConditionalVae Snapshot(ConditionalVae m, long steps)
    {
        var (e, d) = ConditionalVae.Networks(m.Options, m.FeatureNames.Count, m.ConditionNames.Count);
        NeuralParts.Copy(m.Encoder, e);
        NeuralParts.Copy(m.Decoder, d);
        return new ConditionalVae(e, d, m.Options, m.FeatureTransform, m.ConditionTransform, [.. m.FeatureNames], [.. m.ConditionNames], steps);
    }
}
