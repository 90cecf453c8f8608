namespace GenStats.Stats;

/// <summary>Argument checks and small helpers shared by the 1-D two-sample metrics.</summary>
internal static class OneDimensionalChecks
{
    public static void Check(double[] a, double[]? weightsA, double[] b, double[]? weightsB, bool allowNegative)
    {
        SampleChecks.RequireFiniteSample(a, nameof(a));
        SampleChecks.RequireFiniteSample(b, nameof(b));
        SampleChecks.RequireWeights(weightsA, a.Length, nameof(weightsA), allowNegative);
        SampleChecks.RequireWeights(weightsB, b.Length, nameof(weightsB), allowNegative);
    }

    /// <summary>Kish's (Σw)²/Σw², or the count for an unweighted sample.</summary>
    public static double EffectiveSize(double[]? weights, int count)
    {
        if (weights is null) return count;
        var sw = new CompensatedSum();
        var sw2 = new CompensatedSum();
        foreach (double w in weights) { sw.Add(w); sw2.Add(w * w); }
        return sw.Value * sw.Value / sw2.Value;
    }
}
