namespace GenStats.Models;

/// <summary>Small dense linear algebra in float64 (d ≤ a few dozen): covariance, Cholesky, triangular solves.</summary>
internal static class DenseMath
{
    /// <summary>Weighted mean and covariance with the reliability correction Σw(x−x̄)(x−x̄)ᵀ/(V₁ − V₂/V₁) (numpy.cov with aweights).</summary>
    public static (double[] Mean, double[,] Covariance) WeightedCovariance(double[][] rows, double[] weights, int d)
    {
        double v1 = 0, v2 = 0;
        var mean = new double[d];
        for (int i = 0; i < rows.Length; i++)
        {
            double w = weights[i];
            v1 += w; v2 += w * w;
            for (int a = 0; a < d; a++) mean[a] += w * rows[i][a];
        }
        for (int a = 0; a < d; a++) mean[a] /= v1;
        var cov = new double[d, d];
        var diff = new double[d];
        for (int i = 0; i < rows.Length; i++)
        {
            double w = weights[i];
            if (w == 0) continue;
            for (int a = 0; a < d; a++) diff[a] = rows[i][a] - mean[a];
            for (int a = 0; a < d; a++)
                for (int b = 0; b <= a; b++) cov[a, b] += w * diff[a] * diff[b];
        }
        double denominator = v1 - v2 / v1;
        for (int a = 0; a < d; a++)
            for (int b = 0; b <= a; b++) { cov[a, b] /= denominator; cov[b, a] = cov[a, b]; }
        return (mean, cov);
    }

    /// <summary>Lower-triangular L with L Lᵀ = A, or null when A is not positive definite.</summary>
    public static double[,]? Cholesky(double[,] a)
    {
        int d = a.GetLength(0);
        var l = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            double s = a[j, j];
            for (int k = 0; k < j; k++) s -= l[j, k] * l[j, k];
            // Relative threshold: a pivot that lost all but rounding noise means a singular matrix.
            if (!(s > 1e-12 * Math.Abs(a[j, j])) || !(s > 0)) return null;
            l[j, j] = Math.Sqrt(s);
            for (int i = j + 1; i < d; i++)
            {
                double t = a[i, j];
                for (int k = 0; k < j; k++) t -= l[i, k] * l[j, k];
                l[i, j] = t / l[j, j];
            }
        }
        return l;
    }

    /// <summary>Solves L y = b for lower-triangular L (forward substitution) into <paramref name="y"/>.</summary>
    public static void SolveLower(double[,] l, ReadOnlySpan<double> b, Span<double> y)
    {
        int d = l.GetLength(0);
        for (int i = 0; i < d; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i, k] * y[k];
            y[i] = s / l[i, i];
        }
    }

    /// <summary>y = L x for lower-triangular L.</summary>
    public static void MultiplyLower(double[,] l, ReadOnlySpan<double> x, Span<double> y)
    {
        int d = l.GetLength(0);
        for (int i = 0; i < d; i++)
        {
            double s = 0;
            for (int k = 0; k <= i; k++) s += l[i, k] * x[k];
            y[i] = s;
        }
    }

    /// <summary>The inverse of a symmetric positive-definite matrix through its Cholesky factor.</summary>
    public static double[,] InverseFromCholesky(double[,] l)
    {
        int d = l.GetLength(0);
        var inv = new double[d, d];
        var e = new double[d];
        var y = new double[d];
        var x = new double[d];
        for (int c = 0; c < d; c++)
        {
            Array.Clear(e);
            e[c] = 1;
            SolveLower(l, e, y);
            // Back substitution with Lᵀ.
            for (int i = d - 1; i >= 0; i--)
            {
                double s = y[i];
                for (int k = i + 1; k < d; k++) s -= l[k, i] * x[k];
                x[i] = s / l[i, i];
            }
            for (int r = 0; r < d; r++) inv[r, c] = x[r];
        }
        return inv;
    }

    /// <summary>Flattens a matrix row-major.</summary>
    public static double[] Flatten(double[,] m)
    {
        int r = m.GetLength(0), c = m.GetLength(1);
        var f = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) f[i * c + j] = m[i, j];
        return f;
    }

    /// <summary>Rebuilds a square matrix from its row-major flattening.</summary>
    public static double[,] Square(double[] flat, int d)
    {
        var m = new double[d, d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) m[i, j] = flat[i * d + j];
        return m;
    }
}
