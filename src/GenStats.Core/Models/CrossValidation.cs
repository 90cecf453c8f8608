namespace GenStats.Models;

/// <summary>Leave-one-out likelihood bandwidth selection for <see cref="KernelDensity"/>.</summary>
internal static class CrossValidation
{
    /// <summary>The factor maximising the LOO log-likelihood (grid, then golden section in log h).</summary>
    public static double BestFactor(double[][] whitened, double[] weights, double scott, int maxEvents, int seed)
    {
        var (points, w) = Subsample(whitened, weights, maxEvents, seed);
        var d2 = SquaredDistances(points);
        int dim = whitened[0].Length;
        const int Grid = 16;
        double lo = Math.Log(0.05 * scott), hi = Math.Log(3 * scott);
        var logs = new double[Grid];
        var values = new double[Grid];
        int best = 0;
        for (int g = 0; g < Grid; g++)
        {
            logs[g] = lo + (hi - lo) * g / (Grid - 1);
            values[g] = Objective(d2, w, Math.Exp(logs[g]), dim);
            if (values[g] > values[best]) best = g;
        }
        if (best == 0 || best == Grid - 1) return Math.Exp(logs[best]);
        // Golden-section search for the maximum on [logs[best−1], logs[best+1]].
        double a = logs[best - 1], b = logs[best + 1];
        double phi = (Math.Sqrt(5) - 1) / 2;
        double c = b - phi * (b - a), e = a + phi * (b - a);
        double fc = Objective(d2, w, Math.Exp(c), dim), fe = Objective(d2, w, Math.Exp(e), dim);
        while (b - a > 1e-3)
        {
            if (fc > fe) { b = e; e = c; fe = fc; c = b - phi * (b - a); fc = Objective(d2, w, Math.Exp(c), dim); }
            else { a = c; c = e; fc = fe; e = a + phi * (b - a); fe = Objective(d2, w, Math.Exp(e), dim); }
        }
        return Math.Exp(0.5 * (a + b));
    }

    private static (double[][] Points, double[] Weights) Subsample(double[][] points, double[] weights, int max, int seed)
    {
        if (points.Length <= max) return (points, weights);
        // Partial Fisher–Yates: the first `max` entries of a seeded permutation, in index order.
        var index = Enumerable.Range(0, points.Length).ToArray();
        var rng = new SeededRandom(seed);
        for (int i = 0; i < max; i++)
        {
            int j = i + rng.NextInt(points.Length - i);
            (index[i], index[j]) = (index[j], index[i]);
        }
        var chosen = index[..max];
        Array.Sort(chosen);
        return (chosen.Select(i => points[i]).ToArray(), chosen.Select(i => weights[i]).ToArray());
    }

    /// <summary>The full symmetric matrix of ‖uᵢ − uⱼ‖² (n × n; n ≤ the cross-validation cap).</summary>
    public static double[][] SquaredDistances(double[][] u)
    {
        var d2 = new double[u.Length][];
        Parallel.For(0, u.Length, i =>
        {
            var row = new double[u.Length];
            for (int j = 0; j < u.Length; j++) row[j] = i == j ? 0 : DenseMath.SquaredDistance(u[i], u[j]);
            d2[i] = row;
        });
        return d2;
    }

    /// <summary>
    /// Weighted mean LOO log-likelihood in whitened units, without the −½ d log 2π − log det L
    /// constant: Σⱼ wⱼ [log Σ_{i≠j} wᵢ exp(−D_ij/2h²) − log(W − wⱼ)] / Σⱼ wⱼ − d log h.
    /// </summary>
    public static double Objective(double[][] d2, double[] w, double h, int dimension)
    {
        int n = d2.Length;
        double inv = 1.0 / (2 * h * h);
        double all = 0;
        foreach (double x in w) all += x;
        var logTerms = new double[n];
        Parallel.For(0, n, j =>
        {
            if (w[j] <= 0) return;
            var row = d2[j];
            // Plain sum first; only when it underflows (isolated event, tiny h) redo it as a log-sum-exp.
            double s = 0;
            for (int i = 0; i < n; i++)
                if (i != j) s += w[i] * Math.Exp(-row[i] * inv);
            if (s > 1e-250)
            {
                logTerms[j] = Math.Log(s) - Math.Log(all - w[j]);
                return;
            }
            double max = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
                if (i != j && w[i] > 0) max = Math.Max(max, Math.Log(w[i]) - row[i] * inv);
            if (double.IsNegativeInfinity(max)) { logTerms[j] = double.NaN; return; }
            double t = 0;
            for (int i = 0; i < n; i++)
                if (i != j && w[i] > 0) t += Math.Exp(Math.Log(w[i]) - row[i] * inv - max);
            logTerms[j] = max + Math.Log(t) - Math.Log(all - w[j]);
        });
        double total = 0, weightSum = 0;
        for (int j = 0; j < n; j++)
        {
            if (w[j] <= 0 || double.IsNaN(logTerms[j])) continue;
            total += w[j] * logTerms[j];
            weightSum += w[j];
        }
        return total / weightSum - dimension * Math.Log(h);
    }
}
