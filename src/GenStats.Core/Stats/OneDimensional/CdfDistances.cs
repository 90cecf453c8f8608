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
/// sort is done once and all replicas are walked together in one streaming pass
/// (<see cref="CdfBootstrap"/>, memory O(n + R)).
/// </remarks>
public static class CdfDistances
{
    /// <summary>Wasserstein-1 (earth mover's) distance ∫|F − G| dx, value only.</summary>
    /// <param name="a">First (reference / real) sample, finite, non-empty.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed, Σw &gt; 0); null = 1 per event.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>.</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB), as every two-sample metric; scipy's
    /// <c>wasserstein_distance(a, b, u_weights=weightsA, v_weights=weightsB)</c>.</remarks>
    public static double Wasserstein1Value(double[] a, double[]? weightsA, double[] b, double[]? weightsB)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: true);
        return SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null).Walk(weightsA, weightsB).L1;
    }

    /// <summary>Wasserstein-1 of two unweighted samples (scipy <c>wasserstein_distance(a, b)</c>), value only.</summary>
    public static double Wasserstein1Value(double[] a, double[] b) => Wasserstein1Value(a, null, b, null);

    /// <summary>Cramér distance l₂² = ∫(F − G)² dx, value only.</summary>
    /// <param name="a">First (reference / real) sample, finite, non-empty.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed, Σw &gt; 0); null = 1 per event.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>.</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB); the value is ½·scipy's
    /// <c>energy_distance(a, b, u_weights=weightsA, v_weights=weightsB)</c>².</remarks>
    public static double CramerValue(double[] a, double[]? weightsA, double[] b, double[]? weightsB)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: true);
        return SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null).Walk(weightsA, weightsB).L2Squared;
    }

    /// <summary>Cramér distance of two unweighted samples, value only.</summary>
    public static double CramerValue(double[] a, double[] b) => CramerValue(a, null, b, null);

    /// <summary>Energy distance √(2∫(F − G)² dx) (scipy's convention), value only.</summary>
    /// <param name="a">First (reference / real) sample, finite, non-empty.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed, Σw &gt; 0); null = 1 per event.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>.</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB); scipy's
    /// <c>energy_distance(a, b, u_weights=weightsA, v_weights=weightsB)</c>.</remarks>
    public static double EnergyValue(double[] a, double[]? weightsA, double[] b, double[]? weightsB)
    {
        OneDimensionalChecks.Check(a, weightsA, b, weightsB, allowNegative: true);
        return Energy(SortedPair.Create(a, b, keepOrder: weightsA is not null || weightsB is not null).Walk(weightsA, weightsB));
    }

    /// <summary>Energy distance of two unweighted samples (scipy <c>energy_distance(a, b)</c>), value only.</summary>
    public static double EnergyValue(double[] a, double[] b) => EnergyValue(a, null, b, null);

    /// <summary>Wasserstein-1 with bootstrap uncertainty and effective sample sizes.</summary>
    /// <param name="a">First (reference / real) sample, finite, non-empty.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed, Σw &gt; 0); null = 1 per event.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>.</param>
    /// <param name="bootstrap">Replicas and seed of the Poisson bootstrap (null: 200, seed 1).</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB); value as
    /// <see cref="Wasserstein1Value(double[], double[], double[], double[])"/> (scipy), uncertainty the
    /// bootstrap standard deviation.</remarks>
    public static TwoSampleResult Wasserstein1(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, BootstrapOptions? bootstrap = null)
        => WithBootstrap(a, weightsA, b, weightsB, bootstrap, c => c.L1);

    /// <summary>Wasserstein-1 of two unweighted samples with bootstrap uncertainty.</summary>
    public static TwoSampleResult Wasserstein1(double[] a, double[] b, BootstrapOptions? bootstrap = null)
        => Wasserstein1(a, null, b, null, bootstrap);

    /// <summary>Cramér distance ∫(F − G)² with bootstrap uncertainty and effective sample sizes.</summary>
    /// <param name="a">First (reference / real) sample, finite, non-empty.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed, Σw &gt; 0); null = 1 per event.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>.</param>
    /// <param name="bootstrap">Replicas and seed of the Poisson bootstrap (null: 200, seed 1).</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB); value as
    /// <see cref="CramerValue(double[], double[], double[], double[])"/>, uncertainty the bootstrap standard deviation.</remarks>
    public static TwoSampleResult Cramer(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, BootstrapOptions? bootstrap = null)
        => WithBootstrap(a, weightsA, b, weightsB, bootstrap, c => c.L2Squared);

    /// <summary>Cramér distance of two unweighted samples with bootstrap uncertainty.</summary>
    public static TwoSampleResult Cramer(double[] a, double[] b, BootstrapOptions? bootstrap = null)
        => Cramer(a, null, b, null, bootstrap);

    /// <summary>Energy distance (scipy) with bootstrap uncertainty and effective sample sizes.</summary>
    /// <param name="a">First (reference / real) sample, finite, non-empty.</param>
    /// <param name="weightsA">Optional weights of <paramref name="a"/> (signed allowed, Σw &gt; 0); null = 1 per event.</param>
    /// <param name="b">Second (generated) sample.</param>
    /// <param name="weightsB">Optional weights of <paramref name="b"/>.</param>
    /// <param name="bootstrap">Replicas and seed of the Poisson bootstrap (null: 200, seed 1).</param>
    /// <remarks>Argument order (a, weightsA, b, weightsB); value as
    /// <see cref="EnergyValue(double[], double[], double[], double[])"/> (scipy), uncertainty the bootstrap standard deviation.</remarks>
    public static TwoSampleResult Energy(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, BootstrapOptions? bootstrap = null)
        => WithBootstrap(a, weightsA, b, weightsB, bootstrap, Energy);

    /// <summary>Energy distance of two unweighted samples with bootstrap uncertainty.</summary>
    public static TwoSampleResult Energy(double[] a, double[] b, BootstrapOptions? bootstrap = null)
        => Energy(a, null, b, null, bootstrap);

    /// <summary>√(2·∫(F − G)²), clamped at 0 against rounding.</summary>
    internal static double Energy(CdfDifferences c) => Math.Sqrt(2 * Math.Max(0, c.L2Squared));

    private static TwoSampleResult WithBootstrap(
        double[] a, double[]? weightsA, double[] b, double[]? weightsB, BootstrapOptions? bootstrap,
        Func<CdfDifferences, double> functional) =>
        CdfColumn.Compute(a, weightsA, b, weightsB, bootstrap).Result(functional);
}
