namespace GenStats.Stats.Classifier;

/// <summary>Settings of gradient-boosted decision stumps.</summary>
/// <param name="Rounds">Boosting rounds (one stump each).</param>
/// <param name="LearningRate">Shrinkage of every stump's leaf values.</param>
/// <param name="Bins">Quantile bins per feature (2…256); split candidates are the bin edges.</param>
/// <param name="L2">Ridge term λ of the leaf values −G/(H + λ) (XGBoost's convention).</param>
public sealed record BoostedStumpsOptions(int Rounds = 200, double LearningRate = 0.1, int Bins = 32, double L2 = 1.0)
{
    /// <summary>200 rounds, learning rate 0.1, 32 bins, λ = 1.</summary>
    public static BoostedStumpsOptions Default { get; } = new();
}

/// <summary>
/// Gradient boosting of depth-1 trees (stumps) on the logistic loss, second-order (Newton) leaf
/// values as in XGBoost/LightGBM: each round takes g = w(p − y), h = w·p(1 − p), picks the
/// feature and quantile-bin edge maximising G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ), and adds
/// leaf values −η·G/(H+λ). Bin edges are the training sample's (unweighted) quantiles; the
/// start is the weighted prior log-odds. Weights are rescaled to mean 1. The score is the
/// summed log-odds. Deterministic (ties go to the lower feature, then the lower edge).
/// </summary>
public sealed class BoostedStumpsClassifier(BoostedStumpsOptions? options = null) : ITwoSampleClassifier
{
    private readonly BoostedStumpsOptions _options = Validate(options ?? BoostedStumpsOptions.Default);

    /// <inheritdoc />
    public string Name => $"boosted-stumps(rounds={_options.Rounds}, rate={_options.LearningRate}, bins={_options.Bins})";

    /// <inheritdoc />
    public IScoringModel Fit(double[][] features, bool[] labels, double[]? weights)
    {
        int d = TrainingData.Check(features, labels, weights);
        int n = features.Length;
        var w = new double[n];
        double sw = weights is null ? n : CompensatedSum.Of(weights);
        for (int i = 0; i < n; i++) w[i] = (weights?[i] ?? 1.0) * n / sw;

        // Quantile edges and bin index (= number of edges ≤ x) of every event and feature.
        var edges = new double[d][];
        var bins = new byte[d][];
        Parallel.For(0, d, c =>
        {
            var column = new double[n];
            for (int i = 0; i < n; i++) column[i] = features[i][c];
            var sorted = (double[])column.Clone();
            Array.Sort(sorted);
            var e = new List<double>();
            for (int b = 1; b < _options.Bins; b++)
            {
                double v = sorted[(int)((long)b * n / _options.Bins)];
                if (v > sorted[0] && (e.Count == 0 || v > e[^1])) e.Add(v);
            }
            edges[c] = e.ToArray();
            var idx = new byte[n];
            for (int i = 0; i < n; i++) idx[i] = (byte)BinOf(edges[c], column[i]);
            bins[c] = idx;
        });

        double w1 = 0, w0 = 0;
        for (int i = 0; i < n; i++) if (labels[i]) w1 += w[i]; else w0 += w[i];
        double start = Math.Log(w1 / w0);
        var f = new double[n];
        Array.Fill(f, start);
        var g = new double[n];
        var h = new double[n];
        var stumps = new List<Stump>();
        double lambda = _options.L2;
        for (int round = 0; round < _options.Rounds; round++)
        {
            double gt = 0, ht = 0;
            for (int i = 0; i < n; i++)
            {
                double p = 1 / (1 + Math.Exp(-f[i]));
                g[i] = w[i] * (p - (labels[i] ? 1.0 : 0.0));
                h[i] = w[i] * p * (1 - p);
                gt += g[i];
                ht += h[i];
            }
            var bestGain = new double[d];
            var bestEdge = new int[d];
            Parallel.For(0, d, c =>
            {
                int nb = edges[c].Length + 1;
                var gh = new double[nb];
                var hh = new double[nb];
                var idx = bins[c];
                for (int i = 0; i < n; i++)
                {
                    gh[idx[i]] += g[i];
                    hh[idx[i]] += h[i];
                }
                double gl = 0, hl = 0, best = 0;
                int at = -1;
                double parent = gt * gt / (ht + lambda);
                for (int t = 0; t < nb - 1; t++)
                {
                    gl += gh[t];
                    hl += hh[t];
                    double gr = gt - gl, hr = ht - hl;
                    double gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parent;
                    if (gain > best)
                    {
                        best = gain;
                        at = t;
                    }
                }
                bestGain[c] = best;
                bestEdge[c] = at;
            });
            int feature = -1;
            double top = 1e-12;
            for (int c = 0; c < d; c++)
            {
                if (bestEdge[c] >= 0 && bestGain[c] > top)
                {
                    top = bestGain[c];
                    feature = c;
                }
            }
            if (feature < 0) break; // no split improves the loss any more
            int edge = bestEdge[feature];
            double gL = 0, hL = 0;
            var fb = bins[feature];
            for (int i = 0; i < n; i++)
            {
                if (fb[i] <= edge)
                {
                    gL += g[i];
                    hL += h[i];
                }
            }
            double left = -_options.LearningRate * gL / (hL + lambda);
            double right = -_options.LearningRate * (gt - gL) / (ht - hL + lambda);
            // Left = bins 0…edge, i.e. x < edges[edge].
            var stump = new Stump(feature, edges[feature][edge], left, right);
            stumps.Add(stump);
            for (int i = 0; i < n; i++) f[i] += fb[i] <= edge ? left : right;
        }
        return new Model(d, start, stumps.ToArray());
    }

    private static int BinOf(double[] edges, double x)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static BoostedStumpsOptions Validate(BoostedStumpsOptions o)
    {
        if (o.Rounds < 1) throw new ArgumentOutOfRangeException(nameof(o.Rounds), o.Rounds, "At least one round is required.");
        if (!(o.LearningRate > 0) || !double.IsFinite(o.LearningRate))
            throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, "The learning rate must be positive and finite.");
        if (o.Bins is < 2 or > 256)
            throw new ArgumentOutOfRangeException(nameof(o.Bins), o.Bins, "Bins must be between 2 and 256.");
        if (!(o.L2 >= 0) || !double.IsFinite(o.L2))
            throw new ArgumentOutOfRangeException(nameof(o.L2), o.L2, "λ must be non-negative and finite.");
        return o;
    }

    private readonly record struct Stump(int Feature, double Threshold, double Left, double Right);

    private sealed class Model(int dim, double start, Stump[] stumps) : IScoringModel
    {
        public double[] Score(double[][] features)
        {
            TrainingData.CheckRows(features, nameof(features), dim);
            var s = new double[features.Length];
            for (int i = 0; i < s.Length; i++)
            {
                double z = start;
                foreach (var st in stumps) z += features[i][st.Feature] < st.Threshold ? st.Left : st.Right;
                s[i] = z;
            }
            return s;
        }
    }
}
