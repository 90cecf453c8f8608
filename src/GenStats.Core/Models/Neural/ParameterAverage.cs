using GenStats.Nn;

namespace GenStats.Models;

/// <summary>
/// An exponential moving average of a network's parameters (Polyak–Ruppert averaging as used for
/// GAN generators, e.g. Yazıcı et al. 2019): θ̄ ← β_t·θ̄ + (1 − β_t)·θ after every update, with
/// β_t = min(β, (1 + t)/(10 + t)) so the average forgets the random initialisation quickly. A GAN's
/// generator oscillates around the equilibrium; the average sits closer to it.
/// </summary>
internal sealed class ParameterAverage
{
    private readonly Module live;

    /// <summary>Averages <paramref name="live"/> into <paramref name="average"/> (same architecture; starts as a copy).</summary>
    public ParameterAverage(Module live, Module average, float decay)
    {
        if (!(decay > 0 && decay < 1)) throw new ArgumentException($"the averaging decay is {decay}; (0, 1) is allowed.", nameof(decay));
        this.live = live;
        Average = average;
        Decay = decay;
        NeuralParts.Copy(live, average);
    }

    /// <summary>The averaged network.</summary>
    public Module Average { get; }

    /// <summary>β.</summary>
    public float Decay { get; }

    /// <summary>Folds the live parameters in after update number <paramref name="step"/> (0-based).</summary>
    public void Update(long step)
    {
        float beta = Math.Min(Decay, (1f + step) / (10f + step));
        var a = live.Parameters();
        var b = Average.Parameters();
        for (int i = 0; i < a.Count; i++)
        {
            // θ̄ ← β·θ̄ + (1 − β)·θ on the parameters' device.
            b[i].AffineInPlace(beta, 0);
            b[i].AxpyInPlace(1 - beta, a[i]);
        }
    }
}

/// <summary>
/// The best network seen so far by a held-out figure (lower is better): best-checkpoint selection.
/// Ties keep the earlier one.
/// </summary>
internal sealed class BestSnapshot
{
    /// <summary>Keeps copies in <paramref name="copy"/> (same architecture as the offered networks).</summary>
    public BestSnapshot(Module copy) => Copy = copy;

    /// <summary>The best network (meaningful once <see cref="Step"/> ≥ 0).</summary>
    public Module Copy { get; }

    /// <summary>Its held-out figure (+∞ before the first offer).</summary>
    public double Value { get; private set; } = double.PositiveInfinity;

    /// <summary>The step it was taken at (−1 before the first offer).</summary>
    public long Step { get; private set; } = -1;

    /// <summary>Evaluations since the best one (for early stopping).</summary>
    public int SinceBest { get; private set; }

    /// <summary>Takes <paramref name="network"/> when <paramref name="value"/> beats the best; true when it did.</summary>
    public bool Offer(Module network, double value, long step)
    {
        if (double.IsFinite(value) && value < Value)
        {
            NeuralParts.Copy(network, Copy);
            Value = value;
            Step = step;
            SinceBest = 0;
            return true;
        }
        SinceBest++;
        return false;
    }

    /// <summary>Restores the state saved in a checkpoint.</summary>
    public void Restore(double value, long step, int sinceBest)
    {
        Value = value;
        Step = step;
        SinceBest = sinceBest;
    }
}
