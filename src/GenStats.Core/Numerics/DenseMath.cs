namespace GenStats.Numerics;

/// <summary>Small dense linear algebra in float64 (d ≤ a few dozen): Cholesky, triangular solves, distances (the weighted covariance is <see cref="WeightedMoments"/>).</summary>
internal static class DenseMath
{
    /// <summary>
    /// Lower-triangular L with L Lᵀ = A (the Cholesky–Banachiewicz order), or null when a pivot is
    /// not clearly positive: a pivot must exceed <paramref name="relativePivot"/> times its own
    /// diagonal entry A_jj (the default, 1e-12: only rounding noise left means a singular matrix),
    /// or, with <paramref name="againstLargestDiagonal"/>, times the largest diagonal entry (the
    /// Fréchet distance's 1e-10 rule, which falls back to an eigendecomposition instead).
    /// </summary>
    public static double[,]? Cholesky(double[,] a, double relativePivot = 1e-12, bool againstLargestDiagonal = false)
    {
        int d = a.GetLength(0);
        double largest = 0;
        if (againstLargestDiagonal)
        {
            for (int i = 0; i < d; i++) largest = Math.Max(largest, a[i, i]);
            if (!(largest > 0)) return null;
        }
        var l = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            double s = a[j, j];
            for (int k = 0; k < j; k++) s -= l[j, k] * l[j, k];
            double threshold = relativePivot * (againstLargestDiagonal ? largest : Math.Abs(a[j, j]));
            if (!(s > threshold) || !(s > 0)) return null;
            double root = Math.Sqrt(s);
            l[j, j] = root;
            for (int i = j + 1; i < d; i++)
            {
                double t = a[i, j];
                for (int k = 0; k < j; k++) t -= l[i, k] * l[j, k];
                l[i, j] = t / root;
            }
        }
        return l;
    }

    /// <summary>Squared Euclidean distance Σ(a_k − b_k)².</summary>
    public static double SquaredDistance(double[] a, double[] b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++) { double t = a[k] - b[k]; s += t * t; }
        return s;
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
