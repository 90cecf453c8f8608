using MathNet.Numerics.LinearAlgebra;

namespace GenStats.Stats;

/// <summary>
/// sWeights of the sPlot technique (Pivk &amp; Le Diberder, NIM A 555 (2005) 356), "summation"
/// variant: V⁻¹_nj = Σ_e f_n(e) f_j(e) / (Σ_k N_k f_k(e))² and
/// sW_n(e) = Σ_j V_nj f_j(e) / Σ_k N_k f_k(e).
/// </summary>
/// <param name="Species">Species names, in the order of the rows of <see cref="Weights"/>.</param>
/// <param name="Yields">The yields N_k used.</param>
/// <param name="Weights">sWeights, species × events. When the yields maximise the extended
/// likelihood for these densities, per event they sum to 1 over species and per species they sum
/// to its yield (both rules follow from ∂(−ln L)/∂N_k = 1 − Σ_e f_k/D = 0).</param>
/// <param name="Covariance">V, the yield covariance matrix of the sPlot (species × species).</param>
public sealed record SPlotResult(string[] Species, double[] Yields, double[][] Weights, double[,] Covariance)
{
    /// <summary>The sWeights of one species.</summary>
    public double[] WeightsOf(string species)
    {
        int i = Array.IndexOf(Species, species);
        return i >= 0 ? Weights[i]
            : throw new ArgumentException($"No species '{species}'; the species are: {string.Join(", ", Species)}.", nameof(species));
    }

    /// <summary>Σ_e sW_n(e) per species (compensated).</summary>
    public double[] SumsOfWeights => Weights.Select(w => CompensatedSum.Of(w)).ToArray();
}

/// <summary>
/// The sPlot technique: per-event weights that unfold the distribution of a control variable for
/// each species of a fit in a discriminating variable. The control variable must be independent
/// of the discriminating one within each species (check with <see cref="IndependenceCheck"/>).
/// Weights may be negative; downstream statistics must accept signed weights.
/// </summary>
public static class SPlot
{
    /// <summary>
    /// sWeights from fixed per-event densities <paramref name="densities"/>[k][e] (each normalised
    /// on the fit range) and yields. For the sum rule Σ_e sW_n = N_n the yields must maximise the
    /// extended likelihood with these densities (use <see cref="ExtendedMaximumLikelihood.FitYields"/>).
    /// </summary>
    public static SPlotResult Compute(double[][] densities, double[] yields, string[]? species = null)
    {
        ExtendedMaximumLikelihood.CheckDensities(densities, nameof(densities));
        SampleChecks.RequireFiniteSample(yields, nameof(yields));
        int k = densities.Length, n = densities[0].Length;
        if (yields.Length != k)
            throw new ArgumentException($"{yields.Length} yields for {k} species; one yield per species is required.", nameof(yields));
        species ??= Enumerable.Range(0, k).Select(i => $"species{i}").ToArray();
        if (species.Length != k)
            throw new ArgumentException($"{species.Length} species names for {k} species.", nameof(species));

        var total = new double[n];
        for (int e = 0; e < n; e++)
        {
            double d = 0;
            for (int c = 0; c < k; c++) d += yields[c] * densities[c][e];
            if (!(d > 0))
                throw new ArgumentException($"The total density Σ N_k f_k is {d} at event {e}; sWeights need it positive at every event.", nameof(yields));
            total[e] = d;
        }
        var inverseV = new double[k, k];
        for (int a = 0; a < k; a++)
            for (int b = a; b < k; b++)
            {
                var s = new CompensatedSum();
                for (int e = 0; e < n; e++) s.Add(densities[a][e] * densities[b][e] / (total[e] * total[e]));
                inverseV[a, b] = s.Value;
                inverseV[b, a] = s.Value;
            }
        const string singular = "The matrix Σ f_n f_j / (Σ N f)² is singular: two species have (nearly) the same shape in the discriminating variable, so no sWeights exist.";
        Matrix<double> v;
        try
        {
            var m = Matrix<double>.Build.DenseOfArray(inverseV);
            var cholesky = m.Cholesky();
            // det / Π diagonal = Π (1 − squared partial correlations): near 0 means degenerate species.
            double diagonalProduct = 1;
            for (int a = 0; a < k; a++) diagonalProduct *= inverseV[a, a];
            if (!(cholesky.Determinant / diagonalProduct > 1e-10)) throw new ArgumentException(singular, nameof(densities));
            v = cholesky.Solve(Matrix<double>.Build.DenseIdentity(k));
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException(singular, nameof(densities), e);
        }
        catch (ArgumentException e) when (e.ParamName != nameof(densities))
        {
            throw new ArgumentException(singular, nameof(densities), e);
        }
        var weights = new double[k][];
        for (int a = 0; a < k; a++)
        {
            var w = new double[n];
            for (int e = 0; e < n; e++)
            {
                double s = 0;
                for (int b = 0; b < k; b++) s += v[a, b] * densities[b][e];
                w[e] = s / total[e];
            }
            weights[a] = w;
        }
        return new SPlotResult(species, (double[])yields.Clone(), weights, v.ToArray());
    }

    /// <summary>sWeights for the events <paramref name="x"/> of a converged fit (shape parameters at their best values).</summary>
    public static SPlotResult FromFit(double[] x, FitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Status == FitStatus.Failed)
            throw new ArgumentException($"The fit failed ({fit.Message}); sWeights need a fitted model.", nameof(fit));
        return Compute(ExtendedMaximumLikelihood.ComponentDensities(x, fit), fit.Yields, fit.Species);
    }
}
