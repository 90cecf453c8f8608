using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace GenStats.Stats;

/// <summary>
/// Unbinned extended maximum-likelihood fits, −ln L = Σ_k N_k − Σ_e ln Σ_k N_k f_k(x_e), minimised
/// with MathNet.Numerics' BFGS on central-difference gradients. The covariance is the inverse of
/// the Hessian of −ln L computed by finite differences at the minimum (MINUIT's HESSE, parabolic
/// errors). Every fit reports a <see cref="FitStatus"/> and a message saying why it is not
/// trustworthy when it is not; bad input throws <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>
/// Internally each floating parameter is mapped to u = (h(θ) − h(θ₀))/s with h the identity, ln θ
/// (positive parameters) or ln(θ − 1) (n of the Crystal Ball), and s ≈ one expected error taken
/// from the curvature at the start of each stage, so the minimiser sees a well-scaled problem and
/// never leaves a parameter's domain. MathNet's relative stopping rules divide by |−ln L|, so each
/// stage subtracts −ln L at its own start; the minimiser is restarted (fresh BFGS matrix) until the
/// gradient at a stage's start is below <see cref="FitOptions.GradientTolerance"/>.
/// </remarks>
public static class ExtendedMaximumLikelihood
{
    /// <summary>
    /// Fits yields and shape parameters of <paramref name="model"/> to the events <paramref name="x"/>,
    /// all of which must be finite and lie inside [model.Low, model.High].
    /// </summary>
    public static FitResult Fit(double[] x, FitModel model, FitOptions? options = null)
    {
        options ??= FitOptions.Default;
        SampleChecks.RequireFiniteSample(x, nameof(x));
        var specs = Specs(model, x.Length, out int[] offsets);
        for (int i = 0; i < x.Length; i++)
            if (x[i] < model.Low || x[i] > model.High)
                throw new ArgumentException(
                    $"x[{i}] = {x[i]} lies outside the fit range [{model.Low}, {model.High}]; select the events in range first.", nameof(x));
        var likelihood = new ShapeLikelihood(x, model, offsets, options.Parallel);
        return Run(likelihood, specs, model.Components.Select(c => c.Name).ToArray(), model, options);
    }

    /// <summary>
    /// Fits only the yields N_k of species whose per-event densities f_k(e) are given and fixed
    /// (<paramref name="densities"/>[k][e], each normalised on the fit range by the caller).
    /// </summary>
    public static FitResult FitYields(double[][] densities, string[]? species = null, double[]? initialYields = null, FitOptions? options = null)
    {
        options ??= FitOptions.Default;
        CheckDensities(densities, nameof(densities));
        int k = densities.Length, n = densities[0].Length;
        species ??= Enumerable.Range(0, k).Select(i => $"species{i}").ToArray();
        if (species.Length != k)
            throw new ArgumentException($"{species.Length} species names for {k} density rows; one name per row is required.", nameof(species));
        if (initialYields is not null && initialYields.Length != k)
            throw new ArgumentException($"{initialYields.Length} initial yields for {k} species.", nameof(initialYields));
        var specs = Enumerable.Range(0, k)
            .Select(i => new Spec("N_" + species[i], initialYields?[i] ?? (double)n / k, Math.Sqrt(Math.Max(n, 1.0)), ParameterDomain.Real, false))
            .ToArray();
        return Run(new DensityLikelihood(densities, options.Parallel), specs, species, null, options);
    }

    /// <summary>The normalised densities f_k(x_e) (species × events) of a fitted model at its best-fit parameters.</summary>
    public static double[][] ComponentDensities(double[] x, FitResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var model = result.Model ?? throw new ArgumentException("The fit result has no model (it came from FitYields).", nameof(result));
        SampleChecks.RequireFiniteSample(x, nameof(x));
        Specs(model, x.Length, out int[] offsets);
        var theta = result.Parameters.Select(p => p.Value).ToArray();
        return new ShapeLikelihood(x, model, offsets, false).Densities(theta);
    }

    internal static void CheckDensities(double[][] densities, string paramName)
    {
        ArgumentNullException.ThrowIfNull(densities, paramName);
        if (densities.Length == 0) throw new ArgumentException($"{paramName} has no species; at least one is required.", paramName);
        int n = densities[0]?.Length ?? 0;
        if (n == 0) throw new ArgumentException($"{paramName}[0] has no events; at least one is required.", paramName);
        for (int k = 0; k < densities.Length; k++)
        {
            if (densities[k] is null || densities[k].Length != n)
                throw new ArgumentException($"{paramName}[{k}] has {densities[k]?.Length ?? 0} events but {paramName}[0] has {n}; all species need one density per event.", paramName);
            for (int e = 0; e < n; e++)
                if (!(densities[k][e] >= 0) || double.IsInfinity(densities[k][e]))
                    throw new ArgumentException($"{paramName}[{k}][{e}] is {densities[k][e]}; densities must be finite and non-negative.", paramName);
        }
    }

    private sealed record Spec(string Name, double Initial, double Scale, ParameterDomain Domain, bool Fixed);

    private static Spec[] Specs(FitModel model, int events, out int[] offsets)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(double.IsFinite(model.Low) && double.IsFinite(model.High) && model.Low < model.High))
            throw new ArgumentException($"The fit range [{model.Low}, {model.High}] is invalid; it needs finite Low < High.", nameof(model));
        var components = model.Components ?? throw new ArgumentException("The model has no components.", nameof(model));
        if (components.Length == 0) throw new ArgumentException("The model has no components; at least one species is required.", nameof(model));
        var names = components.Select(c => c.Name).ToArray();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Species name '{duplicate.Key}' appears twice.", nameof(model));
        var specs = new List<Spec>();
        foreach (var c in components)
            specs.Add(new Spec("N_" + c.Name, c.InitialYield ?? (double)events / components.Length, Math.Sqrt(Math.Max(events, 1.0)), ParameterDomain.Real, false));
        offsets = new int[components.Length];
        foreach (var (c, i) in components.Select((c, i) => (c, i)))
        {
            offsets[i] = specs.Count;
            var pars = c.Shape.Parameters;
            foreach (var f in c.FixedParameters ?? [])
                if (!pars.Any(p => p.Name == f))
                    throw new ArgumentException($"Species '{c.Name}' has no parameter '{f}' to fix; its parameters are: {string.Join(", ", pars.Select(p => p.Name))}.", nameof(model));
            foreach (var p in pars)
            {
                double scale = double.IsFinite(p.Scale) && p.Scale > 0 ? p.Scale : 0.1 / (model.High - model.Low);
                bool valid = p.Domain switch { ParameterDomain.Positive => p.Initial > 0, ParameterDomain.AboveOne => p.Initial > 1, _ => double.IsFinite(p.Initial) };
                if (!valid || !double.IsFinite(p.Initial))
                    throw new ArgumentException($"Starting value {p.Initial} of '{c.Name}.{p.Name}' is outside its domain ({p.Domain}).", nameof(model));
                specs.Add(new Spec($"{c.Name}.{p.Name}", p.Initial, scale, p.Domain, (c.FixedParameters ?? []).Contains(p.Name)));
            }
        }
        return [.. specs];
    }

    // ---- the minimisation ----

    private static double H(ParameterDomain d, double theta) => d switch
    {
        ParameterDomain.Positive => Math.Log(theta),
        ParameterDomain.AboveOne => Math.Log(theta - 1),
        _ => theta,
    };

    private static double HInverse(ParameterDomain d, double h) => d switch
    {
        ParameterDomain.Positive => Math.Exp(h),
        ParameterDomain.AboveOne => 1 + Math.Exp(h),
        _ => h,
    };

    /// <summary>Maps internal coordinates u (floating parameters only) around a centre to the full θ.</summary>
    private sealed class Chart(Spec[] specs, int[] floating, double[] centreH, double[] scale, double[] thetaTemplate)
    {
        public double[] Scale => scale;

        public double[] Theta(ReadOnlySpan<double> u)
        {
            var theta = (double[])thetaTemplate.Clone();
            for (int j = 0; j < floating.Length; j++)
            {
                int i = floating[j];
                theta[i] = HInverse(specs[i].Domain, centreH[j] + scale[j] * u[j]);
            }
            return theta;
        }

        /// <summary>dθ_i/du_j at u (diagonal).</summary>
        public double[] Jacobian(double[] theta) => floating.Select((i, j) => specs[i].Domain switch
        {
            ParameterDomain.Positive => theta[i] * scale[j],
            ParameterDomain.AboveOne => (theta[i] - 1) * scale[j],
            _ => scale[j],
        }).ToArray();
    }

    private static Chart ChartAround(Spec[] specs, int[] floating, double[] theta, double[] scaleH) =>
        new(specs, floating, floating.Select(i => H(specs[i].Domain, theta[i])).ToArray(), scaleH, theta);

    /// <summary>Per-parameter step ≈ one standard error from the diagonal curvature at θ (falls back to the given scale).</summary>
    private static double[] CurvatureScales(Likelihood lk, Spec[] specs, int[] floating, double[] theta, double[] scaleH)
    {
        var chart = ChartAround(specs, floating, theta, scaleH);
        double f0 = lk.MinusLogL(theta);
        var result = (double[])scaleH.Clone();
        var u = new double[floating.Length];
        for (int j = 0; j < floating.Length; j++)
        {
            const double h = 0.1;
            u[j] = h; double fp = lk.MinusLogL(chart.Theta(u));
            u[j] = -h; double fm = lk.MinusLogL(chart.Theta(u));
            u[j] = 0;
            double curvature = (fp - 2 * f0 + fm) / (h * h);
            if (double.IsFinite(curvature) && curvature > 1e-12)
                result[j] = scaleH[j] / Math.Sqrt(curvature);
        }
        return result;
    }

    private static FitResult Run(Likelihood full, Spec[] specs, string[] species, FitModel? model, FitOptions options)
    {
        int[] floating = Enumerable.Range(0, specs.Length).Where(i => !specs[i].Fixed).ToArray();
        var theta = specs.Select(s => s.Initial).ToArray();
        var notes = new List<string>();
        int iterations = 0;

        if (double.IsNaN(full.MinusLogL(theta)))
            return Failure(specs, species, model, full.Events,
                "the likelihood is not finite at the starting values: some event has a total density ≤ 0 or an invalid shape " +
                "(check that every event lies inside the range, that starting yields are positive and shape parameters sensible)");

        double[] scaleH = floating.Select(i => specs[i].Scale).ToArray();

        // Warm start on an evenly spaced subsample; yields are rescaled to the full sample afterwards.
        if (options.WarmStartEvents > 0 && full.Events > 2 * options.WarmStartEvents)
        {
            int stride = full.Events / options.WarmStartEvents;
            var sub = full.Subsample(stride);
            double ratio = (double)sub.Events / full.Events;
            var thetaSub = (double[])theta.Clone();
            for (int k = 0; k < species.Length; k++) thetaSub[k] *= ratio;
            var subScale = scaleH.Select((s, j) => floating[j] < species.Length ? s * Math.Sqrt(ratio) : s).ToArray();
            var warm = Minimise(sub, specs, floating, thetaSub, subScale, options, notes, ref iterations);
            if (warm is not null)
            {
                for (int k = 0; k < species.Length; k++) warm[k] /= ratio;
                if (!double.IsNaN(full.MinusLogL(warm))) theta = warm;
            }
        }

        var best = Minimise(full, specs, floating, theta, scaleH, options, notes, ref iterations);
        if (best is null)
            return Failure(specs, species, model, full.Events, string.Join("; ", notes));

        PolishYields(full, specs, best, species.Length);
        return Finish(full, specs, species, model, floating, best, scaleH, notes, iterations, options);
    }

    /// <summary>
    /// Newton steps on the floating yields with the shapes fixed, using the exact gradient
    /// 1 − Σ_e f_k/D and Hessian Σ_e f_k f_j/D². BFGS on numerical gradients stops at a
    /// gradient of ~1e-5 σ; this makes ∂(−ln L)/∂N_k vanish to rounding, which is what the sPlot
    /// sum rules (Σ_e sW_k = N_k, Σ_k sW_k(e) = 1) rest on.
    /// </summary>
    private static void PolishYields(Likelihood lk, Spec[] specs, double[] theta, int k)
    {
        var free = Enumerable.Range(0, k).Where(i => !specs[i].Fixed).ToArray();
        if (free.Length == 0) return;
        var f = lk.Densities(theta);
        int n = lk.Events;
        for (int iteration = 0; iteration < 20; iteration++)
        {
            var gradient = new double[free.Length];
            var hessian = new double[free.Length, free.Length];
            var gSums = free.Select(_ => new CompensatedSum()).ToArray();
            var hSums = new CompensatedSum[free.Length, free.Length];
            for (int e = 0; e < n; e++)
            {
                double d = 0;
                for (int c = 0; c < k; c++) d += theta[c] * f[c][e];
                if (!(d > 0)) return; // cannot happen at a valid minimum; leave the BFGS point alone
                double invD = 1 / d;
                for (int a = 0; a < free.Length; a++)
                {
                    double fa = f[free[a]][e] * invD;
                    gSums[a].Add(fa);
                    for (int b = a; b < free.Length; b++) hSums[a, b].Add(fa * f[free[b]][e] * invD);
                }
            }
            for (int a = 0; a < free.Length; a++)
            {
                gradient[a] = 1 - gSums[a].Value;
                for (int b = a; b < free.Length; b++) { hessian[a, b] = hSums[a, b].Value; hessian[b, a] = hessian[a, b]; }
            }
            Vector<double> step;
            try { step = Matrix<double>.Build.DenseOfArray(hessian).Cholesky().Solve(Vector<double>.Build.DenseOfArray(gradient)); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return; }
            var trial = (double[])theta.Clone();
            double largest = 0;
            for (int a = 0; a < free.Length; a++)
            {
                trial[free[a]] -= step[a];
                largest = Math.Max(largest, Math.Abs(step[a]) / (Math.Abs(theta[free[a]]) + 1));
            }
            if (double.IsNaN(lk.MinusLogL(trial)) || !(lk.MinusLogL(trial) <= lk.MinusLogL(theta) + 1e-9)) return;
            Array.Copy(trial, theta, theta.Length);
            if (largest < 1e-13) return;
        }
    }

    /// <summary>BFGS stages until the gradient at a stage's start is below tolerance; null if none succeeded.</summary>
    private static double[]? Minimise(Likelihood lk, Spec[] specs, int[] floating, double[] theta, double[] scaleH,
        FitOptions options, List<string> notes, ref int iterations)
    {
        if (floating.Length == 0) return theta;
        double[] current = theta;
        // Curvature scales once per minimisation: later stages start closer and reuse them.
        var scales = CurvatureScales(lk, specs, floating, current, scaleH);
        for (int stage = 0; stage < 6; stage++)
        {
            var chart = ChartAround(specs, floating, current, scales);
            double offset = lk.MinusLogL(current);
            var (f0, g0) = ValueAndGradient(lk, chart, Vector<double>.Build.Dense(floating.Length), offset);
            if (g0.AbsoluteMaximum() < options.GradientTolerance) return current;
            // BFGS starts by evaluating u = 0, which was just done: answer it from the cache.
            var objective = ObjectiveFunction.Gradient(v => v.AbsoluteMaximum() == 0 ? (f0, g0.Clone()) : ValueAndGradient(lk, chart, v, offset));
            try
            {
                var minimiser = new BfgsMinimizer(options.GradientTolerance, 1e-14, 1e-14, options.MaxIterations);
                var result = minimiser.FindMinimum(objective, Vector<double>.Build.Dense(floating.Length));
                iterations += result.Iterations;
                var candidate = chart.Theta(result.MinimizingPoint.ToArray());
                if (!double.IsNaN(lk.MinusLogL(candidate)) && result.FunctionInfoAtMinimum.Value <= f0) current = candidate;
            }
            catch (OptimizationException e)
            {
                // A failed line search often just means the BFGS matrix went stale: restart from the best point.
                notes.Add($"stage {stage + 1}: {e.Message.TrimEnd('.')}");
                if (stage >= 4) return current;
            }
        }
        return current;
    }

    private static (double, Vector<double>) ValueAndGradient(Likelihood lk, Chart chart, Vector<double> v, double offset)
    {
        const double h = 1e-3;
        const double penalty = 1e30; // finite, so MathNet's line search backtracks instead of throwing
        var u = v.ToArray();
        double f = lk.MinusLogL(chart.Theta(u));
        if (double.IsNaN(f)) return (penalty, Vector<double>.Build.Dense(u.Length));
        var g = new double[u.Length];
        for (int j = 0; j < u.Length; j++)
        {
            double keep = u[j];
            u[j] = keep + h; double fp = lk.MinusLogL(chart.Theta(u));
            u[j] = keep - h; double fm = lk.MinusLogL(chart.Theta(u));
            u[j] = keep;
            if (double.IsNaN(fp) || double.IsNaN(fm))
            {
                // At the edge of the valid region use the one-sided difference that exists.
                g[j] = !double.IsNaN(fp) ? (fp - f) / h : !double.IsNaN(fm) ? (f - fm) / h : 0;
            }
            else g[j] = (fp - fm) / (2 * h);
        }
        return (f - offset, Vector<double>.Build.DenseOfArray(g));
    }

    private static FitResult Finish(Likelihood lk, Spec[] specs, string[] species, FitModel? model, int[] floating,
        double[] best, double[] scaleH, List<string> notes, int iterations, FitOptions options)
    {
        int p = floating.Length;
        double fBest = lk.MinusLogL(best);
        var covariance = new double[p, p];
        var correlation = new double[p, p];
        var errors = new double[specs.Length];
        double edm = 0;
        bool positiveDefinite = true;
        if (p > 0)
        {
            var scales = CurvatureScales(lk, specs, floating, best, scaleH);
            var chart = ChartAround(specs, floating, best, scales);
            var hessian = Hessian(lk, chart, p, fBest);
            var (_, gradient) = ValueAndGradient(lk, chart, Vector<double>.Build.Dense(p), 0);
            var hm = Matrix<double>.Build.DenseOfArray(hessian);
            Matrix<double>? inverse = null;
            try
            {
                if (hessian.Cast<double>().Any(double.IsNaN)) throw new ArgumentException("non-finite Hessian");
                var cholesky = hm.Cholesky();
                inverse = cholesky.Solve(Matrix<double>.Build.DenseIdentity(p));
            }
            catch (ArgumentException) { positiveDefinite = false; }
            catch (InvalidOperationException) { positiveDefinite = false; }
            if (positiveDefinite && inverse is not null)
            {
                edm = 0.5 * gradient.DotProduct(inverse * gradient);
                var jac = chart.Jacobian(best);
                for (int a = 0; a < p; a++)
                    for (int b = 0; b < p; b++)
                        covariance[a, b] = jac[a] * inverse[a, b] * jac[b];
                for (int a = 0; a < p; a++)
                    for (int b = 0; b < p; b++)
                        correlation[a, b] = covariance[a, b] / Math.Sqrt(covariance[a, a] * covariance[b, b]);
            }
            else
            {
                for (int a = 0; a < p; a++)
                    for (int b = 0; b < p; b++) { covariance[a, b] = double.NaN; correlation[a, b] = double.NaN; }
                edm = double.NaN;
            }
        }
        for (int i = 0; i < specs.Length; i++) errors[i] = specs[i].Fixed ? 0 : double.NaN;
        for (int j = 0; j < p; j++) errors[floating[j]] = Math.Sqrt(covariance[j, j]);

        FitStatus status = FitStatus.Converged;
        var message = new List<string>();
        if (!positiveDefinite)
        {
            status = FitStatus.NotConverged;
            message.Add("the Hessian at the minimum is not positive definite (a parameter is unconstrained by the data, " +
                        "sits at the edge of its domain, or two parameters are degenerate); errors are unavailable");
        }
        else if (!(edm < 1e-3))
        {
            status = FitStatus.NotConverged;
            message.Add($"the estimated distance to the minimum is {edm:G3} (> 1e-3): the minimiser stopped early");
        }
        if (status == FitStatus.Converged) message.Add($"converged: EDM {edm:G3}, {iterations} BFGS iterations");
        if (notes.Count > 0) message.Add("minimiser notes: " + string.Join("; ", notes));

        var parameters = specs.Select((s, i) => new FitParameter(s.Name, best[i], errors[i], s.Fixed)).ToArray();
        return new FitResult(status, string.Join("; ", message), species, parameters,
            floating.Select(i => specs[i].Name).ToArray(), covariance, correlation, fBest, edm, iterations, lk.Events, model);
    }

    private static double[,] Hessian(Likelihood lk, Chart chart, int p, double f0)
    {
        // Steps of 0.1 in units of the curvature-based scale (≈ 0.1 σ): −ln L changes by ~0.005,
        // far above the rounding noise of a compensated sum, and the parabola is exact for a Gaussian.
        const double h = 0.1;
        var hessian = new double[p, p];
        var u = new double[p];
        double F() => lk.MinusLogL(chart.Theta(u));
        var plus = new double[p];
        var minus = new double[p];
        for (int i = 0; i < p; i++)
        {
            u[i] = h; plus[i] = F();
            u[i] = -h; minus[i] = F();
            u[i] = 0;
            hessian[i, i] = (plus[i] - 2 * f0 + minus[i]) / (h * h);
        }
        for (int i = 0; i < p; i++)
            for (int j = i + 1; j < p; j++)
            {
                u[i] = h; u[j] = h; double fpp = F();
                u[j] = -h; double fpm = F();
                u[i] = -h; double fmm = F();
                u[j] = h; double fmp = F();
                u[i] = 0; u[j] = 0;
                double value = (fpp - fpm - fmp + fmm) / (4 * h * h);
                hessian[i, j] = value;
                hessian[j, i] = value;
            }
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                if (!double.IsFinite(hessian[i, j])) hessian[i, j] = double.NaN;
        return hessian;
    }

    private static FitResult Failure(Spec[] specs, string[] species, FitModel? model, int events, string why)
    {
        int p = specs.Count(s => !s.Fixed);
        var nan = new double[p, p];
        for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) nan[a, b] = double.NaN;
        var parameters = specs.Select(s => new FitParameter(s.Name, s.Initial, s.Fixed ? 0 : double.NaN, s.Fixed)).ToArray();
        return new FitResult(FitStatus.Failed, "fit failed: " + why, species, parameters,
            specs.Where(s => !s.Fixed).Select(s => s.Name).ToArray(), nan, (double[,])nan.Clone(), double.NaN, double.NaN, 0, events, model);
    }
}
