namespace GenStats.Stats.PrecisionRecall;

/// <summary>
/// One pass over all (p, q) pairs of two samples that yields everything the k-NN manifold
/// metrics need: for each q, how many p-balls contain it (and their summed weight); for each p,
/// whether some q-ball contains it and its nearest q. Parallel over blocks of p rows; per-q sums
/// are reduced block by block in a fixed order, so results do not depend on the thread count.
/// </summary>
internal static class ManifoldCross
{
    private const int BlocksPerRound = 16;

    internal sealed record Result(
        int[] BallsContaining,
        double[] WeightOfBallsContaining,
        bool[] InsideOtherManifold,
        double[] NearestOtherSquared);

    /// <param name="p">Ball centres (the "real" sample for precision/density/coverage).</param>
    /// <param name="radiusP2">Squared ball radii of <paramref name="p"/>.</param>
    /// <param name="weightP">Per-p weight added to <see cref="Result.WeightOfBallsContaining"/>.</param>
    /// <param name="q">The other sample.</param>
    /// <param name="radiusQ2">Squared ball radii of <paramref name="q"/>.</param>
    /// <param name="strict">True: inside means d &lt; r (prdc); false: d ≤ r (improved P&amp;R).</param>
    public static Result Run(PointSet p, double[] radiusP2, double[] weightP, PointSet q, double[] radiusQ2, bool strict)
    {
        var count = new int[q.Count];
        var weight = new double[q.Count];
        var inside = new bool[p.Count];
        var nearest = new double[p.Count];
        int blocks = (p.Count + NearestNeighbours.RowBlock - 1) / NearestNeighbours.RowBlock;
        var partialCount = new int[BlocksPerRound][];
        var partialWeight = new double[BlocksPerRound][];
        for (int g = 0; g < BlocksPerRound; g++)
        {
            partialCount[g] = new int[q.Count];
            partialWeight[g] = new double[q.Count];
        }

        for (int first = 0; first < blocks; first += BlocksPerRound)
        {
            int last = Math.Min(blocks, first + BlocksPerRound);
            Parallel.For(first, last,
                () => new double[NearestNeighbours.RowBlock * NearestNeighbours.ColumnChunk],
                (block, _, tile) =>
                {
                    var pc = partialCount[block - first];
                    var pw = partialWeight[block - first];
                    Array.Clear(pc);
                    Array.Clear(pw);
                    int i0 = block * NearestNeighbours.RowBlock;
                    int i1 = Math.Min(p.Count, i0 + NearestNeighbours.RowBlock);
                    for (int i = i0; i < i1; i++) nearest[i] = double.PositiveInfinity;
                    for (int j0 = 0; j0 < q.Count; j0 += NearestNeighbours.ColumnChunk)
                    {
                        int j1 = Math.Min(q.Count, j0 + NearestNeighbours.ColumnChunk), width = j1 - j0;
                        DistanceKernel.Tile(p, i0, i1, q, j0, j1, tile);
                        for (int i = i0; i < i1; i++)
                        {
                            var row = tile.AsSpan((i - i0) * width, width);
                            double rp = radiusP2[i], wp = weightP[i], near = nearest[i];
                            bool ins = inside[i];
                            for (int c = 0; c < width; c++)
                            {
                                double d = row[c];
                                int j = j0 + c;
                                if (d < near) near = d;
                                if (strict ? d < rp : d <= rp)
                                {
                                    pc[j]++;
                                    pw[j] += wp;
                                }
                                if (!ins && (strict ? d < radiusQ2[j] : d <= radiusQ2[j])) ins = true;
                            }
                            nearest[i] = near;
                            inside[i] = ins;
                        }
                    }
                    return tile;
                }, _ => { });
            for (int b = first; b < last; b++)
            {
                var pc = partialCount[b - first];
                var pw = partialWeight[b - first];
                for (int j = 0; j < q.Count; j++)
                {
                    count[j] += pc[j];
                    weight[j] += pw[j];
                }
            }
        }
        return new Result(count, weight, inside, nearest);
    }
}
