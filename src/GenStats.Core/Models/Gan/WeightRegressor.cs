using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// The <see cref="NegativeWeightStrategy.Regress"/> strategy: a small network r(x, y) ≥ 0
/// (softplus output) fitted by least squares to the per-event weights (Adam 3e-3 with cosine decay, batches of ≥ 512), so r ≈ E[w | x, y], the
/// local signal density fraction times the mean weight. Replacing w by r keeps the weighted
/// expectations (E[r·g] = E[w·g] for any g(x, y)) while every weight becomes non-negative.
/// </summary>
internal static class WeightRegressor
{
    /// <summary>Fits r on the preprocessed training rows and returns r at every row.</summary>
    public static float[] Fit(NeuralData data, GanOptions o) => Fit(data, o.WeightRegressorLayers, o.WeightRegressorSteps, o.BatchSize, o.Seed);

    /// <summary>Fits r with the given hidden layers, steps, batch size (at least 512 is used) and seed; r at every row.</summary>
    public static float[] Fit(NeuralData data, int[] layers, int steps, int batchSize, ulong seed)
    {
        var net = NeuralParts.Network(data.Dx + data.Dy, layers, 1, Activation.Relu, NeuralData.Mix(seed, 101), Activation.Softplus);
        var opt = new Adam(net.Parameters(), new AdamOptions { LearningRate = 3e-3f });
        var rng = new Rng(NeuralData.Mix(seed, 102));
        // The targets are noisy (±1 for sideband subtraction): large batches and a cosine decay to
        // zero average the noise out instead of leaving the estimate at its last batch.
        int b = Math.Min(Math.Max(batchSize, 512), data.Count);
        var schedule = new CosineLr(3e-3f, Math.Max(1, steps));
        for (int s = 0; s < steps; s++)
        {
            Training.ApplySchedule(schedule, opt, s);
            using var scope = TensorScope.Begin();
            var batch = data.Sample(rng, b);
            var pred = Ops.Reshape(net.Forward(NeuralParts.Input(batch.X, batch.Y)), b);
            var loss = Ops.Mse(pred, batch.W);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        var result = new float[data.Count];
        const int Chunk = 4096;
        using (Autograd.NoGrad())
            for (int start = 0; start < data.Count; start += Chunk)
            {
                using var scope = TensorScope.Begin();
                int n = Math.Min(Chunk, data.Count - start);
                var batch = data.Rows(start, n);
                net.Forward(NeuralParts.Input(batch.X, batch.Y)).CopyTo(result.AsSpan(start, n));
            }
        return result;
    }
}
