namespace GenStats.Stats;

/// <summary>
/// Distances between two weighted 1-D samples that are integrals of the difference of their
/// right-continuous weighted empirical CDFs F and G, all computed in one O(N log N) sort and an
/// O(N) walk: Wasserstein-1 ∫|F − G| dx, the Cramér distance ∫(F − G)² dx and the energy
/// distance √(2∫(F − G)² dx).
/// </summary>
/// <remarks>
/// Conventions are scipy's (<c>scipy.stats.wasserstein_distance</c>, <c>energy_distance</c>, with
/// <c>u_weights</c>/<c>v_weights</c>): the energy distance √(2E|X−Y| − E|X−X'| − E|Y−Y'|) of the
/// weighted empirical distributions (V-statistic, i = j terms included) equals √2·(∫(F−G)²)^½ in
/// 1-D, and the Cramér l₂² distance is ½ energy². Signed weights (sWeights) are allowed: every
/// quantity is a functional of F − G, which is linear in the weights (each sample's Σw must be
/// positive). Uncertainties are the seeded weighted Poisson bootstrap's standard deviation; the
/// sort is done once and reused by every replica.
/// </remarks>
public static class CdfDistances
{
    /// <summary>Wasserstein-1 (earth mover's) distance ∫|F − G| dx, value only.</summary>
    public static double Wasserstein1Value(double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null)
    {
        OneDimensionalChecks.Check(a, b, weightsA, weightsB, allowNegative: true);
        return SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null).Walk(weightsA, weightsB).L1;
    }

    /// <summary>Cramér distance l₂² = ∫(F − G)² dx, value only.</summary>
    public static double CramerValue(double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null)
    {
        OneDimensionalChecks.Check(a, b, weightsA, weightsB, allowNegative: true);
        return SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null).Walk(weightsA, weightsB).L2Squared;
    }

    /// <summary>Energy distance √(2∫(F − G)² dx) (scipy's convention), value only.</summary>
    public static double EnergyValue(double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null)
    {
        OneDimensionalChecks.Check(a, b, weightsA, weightsB, allowNegative: true);
        return Energy(SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null).Walk(weightsA, weightsB));
    }

    /// <summary>Wasserstein-1 with bootstrap uncertainty and effective sample sizes.</summary>
    public static TwoSampleResult Wasserstein1(
        double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null, BootstrapOptions? bootstrap = null)
        => WithBootstrap(a, b, weightsA, weightsB, bootstrap, c => c.L1);

    /// <summary>Cramér distance ∫(F − G)² with bootstrap uncertainty and effective sample sizes.</summary>
    public static TwoSampleResult Cramer(
        double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null, BootstrapOptions? bootstrap = null)
        => WithBootstrap(a, b, weightsA, weightsB, bootstrap, c => c.L2Squared);

    /// <summary>Energy distance (scipy) with bootstrap uncertainty and effective sample sizes.</summary>
    public static TwoSampleResult Energy(
        double[] a, double[] b, double[]? weightsA = null, double[]? weightsB = null, BootstrapOptions? bootstrap = null)
        => WithBootstrap(a, b, weightsA, weightsB, bootstrap, Energy);

    private static double Energy(CdfDifferences c) => Math.Sqrt(2 * Math.Max(0, c.L2Squared));

    private static TwoSampleResult WithBootstrap(
        double[] a, double[] b, double[]? weightsA, double[]? weightsB, BootstrapOptions? bootstrap,
        Func<CdfDifferences, double> functional)
    {
        OneDimensionalChecks.Check(a, b, weightsA, weightsB, allowNegative: true);
        var pair = SortedPair.Create(a, b);
        double value = functional(pair.Walk(weightsA, weightsB));
        var spread = Bootstrap.TwoSample(a.Length, weightsA, b.Length, weightsB,
            (wa, wb) => functional(pair.Walk(wa, wb)), bootstrap);
        return new TwoSampleResult(value, spread.StandardDeviation, spread.Method,
            OneDimensionalChecks.EffectiveSize(weightsA, a.Length), OneDimensionalChecks.EffectiveSize(weightsB, b.Length));
    }
}
