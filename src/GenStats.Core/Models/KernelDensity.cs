using GenStats.Data;
using GenStats.Models.Files;

namespace GenStats.Models;

/// <summary>
/// Gaussian kernel density estimate of the joint density of (x, y) = (features, conditions), the
/// baseline of the GANplifying studies, following scipy.stats.gaussian_kde: kernel covariance
/// H = h² Σ with Σ the weighted covariance (numpy.cov with aweights, i.e. the reliability
/// correction) and n_eff = (Σw)²/Σw² in the bandwidth rules (see <see cref="BandwidthRule"/>).
/// <para>
/// Density: p(z) = Σᵢ wᵢ N(z; zᵢ, H) / Σw, evaluated as a log-sum-exp so that far points do not
/// underflow. Unconditional sampling: pick event i with probability wᵢ/Σw, add N(0, H) noise.
/// Conditional sampling draws from the exact conditional of this mixture: p(x | y) is a mixture of
/// Gaussians with weights πᵢ ∝ wᵢ N(y; yᵢ, h²Σ_yy) (events are kernel-weighted by their condition
/// distance), means xᵢ + Σ_xy Σ_yy⁻¹ (y − yᵢ) and common covariance h²(Σ_xx − Σ_xy Σ_yy⁻¹ Σ_yx).
/// Each conditional draw costs O(n) (all training events are weighed).
/// </para>
/// <para>
/// Cross-validated bandwidth: h maximises the weighted leave-one-out log-likelihood
/// Σⱼ wⱼ log(Σ_{i≠j} wᵢ N(zⱼ; zᵢ, h²Σ) / (Σw − wⱼ)) over a log-spaced grid of 16 factors in
/// [0.05, 3] × Scott's, refined by golden-section search between the best grid point's
/// neighbours (to a relative 1e−3 in h). Cost O(n² d) memory and time per evaluation, hence the
/// cap <see cref="KdeOptions.CrossValidationEvents"/>. A best factor on the grid edge is returned as is.
/// </para>
/// Weights must be non-negative (a kernel mixture with negative weights is no density to sample).
/// </summary>
public sealed class KernelDensity : IConditionalGenerator
{
    /// <summary>The model-file type name "kde".</summary>
    public const string ModelType = "kde";

    private readonly string[] _features, _conditions;
    private readonly double[][] _points; // transformed joint points (features then conditions)
    private readonly double[] _weights;
    private readonly double[,] _cov;
    private readonly RowTransform _featureTransform, _conditionTransform;
    private readonly KdeOptions _options;

    // Derived (recomputed on load): whitened points, Cholesky factors, conditional pieces.
    private readonly double[,] _chol;
    private readonly double[][] _whitened;
    private readonly double[] _cumulative;
    private readonly double _logNorm;
    private readonly ConditionalParts? _cond;

    string IConditionalGenerator.ModelType => ModelType;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames => _features;

    /// <inheritdoc />
    public IReadOnlyList<string> ConditionNames => _conditions;

    /// <summary>The bandwidth factor h (kernel covariance h²Σ).</summary>
    public double Factor { get; }

    /// <summary>The weighted covariance Σ of the (transformed) joint points, row-major d × d.</summary>
    public double[] Covariance => DenseMath.Flatten(_cov);

    /// <summary>Kish's effective sample size of the training weights.</summary>
    public double EffectiveSampleSize { get; }

    /// <summary>The options the model was trained with.</summary>
    public KdeOptions Options => _options;

    /// <summary>Dimension d of the joint space (features + conditions).</summary>
    public int Dimension => _features.Length + _conditions.Length;

    private KernelDensity(string[] features, string[] conditions, double[][] points, double[] weights, double[,] cov,
        double factor, RowTransform featureTransform, RowTransform conditionTransform, KdeOptions options)
    {
        _features = features;
        _conditions = conditions;
        _points = points;
        _weights = weights;
        _cov = cov;
        Factor = factor;
        _featureTransform = featureTransform;
        _conditionTransform = conditionTransform;
        _options = options;
        int d = Dimension;
        _chol = DenseMath.Cholesky(cov) ?? throw SingularCovariance();
        _whitened = Whiten(points, _chol);
        _cumulative = Cumulative(weights);
        double logDetL = 0;
        for (int a = 0; a < d; a++) logDetL += Math.Log(_chol[a, a]);
        _logNorm = -0.5 * d * Math.Log(2 * Math.PI) - d * Math.Log(factor) - logDetL - Math.Log(_cumulative[^1]);
        double sw = 0, sw2 = 0;
        foreach (double w in weights) { sw += w; sw2 += w * w; }
        EffectiveSampleSize = sw * sw / sw2;
        if (conditions.Length > 0) _cond = new ConditionalParts(this);
    }

    private ArgumentException SingularCovariance() =>
        new("The weighted covariance of the training columns is singular (a constant column, or columns that are linear " +
            $"combinations of others): {string.Join(", ", _features.Concat(_conditions))}. A KDE needs a full-rank covariance; drop or fix those columns.");

    /// <summary>Fits a KDE to a dataset with roles (features, optional conditions and weights).</summary>
    /// <param name="data">Training data; features and conditions must be finite, weights ≥ 0.</param>
    /// <param name="options">Bandwidth and preprocessing options (null = Scott, none).</param>
    /// <param name="seed">Seed of the cross-validation subsample (unused otherwise).</param>
    public static KernelDensity Fit(Dataset data, KdeOptions? options = null, int seed = 0) =>
        Fit(TrainingSample.From(data, allowNegativeWeights: false, "KDE"), options, seed);

    /// <summary>Fits an unconditional KDE to points (events × dimensions) with optional weights.</summary>
    public static KernelDensity Fit(double[][] points, double[]? weights = null, KdeOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(points);
        int d = points.Length > 0 ? points[0]?.Length ?? 0 : 0;
        var names = Enumerable.Range(0, d).Select(i => $"x{i}").ToArray();
        return Fit(TrainingSample.From(names, points, null, null, weights, allowNegativeWeights: false, "KDE"), options, seed);
    }

    /// <summary>Fits a KDE to a checked training sample.</summary>
    public static KernelDensity Fit(TrainingSample sample, KdeOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(sample);
        options ??= KdeOptions.Default;
        options.Validate();
        TrainingSample.CheckWeights(sample.Weights, sample.Features.Length, allowNegative: false, "KDE");
        var ft = RowTransform.Fit(sample.Features, sample.FeatureNames.Length, options.Preprocessing, sample.Weights);
        var ct = RowTransform.Fit(sample.Conditions, sample.ConditionNames.Length, options.Preprocessing, sample.Weights);
        var xs = ft.Forward(sample.Features);
        var ys = ct.Forward(sample.Conditions);
        int d = sample.FeatureNames.Length + sample.ConditionNames.Length;
        var points = new double[xs.Length][];
        for (int i = 0; i < xs.Length; i++) points[i] = [.. xs[i], .. ys[i]];
        if (sample.EffectiveSampleSize <= 1)
            throw new ArgumentException($"The effective sample size is {sample.EffectiveSampleSize}; a KDE needs more than one effective event.", nameof(sample));
        if (!WeightedMoments.TryCompute(points, null, null, sample.Weights, out _, out var cov))
            throw new ArgumentException($"The effective sample size is {sample.EffectiveSampleSize}; a KDE needs more than one effective event.", nameof(sample));
        double nEff = sample.EffectiveSampleSize;
        double factor = options.Bandwidth switch
        {
            BandwidthRule.Scott => ScottFactor(nEff, d),
            BandwidthRule.Silverman => SilvermanFactor(nEff, d),
            BandwidthRule.Fixed => options.Factor!.Value,
            _ => double.NaN, // cross-validated below, once the covariance is known to be regular
        };
        var provisional = new KernelDensity(sample.FeatureNames, sample.ConditionNames, points, sample.Weights, cov,
            double.IsNaN(factor) ? ScottFactor(nEff, d) : factor, ft, ct, options);
        if (options.Bandwidth != BandwidthRule.CrossValidated) return provisional;
        double best = CrossValidation.BestFactor(provisional._whitened, sample.Weights, ScottFactor(nEff, d), options.CrossValidationEvents, seed);
        return new KernelDensity(sample.FeatureNames, sample.ConditionNames, points, sample.Weights, cov, best, ft, ct, options);
    }

    /// <summary>Scott's factor n_eff^(−1/(d+4)).</summary>
    public static double ScottFactor(double effectiveSampleSize, int dimension) =>
        Math.Pow(effectiveSampleSize, -1.0 / (dimension + 4));

    /// <summary>Silverman's factor (n_eff (d+2)/4)^(−1/(d+4)).</summary>
    public static double SilvermanFactor(double effectiveSampleSize, int dimension) =>
        Math.Pow(effectiveSampleSize * (dimension + 2) / 4.0, -1.0 / (dimension + 4));

    /// <summary>
    /// The weighted leave-one-out mean log-likelihood of the training sample at factor h
    /// (what <see cref="BandwidthRule.CrossValidated"/> maximises; uses every event).
    /// </summary>
    public double LeaveOneOutLogLikelihood(double factor) =>
        CrossValidation.Objective(CrossValidation.SquaredDistances(_whitened), _weights, factor, Dimension) + LogDetPart();

    // Part of the log normalisation that depends only on Σ (not h, not the weights).
    private double LogDetPart()
    {
        int d = Dimension;
        double logDetL = 0;
        for (int a = 0; a < d; a++) logDetL += Math.Log(_chol[a, a]);
        return -0.5 * d * Math.Log(2 * Math.PI) - logDetL;
    }

    /// <summary>
    /// log p(z) at each joint point z = (features, conditions), in the raw (untransformed) space:
    /// the preprocessing Jacobian is included.
    /// </summary>
    public double[] LogDensity(double[][] points)
    {
        GeneratorChecks.RequireConditions(points, Dimension, "KDE (joint points)");
        var result = new double[points.Length];
        int dx = _features.Length;
        Parallel.For(0, points.Length, r =>
        {
            var raw = points[r];
            var z = new double[Dimension];
            double logJacobian = 0;
            for (int a = 0; a < Dimension; a++)
            {
                var t = a < dx ? _featureTransform.Columns[a] : _conditionTransform.Columns[a - dx];
                z[a] = t.Forward(raw[a]);
                logJacobian += t.LogDerivative(raw[a]);
            }
            var u = new double[Dimension];
            DenseMath.SolveLower(_chol, z, u);
            result[r] = LogSumExp(_whitened, u, Factor, _weights) + _logNorm + logJacobian;
        });
        return result;
    }

    /// <summary>log p(x | y) = log p(x, y) − log p(y) for features rows x and condition rows y (raw space).</summary>
    public double[] ConditionalLogDensity(double[][] features, double[][] conditions)
    {
        ArgumentNullException.ThrowIfNull(features);
        GeneratorChecks.RequireConditions(conditions, _conditions.Length, "KDE");
        if (features.Length != conditions.Length)
            throw new ArgumentException($"features has {features.Length} rows but conditions has {conditions.Length}.", nameof(conditions));
        var joint = new double[features.Length][];
        for (int r = 0; r < joint.Length; r++)
        {
            if (features[r] is null || features[r].Length != _features.Length)
                throw new ArgumentException($"features[{r}] has {features[r]?.Length ?? 0} values; {_features.Length} expected.", nameof(features));
            joint[r] = [.. features[r], .. conditions[r]];
        }
        var logJoint = LogDensity(joint);
        if (_cond is null) return logJoint;
        for (int r = 0; r < joint.Length; r++) logJoint[r] -= _cond.LogMarginal(conditions[r]);
        return logJoint;
    }

    /// <inheritdoc />
    public double[][] Sample(int count, int seed)
    {
        GeneratorChecks.RequireUnconditional(_conditions.Length, "KDE");
        GeneratorChecks.RequireCount(count);
        int d = Dimension;
        var z = new double[count][];
        GeneratorChecks.ForBlocks(count, seed, (start, end, rng) =>
        {
            var e = new double[d];
            var n = new double[d];
            for (int r = start; r < end; r++)
            {
                int i = rng.NextIndex(_cumulative);
                for (int a = 0; a < d; a++) e[a] = rng.NextGaussian();
                DenseMath.MultiplyLower(_chol, e, n);
                var row = new double[d];
                for (int a = 0; a < d; a++) row[a] = _points[i][a] + Factor * n[a];
                z[r] = row;
            }
        });
        return _featureTransform.Inverse(z);
    }

    /// <inheritdoc />
    public double[][] Sample(double[][] conditions, int seed)
    {
        GeneratorChecks.RequireConditions(conditions, _conditions.Length, "KDE");
        if (_cond is null) return Sample(conditions.Length, seed);
        var ys = _conditionTransform.Forward(conditions);
        var x = new double[ys.Length][];
        GeneratorChecks.ForBlocks(ys.Length, seed, (start, end, rng) =>
        {
            var buffer = new double[_points.Length];
            for (int r = start; r < end; r++) x[r] = _cond.Draw(ys[r], rng, buffer);
        });
        return _featureTransform.Inverse(x);
    }

    /// <inheritdoc />
    public ModelFileContent ToModelFile()
    {
        var metadata = ModelJson.ToElement(new KdeMetadata(_options, Factor, _featureTransform.States, _conditionTransform.States));
        int d = Dimension;
        return new ModelFileContent(ModelType, _features, _conditions, metadata,
        [
            ModelArray.OfMatrix("kde.points", _points, d),
            ModelArray.OfFloat64("kde.weights", (double[])_weights.Clone()),
            ModelArray.OfFloat64("kde.covariance", DenseMath.Flatten(_cov), [d, d]),
        ]);
    }

    /// <summary>Rebuilds a KDE from model-file content (the registry's loader for "kde").</summary>
    public static KernelDensity FromModelFile(ModelFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var meta = content.ReadMetadata<KdeMetadata>();
        int dx = content.FeatureNames.Count, dy = content.ConditionNames.Count, d = dx + dy;
        var points = content.Array("kde.points").AsMatrix(d);
        var weights = content.Array("kde.weights").AsFloat64();
        var cov = content.Array("kde.covariance").AsFloat64();
        if (weights.Length != points.Length) throw new InvalidDataException($"kde: {weights.Length} weights for {points.Length} points.");
        if (cov.Length != d * d) throw new InvalidDataException($"kde: the covariance has {cov.Length} values; {d * d} expected.");
        if (!(meta.Factor > 0)) throw new InvalidDataException($"kde: bandwidth factor {meta.Factor} is not positive.");
        if (meta.FeatureTransforms.Length != dx || meta.ConditionTransforms.Length != dy)
            throw new InvalidDataException("kde: the number of transforms does not match the columns.");
        TrainingSample.CheckWeights(weights, points.Length, allowNegative: false, "KDE");
        return new KernelDensity([.. content.FeatureNames], [.. content.ConditionNames], points, weights, DenseMath.Square(cov, d),
            meta.Factor, RowTransform.FromStates(meta.FeatureTransforms), RowTransform.FromStates(meta.ConditionTransforms), meta.Options);
    }

    private sealed record KdeMetadata(KdeOptions Options, double Factor, ColumnTransformState[] FeatureTransforms, ColumnTransformState[] ConditionTransforms);

    private static double[][] Whiten(double[][] points, double[,] chol)
    {
        int d = chol.GetLength(0);
        var w = new double[points.Length][];
        for (int i = 0; i < points.Length; i++)
        {
            w[i] = new double[d];
            DenseMath.SolveLower(chol, points[i], w[i]);
        }
        return w;
    }

    private static double[] Cumulative(double[] weights)
    {
        var c = new double[weights.Length];
        double s = 0;
        for (int i = 0; i < weights.Length; i++) { s += weights[i]; c[i] = s; }
        return c;
    }

    // log Σᵢ wᵢ exp(−‖u − uᵢ‖² / (2h²)), stable (max subtracted).
    private static double LogSumExp(double[][] whitened, double[] u, double h, double[] weights)
    {
        double inv = 1.0 / (2 * h * h);
        double max = double.NegativeInfinity;
        for (int i = 0; i < whitened.Length; i++)
        {
            if (weights[i] <= 0) continue;
            double e = Math.Log(weights[i]) - DenseMath.SquaredDistance(whitened[i], u) * inv;
            if (e > max) max = e;
        }
        if (double.IsNegativeInfinity(max)) return max;
        double s = 0;
        for (int i = 0; i < whitened.Length; i++)
        {
            if (weights[i] <= 0) continue;
            s += Math.Exp(Math.Log(weights[i]) - DenseMath.SquaredDistance(whitened[i], u) * inv - max);
        }
        return max + Math.Log(s);
    }

    /// <summary>The pieces of the exact conditional p(x | y) of the joint mixture.</summary>
    private sealed class ConditionalParts
    {
        private readonly KernelDensity _k;
        private readonly double[,] _cholY;        // chol(Σ_yy)
        private readonly double[][] _whitenedY;   // chol(Σ_yy)⁻¹ yᵢ
        private readonly double[,] _slope;        // A = Σ_xy Σ_yy⁻¹  (dx × dy)
        private readonly double[,] _cholResidual; // chol(Σ_xx − Σ_xy Σ_yy⁻¹ Σ_yx)
        private readonly double _logNormY;

        public ConditionalParts(KernelDensity k)
        {
            _k = k;
            int dx = k._features.Length, dy = k._conditions.Length;
            var syy = new double[dy, dy];
            for (int a = 0; a < dy; a++) for (int b = 0; b < dy; b++) syy[a, b] = k._cov[dx + a, dx + b];
            _cholY = DenseMath.Cholesky(syy) ?? throw k.SingularCovariance();
            var syyInv = DenseMath.InverseFromCholesky(_cholY);
            _slope = new double[dx, dy];
            for (int a = 0; a < dx; a++)
                for (int b = 0; b < dy; b++)
                {
                    double s = 0;
                    for (int c = 0; c < dy; c++) s += k._cov[a, dx + c] * syyInv[c, b];
                    _slope[a, b] = s;
                }
            var residual = new double[dx, dx];
            for (int a = 0; a < dx; a++)
                for (int b = 0; b < dx; b++)
                {
                    double s = k._cov[a, b];
                    for (int c = 0; c < dy; c++) s -= _slope[a, c] * k._cov[dx + c, b];
                    residual[a, b] = s;
                }
            for (int a = 0; a < dx; a++) for (int b = 0; b < a; b++) residual[a, b] = residual[b, a] = 0.5 * (residual[a, b] + residual[b, a]);
            _cholResidual = DenseMath.Cholesky(residual) ?? throw k.SingularCovariance();
            _whitenedY = new double[k._points.Length][];
            for (int i = 0; i < k._points.Length; i++)
            {
                _whitenedY[i] = new double[dy];
                DenseMath.SolveLower(_cholY, k._points[i].AsSpan(dx), _whitenedY[i]);
            }
            double logDet = 0;
            for (int a = 0; a < dy; a++) logDet += Math.Log(_cholY[a, a]);
            _logNormY = -0.5 * dy * Math.Log(2 * Math.PI) - dy * Math.Log(k.Factor) - logDet - Math.Log(k._cumulative[^1]);
        }

        public double LogMarginal(double[] rawY)
        {
            var y = new double[rawY.Length];
            double logJacobian = 0;
            for (int a = 0; a < y.Length; a++)
            {
                y[a] = _k._conditionTransform.Columns[a].Forward(rawY[a]);
                logJacobian += _k._conditionTransform.Columns[a].LogDerivative(rawY[a]);
            }
            var v = new double[y.Length];
            DenseMath.SolveLower(_cholY, y, v);
            return LogSumExp(_whitenedY, v, _k.Factor, _k._weights) + _logNormY + logJacobian;
        }

        public double[] Draw(double[] y, SeededRandom rng, double[] cumulative)
        {
            int dx = _k._features.Length, dy = y.Length, n = _whitenedY.Length;
            var v = new double[dy];
            DenseMath.SolveLower(_cholY, y, v);
            double inv = 1.0 / (2 * _k.Factor * _k.Factor);
            // Log-weights first, then exponentiate relative to the maximum (no underflow to all zeros).
            double max = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                double w = _k._weights[i];
                double e = w > 0 ? Math.Log(w) - DenseMath.SquaredDistance(_whitenedY[i], v) * inv : double.NegativeInfinity;
                cumulative[i] = e;
                if (e > max) max = e;
            }
            double s = 0;
            for (int i = 0; i < n; i++) { s += Math.Exp(cumulative[i] - max); cumulative[i] = s; }
            int pick = rng.NextIndex(cumulative);
            var point = _k._points[pick];
            var eps = new double[dx];
            var noise = new double[dx];
            for (int a = 0; a < dx; a++) eps[a] = rng.NextGaussian();
            DenseMath.MultiplyLower(_cholResidual, eps, noise);
            var x = new double[dx];
            for (int a = 0; a < dx; a++)
            {
                double shift = 0;
                for (int b = 0; b < dy; b++) shift += _slope[a, b] * (y[b] - point[dx + b]);
                x[a] = point[a] + shift + _k.Factor * noise[a];
            }
            return x;
        }
    }
}
