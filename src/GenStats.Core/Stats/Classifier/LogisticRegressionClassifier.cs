using MathNet.Numerics.LinearAlgebra;

namespace GenStats.Stats.Classifier;

/// <summary>Settings of the weighted logistic regression.</summary>
/// <param name="L2">Ridge penalty ½·L2·‖β‖² on the standardised coefficients (not the intercept),
/// added to the summed weighted log-loss with weights rescaled to mean 1 — scikit-learn's
/// <c>LogisticRegression(C = 1/L2)</c>.</param>
/// <param name="MaxIterations">Newton (IRLS) iterations at most.</param>
/// <param name="Tolerance">Stop when the largest Newton step is below this.</param>
public sealed record LogisticRegressionOptions(double L2 = 1.0, int MaxIterations = 100, double Tolerance = 1e-10)
{
    /// <summary>L2 = 1, at most 100 iterations.</summary>
    public static LogisticRegressionOptions Default { get; } = new();
}

/// <summary>
/// Weighted L2-regularised logistic regression fitted by Newton's method (IRLS) on features
/// standardised with the weighted training mean and standard deviation (a constant feature is
/// left centred and unscaled). The score is the linear predictor (log-odds of "real").
/// Deterministic; no randomness.
/// </summary>
public sealed class LogisticRegressionClassifier(LogisticRegressionOptions? options = null) : ITwoSampleClassifier
{
    private readonly LogisticRegressionOptions _options = Validate(options ?? LogisticRegressionOptions.Default);

    /// <inheritdoc />
    public string Name => $"logistic(l2={_options.L2})";

    /// <inheritdoc />
    public IScoringModel Fit(double[][] features, bool[] labels, double[]? weights)
    {
        int d = TrainingData.Check(features, labels, weights);
        int n = features.Length;
        var w = new double[n];
        double sw = weights is null ? n : CompensatedSum.Of(weights);
        for (int i = 0; i < n; i++) w[i] = (weights?[i] ?? 1.0) * n / sw;

        // Weighted standardisation.
        var mean = new double[d];
        var scale = new double[d];
        for (int c = 0; c < d; c++)
        {
            var s = new CompensatedSum();
            for (int i = 0; i < n; i++) s.Add(w[i] * features[i][c]);
            mean[c] = s.Value / n;
            var v = new CompensatedSum();
            for (int i = 0; i < n; i++)
            {
                double e = features[i][c] - mean[c];
                v.Add(w[i] * e * e);
            }
            double sd = Math.Sqrt(v.Value / n);
            scale[c] = sd > 0 ? sd : 1.0;
        }
        var x = Matrix<double>.Build.Dense(n, d + 1, (i, c) => c == 0 ? 1.0 : (features[i][c - 1] - mean[c - 1]) / scale[c - 1]);
        var beta = Vector<double>.Build.Dense(d + 1);
        var penalty = Vector<double>.Build.Dense(d + 1, c => c == 0 ? 0.0 : _options.L2);

        for (int it = 0; it < _options.MaxIterations; it++)
        {
            var eta = x * beta;
            var curvature = new double[n];
            var residual = Vector<double>.Build.Dense(n);
            for (int i = 0; i < n; i++)
            {
                double p = Sigmoid(eta[i]);
                residual[i] = w[i] * ((labels[i] ? 1.0 : 0.0) - p);
                curvature[i] = w[i] * p * (1 - p);
            }
            var grad = x.TransposeThisAndMultiply(residual) - penalty.PointwiseMultiply(beta);
            var xw = x.Clone();
            for (int i = 0; i < n; i++)
                for (int c = 0; c <= d; c++) xw[i, c] *= curvature[i];
            var hessian = x.TransposeThisAndMultiply(xw) + Matrix<double>.Build.DenseOfDiagonalVector(penalty);
            // A tiny ridge on the intercept keeps the Hessian positive definite if one class has all the weight locally.
            hessian[0, 0] += 1e-12 * n;
            var step = hessian.Cholesky().Solve(grad);
            beta += step;
            if (step.AbsoluteMaximum() < _options.Tolerance) break;
        }
        var coefficients = new double[d];
        double intercept = beta[0];
        for (int c = 0; c < d; c++)
        {
            coefficients[c] = beta[c + 1] / scale[c];
            intercept -= coefficients[c] * mean[c];
        }
        return new Model(intercept, coefficients);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static LogisticRegressionOptions Validate(LogisticRegressionOptions o)
    {
        if (!(o.L2 > 0) || !double.IsFinite(o.L2))
            throw new ArgumentOutOfRangeException(nameof(o.L2), o.L2, "The L2 penalty must be positive and finite.");
        if (o.MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(o.MaxIterations), o.MaxIterations, "At least one iteration is required.");
        return o;
    }

    private sealed class Model(double intercept, double[] coefficients) : IScoringModel
    {
        public double[] Score(double[][] features)
        {
            TrainingData.CheckRows(features, nameof(features), coefficients.Length);
            var s = new double[features.Length];
            for (int i = 0; i < s.Length; i++)
            {
                double z = intercept;
                for (int c = 0; c < coefficients.Length; c++) z += coefficients[c] * features[i][c];
                s[i] = z;
            }
            return s;
        }
    }
}
