namespace GenStats.Stats;

/// <summary>
/// A 1-D histogram of weighted events: per bin the sum of weights Σw and the sum of squared
/// weights Σw² (the variance estimate of Σw, as ROOT's Sumw2). Bins are [eₖ, eₖ₊₁) except the
/// last, which also holds its upper edge (numpy's convention). Events outside the edges are not
/// dropped silently: their weights are kept in <see cref="Underflow"/> and <see cref="Overflow"/>.
/// </summary>
/// <param name="Edges">Strictly increasing bin edges (bins + 1 of them).</param>
/// <param name="SumOfWeights">Σw per bin.</param>
/// <param name="SumOfSquaredWeights">Σw² per bin.</param>
/// <param name="Underflow">Σw of events below the first edge.</param>
/// <param name="Overflow">Σw of events above the last edge.</param>
public sealed record WeightedHistogram(
    double[] Edges,
    double[] SumOfWeights,
    double[] SumOfSquaredWeights,
    double Underflow,
    double Overflow)
{
    /// <summary>Number of bins.</summary>
    public int Bins => SumOfWeights.Length;

    /// <summary>Σw over the bins (flows excluded).</summary>
    public double Total => CompensatedSum.Of(SumOfWeights);

    /// <summary>Bin contents divided by <see cref="Total"/> (a probability vector over the bins).</summary>
    public double[] Normalized()
    {
        double total = Total;
        if (!(total > 0))
            throw new ArgumentException($"The histogram's in-range sum of weights is {total}; normalising needs a positive sum.");
        return SumOfWeights.Select(w => w / total).ToArray();
    }
}

/// <summary>Filling weighted histograms and choosing bin edges.</summary>
public static class Histogram
{
    /// <summary><paramref name="bins"/> equal-width bins spanning [low, high].</summary>
    public static double[] UniformEdges(double low, double high, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "At least one bin is required.");
        if (!double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"The range [{low}, {high}] must be finite.", nameof(low));
        if (!(high > low))
        {
            // A constant sample: a unit-wide range around it keeps every event in range.
            if (high == low) { low -= 0.5; high += 0.5; }
            else throw new ArgumentException($"high = {high} must exceed low = {low}.", nameof(high));
        }
        var edges = new double[bins + 1];
        for (int k = 0; k <= bins; k++) edges[k] = low + (high - low) * k / bins;
        edges[bins] = high;
        return edges;
    }

    /// <summary>
    /// Equal-width edges over the pooled range [min, max] of two samples, so that no event of
    /// either falls outside (the default binning of the histogram metrics).
    /// </summary>
    public static double[] PooledUniformEdges(double[] a, double[] b, int bins)
    {
        SampleChecks.RequireFiniteSample(a, nameof(a));
        SampleChecks.RequireFiniteSample(b, nameof(b));
        double lo = Math.Min(a.Min(), b.Min()), hi = Math.Max(a.Max(), b.Max());
        return UniformEdges(lo, hi, bins);
    }

    /// <summary>Fills a histogram; null weights mean 1 per event (signed weights allowed).</summary>
    public static WeightedHistogram Fill(double[] values, double[] edges, double[]? weights = null)
    {
        SampleChecks.RequireFiniteSample(values, nameof(values));
        CheckEdges(edges);
        if (weights is not null && weights.Length != values.Length)
            throw new ArgumentException(
                $"weights has {weights.Length} entries but the sample has {values.Length}; one weight per event is required.", nameof(weights));
        if (weights is not null)
            for (int i = 0; i < weights.Length; i++)
                if (!double.IsFinite(weights[i]))
                    throw new ArgumentException($"weights[{i}] is {weights[i]}; weights must be finite.", nameof(weights));
        return FillIndexed(BinIndices(values, edges), edges, weights);
    }

    /// <summary>Rejects edges that are not finite and strictly increasing.</summary>
    public static void CheckEdges(double[] edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Length < 2)
            throw new ArgumentException($"edges has {edges.Length} entries; at least two (one bin) are required.", nameof(edges));
        for (int k = 0; k < edges.Length; k++)
        {
            if (!double.IsFinite(edges[k]))
                throw new ArgumentException($"edges[{k}] is {edges[k]}; edges must be finite.", nameof(edges));
            if (k > 0 && !(edges[k] > edges[k - 1]))
                throw new ArgumentException(
                    $"edges[{k}] = {edges[k]} is not above edges[{k - 1}] = {edges[k - 1]}; edges must increase strictly.", nameof(edges));
        }
    }

    /// <summary>The bin of each value: −1 below the range, bins above it.</summary>
    internal static int[] BinIndices(double[] values, double[] edges)
    {
        int bins = edges.Length - 1;
        var index = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            if (x < edges[0]) { index[i] = -1; continue; }
            if (x > edges[bins]) { index[i] = bins; continue; }
            if (x == edges[bins]) { index[i] = bins - 1; continue; }
            // Largest k with edges[k] ≤ x.
            int k = Array.BinarySearch(edges, x);
            index[i] = k >= 0 ? k : ~k - 1;
        }
        return index;
    }

    /// <summary>Fills from precomputed bin indices (reused by bootstrap replicas).</summary>
    internal static WeightedHistogram FillIndexed(int[] index, double[] edges, double[]? weights)
    {
        int bins = edges.Length - 1;
        var sw = new CompensatedSum[bins];
        var sw2 = new CompensatedSum[bins];
        var under = new CompensatedSum();
        var over = new CompensatedSum();
        for (int i = 0; i < index.Length; i++)
        {
            double w = weights?[i] ?? 1.0;
            int k = index[i];
            if (k < 0) under.Add(w);
            else if (k >= bins) over.Add(w);
            else { sw[k].Add(w); sw2[k].Add(w * w); }
        }
        return new WeightedHistogram(
            (double[])edges.Clone(), sw.Select(s => s.Value).ToArray(), sw2.Select(s => s.Value).ToArray(), under.Value, over.Value);
    }
}
