namespace GenStats.Stats;

/// <summary>Settings of the weighted Poisson bootstrap.</summary>
/// <param name="Replicas">Number of bootstrap replicas (≥ 2).</param>
/// <param name="Seed">Seed of the replica weights; same seed → same uncertainty, bit for bit.</param>
public sealed record BootstrapOptions(int Replicas = 200, int Seed = 1)
{
    /// <summary>200 replicas, seed 1.</summary>
    public static BootstrapOptions Default { get; } = new();
}
