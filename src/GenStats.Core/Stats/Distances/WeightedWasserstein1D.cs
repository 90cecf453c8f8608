namespace GenStats.Stats;

/// <summary>
/// Internal weighted 1-D Wasserstein-1 distance ∫|F − G| dx between two weighted samples that are
/// already sorted ascending (scipy's <c>wasserstein_distance</c> convention: right-continuous
/// weighted ECDFs, weights normalised per sample). Kept internal to the multi-dimensional
/// distances; the public 1-D metric lives with the 1-D statistics.
/// </summary>
internal static class WeightedWasserstein1D
{
    /// <summary>W1 of sorted <paramref name="x"/> (weights <paramref name="wx"/>, total
    /// <paramref name="sumX"/> &gt; 0) and sorted <paramref name="y"/>. Weights ≥ 0.</summary>
    public static double Sorted(
        ReadOnlySpan<double> x, ReadOnlySpan<double> wx, double sumX,
        ReadOnlySpan<double> y, ReadOnlySpan<double> wy, double sumY)
    {
        int i = 0, j = 0;
        var fx = new CompensatedSum();
        var fy = new CompensatedSum();
        var total = new CompensatedSum();
        double position = Math.Min(x[0], y[0]);
        while (i < x.Length || j < y.Length)
        {
            double next = Math.Min(i < x.Length ? x[i] : double.PositiveInfinity, j < y.Length ? y[j] : double.PositiveInfinity);
            // Between the previous point and this one both ECDFs are constant.
            total.Add(Math.Abs(fx.Value / sumX - fy.Value / sumY) * (next - position));
            while (i < x.Length && x[i] == next) fx.Add(wx[i++]);
            while (j < y.Length && y[j] == next) fy.Add(wy[j++]);
            position = next;
        }
        return total.Value;
    }
}
