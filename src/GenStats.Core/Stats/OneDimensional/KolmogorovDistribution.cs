using MathNet.Numerics;

namespace GenStats.Stats;

/// <summary>
/// Null distributions of the Kolmogorov–Smirnov statistic, as scipy 1.10 uses them in
/// <c>ks_2samp(method='auto')</c> and <c>kstwo</c>: the exact two-sample distribution by counting
/// lattice paths, and the one-sample two-sided distribution of Simard &amp; L'Ecuyer (2011)
/// (Durbin matrix of Marsaglia–Tsang–Wang, Pelz–Good series, Miller's 2×Smirnov tail).
/// </summary>
public static class KolmogorovDistribution
{
    /// <summary>
    /// Exact two-sided p-value P(D ≥ d) of the two-sample statistic for unweighted samples of sizes
    /// <paramref name="n1"/> and <paramref name="n2"/>, with d rounded to the lattice of attainable
    /// values k/lcm(n1, n2) as scipy does. Cost O(n1·n2) at worst.
    /// </summary>
    public static double TwoSampleExactPValue(int n1, int n2, double d)
    {
        CheckSizes(n1, n2);
        if (!(d >= 0 && d <= 1))
            throw new ArgumentOutOfRangeException(nameof(d), d, "A KS statistic lies in [0, 1].");
        long g = Gcd(n1, n2);
        long lcm = n1 / g * n2;
        long h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        return TwoSampleExactPValueFromNumerator(n1, n2, h * g);
    }

    /// <summary>
    /// P(max over the merged order of |n2·i − n1·j| ≥ m) for a uniformly random interleaving of
    /// n1 and n2 events: the exact p-value of the statistic D = m/(n1·n2).
    /// </summary>
    internal static double TwoSampleExactPValueFromNumerator(int n1, int n2, long m)
    {
        if (m <= 0) return 1.0;
        // Forward pass over anti-diagonals s = i + j of the probability that the random path is at
        // (i, j) without having left the band; the mass that steps out is summed directly, so small
        // p-values keep their relative precision (no 1 − P(inside) cancellation).
        int total = n1 + n2;
        var current = new double[n1 + 2];
        var next = new double[n1 + 2];
        current[0] = 1.0;
        var exited = new CompensatedSum();
        int lo = 0, hi = 0;
        for (int s = 0; s < total; s++)
        {
            double inv = 1.0 / (total - s);
            int nextLo = int.MaxValue, nextHi = -1;
            for (int i = lo; i <= hi; i++)
            {
                double mass = current[i];
                if (mass == 0) continue;
                current[i] = 0;
                int j = s - i;
                if (i < n1)
                {
                    double p = mass * (n1 - i) * inv;
                    if (Math.Abs((long)(i + 1) * n2 - (long)j * n1) >= m) exited.Add(p);
                    else { next[i + 1] += p; nextLo = Math.Min(nextLo, i + 1); nextHi = Math.Max(nextHi, i + 1); }
                }
                if (j < n2)
                {
                    double p = mass * (n2 - j) * inv;
                    if (Math.Abs((long)i * n2 - (long)(j + 1) * n1) >= m) exited.Add(p);
                    else { next[i] += p; nextLo = Math.Min(nextLo, i); nextHi = Math.Max(nextHi, i); }
                }
            }
            (current, next) = (next, current);
            if (nextHi < 0) break;
            lo = nextLo; hi = nextHi;
        }
        return Math.Clamp(exited.Value, 0.0, 1.0);
    }

    /// <summary>
    /// The large-sample two-sided p-value of scipy's <c>ks_2samp(method='asymp')</c>: the
    /// one-sample distribution <see cref="OneSampleSurvival"/> at n = round(n1·n2/(n1 + n2)).
    /// Non-integer sizes (effective sample sizes of weighted samples) are accepted.
    /// </summary>
    public static double TwoSampleAsymptoticPValue(double n1, double n2, double d)
    {
        if (!(n1 > 0) || !(n2 > 0))
            throw new ArgumentOutOfRangeException(nameof(n1), $"Sample sizes must be positive, got {n1} and {n2}.");
        double en = Math.Round(n1 * n2 / (n1 + n2), MidpointRounding.ToEven);
        return OneSampleSurvival((int)Math.Max(1, Math.Min(en, int.MaxValue)), d);
    }

    /// <summary>
    /// P(Dₙ ≥ x) of the one-sample two-sided KS statistic Dₙ = sup|Fₙ − F| (scipy's
    /// <c>kstwo.sf(x, n)</c>), following Simard &amp; L'Ecuyer's choice of method per (n, x).
    /// </summary>
    public static double OneSampleSurvival(int n, double x)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        if (double.IsNaN(x)) throw new ArgumentException("x is NaN.", nameof(x));
        if (x >= 1) return 0.0;
        if (x <= 0) return 1.0;
        double t = n * x;
        if (t <= 1)
        {
            // Ruben–Gambino: P(Dₙ < x) = n!/nⁿ (2t − 1)ⁿ for 1/2n ≤ x ≤ 1/n.
            if (t <= 0.5) return 1.0;
            double cdf = Math.Exp(SpecialFunctions.FactorialLn(n) - n * Math.Log(n) + n * Math.Log(2 * t - 1));
            return Clip(1 - cdf);
        }
        if (t >= n - 1) return Clip(2 * Math.Pow(1 - x, n));
        if (x >= 0.5) return Clip(2 * SmirnovSurvival(n, x));
        double nxx = t * x;
        if (n <= 140)
        {
            if (nxx <= 4) return Clip(1 - DurbinMatrixCdf(n, x));
            return Clip(2 * SmirnovSurvival(n, x));
        }
        if (nxx >= 370) return 0.0;
        if (nxx >= 2.2) return Clip(2 * SmirnovSurvival(n, x));
        double c = n <= 100_000 && n * Math.Pow(x, 1.5) <= 1.4 ? DurbinMatrixCdf(n, x) : PelzGoodCdf(n, x);
        return Clip(1 - c);
    }

    /// <summary>
    /// P(Dₙ⁺ ≥ x) of the one-sided statistic Dₙ⁺ = sup(Fₙ − F) (scipy's <c>smirnov(n, x)</c>), by
    /// the exact Birnbaum–Tingey sum x Σⱼ C(n, j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1), summed in
    /// log space (every term is positive, so no cancellation).
    /// </summary>
    public static double SmirnovSurvival(int n, double x)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        if (x >= 1) return 0.0;
        if (x <= 0) return 1.0;
        int last = (int)Math.Floor(n * (1 - x));
        var logs = new double[last + 1];
        double max = double.NegativeInfinity;
        // ln C(n, j) by the recurrence C(n, j) = C(n, j − 1)·(n − j + 1)/j: one log per term
        // instead of three log-gammas; the accumulated rounding stays near 1e-10 for n ~ 10⁶.
        double logBinomial = 0;
        for (int j = 0; j <= last; j++)
        {
            if (j > 0) logBinomial += Math.Log((double)(n - j + 1) / j);
            double left = 1 - x - (double)j / n;
            if (left <= 0) { logs[j] = double.NegativeInfinity; continue; }
            logs[j] = logBinomial + (n - j) * Math.Log(left) + (j - 1) * Math.Log(x + (double)j / n);
            if (logs[j] > max) max = logs[j];
        }
        if (double.IsNegativeInfinity(max)) return 0.0;
        var sum = new CompensatedSum();
        foreach (double l in logs) sum.Add(Math.Exp(l - max));
        return Clip(x * sum.Value * Math.Exp(max));
    }

    /// <summary>
    /// P(Dₙ &lt; x) exactly, by the Durbin matrix method of Marsaglia, Tsang &amp; Wang (2003):
    /// an element of the n-th power of a (2k − 1)-square matrix, k = ⌊nx⌋ + 1, with the exponent
    /// carried separately so that nothing overflows.
    /// </summary>
    internal static double DurbinMatrixCdf(int n, double x)
    {
        double d = n * x;
        int k = (int)d + 1;
        int m = 2 * k - 1;
        double h = k - d;
        var H = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                H[i, j] = i - j + 1 >= 0 ? 1.0 : 0.0;
        for (int i = 0; i < m; i++)
        {
            H[i, 0] -= Math.Pow(h, i + 1);
            H[m - 1, i] -= Math.Pow(h, m - i);
        }
        if (2 * h - 1 > 0) H[m - 1, 0] += Math.Pow(2 * h - 1, m);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                if (i - j + 1 > 0)
                    for (int g = 1; g <= i - j + 1; g++) H[i, j] /= g;

        var (q, exponent) = MatrixPower(H, m, n);
        double s = q[k - 1, k - 1];
        for (int i = 1; i <= n; i++)
        {
            s = s * i / n;
            if (s < 1e-140) { s *= 1e140; exponent -= 140; }
        }
        return Math.Clamp(s * Math.Pow(10.0, exponent), 0.0, 1.0);
    }

    private static (double[,] Matrix, int Exponent10) MatrixPower(double[,] a, int m, int power)
    {
        if (power == 1) return ((double[,])a.Clone(), 0);
        var (half, e) = MatrixPower(a, m, power / 2);
        var result = Multiply(half, half, m);
        int exponent = 2 * e;
        if (power % 2 == 1) result = Multiply(a, result, m);
        if (result[m / 2, m / 2] > 1e140)
        {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) result[i, j] *= 1e-140;
            exponent += 140;
        }
        return (result, exponent);
    }

    private static double[,] Multiply(double[,] a, double[,] b, int m)
    {
        var c = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int l = 0; l < m; l++)
            {
                double ail = a[i, l];
                if (ail == 0) continue;
                for (int j = 0; j < m; j++) c[i, j] += ail * b[l, j];
            }
        return c;
    }

    /// <summary>
    /// The Pelz–Good (1976) series for P(Dₙ ≤ x): K₀ + K₁/√n + K₂/n + K₃/n^{3/2} in z = x√n,
    /// each Kᵢ written with Jacobi theta sums that converge fast for small z.
    /// </summary>
    internal static double PelzGoodCdf(int n, double x)
    {
        double z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2, z7 = z6 * z, z8 = z4 * z4, z10 = z8 * z2;
        double pi2 = Math.PI * Math.PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
        double logQ = -pi2 / (8 * z2);
        if (logQ < -708) return 0.0;
        int maxK = (int)Math.Ceiling(16 * z / Math.PI);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        // Odd terms m = 2k − 1 with weight q^{m²}, q = exp(−π²/8z²); smallest terms first.
        for (int k = maxK; k >= 1; k--)
        {
            double mm = 2 * k - 1;
            double m2 = mm * mm, m4 = m2 * m2, m6 = m4 * m2;
            double w = Math.Exp(logQ * m2);
            s0 += w;
            s1 += w * (-z2 + pi2 * m2 / 4);
            s2 += w * (6 * z6 + 2 * z4 + (2 * z4 - 5 * z2) * pi2 / 4 * m2 + pi4 * (1 - 2 * z2) / 16 * m4);
            s3 += w * (-30 * z6 - 90 * z8 + pi2 * (135 * z4 - 96 * z6) / 4 * m2
                       + pi4 * (-60 * z2 + 212 * z4) / 16 * m4 + pi6 * (5 - 30 * z2) / 64 * m6);
        }
        double sqrt2Pi = Math.Sqrt(2 * Math.PI);
        double k0 = sqrt2Pi / z * s0;
        double k1 = sqrt2Pi / (6 * z4) * s1;
        double k2 = sqrt2Pi / (72 * z7) * s2;
        double k3 = sqrt2Pi / (6480 * z10) * s3;
        // The integer-indexed sums of K₂ and K₃ with weight exp(−π²k²/2z²).
        double e2 = 0, e3 = 0;
        for (int k = maxK; k >= 1; k--)
        {
            double kk = (double)k * k;
            double w = Math.Exp(-pi2 * kk / (2 * z2));
            e2 += kk * w;
            e3 += (3 * z2 - pi2 * kk) * kk * w;
        }
        k2 += e2 * pi2 * sqrt2Pi / (-36 * z3);
        k3 += e3 * pi2 * sqrt2Pi / (216 * z6);
        double rn = Math.Sqrt(n);
        return k0 + k1 / rn + k2 / n + k3 / (n * rn);
    }

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    private static void CheckSizes(int n1, int n2)
    {
        if (n1 < 1 || n2 < 1)
            throw new ArgumentOutOfRangeException(nameof(n1), $"Sample sizes must be at least 1, got {n1} and {n2}.");
    }
}
