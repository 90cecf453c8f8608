namespace GenStats.Stats.PrecisionRecall;

/// <summary>
/// Weighted mean m = Σwv/Σw of per-event values with the linearised (sandwich) standard error
/// √(Σw²(v − m)²)/Σw. For unit weights and 0/1 indicators this is the binomial √(p(1 − p)/n).
/// </summary>
internal static class WeightedFraction
{
    public static (double Mean, double StandardError) Of(double[] values, double[]? weights)
    {
        var sw = new CompensatedSum();
        var swv = new CompensatedSum();
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1.0;
            sw.Add(w);
            swv.Add(w * values[i]);
        }
        double total = sw.Value, mean = swv.Value / total;
        var ss = new CompensatedSum();
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1.0, d = values[i] - mean;
            ss.Add(w * w * d * d);
        }
        return (mean, Math.Sqrt(ss.Value) / total);
    }

    /// <summary>Kish's effective sample size (Σw)²/Σw², or the count when unweighted.</summary>
    public static double EffectiveSize(int count, double[]? weights)
    {
        if (weights is null) return count;
        var s = new CompensatedSum();
        var s2 = new CompensatedSum();
        foreach (double w in weights)
        {
            s.Add(w);
            s2.Add(w * w);
        }
        return s.Value * s.Value / s2.Value;
    }

    /// <summary>Weights rescaled to mean 1 (all 1 when null), so sums of them count events.</summary>
    public static double[] NormalisedToMeanOne(int count, double[]? weights)
    {
        var result = new double[count];
        if (weights is null)
        {
            Array.Fill(result, 1.0);
            return result;
        }
        double scale = count / CompensatedSum.Of(weights);
        for (int i = 0; i < count; i++) result[i] = weights[i] * scale;
        return result;
    }
}
