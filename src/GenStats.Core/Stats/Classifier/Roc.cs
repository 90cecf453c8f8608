namespace GenStats.Stats.Classifier;

/// <summary>
/// Weighted ROC curve and area under it. Positives are the class scored high (in the
/// classifier two-sample test: real events). AUC = P(score⁺ &gt; score⁻) + ½·P(score⁺ = score⁻)
/// under the weighted distributions — the Mann–Whitney U/(n·m) with ½ per tie, equal to the
/// trapezoidal area under <see cref="Curve"/> and to scikit-learn's
/// <c>roc_auc_score(y, s, sample_weight=w)</c>.
/// </summary>
/// <remarks>
/// Weights may be signed (sWeights): the curve's coordinates and the AUC are linear in the
/// weights of each class (ratios of weighted sums), so they keep their meaning as long as each
/// class's weights sum to a positive number — but with negative weights the curve need not be
/// monotone and the AUC may leave [0, 1]. The uncertainty is DeLong's (sandwich-generalised for
/// weights) or a seeded Poisson bootstrap, see <see cref="AucUncertainty"/>.
/// </remarks>
public static class Roc
{
    /// <summary>The ROC curve of scores of two classes, ties as one step.</summary>
    /// <param name="positiveScores">Scores of the positive class (finite, non-empty).</param>
    /// <param name="positiveWeights">Optional weights of the positives (signed allowed, Σw &gt; 0).</param>
    /// <param name="negativeScores">Scores of the negative class.</param>
    /// <param name="negativeWeights">Optional weights of the negatives (signed allowed, Σw &gt; 0).</param>
    public static RocCurve Curve(
        double[] positiveScores, double[]? positiveWeights, double[] negativeScores, double[]? negativeWeights)
    {
        Check(positiveScores, positiveWeights, negativeScores, negativeWeights);
        int np = positiveScores.Length, nn = negativeScores.Length;
        var order = new int[np + nn];
        var scores = new double[np + nn];
        for (int i = 0; i < np; i++) scores[i] = positiveScores[i];
        for (int j = 0; j < nn; j++) scores[np + j] = negativeScores[j];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        // Descending score; the index tie-break only fixes the order inside a tie group.
        Array.Sort(order, (x, y) => scores[y].CompareTo(scores[x]) is var c && c != 0 ? c : x.CompareTo(y));

        var tp = new CompensatedSum();
        var fp = new CompensatedSum();
        var tpr = new List<double> { 0 };
        var fpr = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        var cumTp = new List<double>();
        var cumFp = new List<double>();
        for (int t = 0; t < order.Length;)
        {
            double s = scores[order[t]];
            for (; t < order.Length && scores[order[t]] == s; t++)
            {
                int e = order[t];
                if (e < np) tp.Add(positiveWeights?[e] ?? 1.0);
                else fp.Add(negativeWeights?[e - np] ?? 1.0);
            }
            cumTp.Add(tp.Value);
            cumFp.Add(fp.Value);
            thresholds.Add(s);
        }
        // Totals are the final cumulative sums, so the curve ends exactly at (1, 1).
        double totalP = tp.Value, totalN = fp.Value;
        for (int g = 0; g < cumTp.Count; g++)
        {
            tpr.Add(cumTp[g] / totalP);
            fpr.Add(cumFp[g] / totalN);
        }
        return new RocCurve(fpr.ToArray(), tpr.ToArray(), thresholds.ToArray());
    }

    /// <summary>
    /// Weighted ROC AUC with its uncertainty. Value = Σᵢⱼ wᵢ vⱼ ψ(xᵢ, yⱼ) / (Σw·Σv), ψ = 1, ½, 0
    /// for xᵢ &gt;, =, &lt; yⱼ (x positives, y negatives).
    /// </summary>
    /// <param name="positiveScores">Scores of the positive class.</param>
    /// <param name="positiveWeights">Optional weights of the positives (signed allowed).</param>
    /// <param name="negativeScores">Scores of the negative class.</param>
    /// <param name="negativeWeights">Optional weights of the negatives (signed allowed).</param>
    /// <param name="options">Uncertainty method (DeLong by default).</param>
    public static TwoSampleResult Auc(
        double[] positiveScores, double[]? positiveWeights, double[] negativeScores, double[]? negativeWeights,
        AucOptions? options = null)
    {
        options ??= AucOptions.Default;
        Check(positiveScores, positiveWeights, negativeScores, negativeWeights);
        var (auc, v10, v01) = Placements(positiveScores, positiveWeights, negativeScores, negativeWeights);
        double essP = Ess(positiveScores.Length, positiveWeights);
        double essN = Ess(negativeScores.Length, negativeWeights);
        if (options.Uncertainty == AucUncertainty.Bootstrap)
        {
            var summary = Bootstrap.TwoSample(positiveScores.Length, positiveWeights, negativeScores.Length, negativeWeights,
                (wp, wn) => Placements(positiveScores, wp, negativeScores, wn).Auc, options.Bootstrap);
            return new TwoSampleResult(auc, summary.StandardDeviation, summary.Method, essP, essN);
        }
        double variance = SandwichTerm(v10, positiveWeights, auc) + SandwichTerm(v01, negativeWeights, auc);
        return new TwoSampleResult(auc, Math.Sqrt(variance), "analytic (DeLong)", essP, essN);
    }

    /// <summary>The AUC alone (no uncertainty), e.g. for bootstrap statistics.</summary>
    public static double AucValue(
        double[] positiveScores, double[]? positiveWeights, double[] negativeScores, double[]? negativeWeights)
    {
        Check(positiveScores, positiveWeights, negativeScores, negativeWeights);
        return Placements(positiveScores, positiveWeights, negativeScores, negativeWeights).Auc;
    }

    // m/(m−1)·Σw²(V − A)²/(Σw)²; NaN for a single event (no spread can be estimated).
    private static double SandwichTerm(double[] placements, double[]? weights, double auc)
    {
        int m = placements.Length;
        if (m < 2) return double.NaN;
        var sw = new CompensatedSum();
        var ss = new CompensatedSum();
        for (int i = 0; i < m; i++)
        {
            double w = weights?[i] ?? 1.0, d = placements[i] - auc;
            sw.Add(w);
            ss.Add(w * w * d * d);
        }
        return m / (m - 1.0) * ss.Value / (sw.Value * sw.Value);
    }

    /// <summary>
    /// AUC and the placement values: V₁₀ᵢ = weighted fraction of negatives below positive i
    /// (½ for ties), V₀₁ⱼ = weighted fraction of positives above negative j (½ for ties).
    /// </summary>
    private static (double Auc, double[] V10, double[] V01) Placements(
        double[] pos, double[]? wp, double[] neg, double[]? wn)
    {
        var v10 = FractionBelow(pos, neg, wn, below: true);
        var v01 = FractionBelow(neg, pos, wp, below: false);
        var num = new CompensatedSum();
        var den = new CompensatedSum();
        for (int i = 0; i < pos.Length; i++)
        {
            double w = wp?[i] ?? 1.0;
            num.Add(w * v10[i]);
            den.Add(w);
        }
        return (num.Value / den.Value, v10, v01);
    }

    // For each query q: (Σ weight of reference values strictly below q (or above, when !below)
    // + ½ Σ weight equal to q) / Σ weight.
    private static double[] FractionBelow(double[] queries, double[] reference, double[]? weights, bool below)
    {
        int n = reference.Length;
        var idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        var sorted = (double[])reference.Clone();
        Array.Sort(sorted, idx);
        var prefix = new double[n + 1];
        var acc = new CompensatedSum();
        for (int i = 0; i < n; i++)
        {
            acc.Add(weights?[idx[i]] ?? 1.0);
            prefix[i + 1] = acc.Value;
        }
        double total = prefix[n];
        var result = new double[queries.Length];
        for (int q = 0; q < queries.Length; q++)
        {
            double x = queries[q];
            int lo = LowerBound(sorted, x), hi = UpperBound(sorted, x);
            double less = prefix[lo], equal = prefix[hi] - prefix[lo], greater = total - prefix[hi];
            result[q] = ((below ? less : greater) + 0.5 * equal) / total;
        }
        return result;
    }

    private static int LowerBound(double[] a, double x)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int UpperBound(double[] a, double x)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static double Ess(int count, double[]? w)
    {
        if (w is null) return count;
        var s = new CompensatedSum();
        var s2 = new CompensatedSum();
        foreach (double x in w)
        {
            s.Add(x);
            s2.Add(x * x);
        }
        return s.Value * s.Value / s2.Value;
    }

    private static void Check(
        double[] positiveScores, double[]? positiveWeights, double[] negativeScores, double[]? negativeWeights)
    {
        SampleChecks.RequireFiniteSample(positiveScores, nameof(positiveScores));
        SampleChecks.RequireFiniteSample(negativeScores, nameof(negativeScores));
        SampleChecks.RequireWeights(positiveWeights, positiveScores.Length, nameof(positiveWeights), allowNegative: true);
        SampleChecks.RequireWeights(negativeWeights, negativeScores.Length, nameof(negativeWeights), allowNegative: true);
    }
}
