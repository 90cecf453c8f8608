using GenStats.Stats;

namespace GenStats.Models;

/// <summary>
/// Weighted energy distance between two multivariate samples, for training histories and tests.
/// TODO(lead, dedupe): replace by the Stats energy-distance metric once it is merged; this is a
/// minimal O(n·m·d) helper, not a validated metric.
/// </summary>
public static class EnergyDistanceEstimate
{
    /// <summary>
    /// scipy's convention, √(2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖), with V-statistics (the zero diagonal
    /// included) and Σw-normalised weighted means; a negative radicand (possible with signed
    /// weights) gives 0. Rows are points; weights null = all 1.
    /// </summary>
    /// <exception cref="ArgumentException">Empty samples, rows of different widths, non-finite values or bad weights.</exception>
    public static double Compute(double[][] x, double[]? wx, double[][] y, double[]? wy)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length == 0 || y.Length == 0) throw new ArgumentException("both samples need at least one point.", x.Length == 0 ? nameof(x) : nameof(y));
        int d = x[0].Length;
        foreach (var (rows, name) in new[] { (x, nameof(x)), (y, nameof(y)) })
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].Length != d) throw new ArgumentException($"{name}[{i}] has {rows[i].Length} values; {d} expected.", name);
                foreach (var v in rows[i]) if (!double.IsFinite(v)) throw new ArgumentException($"{name}[{i}] holds {v}; values must be finite.", name);
            }
        SampleChecks.RequireWeights(wx, x.Length, nameof(wx), allowNegative: true);
        SampleChecks.RequireWeights(wy, y.Length, nameof(wy), allowNegative: true);
        double exy = MeanDistance(x, wx, y, wy), exx = MeanDistance(x, wx, x, wx), eyy = MeanDistance(y, wy, y, wy);
        return Math.Sqrt(Math.Max(0, 2 * exy - exx - eyy));
    }

    /// <summary>The 1-D case on plain arrays.</summary>
    public static double Compute(double[] x, double[] y) =>
        Compute(x.Select(v => new[] { v }).ToArray(), null, y.Select(v => new[] { v }).ToArray(), null);

    private static double MeanDistance(double[][] a, double[]? wa, double[][] b, double[]? wb)
    {
        var total = new CompensatedSum();
        double sa = wa is null ? a.Length : CompensatedSum.Of(wa), sb = wb is null ? b.Length : CompensatedSum.Of(wb);
        for (int i = 0; i < a.Length; i++)
        {
            double row = 0;
            var ai = a[i];
            for (int j = 0; j < b.Length; j++)
            {
                var bj = b[j];
                double s = 0;
                for (int k = 0; k < ai.Length; k++) { double t = ai[k] - bj[k]; s += t * t; }
                row += (wb is null ? 1 : wb[j]) * Math.Sqrt(s);
            }
            total.Add((wa is null ? 1 : wa[i]) * row);
        }
        return total.Value / (sa * sb);
    }
}
