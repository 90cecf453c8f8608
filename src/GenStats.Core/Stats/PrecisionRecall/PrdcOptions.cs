namespace GenStats.Stats.PrecisionRecall;

/// <summary>Settings of precision, recall, density and coverage (Naeem et al. 2020).</summary>
/// <param name="K">Neighbour rank of the ball radii (prdc's <c>nearest_k</c>); 5 by default.</param>
public sealed record PrdcOptions(int K = 5)
{
    /// <summary>k = 5, the value recommended by Naeem et al.</summary>
    public static PrdcOptions Default { get; } = new();
}
