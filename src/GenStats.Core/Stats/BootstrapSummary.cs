namespace GenStats.Stats;

/// <summary>What a bootstrap run found: the spread of the statistic over replicas.</summary>
/// <param name="StandardDeviation">Sample standard deviation (N − 1) of the replica values: the uncertainty.</param>
/// <param name="Mean">Mean of the replica values (compare with the nominal value to see a bias).</param>
/// <param name="Replicas">The replica values, in replica order.</param>
/// <param name="Method">A label for reports, e.g. <c>"poisson-bootstrap(200, seed 1)"</c>.</param>
public sealed record BootstrapSummary(double StandardDeviation, double Mean, double[] Replicas, string Method);
