using GenStats.Data;

namespace GenStats.Models;

/// <summary>How the KDE bandwidth factor h is chosen (the kernel covariance is h² × the weighted covariance).</summary>
public enum BandwidthRule
{
    /// <summary>Scott's rule h = n_eff^(−1/(d+4)) (scipy.stats.gaussian_kde's default "scott").</summary>
    Scott,
    /// <summary>Silverman's rule h = (n_eff (d+2)/4)^(−1/(d+4)) (scipy's "silverman").</summary>
    Silverman,
    /// <summary>Maximum leave-one-out log-likelihood over h (see <see cref="KernelDensity"/>).</summary>
    CrossValidated,
    /// <summary>A given factor (<see cref="KdeOptions.Factor"/>).</summary>
    Fixed,
}

/// <summary>Options of a Gaussian kernel density estimate.</summary>
/// <param name="Bandwidth">The bandwidth rule; default Scott.</param>
/// <param name="Factor">The factor h for <see cref="BandwidthRule.Fixed"/> (required then, &gt; 0; ignored otherwise).</param>
/// <param name="CrossValidationEvents">Largest number of events the cross-validation uses (cost ∝ n²);
/// a bigger sample is subsampled without replacement, seeded by the training seed. Default 2000.</param>
/// <param name="Preprocessing">Transform of every feature and condition column before the KDE
/// (the kernel lives in the transformed space; samples are transformed back). Default identity.</param>
public sealed record KdeOptions(
    BandwidthRule Bandwidth = BandwidthRule.Scott,
    double? Factor = null,
    int CrossValidationEvents = 2000,
    TransformKind Preprocessing = TransformKind.Identity)
{
    /// <summary>Scott's rule, no preprocessing.</summary>
    public static KdeOptions Default { get; } = new();

    internal void Validate()
    {
        if (Bandwidth == BandwidthRule.Fixed && !(Factor is double f && f > 0 && double.IsFinite(f)))
            throw new ArgumentException($"Bandwidth 'fixed' needs a finite positive Factor; got {Factor?.ToString() ?? "none"}.", nameof(Factor));
        if (CrossValidationEvents < 2)
            throw new ArgumentException($"CrossValidationEvents is {CrossValidationEvents}; at least 2 are required.", nameof(CrossValidationEvents));
    }
}
