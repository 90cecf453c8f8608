/// Checks a bootstrap standard deviation against the spread of the statistic over independent
/// seeded replicas of the experiment, with a band from the distribution of sample variances.
module GenStats.Tests.Stats.BootstrapCheck

open Expecto

/// The unbiased sample variance.
let sampleVariance (xs: float[]) =
    let m = Array.average xs
    (xs |> Array.sumBy (fun x -> (x - m) ** 2.0)) / float (xs.Length - 1)

/// `values`: the statistic on K independent experiments, so S² = sampleVariance values has
/// (K − 1)·S²/σ² ~ χ²_{K−1}. `bootstrapSds`: the bootstrap SD on m further experiments with R
/// replicas each; their mean variance B² has m(R − 1)·B²/σ² ≈ χ²_{m(R−1)} when the bootstrap is
/// right. So B²/S² ~ F(m(R − 1), K − 1), and [lo, hi] are that F distribution's 0.05 % and 99.95 %
/// quantiles (scipy.stats.f.ppf, pasted by the caller). A bootstrap that resamples one sample only,
/// or returns a variance or a doubled SD, puts the ratio near 0.5, σ or 4: far outside.
let assertBootstrapVariance (what: string) (lo: float) (hi: float) (bootstrapSds: float[]) (values: float[]) =
    let s2 = sampleVariance values
    let b2 = bootstrapSds |> Array.averageBy (fun s -> s * s)
    let ratio = b2 / s2

    if not (ratio >= lo && ratio <= hi) then
        failtestf
            "%s: mean bootstrap variance / variance over %d replicas of the experiment = %.4f (B² = %.4g, S² = %.4g), outside the F band [%.4f, %.4f]"
            what
            values.Length
            ratio
            b2
            s2
            lo
            hi
