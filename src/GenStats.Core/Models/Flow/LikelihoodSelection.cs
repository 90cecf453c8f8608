using GenStats.Nn;

namespace GenStats.Models;

/// <summary>
/// Best-checkpoint selection for a likelihood model. The reference is the evaluation with the lowest
/// held-out NLL so far; the kept networks are those of the latest evaluation whose held-out NLL is
/// not worse than the reference by more than one standard error of the paired per-event difference.
/// Plain "lowest NLL" picks, among late evaluations that differ by less than their noise, one taken
/// while the learning rate was still high (on the 1-D camel: W1 0.099 against 0.016 for the annealed
/// end); this rule keeps the annealed networks unless over-fitting makes them significantly worse.
/// </summary>
internal sealed class LikelihoodSelection
{
    public LikelihoodSelection(Module copy) => Copy = copy;

    /// <summary>The kept networks (meaningful once <see cref="Step"/> ≥ 0).</summary>
    public Module Copy { get; }

    /// <summary>The step of the kept networks (−1 before the first offer).</summary>
    public long Step { get; private set; } = -1;

    /// <summary>The lowest held-out NLL per event so far (+∞ before the first offer).</summary>
    public double ReferenceValue { get; private set; } = double.PositiveInfinity;

    /// <summary>The per-event held-out NLL of the reference evaluation.</summary>
    public double[]? ReferencePerEvent { get; private set; }

    /// <summary>Evaluations since the reference improved (for early stopping).</summary>
    public int SinceReference { get; private set; }

    /// <summary>Offers the networks of an evaluation with per-event held-out NLL values (weights null = 1).</summary>
    public void Offer(Module network, double[] nllPerEvent, double[]? weights, long step)
    {
        double value = ConditionalSplineFlow.WeightedMean(nllPerEvent, weights).PerEvent;
        if (!double.IsFinite(value))
        {
            SinceReference++;
            return;
        }
        bool improves = value < ReferenceValue;
        bool keep = improves;
        if (!improves && ReferencePerEvent is not null)
        {
            var diff = new double[nllPerEvent.Length];
            for (int i = 0; i < diff.Length; i++) diff[i] = nllPerEvent[i] - ReferencePerEvent[i];
            keep = value - ReferenceValue <= ConditionalSplineFlow.WeightedMean(diff, weights).StandardError;
        }
        if (keep)
        {
            NeuralParts.Copy(network, Copy);
            Step = step;
        }
        if (improves)
        {
            (ReferenceValue, ReferencePerEvent, SinceReference) = (value, nllPerEvent, 0);
        }
        else SinceReference++;
    }

    /// <summary>The state a checkpoint keeps.</summary>
    public LikelihoodSelectionState State => new(double.IsFinite(ReferenceValue) ? ReferenceValue : null, Step, SinceReference, ReferencePerEvent);

    /// <summary>Restores the state saved in a checkpoint.</summary>
    public void Restore(LikelihoodSelectionState s)
    {
        (ReferenceValue, Step, SinceReference, ReferencePerEvent) = (s.Reference ?? double.PositiveInfinity, s.Step, s.SinceReference, s.ReferencePerEvent);
    }
}

/// <summary>The checkpointed state of a <see cref="LikelihoodSelection"/>.</summary>
internal sealed record LikelihoodSelectionState(double? Reference, long Step, int SinceReference, double[]? ReferencePerEvent);
