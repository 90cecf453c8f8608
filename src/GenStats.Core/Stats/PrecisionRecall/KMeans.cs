namespace GenStats.Stats.PrecisionRecall;

/// <summary>Settings of weighted k-means.</summary>
/// <param name="Clusters">Number of clusters (≤ number of events).</param>
/// <param name="Inits">Independent k-means++ seedings; the one with the lowest inertia starts Lloyd's
/// iterations (scikit-learn's <c>MiniBatchKMeans(n_init=…)</c> scheme: the starts compete, only the best is refined).</param>
/// <param name="MaxIterations">Lloyd iterations at most.</param>
/// <param name="Tolerance">Stop when the summed squared centre shift of an iteration is below
/// Tolerance × the mean per-dimension variance of the data (scikit-learn's <c>tol</c>), or when no label changes.</param>
/// <param name="Seed">Seed of the k-means++ draws; same seed → same clustering, bit for bit.</param>
public sealed record KMeansOptions(int Clusters = 20, int Inits = 10, int MaxIterations = 300, double Tolerance = 1e-4, int Seed = 1)
{
    /// <summary>20 clusters, 10 seedings, at most 300 iterations, tolerance 10⁻⁴, seed 1.</summary>
    public static KMeansOptions Default { get; } = new();
}

/// <summary>A k-means clustering.</summary>
/// <param name="Centres">Cluster centres (clusters × dims); an empty cluster keeps its last centre.</param>
/// <param name="Labels">Cluster index of every event (nearest centre; ties go to the lower index).</param>
/// <param name="Inertia">Σ w·‖x − centre‖² of the kept start.</param>
/// <param name="Iterations">Lloyd iterations of the kept start.</param>
public sealed record KMeansResult(double[][] Centres, int[] Labels, double Inertia, int Iterations);

/// <summary>
/// Weighted k-means (Lloyd's algorithm) with seeded k-means++ initialisation (Arthur &amp;
/// Vassilvitskii 2007: first centre drawn ∝ w, each next ∝ w·D², plain — not scikit-learn's
/// greedy variant). Centres are weighted means; a cluster that loses all weight keeps its centre.
/// Assignment runs in parallel over events, centre updates sequentially in event order, so the
/// result is identical for any thread count.
/// </summary>
public static class KMeans
{
    /// <summary>Clusters <paramref name="sample"/> (events × dims) with optional non-negative weights.</summary>
    public static KMeansResult Fit(double[][] sample, double[]? weights = null, KMeansOptions? options = null)
    {
        options ??= KMeansOptions.Default;
        var p = PointSet.From(sample, nameof(sample));
        SampleChecks.RequireWeights(weights, p.Count, nameof(weights), allowNegative: false);
        return Fit(p, weights ?? Ones(p.Count), options);
    }

    internal static double[] Ones(int n)
    {
        var w = new double[n];
        Array.Fill(w, 1.0);
        return w;
    }

    internal static KMeansResult Fit(PointSet p, double[] weights, KMeansOptions options)
    {
        if (options.Clusters < 1 || options.Clusters > p.Count)
            throw new ArgumentOutOfRangeException(nameof(options), options.Clusters,
                $"The number of clusters must be between 1 and the number of events ({p.Count}).");
        if (options.Inits < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Inits, "At least one k-means start is required.");
        if (options.MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxIterations, "At least one iteration is required.");
        if (!(options.Tolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "The tolerance must be non-negative.");
        double[]? best = null;
        double bestInertia = double.PositiveInfinity;
        var labels = new int[p.Count];
        var dist = new double[p.Count];
        for (int init = 0; init < options.Inits; init++)
        {
            var rng = new Random(MixSeed(options.Seed, init));
            var centres = PlusPlus(p, weights, options.Clusters, rng);
            Assign(p, PointSet.Wrap(centres, options.Clusters, p.Dim), labels, dist);
            double inertia = 0;
            for (int i = 0; i < p.Count; i++) inertia += weights[i] * dist[i];
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                best = centres;
            }
        }
        return Lloyd(p, weights, best!, options.MaxIterations, options.Tolerance * MeanVariance(p));
    }

    internal static int MixSeed(int seed, int stream) =>
        SplitMix64.Seed31(((ulong)(uint)seed << 32 | (uint)stream) + SplitMix64.Golden);

    private static double[] PlusPlus(PointSet p, double[] w, int k, Random rng)
    {
        int d = p.Dim;
        var centres = new double[k * d];
        int first = Draw(w, null, rng);
        p.Row(first).CopyTo(centres.AsSpan(0, d));
        var nearest = new double[p.Count];
        for (int i = 0; i < p.Count; i++) nearest[i] = DistanceKernel.Squared(p.Row(i), centres.AsSpan(0, d));
        for (int c = 1; c < k; c++)
        {
            int next = Draw(w, nearest, rng);
            var centre = centres.AsSpan(c * d, d);
            p.Row(next).CopyTo(centre);
            var centreCopy = centres.AsMemory(c * d, d);
            Parallel.For(0, (p.Count + 1023) / 1024, b =>
            {
                int i1 = Math.Min(p.Count, (b + 1) * 1024);
                for (int i = b * 1024; i < i1; i++)
                    nearest[i] = Math.Min(nearest[i], DistanceKernel.Squared(p.Row(i), centreCopy.Span));
            });
        }
        return centres;
    }

    // Draws an index with probability ∝ w·D² (∝ w when D² is null or all zero).
    private static int Draw(double[] w, double[]? d2, Random rng)
    {
        double total = 0;
        for (int i = 0; i < w.Length; i++) total += w[i] * (d2?[i] ?? 1.0);
        if (!(total > 0))
        {
            if (d2 is null) throw new InvalidOperationException("All weights are zero.");
            return Draw(w, null, rng);
        }
        double u = rng.NextDouble() * total, acc = 0;
        int last = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double m = w[i] * (d2?[i] ?? 1.0);
            if (m <= 0) continue;
            last = i;
            acc += m;
            if (u < acc) return i;
        }
        return last;
    }

    private static double MeanVariance(PointSet p)
    {
        double total = 0;
        for (int c = 0; c < p.Dim; c++)
        {
            double mean = 0, ss = 0;
            for (int i = 0; i < p.Count; i++) mean += p.Data[i * p.Dim + c];
            mean /= p.Count;
            for (int i = 0; i < p.Count; i++)
            {
                double e = p.Data[i * p.Dim + c] - mean;
                ss += e * e;
            }
            total += ss / p.Count;
        }
        return total / p.Dim;
    }

    private static KMeansResult Lloyd(PointSet p, double[] w, double[] centres, int maxIterations, double shiftTolerance)
    {
        int n = p.Count, d = p.Dim, k = centres.Length / d;
        var labels = new int[n];
        Array.Fill(labels, -1);
        var dist = new double[n];
        var sums = new double[k * d];
        var mass = new double[k];
        int iteration = 0;
        var centreSet = PointSet.Wrap(centres, k, d);
        while (true)
        {
            int changed = Assign(p, centreSet, labels, dist);
            iteration++;
            if (changed == 0 || iteration > maxIterations) break;
            double shift = 0;
            Array.Clear(sums);
            Array.Clear(mass);
            for (int i = 0; i < n; i++)
            {
                int c = labels[i];
                double wi = w[i];
                if (wi == 0) continue;
                mass[c] += wi;
                var row = p.Row(i);
                var s = sums.AsSpan(c * d, d);
                for (int t = 0; t < d; t++) s[t] += wi * row[t];
            }
            for (int c = 0; c < k; c++)
            {
                if (!(mass[c] > 0)) continue;
                for (int t = 0; t < d; t++)
                {
                    double moved = sums[c * d + t] / mass[c];
                    shift += (moved - centres[c * d + t]) * (moved - centres[c * d + t]);
                    centres[c * d + t] = moved;
                }
            }
            if (shift <= shiftTolerance)
            {
                Assign(p, centreSet, labels, dist); // labels and distances of the final centres
                break;
            }
        }
        double inertia = 0;
        for (int i = 0; i < n; i++) inertia += w[i] * dist[i];
        var result = new double[k][];
        for (int c = 0; c < k; c++) result[c] = centres.AsSpan(c * d, d).ToArray();
        return new KMeansResult(result, labels, inertia, iteration);
    }

    // Nearest centre of every event (ties → lower index); returns how many labels changed.
    private static int Assign(PointSet p, PointSet centres, int[] labels, double[] dist)
    {
        const int block = 64;
        int blocks = (p.Count + block - 1) / block, k = centres.Count;
        var changedPerBlock = new int[blocks];
        Parallel.For(0, blocks, () => new double[block * k], (b, _, tile) =>
        {
            int i0 = b * block, i1 = Math.Min(p.Count, i0 + block), changed = 0;
            DistanceKernel.Tile(p, i0, i1, centres, 0, k, tile);
            for (int i = i0; i < i1; i++)
            {
                var row = tile.AsSpan((i - i0) * k, k);
                int bestC = 0;
                double bestD = row[0];
                for (int c = 1; c < k; c++)
                {
                    if (row[c] < bestD)
                    {
                        bestD = row[c];
                        bestC = c;
                    }
                }
                if (labels[i] != bestC) changed++;
                labels[i] = bestC;
                dist[i] = bestD;
            }
            changedPerBlock[b] = changed;
            return tile;
        }, _ => { });
        return changedPerBlock.Sum();
    }
}
