using GenStats.Data;
using GenStats.Stats;
using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// Training rows of a neural model after checks and preprocessing, as flat float32 arrays
/// (row-major), with the split into a training part and a held-out part.
/// </summary>
internal sealed class NeuralData
{
    public required int Dx { get; init; }
    public required int Dy { get; init; }
    public required float[] X { get; init; }
    public required float[] Y { get; init; }
    public required float[] W { get; set; }
    public int Count => W.Length;

    /// <summary>Checks raw inputs: rectangular, finite, weights finite with Σw &gt; 0.</summary>
    public static void Check(double[][] features, double[][]? conditions, double[]? weights)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length == 0) throw new ArgumentException("features is empty; at least one event is required.", nameof(features));
        int dx = features[0]?.Length ?? 0;
        if (dx == 0) throw new ArgumentException("features[0] is empty; at least one feature column is required.", nameof(features));
        CheckRows(features, dx, nameof(features));
        if (conditions is not null)
        {
            if (conditions.Length != features.Length)
                throw new ArgumentException($"conditions has {conditions.Length} rows but features has {features.Length}; one row per event is required.", nameof(conditions));
            CheckRows(conditions, conditions[0]?.Length ?? 0, nameof(conditions));
        }
        SampleChecks.RequireWeights(weights, features.Length, nameof(weights), allowNegative: true);
    }

    private static void CheckRows(double[][] rows, int width, string name)
    {
        for (int r = 0; r < rows.Length; r++)
        {
            var row = rows[r] ?? throw new ArgumentException($"{name}[{r}] is null.", name);
            if (row.Length != width)
                throw new ArgumentException($"{name}[{r}] has {row.Length} values; every row must have {width}.", name);
            for (int c = 0; c < width; c++)
                if (!double.IsFinite(row[c]))
                    throw new ArgumentException($"{name}[{r}][{c}] is {row[c]}; training data must be finite (remove or fix such events first).", name);
        }
    }

    /// <summary>Preprocesses and flattens the rows selected by <paramref name="index"/>.</summary>
    public static NeuralData Build(double[][] features, double[][]? conditions, double[]? weights, int[] index, RowTransform fx, RowTransform? fy)
    {
        int dx = fx.OutputWidth, dy = fy?.OutputWidth ?? 0;
        var x = new float[index.Length * dx];
        var y = new float[index.Length * dy];
        var w = new float[index.Length];
        for (int i = 0; i < index.Length; i++)
        {
            int r = index[i];
            var zx = fx.ForwardRow(features[r]);
            for (int c = 0; c < dx; c++) x[i * dx + c] = (float)zx[c];
            if (fy is not null)
            {
                var zy = fy.ForwardRow(conditions![r]);
                for (int c = 0; c < dy; c++) y[i * dy + c] = (float)zy[c];
            }
            w[i] = weights is null ? 1f : (float)weights[r];
        }
        return new NeuralData { Dx = dx, Dy = dy, X = x, Y = y, W = w };
    }

    /// <summary>
    /// A deterministic split of n events: the held-out part (⌊fraction·n⌋ events, at most
    /// <paramref name="maxHeldOut"/>) and the rest, from a permutation keyed by the seed.
    /// </summary>
    public static (int[] Train, int[] HeldOut) Split(int n, double fraction, int maxHeldOut, ulong seed)
    {
        int h = (int)Math.Min(maxHeldOut, Math.Floor(fraction * n));
        if (h <= 0) return (Enumerable.Range(0, n).ToArray(), []);
        var keys = new ulong[n];
        for (int i = 0; i < n; i++) keys[i] = Mix(seed ^ SplitMix64.Golden, (ulong)i);
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(keys, order);
        var held = order[..h];
        var train = order[h..];
        Array.Sort(held);
        Array.Sort(train);
        return (train, held);
    }

    /// <summary><see cref="SplitMix64.Mix"/> of a + φ·(b + 1).</summary>
    public static ulong Mix(ulong a, ulong b) => SplitMix64.Mix(a + SplitMix64.Golden * (b + 1));

    /// <summary>SHA-256 of the raw inputs, to check that a resumed run sees the same data.</summary>
    public static string Fingerprint(double[][] features, double[][]? conditions, double[]? weights) =>
        Fingerprint(add => { foreach (var row in features) foreach (var v in row) add(v); }, conditions, weights);

    /// <summary>The SHA-256 (hex) of the values <paramref name="features"/> hands to its callback (as float64), then the conditions and weights: the fingerprint of any data layout.</summary>
    public static string Fingerprint(Action<Action<double>> features, double[][]? conditions, double[]? weights)
    {
        using var h = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var b = new byte[8];
        void Add(double v) { System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(b, v); h.AppendData(b); }
        features(Add);
        if (conditions is not null) foreach (var row in conditions) foreach (var v in row) Add(v);
        if (weights is not null) foreach (var v in weights) Add(v);
        return Convert.ToHexString(h.GetHashAndReset());
    }

    /// <summary>
    /// Draws a batch with replacement (indices from two uniforms, 48 random bits) as tensors
    /// x [B, dx], y [B, dy] (null when unconditional) and w [B], with Σw and the ESS in float64.
    /// </summary>
    public Batch Sample(Rng rng, int size)
    {
        // The rows live on the host, so their indices are drawn there: the same draws as rng.Uniform.
        var uv = rng.UniformOnHost(2 * size);
        var idx = new int[size];
        for (int i = 0; i < size; i++)
        {
            double r = uv[2 * i] + uv[2 * i + 1] / 16777216.0;
            idx[i] = Math.Min(Count - 1, (int)(r * Count));
        }
        return Gather(idx);
    }

    /// <summary>The rows [start, start + size) as a batch.</summary>
    public Batch Rows(int start, int size) => Gather(Enumerable.Range(start, size).ToArray());

    private Batch Gather(int[] idx)
    {
        int b = idx.Length;
        var x = new float[b * Dx];
        var y = new float[b * Dy];
        var w = new float[b];
        double sw = 0, sw2 = 0;
        for (int i = 0; i < b; i++)
        {
            Array.Copy(X, idx[i] * Dx, x, i * Dx, Dx);
            if (Dy > 0) Array.Copy(Y, idx[i] * Dy, y, i * Dy, Dy);
            w[i] = W[idx[i]];
            sw += w[i];
            sw2 += (double)w[i] * w[i];
        }
        return new Batch(Tensor.FromArray(x, b, Dx), Dy > 0 ? Tensor.FromArray(y, b, Dy) : null, Tensor.FromArray(w, b), sw, sw2 > 0 ? sw * sw / sw2 : 0) { Index = idx };
    }
}

/// <summary>A batch of preprocessed events.</summary>
internal sealed record Batch(Tensor X, Tensor? Y, Tensor W, double SumW, double Ess)
{
    public int Size => W.Size;
    /// <summary>The rows of the data set the batch holds, in order.</summary>
    public int[] Index { get; init; } = [];
}
