using GenStats.Tensors;
using GenStats.Tensors.Backends;

namespace GenStats.Models;

/// <summary>
/// The GAN losses as differentiable functions of critic outputs, with per-event weights entering
/// every expectation as a Σw-normalised mean E_w[v] = Σ wᵢvᵢ / Σ wᵢ (signed sWeights allowed;
/// Σw ≤ 0 is an error). d are critic logits/values of shape [B]; the critic minimises
/// <see cref="CriticLoss"/> and the generator minimises <see cref="GeneratorLoss"/>.
/// <list type="table">
/// <item><term>Minimax / NonSaturating (critic)</term><description>E_w[softplus(−d_r)] + E_w[softplus(d_g)] (BCE with labels 1/0)</description></item>
/// <item><term>Minimax (generator)</term><description>−E_w[softplus(d_g)] = E_w[log(1 − σ(d_g))]</description></item>
/// <item><term>NonSaturating (generator)</term><description>E_w[softplus(−d_g)] = −E_w[log σ(d_g)]</description></item>
/// <item><term>LeastSquares</term><description>critic ½E_w[(d_r − 1)²] + ½E_w[d_g²]; generator ½E_w[(d_g − 1)²]</description></item>
/// <item><term>Wgan / WganGp</term><description>critic E_w[d_g] − E_w[d_r] (+ λ·GP); generator −E_w[d_g]</description></item>
/// <item><term>Cramer</term><description>see <see cref="CramerObjective"/>: critic −L + λ·GP, generator L</description></item>
/// </list>
/// </summary>
public static class GanLosses
{
    /// <summary>
    /// Σ wᵢvᵢ / Σ wᵢ of per-event values v [B] and weights w [B]. Σw is summed on the tensors' device
    /// and must be positive (checked with one scalar read-back).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes differ or Σw ≤ 0.</exception>
    public static Tensor WeightedMean(Tensor values, Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(weights);
        if (values.Shape != weights.Shape)
            throw new ArgumentException($"values have shape {values.Shape} but weights {weights.Shape}; they must match.", nameof(weights));
        double total = WeightSum(weights);
        if (!(total > 0) || !double.IsFinite(total))
            throw new ArgumentException($"the weights sum to {total}; a weighted mean needs a positive sum.", nameof(weights));
        return Ops.Affine(Ops.Sum(Ops.Mul(values, weights)), (float)(1 / total), 0);
    }

    /// <summary>The critic's loss for the non-Cramér losses (without the gradient penalty).</summary>
    public static Tensor CriticLoss(GanLoss loss, Tensor dReal, Tensor dFake, Tensor wReal, Tensor wFake) => loss switch
    {
        GanLoss.Minimax or GanLoss.NonSaturating =>
            Ops.Add(WeightedMean(Ops.Softplus(Ops.Neg(dReal)), wReal), WeightedMean(Ops.Softplus(dFake), wFake)),
        GanLoss.LeastSquares =>
            Ops.Affine(Ops.Add(WeightedMean(Ops.Square(Ops.Affine(dReal, 1, -1)), wReal), WeightedMean(Ops.Square(dFake), wFake)), 0.5f, 0),
        GanLoss.Wgan or GanLoss.WganGp => Ops.Sub(WeightedMean(dFake, wFake), WeightedMean(dReal, wReal)),
        _ => throw new ArgumentException($"loss {loss} has no scalar-critic form; use CramerObjective.", nameof(loss)),
    };

    /// <summary>The generator's loss for the non-Cramér losses.</summary>
    public static Tensor GeneratorLoss(GanLoss loss, Tensor dFake, Tensor wFake) => loss switch
    {
        GanLoss.Minimax => Ops.Neg(WeightedMean(Ops.Softplus(dFake), wFake)),
        GanLoss.NonSaturating => WeightedMean(Ops.Softplus(Ops.Neg(dFake)), wFake),
        GanLoss.LeastSquares => Ops.Affine(WeightedMean(Ops.Square(Ops.Affine(dFake, 1, -1)), wFake), 0.5f, 0),
        GanLoss.Wgan or GanLoss.WganGp => Ops.Neg(WeightedMean(dFake, wFake)),
        _ => throw new ArgumentException($"loss {loss} has no scalar-critic form; use CramerObjective.", nameof(loss)),
    };

    /// <summary>
    /// The Cramér GAN surrogate per row, h(x) = ‖f(x) − f(x'_g)‖ − ‖f(x)‖ (Bellemare et al. 2017,
    /// eq. for the critic with the second real sample replaced by the origin), with f(x) [B, k]
    /// and f(x'_g) [B, k] of an independent generated batch.
    /// </summary>
    public static Tensor CramerSurrogate(Tensor f, Tensor fFake2) => Ops.Sub(Ops.RowNorm(Ops.Sub(f, fFake2)), Ops.RowNorm(f));

    /// <summary>
    /// L = E_w[h(x_r)] − E_w[h(x_g)] with h = <see cref="CramerSurrogate"/> and two independent
    /// generated batches x_g, x'_g; the critic minimises −L + λ·GP, the generator minimises L.
    /// </summary>
    public static Tensor CramerObjective(Tensor fReal, Tensor fFake, Tensor fFake2, Tensor wReal, Tensor wFake) =>
        Ops.Sub(WeightedMean(CramerSurrogate(fReal, fFake2), wReal), WeightedMean(CramerSurrogate(fFake, fFake2), wFake));

    /// <summary>
    /// Gradient penalty from the critic's gradients at the interpolates [B, d]: the mean (weighted
    /// when <paramref name="weights"/> is given) of (‖g‖ − 1)² (two-sided) or max(0, ‖g‖ − 1)² (one-sided).
    /// </summary>
    public static Tensor GradientPenalty(Tensor gradients, PenaltyKind kind, Tensor? weights)
    {
        var excess = Ops.Affine(Ops.RowNorm(gradients), 1, -1);
        var per = Ops.Square(kind == PenaltyKind.OneSided ? Ops.Relu(excess) : excess);
        return weights is null ? Ops.Mean(per) : WeightedMean(per, weights);
    }

    /// <summary>
    /// Weighted squared MMD (V-statistic, Gaussian kernel k(a, b) = exp(−‖a − b‖²/(2σ²))):
    /// E_w k(a, a') + E_w k(b, b') − 2E_w k(a, b), with a [n, k], b [m, k]. Computed in one pass over
    /// the pairs with float64 sums; differentiable once in a and b (the analytic gradient; the
    /// weights are constants), which is what a generator step needs.
    /// </summary>
    /// <exception cref="ArgumentException">A bandwidth that is not finite and positive, mismatched shapes, or a weight sum ≤ 0.</exception>
    public static Tensor Mmd2(Tensor a, Tensor wa, Tensor b, Tensor wb, float bandwidth)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(wa);
        ArgumentNullException.ThrowIfNull(wb);
        if (!(bandwidth > 0) || !float.IsFinite(bandwidth))
            throw new ArgumentException($"bandwidth is {bandwidth}; a finite positive value is required.", nameof(bandwidth));
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"a and b must be [rows, k] matrices; they have ranks {a.Rank} and {b.Rank}.", nameof(a));
        if (b.Shape[1] != a.Shape[1]) throw new ArgumentException($"a has {a.Shape[1]} columns but b {b.Shape[1]}; they must match.", nameof(b));
        if (wa.Size != a.Shape[0] || wb.Size != b.Shape[0]) throw new ArgumentException($"weights of sizes {wa.Size} and {wb.Size} for {a.Shape[0]} and {b.Shape[0]} rows.", nameof(wa));
        // The one-pass kernel reads host arrays; on a device the same sum is a graph of backend ops.
        bool onHost = a.Buffer is HostBuffer && b.Buffer is HostBuffer && wa.Buffer is HostBuffer && wb.Buffer is HostBuffer;
        return onHost ? KernelMmd.Mmd2(a, wa, b, wb, bandwidth) : GraphMmd2(a, wa, b, wb, bandwidth);
    }

    // E_w k(a, a') + E_w k(b, b') − 2E_w k(a, b) as [n, m] kernel matrices of backend ops (any
    // device; first and second derivatives through the ops). Costs an [n, m, k] difference tensor
    // per pair of samples, which the host kernel avoids.
    private static Tensor GraphMmd2(Tensor a, Tensor wa, Tensor b, Tensor wb, float bandwidth)
    {
        float c = -1f / (2 * bandwidth * bandwidth);
        Tensor K(Tensor p, Tensor q) => Ops.Exp(Ops.Affine(Ops.Sum(Ops.Square(Diff(p, q)), 2), c, 0));
        return Ops.Sub(Ops.Add(PairMean(K(a, a), wa, wa), PairMean(K(b, b), wb, wb)), Ops.Affine(PairMean(K(a, b), wa, wb), 2, 0));
    }

    /// <summary>
    /// Weighted squared energy distance (V-statistic): 2E_w‖a − b‖ − E_w‖a − a'‖ − E_w‖b − b'‖
    /// (the square of scipy's energy_distance), with a [n, k], b [m, k].
    /// </summary>
    public static Tensor EnergyDistance2(Tensor a, Tensor wa, Tensor b, Tensor wb)
    {
        Tensor D(Tensor p, Tensor q) => Ops.Reshape(Ops.RowNorm(Ops.Reshape(Diff(p, q), p.Shape[0] * q.Shape[0], p.Shape[1])), p.Shape[0], q.Shape[0]);
        return Ops.Sub(Ops.Affine(PairMean(D(a, b), wa, wb), 2, 0), Ops.Add(PairMean(D(a, a), wa, wa), PairMean(D(b, b), wb, wb)));
    }

    private static Tensor Diff(Tensor p, Tensor q) =>
        Ops.Sub(Ops.Reshape(p, p.Shape[0], 1, p.Shape[1]), Ops.Reshape(q, 1, q.Shape[0], q.Shape[1]));

    // Σw of weights that take no gradient here, on their device: one scalar read-back.
    private static double WeightSum(Tensor w)
    {
        using var ng = Autograd.NoGrad();
        return Ops.Sum(w).ToScalar();
    }

    // Σᵢⱼ pᵢqⱼMᵢⱼ / (Σp·Σq).
    private static Tensor PairMean(Tensor m, Tensor p, Tensor q)
    {
        double sp = WeightSum(p), sq = WeightSum(q);
        if (!(sp > 0) || !(sq > 0))
            throw new ArgumentException($"the weights sum to {sp} and {sq}; positive sums are required.", nameof(p));
        var mq = Ops.MatMul(m, Ops.Reshape(q, q.Size, 1));
        return Ops.Affine(Ops.Sum(Ops.Mul(Ops.Reshape(mq, m.Shape[0]), p)), (float)(1 / (sp * sq)), 0);
    }
}

/// <summary>Distance between the distributions of an auxiliary statistic.</summary>
public enum StatisticDistance
{
    /// <summary>Squared MMD with a Gaussian kernel (<see cref="GanLosses.Mmd2"/>).</summary>
    Mmd,
    /// <summary>Squared energy distance (<see cref="GanLosses.EnergyDistance2"/>).</summary>
    Energy,
}

/// <summary>
/// An extra generator loss term Weight·D(s(x_r, y), s(x_g, y)) that matches the distribution of a
/// differentiable statistic s between real and generated batches — the hook for "enforce important
/// statistics" (a statistic in the loss can no longer validate the model: hold another one out).
/// </summary>
/// <param name="Statistic">s(x, y): x [B, features] and y [B, conditions] (0 columns when unconditional) on the RAW scale, returning [B, k] or [B]. Built from <see cref="Ops"/> so it is differentiable.</param>
/// <param name="Weight">Weight of the term in the generator loss.</param>
public sealed record AuxiliaryStatistic(Func<Tensor, Tensor, Tensor> Statistic, float Weight)
{
    /// <summary>MMD (default) or energy distance.</summary>
    public StatisticDistance Distance { get; init; } = StatisticDistance.Mmd;
    /// <summary>Gaussian kernel bandwidth σ for MMD; 0 = the median pairwise distance of the real batch's statistic (median heuristic).</summary>
    public float Bandwidth { get; init; }
    /// <summary>Name in the history ("aux" by default).</summary>
    public string Name { get; init; } = "aux";
    /// <summary>
    /// s of the raw columns by name (each a [B] tensor in physics units, features and conditions),
    /// used instead of <see cref="Statistic"/> when set; see <see cref="ByName"/>.
    /// </summary>
    public Func<IReadOnlyDictionary<string, Tensor>, Tensor>? Columns { get; init; }

    /// <summary>The statistic's text when it was written as an expression (<see cref="AuxiliaryExpression.Parse"/>); recorded in the model file.</summary>
    public string? Expression { get; init; }
    /// <summary>The raw columns a by-name statistic reads (null = not declared); training checks them against the model's features and conditions.</summary>
    public IReadOnlyList<string>? RequiredColumns { get; init; }
    /// <summary>What the model file records about the term (<see cref="ConditionalGan.Auxiliary"/>).</summary>
    public AuxiliaryTerm Describe() => new(Expression ?? Name, Weight, Distance, Bandwidth);

    /// <summary>Throws when a declared column is neither a feature nor a condition.</summary>
    /// <exception cref="ArgumentException">A missing column; the message lists the available ones.</exception>
    public void CheckColumns(IReadOnlyList<string> featureNames, IReadOnlyList<string> conditionNames)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(conditionNames);
        if (RequiredColumns is null) return;
        var missing = RequiredColumns.Where(c => !featureNames.Contains(c) && !conditionNames.Contains(c)).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"auxiliary statistic '{Expression ?? Name}' reads {string.Join(", ", missing.Select(m => $"'{m}'"))}, " +
                $"which {(missing.Length == 1 ? "is" : "are")} not a feature or condition of the model; available: {string.Join(", ", featureNames.Concat(conditionNames))}.");
    }

    /// <summary>A statistic of named raw columns, e.g. an invariant mass of (pt1, eta1, phi1, pt2, eta2, phi2).</summary>
    public static AuxiliaryStatistic ByName(Func<IReadOnlyDictionary<string, Tensor>, Tensor> statistic, float weight)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        return new AuxiliaryStatistic(AuxiliaryColumns.Unbound, weight) { Columns = statistic };
    }
}

/// <summary>
/// The record of an auxiliary term kept in a GAN model file, so that validation can label the
/// statistic "in the loss — not evidence".
/// </summary>
/// <param name="Statistic">The expression text (e.g. <c>mass(pt1,eta1,phi1,pt2,eta2,phi2)</c>), or the term's name for a statistic given as code.</param>
/// <param name="Weight">Its weight in the generator loss.</param>
/// <param name="Distance">MMD or energy distance.</param>
/// <param name="Bandwidth">The MMD bandwidth; 0 = the median heuristic.</param>
public sealed record AuxiliaryTerm(string Statistic, float Weight, StatisticDistance Distance, float Bandwidth);
