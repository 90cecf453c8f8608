namespace GenStats.Stats;

/// <summary>
/// Eigenvalues (no vectors) of a real symmetric matrix: Householder reduction to tridiagonal
/// form followed by the implicit QL method with Wilkinson-type shifts (Golub &amp; Van Loan §8.3;
/// Numerical Recipes §11.3–11.4). O(d³) with a small constant — several times cheaper than a
/// full eigendecomposition, which the Fréchet distance does not need.
/// </summary>
internal static class SymmetricEigenvalues
{
    /// <summary>The eigenvalues of the symmetric matrix <paramref name="matrix"/> (unsorted).</summary>
    public static double[] Compute(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var d = new double[n];
        var e = new double[n];
        Tridiagonalise(a, d, e);
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        if (n > 0) e[n - 1] = 0;
        QlImplicit(d, e);
        return d;
    }

    // Householder reflections zero row i left of the subdiagonal, from the last row up;
    // d receives the diagonal and e[i] the subdiagonal element (i, i − 1).
    private static void Tridiagonalise(double[,] a, double[] d, double[] e)
    {
        int n = d.Length;
        for (int i = n - 1; i > 0; i--)
        {
            int l = i - 1;
            double h = 0;
            if (l > 0)
            {
                double scale = 0;
                for (int k = 0; k <= l; k++) scale += Math.Abs(a[i, k]);
                if (scale == 0)
                {
                    e[i] = a[i, l];
                }
                else
                {
                    for (int k = 0; k <= l; k++)
                    {
                        a[i, k] /= scale;
                        h += a[i, k] * a[i, k];
                    }
                    double f = a[i, l];
                    double g = f >= 0 ? -Math.Sqrt(h) : Math.Sqrt(h);
                    e[i] = scale * g;
                    h -= f * g;
                    a[i, l] = f - g;
                    f = 0;
                    for (int j = 0; j <= l; j++)
                    {
                        g = 0;
                        for (int k = 0; k <= j; k++) g += a[j, k] * a[i, k];
                        for (int k = j + 1; k <= l; k++) g += a[k, j] * a[i, k];
                        e[j] = g / h;
                        f += e[j] * a[i, j];
                    }
                    double hh = f / (h + h);
                    for (int j = 0; j <= l; j++)
                    {
                        f = a[i, j];
                        e[j] = g = e[j] - hh * f;
                        for (int k = 0; k <= j; k++) a[j, k] -= f * e[k] + g * a[i, k];
                    }
                }
            }
            else
            {
                e[i] = a[i, l];
            }
            d[i] = h;
        }
        e[0] = 0;
        for (int i = 0; i < n; i++) d[i] = a[i, i];
    }

    // Implicit QL on the tridiagonal matrix (diagonal d, subdiagonal e[0..n−2]); d ← eigenvalues.
    private static void QlImplicit(double[] d, double[] e)
    {
        int n = d.Length;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0;
            int m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= double.Epsilon + 2.2e-16 * dd) break;
                }
                if (m != l)
                {
                    if (iterations++ == 60)
                        throw new InvalidOperationException("The symmetric eigenvalue iteration did not converge.");
                    double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                    double r = Hypot(g, 1.0);
                    g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.Abs(r) : -Math.Abs(r)));
                    double s = 1, c = 1, p = 0;
                    int i;
                    for (i = m - 1; i >= l; i--)
                    {
                        double f = s * e[i], b = c * e[i];
                        e[i + 1] = r = Hypot(f, g);
                        if (r == 0)
                        {
                            d[i + 1] -= p;
                            e[m] = 0;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2.0 * c * b;
                        d[i + 1] = g + (p = s * r);
                        g = c * r - b;
                    }
                    if (r == 0 && i >= l) continue;
                    d[l] -= p;
                    e[l] = g;
                    e[m] = 0;
                }
            } while (m != l);
        }
    }

    private static double Hypot(double x, double y)
    {
        double ax = Math.Abs(x), ay = Math.Abs(y);
        if (ax > ay) { double t = ay / ax; return ax * Math.Sqrt(1 + t * t); }
        if (ay == 0) return 0;
        double u = ax / ay;
        return ay * Math.Sqrt(1 + u * u);
    }
}
