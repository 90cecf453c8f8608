namespace GenStats.Stats.PrecisionRecall;

/// <summary>
/// Exact k-nearest-neighbour radii by blocked brute force: SIMD squared distances, parallel over
/// blocks of rows, each row's result owned by one block, so the answer is the same for any
/// thread count. O(n²·d) time, O(block) extra memory.
/// </summary>
public static class NearestNeighbours
{
    internal const int RowBlock = 32;
    internal const int ColumnChunk = 256;

    /// <summary>
    /// Euclidean distance from every event of <paramref name="sample"/> (events × dims) to its
    /// k-th nearest neighbour in the same sample, excluding the event itself (a duplicate of
    /// the event still counts as a neighbour at distance 0). This is the radius of the prdc /
    /// improved-precision-recall k-NN balls (prdc takes the (k+1)-th smallest distance including
    /// the self-distance 0, which is the same number).
    /// </summary>
    /// <param name="sample">Events × dims, finite, at least <paramref name="k"/> + 1 events.</param>
    /// <param name="k">Neighbour rank, 1 ≤ k ≤ events − 1.</param>
    public static double[] KthNeighbourDistances(double[][] sample, int k)
    {
        var p = PointSet.From(sample, nameof(sample));
        RequireK(k, p.Count, nameof(sample));
        var d2 = KthSquared(p, k);
        for (int i = 0; i < d2.Length; i++) d2[i] = Math.Sqrt(d2[i]);
        return d2;
    }

    internal static void RequireK(int k, int count, string sampleName)
    {
        if (k < 1)
            throw new ArgumentOutOfRangeException(nameof(k), k, "The neighbour rank k must be at least 1.");
        if (k > count - 1)
            throw new ArgumentException(
                $"{sampleName} has {count} events, too few for the k = {k}-th neighbour excluding self; at least k + 1 = {k + 1} events are required.",
                sampleName);
    }

    /// <summary>Squared k-th neighbour distance of every row, self excluded.</summary>
    internal static double[] KthSquared(PointSet p, int k)
    {
        var result = new double[p.Count];
        int blocks = (p.Count + RowBlock - 1) / RowBlock;
        Parallel.For(0, blocks, () => new double[RowBlock * ColumnChunk], (block, _, tile) =>
        {
            int i0 = block * RowBlock, i1 = Math.Min(p.Count, i0 + RowBlock);
            int rows = i1 - i0;
            // Per row, the k smallest squared distances so far in ascending order.
            var best = new double[rows * k];
            Array.Fill(best, double.PositiveInfinity);
            for (int j0 = 0; j0 < p.Count; j0 += ColumnChunk)
            {
                int j1 = Math.Min(p.Count, j0 + ColumnChunk), width = j1 - j0;
                DistanceKernel.Tile(p, i0, i1, p, j0, j1, tile);
                for (int r = 0; r < rows; r++)
                {
                    var top = best.AsSpan(r * k, k);
                    var row = tile.AsSpan(r * width, width);
                    int self = i0 + r - j0;
                    for (int c = 0; c < width; c++)
                    {
                        double d = row[c];
                        if (d >= top[k - 1] || c == self) continue;
                        int pos = k - 1;
                        while (pos > 0 && top[pos - 1] > d)
                        {
                            top[pos] = top[pos - 1];
                            pos--;
                        }
                        top[pos] = d;
                    }
                }
            }
            for (int r = 0; r < rows; r++) result[i0 + r] = best[r * k + k - 1];
            return tile;
        }, _ => { });
        return result;
    }
}
