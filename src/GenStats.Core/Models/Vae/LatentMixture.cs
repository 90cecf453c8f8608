using System.Text.Json.Serialization;
using GenStats.Numerics;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// A Gaussian mixture Σ_k π_k N(m_k, C_k) with full covariances: the latent sampling density of a
/// VAE fitted after training to its aggregate posterior ("ex-post density estimation", Ghosh et al.
/// 2020; the second stage of Dai &amp; Wipf 2019). A VAE trained with β &lt; 1 leaves regions of
/// N(0, I) that no event encodes to; drawing z there decodes to events between the modes. Drawing z
/// from this mixture instead follows where the training events really sit in the latent space.
/// JSON-serialisable (kept in the VAE model file); covariances are row-major d×d.
/// </summary>
/// <param name="Weights">Mixing weights π_k (non-negative, summing to 1).</param>
/// <param name="Means">Component means m_k, each of length d.</param>
/// <param name="Covariances">Component covariances C_k, each row-major of length d·d, symmetric positive definite.</param>
public sealed record LatentMixture(double[] Weights, double[][] Means, double[][] Covariances)
{
    private double[][,]? factors;

    /// <summary>The dimension d.</summary>
    [JsonIgnore]
    public int Dimension => Means[0].Length;

    /// <summary>The number of components K.</summary>
    [JsonIgnore]
    public int Components => Weights.Length;

    /// <summary>The Cholesky factors L_k (L_k L_kᵀ = C_k), computed once.</summary>
    private double[][,] Factors => factors ??= Covariances.Select((c, k) =>
        DenseMath.Cholesky(DenseMath.Square(c, Dimension))
        ?? throw new InvalidDataException($"latent mixture component {k}'s covariance is not positive definite.")).ToArray();

    /// <summary>
    /// Fits the mixture by expectation–maximisation to the Gaussians N(μ_i, diag v_i) (i = 1..N)
    /// with weights max(w_i, 0): the M-step's covariance adds the responsibility-weighted mean of
    /// diag v_i to the scatter of the μ_i, so the fit matches the moments of the aggregate posterior
    /// Σ_i w_i N(μ_i, diag v_i), not only of its centres. Start: k-means++ centres (seeded), the
    /// pooled covariance and equal weights; stops when the weighted mean log-likelihood of the μ_i
    /// gains less than <paramref name="tolerance"/> nats or after <paramref name="maxIterations"/>.
    /// Every covariance gets a ridge of 1e-6 times its mean diagonal so none becomes singular.
    /// </summary>
    /// <param name="points">The centres μ_i (N rows of length d).</param>
    /// <param name="variances">Per-coordinate variances v_i (N rows of length d), or null for points (v = 0).</param>
    /// <param name="weights">Event weights (null = 1; negative ones count as 0).</param>
    /// <param name="components">K ≥ 1 (lowered to the number of positive-weight points when larger).</param>
    /// <param name="seed">Seed of the k-means++ start.</param>
    /// <param name="maxIterations">EM iterations at most.</param>
    /// <param name="tolerance">Convergence threshold on the mean log-likelihood per event.</param>
    /// <exception cref="ArgumentException">Empty or ragged input, non-finite values, K &lt; 1, or no positive weight.</exception>
    public static LatentMixture Fit(double[][] points, double[][]? variances, double[]? weights, int components, ulong seed,
        int maxIterations = 200, double tolerance = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Length == 0) throw new ArgumentException("no points to fit a mixture to.", nameof(points));
        if (components < 1) throw new ArgumentException($"components must be ≥ 1, got {components}.", nameof(components));
        int n = points.Length, d = points[0].Length;
        if (d == 0 || points.Any(p => p is null || p.Length != d || p.Any(v => !double.IsFinite(v))))
            throw new ArgumentException("points must be non-empty rows of one length with finite values.", nameof(points));
        if (variances is not null && (variances.Length != n || variances.Any(v => v is null || v.Length != d || v.Any(x => !(x >= 0) || !double.IsFinite(x)))))
            throw new ArgumentException("variances must have one row of finite values ≥ 0 per point, as wide as the points.", nameof(variances));
        if (weights is not null && weights.Length != n)
            throw new ArgumentException($"weights has {weights.Length} entries for {n} points.", nameof(weights));
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = weights is null ? 1 : double.IsFinite(weights[i]) ? Math.Max(weights[i], 0) : 0;
        double sw = w.Sum();
        if (!(sw > 0)) throw new ArgumentException("no point has a positive weight.", nameof(weights));
        int k = Math.Min(components, w.Count(v => v > 0));

        var means = KMeansPlusPlus(points, w, k, seed);
        var pooled = Scatter(points, variances, w, Mean(points, w), d);
        var mix = new LatentMixture(Enumerable.Repeat(1.0 / k, k).ToArray(), means, Enumerable.Range(0, k).Select(_ => (double[])pooled.Clone()).ToArray());
        var resp = new double[n * k];
        double previous = double.NegativeInfinity;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double ll = mix.Responsibilities(points, w, resp) / sw;
            mix = MStep(points, variances, w, resp, k, d);
            if (ll - previous < tolerance) break;
            previous = ll;
        }
        return mix;
    }

    /// <summary>log Σ_k π_k N(z; m_k, C_k) in nats.</summary>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public double LogDensity(double[] z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Length != Dimension) throw new ArgumentException($"z has {z.Length} coordinates; the mixture has {Dimension}.", nameof(z));
        var logs = new double[Components];
        ComponentLogs(z, logs);
        return LogSumExp(logs);
    }

    /// <summary><paramref name="count"/> draws (rows of length d) from the seeded generator of <see cref="Rng"/>.</summary>
    /// <exception cref="ArgumentException">count &lt; 1.</exception>
    public double[][] Sample(int count, int seed)
    {
        if (count < 1) throw new ArgumentException($"count must be ≥ 1, got {count}.", nameof(count));
        int d = Dimension;
        var t = Sample(new Rng(unchecked((ulong)(long)seed)), count).ToArray();
        var rows = new double[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new double[d];
            for (int c = 0; c < d; c++) rows[i][c] = t[i * d + c];
        }
        return rows;
    }

    /// <summary>[n, d] draws: a component by one uniform per row, then m_k + L_k ε with ε ~ N(0, I) (two draws from <paramref name="rng"/>).</summary>
    internal Tensor Sample(Rng rng, int n)
    {
        int d = Dimension;
        var u = rng.Uniform(n).ToArray();
        var e = rng.Normal(n, d).ToArray();
        var cumulative = new double[Components];
        double acc = 0;
        for (int k = 0; k < Components; k++) cumulative[k] = acc += Weights[k];
        var f = Factors;
        var z = new float[n * d];
        var x = new double[d];
        var y = new double[d];
        for (int i = 0; i < n; i++)
        {
            double target = u[i] * acc;
            int c = 0;
            while (c < Components - 1 && cumulative[c] <= target) c++;
            for (int j = 0; j < d; j++) x[j] = e[i * d + j];
            DenseMath.MultiplyLower(f[c], x, y);
            for (int j = 0; j < d; j++) z[i * d + j] = (float)(Means[c][j] + y[j]);
        }
        return Tensor.FromArray(z, n, d);
    }

    /// <summary>Checks a mixture read from a file: shapes, weights, positive-definite covariances.</summary>
    /// <exception cref="InvalidDataException">Inconsistent content.</exception>
    internal LatentMixture Validated(int latentSize)
    {
        if (Weights is null || Means is null || Covariances is null || Weights.Length == 0 || Means.Length != Weights.Length || Covariances.Length != Weights.Length
            || Means.Any(m => m is null || m.Length != latentSize) || Covariances.Any(c => c is null || c.Length != latentSize * latentSize)
            || Weights.Any(v => !(v >= 0) || !double.IsFinite(v)) || !(Weights.Sum() > 0))
            throw new InvalidDataException($"the latent mixture does not fit a latent size of {latentSize} (K weights ≥ 0, K means of length d, K d×d covariances).");
        _ = Factors;
        return this;
    }

    private void ComponentLogs(ReadOnlySpan<double> z, double[] logs)
    {
        int d = Dimension;
        var f = Factors;
        Span<double> diff = stackalloc double[d];
        Span<double> sol = stackalloc double[d];
        for (int k = 0; k < Components; k++)
        {
            var l = f[k];
            double logDet = 0;
            for (int j = 0; j < d; j++) { diff[j] = z[j] - Means[k][j]; logDet += Math.Log(l[j, j]); }
            DenseMath.SolveLower(l, diff, sol);
            double q = 0;
            for (int j = 0; j < d; j++) q += sol[j] * sol[j];
            logs[k] = Math.Log(Weights[k]) - 0.5 * (d * Math.Log(2 * Math.PI) + q) - logDet;
        }
    }

    private static double LogSumExp(double[] a)
    {
        double m = a.Max();
        if (double.IsNegativeInfinity(m)) return m;
        double s = 0;
        foreach (var v in a) s += Math.Exp(v - m);
        return m + Math.Log(s);
    }

    /// <summary>E-step: responsibilities into <paramref name="resp"/> (row-major N×K); returns Σ w_i log p(μ_i).</summary>
    private double Responsibilities(double[][] points, double[] w, double[] resp)
    {
        int k = Components;
        var logs = new double[k];
        double total = 0;
        for (int i = 0; i < points.Length; i++)
        {
            if (w[i] == 0) continue;
            ComponentLogs(points[i], logs);
            double lse = LogSumExp(logs);
            total += w[i] * lse;
            for (int c = 0; c < k; c++) resp[i * k + c] = Math.Exp(logs[c] - lse);
        }
        return total;
    }

    private static LatentMixture MStep(double[][] points, double[][]? variances, double[] w, double[] resp, int k, int d)
    {
        var pis = new double[k];
        var means = new double[k][];
        var covs = new double[k][];
        double sw = w.Sum();
        var rw = new double[points.Length];
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < points.Length; i++) rw[i] = w[i] * resp[i * k + c];
            double nk = rw.Sum();
            pis[c] = nk / sw;
            // an emptied component keeps a harmless place: weight 0, the pooled shape
            var r = nk > 0 ? rw : w;
            means[c] = Mean(points, r);
            covs[c] = Scatter(points, variances, r, means[c], d);
        }
        return new LatentMixture(pis, means, covs);
    }

    private static double[] Mean(double[][] points, double[] w)
    {
        int d = points[0].Length;
        var m = new double[d];
        double s = 0;
        for (int i = 0; i < points.Length; i++)
        {
            if (w[i] == 0) continue;
            s += w[i];
            for (int j = 0; j < d; j++) m[j] += w[i] * points[i][j];
        }
        for (int j = 0; j < d; j++) m[j] /= s;
        return m;
    }

    /// <summary>Σ r_i [(μ_i − m)(μ_i − m)ᵀ + diag v_i] / Σ r_i (the maximum-likelihood, ddof 0, scatter) plus the ridge.</summary>
    private static double[] Scatter(double[][] points, double[][]? variances, double[] r, double[] m, int d)
    {
        var c = new double[d * d];
        double s = 0;
        for (int i = 0; i < points.Length; i++)
        {
            double ri = r[i];
            if (ri == 0) continue;
            s += ri;
            var p = points[i];
            for (int a = 0; a < d; a++)
            {
                double da = p[a] - m[a];
                for (int b = 0; b <= a; b++) c[a * d + b] += ri * da * (p[b] - m[b]);
                if (variances is not null) c[a * d + a] += ri * variances[i][a];
            }
        }
        double trace = 0;
        for (int a = 0; a < d; a++) trace += c[a * d + a] / s;
        double ridge = 1e-6 * Math.Max(trace / d, 1e-12);
        for (int a = 0; a < d; a++)
            for (int b = 0; b <= a; b++)
                c[a * d + b] = c[b * d + a] = c[a * d + b] / s + (a == b ? ridge : 0);
        return c;
    }

    /// <summary>k-means++ centres: the first ∝ w, each next ∝ w × squared distance to the nearest chosen one.</summary>
    private static double[][] KMeansPlusPlus(double[][] points, double[] w, int k, ulong seed)
    {
        var rng = new SeededRandom(unchecked((long)seed));
        int n = points.Length;
        var nearest = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var cumulative = new double[n];
        var centres = new double[k][];
        for (int c = 0; c < k; c++)
        {
            double acc = 0;
            for (int i = 0; i < n; i++) cumulative[i] = acc += c == 0 ? w[i] : w[i] * nearest[i];
            // all weight on chosen points already: fall back to the weights alone
            if (!(acc > 0)) { acc = 0; for (int i = 0; i < n; i++) cumulative[i] = acc += w[i]; }
            var centre = (double[])points[rng.NextIndex(cumulative)].Clone();
            centres[c] = centre;
            for (int i = 0; i < n; i++) nearest[i] = Math.Min(nearest[i], DenseMath.SquaredDistance(points[i], centre));
        }
        return centres;
    }
}
