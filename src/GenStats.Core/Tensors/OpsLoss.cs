namespace GenStats.Tensors;

public static partial class Ops
{
    private static void RequireSameShape(Tensor a, Tensor b, string nameA, string nameB)
    {
        if (a.Shape != b.Shape)
            throw new ArgumentException($"{nameA} has shape {a.Shape} but {nameB} has shape {b.Shape}; they must match.", nameB);
    }

    /// <summary>Mean squared error mean((prediction − target)²) (PyTorch MSELoss, reduction mean).</summary>
    public static Tensor Mse(Tensor prediction, Tensor target)
    {
        RequireSameShape(prediction, target, nameof(prediction), nameof(target));
        return Mean(Square(Sub(prediction, target)));
    }

    /// <summary>
    /// Binary cross-entropy on logits, mean of softplus(x) − x·t (PyTorch BCEWithLogitsLoss with
    /// reduction mean; stable for large |x|). With <paramref name="weights"/> (same shape, may be
    /// negative such as sWeights) the result is Σ wᵢℓᵢ / Σ wᵢ.
    /// </summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor targets, Tensor? weights = null)
    {
        RequireSameShape(logits, targets, nameof(logits), nameof(targets));
        var loss = Sub(Softplus(logits), Mul(logits, targets));
        if (weights is null) return Mean(loss);
        RequireSameShape(logits, weights, nameof(logits), nameof(weights));
        float total = Sum(Detach(weights)).ToScalar(); // one scalar read-back
        if (!(total > 0) || !float.IsFinite(total))
            throw new ArgumentException($"the weights sum to {total}; the sum must be positive and finite.", nameof(weights));
        return Affine(Sum(Mul(loss, weights)), 1f / total, 0);
    }

    /// <summary>
    /// Gaussian negative log-likelihood, mean of ½(log σ² + (x − μ)²/σ²) [+ ½ log 2π when
    /// <paramref name="full"/>], following PyTorch's GaussianNLLLoss (reduction mean): the variance
    /// is clamped below at <paramref name="eps"/> in the value while its gradient passes unchanged.
    /// </summary>
    public static Tensor GaussianNll(Tensor mean, Tensor target, Tensor variance, float eps = 1e-6f, bool full = false)
    {
        RequireSameShape(mean, target, nameof(mean), nameof(target));
        RequireSameShape(mean, variance, nameof(mean), nameof(variance));
        if (!(eps > 0)) throw new ArgumentException($"eps is {eps}; it must be positive.", nameof(eps));
        // One scalar read-back: min(variance) = −max(−variance), NaN when any is NaN.
        float least = variance.Size == 0 ? 0 : -Max(Reshape(Neg(Detach(variance)), new Shape(variance.Size)), 0).ToScalar();
        if (!(least >= 0)) throw new ArgumentException($"variance contains {least}; variances must be non-negative.", nameof(variance));
        var v2 = ClampMinStraightThrough(variance, eps);
        var loss = Affine(Add(Log(v2), Div(Square(Sub(mean, target)), v2)), 0.5f, full ? 0.5f * MathF.Log(2 * MathF.PI) : 0);
        return Mean(loss);
    }
}
