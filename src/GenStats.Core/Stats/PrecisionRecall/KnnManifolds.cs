namespace GenStats.Stats.PrecisionRecall;

/// <summary>
/// The common first step of the k-NN manifold metrics (prdc, improved precision/recall): the two
/// samples checked (same dimension, finite, non-negative weights, at least k + 1 events each)
/// and every event's squared radius to its k-th neighbour within its own sample.
/// </summary>
internal sealed record KnnManifolds(PointSet Real, double[] RealRadius2, PointSet Generated, double[] GeneratedRadius2)
{
    /// <summary>Checks the arguments (naming them as the public metric does) and computes the radii.</summary>
    public static KnnManifolds Build(
        double[][] real, double[]? realWeights, double[][] generated, double[]? generatedWeights, int k)
    {
        var (pa, pb) = PointSet.Pair(real, nameof(real), generated, nameof(generated));
        SampleChecks.RequireWeights(realWeights, pa.Count, nameof(realWeights), allowNegative: false);
        SampleChecks.RequireWeights(generatedWeights, pb.Count, nameof(generatedWeights), allowNegative: false);
        NearestNeighbours.RequireK(k, pa.Count, nameof(real));
        NearestNeighbours.RequireK(k, pb.Count, nameof(generated));
        return new KnnManifolds(pa, NearestNeighbours.KthSquared(pa, k), pb, NearestNeighbours.KthSquared(pb, k));
    }
}
