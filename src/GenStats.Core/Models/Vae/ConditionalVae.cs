using System.Globalization;
using GenStats.Data;
using GenStats.Models.Files;
using GenStats.Nn;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>An ELBO estimate.</summary>
/// <param name="PerEvent">Σw-weighted mean ELBO per event in nats, on the raw feature scale (the preprocessing's log-Jacobian added).</param>
/// <param name="StandardError">Its standard error from the per-event spread (weighted, Kish ESS).</param>
/// <param name="Events">Events used.</param>
public sealed record ElboEstimate(double PerEvent, double StandardError, int Events);

/// <summary>
/// A trained conditional VAE: encoder q(z | x, y) = N(μ_q, diag σ_q²), decoder p(x | z, y) =
/// N(μ_p, diag σ_p²) (σ_p learned or fixed), prior N(0, I). Sampling draws z from
/// <see cref="LatentMixture"/> when the model has one (fitted after training to the aggregate
/// posterior, see <see cref="VaeOptions.LatentMixtureComponents"/>), else from N(0, I), and x from
/// the decoder, then inverts the preprocessing. <see cref="Elbo"/> is the single-sample
/// (importance-free) Monte Carlo ELBO E_q[log p(x | z, y)] − KL(q ‖ N(0, I)) — always with respect
/// to the N(0, I) prior the networks were trained with, a lower bound of log p(x | y) under that prior.
/// </summary>
public sealed class ConditionalVae : IConditionalGenerator
{
    /// <summary>The model type name.</summary>
    public const string ModelTypeName = "vae";
    private const int Chunk = 8192;
    internal readonly Mlp Encoder, Decoder;

    internal ConditionalVae(Mlp encoder, Mlp decoder, VaeOptions options, RowTransform fx, RowTransform? fy, string[] featureNames, string[] conditionNames, long steps)
    {
        Encoder = encoder;
        Decoder = decoder;
        Options = options;
        FeatureTransform = fx;
        ConditionTransform = fy;
        FeatureNames = featureNames;
        ConditionNames = conditionNames;
        TrainedSteps = steps;
    }

    internal static (Mlp Encoder, Mlp Decoder) Networks(VaeOptions o, int dx, int dy) =>
        (NeuralParts.Network(dx + dy, o.EncoderLayers, 2 * o.LatentSize, o.Activation, NeuralData.Mix(o.Seed, 11)),
         NeuralParts.Network(o.LatentSize + dy, o.DecoderLayers, o.LearnedVariance ? 2 * dx : dx, o.Activation, NeuralData.Mix(o.Seed, 12)));

    /// <summary>"vae".</summary>
    public string ModelType => ModelTypeName;
    /// <summary>Generated columns.</summary>
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Condition columns.</summary>
    public IReadOnlyList<string> ConditionNames { get; }
    /// <summary>Options.</summary>
    public VaeOptions Options { get; }
    /// <summary>Feature preprocessing (fitted on the training events).</summary>
    public RowTransform FeatureTransform { get; }
    /// <summary>Condition preprocessing (null when unconditional).</summary>
    public RowTransform? ConditionTransform { get; }
    /// <summary>Steps trained.</summary>
    public long TrainedSteps { get; }
    /// <summary>The training history (thinned to at most <see cref="TrainingHistory.MaxStoredSteps"/> step records, every evaluation), null for models saved before histories were kept.</summary>
    public TrainingHistory? History { get; init; }
    /// <summary>The latent density sampling draws z from (null: N(0, I), as in model files written before it existed). Not used by <see cref="Elbo"/>.</summary>
    public LatentMixture? LatentMixture { get; init; }

    /// <summary>Decoder mean and log-variance [B, dx] each.</summary>
    /// <summary>Model (network) width of the features: periodic columns count twice.</summary>
    internal int Dx => FeatureTransform.OutputWidth;

    /// <summary>Model width of the conditions.</summary>
    internal int Dy => ConditionTransform?.OutputWidth ?? 0;

    /// <summary>False when a feature column is periodic: then there is no density in raw units and no <see cref="Elbo"/>.</summary>
    public bool HasRawDensity => FeatureTransform.Columns.All(c => c.Kind != PeriodicTransform.KindName);

    internal (Tensor Mean, Tensor LogVar) Decode(Tensor z, Tensor? y)
    {
        int dx = Dx;
        var out_ = Decoder.Forward(NeuralParts.Input(z, y));
        if (!Options.LearnedVariance)
            return (out_, Tensor.Full(MathF.Log(Options.FixedVariance), z.Shape[0], dx));
        return (Ops.SliceColumns(out_, 0, dx), Ops.Clamp(Ops.SliceColumns(out_, dx, dx), -12f, 8f));
    }

    /// <summary>Per-event negative ELBO terms: reconstruction NLL [B] and KL [B], with z drawn by the reparametrisation.</summary>
    internal (Tensor Nll, Tensor Kl) Terms(Tensor x, Tensor? y, Rng rng)
    {
        int b = x.Shape[0], k = Options.LatentSize;
        var enc = Encoder.Forward(NeuralParts.Input(x, y));
        var mu = Ops.SliceColumns(enc, 0, k);
        var logv = Ops.Clamp(Ops.SliceColumns(enc, k, k), -12f, 8f);
        var z = Ops.Add(mu, Ops.Mul(Ops.Exp(Ops.Affine(logv, 0.5f, 0)), rng.Normal(b, k)));
        var (m, lv) = Decode(z, y);
        // ½Σ[log 2π + log σ² + (x − μ)²/σ²]
        var nll = Ops.Affine(Ops.Sum(Ops.Add(lv, Ops.Div(Ops.Square(Ops.Sub(x, m)), Ops.Exp(lv))), 1), 0.5f, 0.5f * x.Shape[1] * MathF.Log(2 * MathF.PI));
        // ½Σ[μ² + σ² − 1 − log σ²]
        var kl = Ops.Affine(Ops.Sum(Ops.Sub(Ops.Add(Ops.Square(mu), Ops.Exp(logv)), logv), 1), 0.5f, -0.5f * k);
        return (nll, kl);
    }

    /// <summary>The encoder's means μ_q and variances σ_q² (float64 rows) of every event of <paramref name="data"/> (preprocessed).</summary>
    internal (double[][] Mean, double[][] Variance) Encode(NeuralData data)
    {
        int k = Options.LatentSize;
        var mean = new double[data.Count][];
        var variance = new double[data.Count][];
        using var ng = Autograd.NoGrad();
        for (int start = 0; start < data.Count; start += Chunk)
        {
            using var scope = TensorScope.Begin();
            int n = Math.Min(Chunk, data.Count - start);
            var b = data.Rows(start, n);
            var enc = Encoder.Forward(NeuralParts.Input(b.X, b.Y));
            var mu = Ops.SliceColumns(enc, 0, k).ToArray();
            var v = Ops.Exp(Ops.Clamp(Ops.SliceColumns(enc, k, k), -12f, 8f)).ToArray();
            for (int i = 0; i < n; i++)
            {
                var (m, s) = (new double[k], new double[k]);
                for (int c = 0; c < k; c++) (m[c], s[c]) = (mu[i * k + c], v[i * k + c]);
                (mean[start + i], variance[start + i]) = (m, s);
            }
        }
        return (mean, variance);
    }

    /// <summary>One generated row per condition row (raw scale).</summary>
    public double[][] Sample(double[][] conditions, int seed)
    {
        GeneratorChecks.RequireConditions(conditions, ConditionNames.Count, "VAE");
        return Generate(conditions.Length, conditions, seed);
    }

    /// <summary><paramref name="count"/> rows from an unconditional model; a conditional one throws <see cref="InvalidOperationException"/>.</summary>
    public double[][] Sample(int count, int seed)
    {
        GeneratorChecks.RequireCount(count);
        GeneratorChecks.RequireUnconditional(ConditionNames.Count, "VAE");
        return Generate(count, null, seed);
    }

    /// <summary>
    /// The generated rows for GIVEN noise: row i of <paramref name="noise"/> is [z (latent size), ε (<see cref="NoiseWidth"/> − latent size)],
    /// both N(0, I) draws; x = T_x⁻¹(μ_p(z, y) + σ_p(z, y)·ε). <see cref="Sample(double[][], int)"/> runs the same
    /// code on its own seeded draws; the exported ONNX graph and C function (<see cref="ModelExport"/>) compute this function.
    /// </summary>
    /// <param name="conditions">One raw condition row per noise row (null when unconditional).</param>
    /// <param name="noise">One noise row per event (float32 in the networks).</param>
    /// <exception cref="ArgumentException">Wrong widths, counts or non-finite values.</exception>
    /// <exception cref="NotSupportedException">The model samples z from a <see cref="LatentMixture"/>, not N(0, I).</exception>
    public double[][] SampleFromNoise(double[][]? conditions, double[][] noise)
    {
        if (LatentMixture is not null)
            throw new NotSupportedException("this VAE draws its latent z from a fitted Gaussian mixture (LatentMixture), not from N(0, I); generating from given normal noise (and exporting) covers only VAEs trained with LatentMixtureComponents = 0.");
        GeneratorChecks.RequireNoise(noise, NoiseWidth, "VAE");
        if (ConditionNames.Count > 0)
        {
            GeneratorChecks.RequireConditions(conditions!, ConditionNames.Count, "VAE");
            GeneratorChecks.RequireSameCount(conditions!, noise);
        }
        int k = Options.LatentSize;
        return Generate(noise.Length, ConditionNames.Count > 0 ? conditions : null,
            (start, n) => NeuralParts.Block(noise, start, n, 0, k), (start, n) => NeuralParts.Block(noise, start, n, k, Dx));
    }

    /// <summary>Noise values per event of <see cref="SampleFromNoise"/>: the latent size plus the model width of the features.</summary>
    public int NoiseWidth => Options.LatentSize + Dx;

    private double[][] Generate(int count, double[][]? conditions, int seed)
    {
        var rng = new Rng(unchecked((ulong)(long)seed));
        return Generate(count, conditions,
            (_, n) => LatentMixture is { } prior ? prior.Sample(rng, n) : rng.Normal(n, Options.LatentSize), (_, n) => rng.Normal(n, Dx));
    }

    // latent and eps are called in this order per chunk (one seeded stream in Sample).
    private double[][] Generate(int count, double[][]? conditions, Func<int, int, Tensor> latent, Func<int, int, Tensor> eps)
    {
        int dx = Dx, dy = Dy;
        var result = new double[count][];
        using var ng = Autograd.NoGrad();
        for (int start = 0; start < count; start += Chunk)
        {
            using var scope = TensorScope.Begin();
            int n = Math.Min(Chunk, count - start);
            var y = NeuralParts.Conditions(ConditionTransform, conditions, start, n);
            var (m, lv) = Decode(latent(start, n), y);
            var x = Ops.Add(m, Ops.Mul(Ops.Exp(Ops.Affine(lv, 0.5f, 0)), eps(start, n))).ToArray();
            var row = new double[dx];
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < dx; c++) row[c] = x[i * dx + c];
                result[start + i] = FeatureTransform.InverseRow(row);
            }
        }
        return result;
    }

    /// <summary>
    /// The ELBO per event on held-out data (raw scale: log-Jacobian of the preprocessing added),
    /// one z draw per event, Σw-weighted (weights may be signed; Σw &gt; 0).
    /// </summary>
    /// <exception cref="ArgumentException">Bad data.</exception>
    /// <exception cref="NotSupportedException">A periodic feature column (<see cref="HasRawDensity"/> is false).</exception>
    public ElboEstimate Elbo(double[][] features, double[][]? conditions, double[]? weights, int seed) =>
        HeldOut(features, conditions, weights, seed, 1f, rawScale: true).Elbo;

    /// <summary>
    /// The ELBO estimate of <see cref="Elbo"/> and, from the same z draws, the Σw-weighted mean of the
    /// β-objective −(NLL + β·KL) per event (equal to the ELBO at β = 1): the held-out value of what
    /// training maximises. On the raw scale both add the preprocessing's log-Jacobian (−∞ for an event
    /// outside the range a quantile transform can generate); on the model's preprocessed scale they are
    /// finite — what best-checkpoint selection compares, since the Jacobian does not change between steps.
    /// </summary>
    /// <exception cref="NotSupportedException">The raw scale with a periodic feature column (<see cref="HasRawDensity"/> is false).</exception>
    internal (ElboEstimate Elbo, double Objective) HeldOut(double[][] features, double[][]? conditions, double[]? weights, int seed, float beta, bool rawScale)
    {
        if (rawScale && !HasRawDensity)
            throw new NotSupportedException("the ELBO in raw units is undefined with a periodic feature column (an angle mapped to (cos φ, sin φ) has no density in φ).");
        NeuralData.Check(features, conditions, weights);
        int dx = FeatureNames.Count, dy = ConditionNames.Count;
        if (features[0].Length != dx) throw new ArgumentException($"features have {features[0].Length} columns; the model has {dx}.", nameof(features));
        if (dy > 0 && (conditions is null || conditions[0].Length != dy)) throw new ArgumentException($"the model needs {dy} condition column(s).", nameof(conditions));
        var data = NeuralData.Build(features, dy > 0 ? conditions : null, weights, Enumerable.Range(0, features.Length).ToArray(), FeatureTransform, dy > 0 ? ConditionTransform : null);
        var rng = new Rng(unchecked((ulong)(long)seed));
        var per = new double[features.Length];
        var klPer = new double[features.Length];
        using (Autograd.NoGrad())
            for (int start = 0; start < data.Count; start += Chunk)
            {
                using var scope = TensorScope.Begin();
                int n = Math.Min(Chunk, data.Count - start);
                var b = data.Rows(start, n);
                var (nll, kl) = Terms(b.X, b.Y, rng);
                var nv = nll.ToArray();
                var kv = kl.ToArray();
                for (int i = 0; i < n; i++)
                {
                    per[start + i] = -(nv[i] + kv[i]) + (rawScale ? FeatureTransform.LogJacobian(features[start + i]) : 0);
                    klPer[start + i] = kv[i];
                }
            }
        double sw = 0, sw2 = 0, s = 0, skl = 0;
        for (int i = 0; i < per.Length; i++) { double w = weights?[i] ?? 1; sw += w; sw2 += w * w; s += w * per[i]; skl += w * klPer[i]; }
        double mean = s / sw, v = 0;
        for (int i = 0; i < per.Length; i++) { double w = weights?[i] ?? 1; v += w * w * (per[i] - mean) * (per[i] - mean); }
        return (new ElboEstimate(mean, Math.Sqrt(v) / Math.Abs(sw), per.Length), mean + (1 - beta) * skl / sw);
    }

    /// <summary>Encoder ("e.*") and decoder ("p.*") parameters.</summary>
    public IReadOnlyList<NamedTensor> Parameters() => NeuralParts.Prefixed("e.", Encoder).Concat(NeuralParts.Prefixed("p.", Decoder)).ToList();

    /// <summary>
    /// The model file: type "vae", metadata <see cref="VaeMetadata"/> (options, per-column transform
    /// states, steps, the latent mixture when there is one), encoder and decoder parameters as float32 arrays (the encoder is kept for <see cref="Elbo"/>).
    /// </summary>
    public ModelFileContent ToModelFile() => new(ModelTypeName, [.. FeatureNames], [.. ConditionNames],
        ModelJson.ToElement(new VaeMetadata(Options, FeatureTransform.States, ConditionTransform?.States ?? [], TrainedSteps, History?.Thinned(), LatentMixture)),
        NeuralParts.ToArrays(Parameters()));

    /// <summary>Rebuilds a model from its model-file content (the loader registered in <see cref="ModelRegistry"/>).</summary>
    /// <exception cref="InvalidDataException">Inconsistent content.</exception>
    public static ConditionalVae FromModelFile(ModelFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        const string source = "model type 'vae'";
        var meta = content.ReadMetadata<VaeMetadata>();
        var (fNames, cNames, fx, fy, tensors) = NeuralParts.ReadModelFile(content, meta.FeatureTransform, meta.ConditionTransform, source);
        var (e, d) = Networks(meta.Options, fx.OutputWidth, fy?.OutputWidth ?? 0);
        NeuralParts.LoadAll(tensors, source, ("e.", e), ("p.", d));
        var mixture = meta.LatentMixture?.Validated(meta.Options.LatentSize);
        return new ConditionalVae(e, d, meta.Options, fx, fy, fNames, cNames, meta.TrainedSteps) { History = meta.History, LatentMixture = mixture };
    }

    /// <summary>Saves the model as a model file (<see cref="ModelFile.Save"/>, atomic, SHA-256 protected).</summary>
    public void Save(string path) => ModelFile.Save(path, this);

    /// <summary>Loads a VAE model file.</summary>
    /// <exception cref="InvalidDataException">Corrupt file or not a VAE.</exception>
    public static ConditionalVae Load(string path) =>
        ModelFile.Load(path) as ConditionalVae ?? throw new InvalidDataException($"{path} holds a model that is not a VAE.");

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"VAE (β = {Options.Beta}, {FeatureNames.Count} features | {ConditionNames.Count} conditions, {TrainedSteps} steps)");
}

/// <summary>The JSON metadata of a VAE model file (the column names and the type are in the file header).</summary>
/// <param name="Options">Options (network shapes).</param>
/// <param name="FeatureTransform">Fitted preprocessing, one state per feature column.</param>
/// <param name="ConditionTransform">Fitted preprocessing, one state per condition column (empty when unconditional).</param>
/// <param name="TrainedSteps">Steps trained.</param>
/// <param name="History">The thinned training history (absent in files written before histories were kept).</param>
/// <param name="LatentMixture">The latent sampling density (absent in files written before it existed, and with <see cref="VaeOptions.LatentMixtureComponents"/> = 0: then z ~ N(0, I)).</param>
public sealed record VaeMetadata(VaeOptions Options, ColumnTransformState[] FeatureTransform, ColumnTransformState[] ConditionTransform, long TrainedSteps,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TrainingHistory? History = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] LatentMixture? LatentMixture = null);
