using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// Per-image summaries the conv-GAN critic sees next to the conditions
/// (<see cref="ConvGanOptions.CriticSummaries"/>): the total energy ΣE (its log with log1p
/// scaling) and, for log1p scaling, the energy-weighted variances of the column and row
/// coordinates (cluster widths², in cells). Tried because the default's total energy follows the
/// conditions loosely (a 2 % resolution came out 10× too wide), on the idea that a convolutional
/// critic resolves a sum of 900 cells only coarsely; measured, it did not help (the option's
/// remarks). They are computed in the graph from the scaled image t (E = s·(eᵗ − 1) or
/// s·t), so the gradient penalty differentiates through them, and standardised with the weighted
/// (max(w, 0)) mean and standard deviation over the training images.
/// </summary>
internal sealed class ShowerSummaries
{
    private readonly ImageScale scale;
    private readonly int height, width;
    private readonly float epsilon;
    private float[] mean, inverseSd;

    private ShowerSummaries(ImageScale scale, int height, int width, float epsilon)
    {
        this.scale = scale;
        this.height = height;
        this.width = width;
        this.epsilon = epsilon;
        Count = scale.Kind == ImageScaling.Log1p ? 3 : 1;
        mean = new float[Count];
        inverseSd = Enumerable.Repeat(1f, Count).ToArray();
    }

    /// <summary>Number of summaries per image.</summary>
    public int Count { get; }

    /// <summary>Fits the standardisation on scaled training images (flat [N, H·W]) with their weights.</summary>
    public static ShowerSummaries Fit(ImageScale scale, int height, int width, float[] scaledImages, float[] weights)
    {
        // ε keeps log ΣE and the centroid finite for an all-zero image: one cell at the scale s.
        var s = new ShowerSummaries(scale, height, width, (float)scale.Scale);
        int cells = height * width, n = weights.Length;
        var raw = new double[n][];
        using (Autograd.NoGrad())
        {
            for (int start = 0; start < n; start += 256)
            {
                using var scope = TensorScope.Begin();
                int b = Math.Min(256, n - start);
                var chunk = new float[b * cells];
                Array.Copy(scaledImages, (long)start * cells, chunk, 0, chunk.Length);
                var v = s.Raw(Tensor.FromArray(chunk, b, 1, height, width)).ToArray();
                for (int i = 0; i < b; i++) raw[start + i] = Array.ConvertAll(v[(i * s.Count)..((i + 1) * s.Count)], x => (double)x);
            }
        }
        var m = new float[s.Count];
        var inv = new float[s.Count];
        for (int k = 0; k < s.Count; k++)
        {
            double sw = 0, sx = 0, sxx = 0;
            for (int i = 0; i < n; i++)
            {
                double w = Math.Max(0, weights[i]);
                sw += w;
                sx += w * raw[i][k];
                sxx += w * raw[i][k] * raw[i][k];
            }
            double mu = sw > 0 ? sx / sw : 0;
            double sd = sw > 0 ? Math.Sqrt(Math.Max(0, sxx / sw - mu * mu)) : 0;
            m[k] = (float)mu;
            inv[k] = sd > 0 && double.IsFinite(sd) ? (float)(1 / sd) : 1f;
        }
        s.mean = m;
        s.inverseSd = inv;
        return s;
    }

    /// <summary>Scaled images [B, 1, H, W] → standardised summaries [B, Count].</summary>
    public Tensor Forward(Tensor images) =>
        Ops.Mul(Ops.Sub(Raw(images), Tensor.FromArray(mean, 1, Count)), Tensor.FromArray(inverseSd, 1, Count));

    /// <summary>Scaled images [B, 1, H, W] → [B, Count]: log(ΣE + ε), Var_E(column), Var_E(row) (log1p) or ΣE (linear).</summary>
    internal Tensor Raw(Tensor images)
    {
        int b = images.Shape[0];
        float sc = (float)scale.Scale;
        // The clamp keeps eᵗ finite for a wild early generator (training images reach t ≈ 10).
        var energy = scale.Kind == ImageScaling.Log1p ? Ops.Affine(Ops.Exp(Ops.Clamp(images, -30, 30)), sc, -sc) : Ops.Affine(images, sc, 0);
        var total = Ops.Sum(energy, [1, 2, 3], false);
        Tensor raw;
        if (scale.Kind != ImageScaling.Log1p)
            raw = Ops.Reshape(total, b, 1);
        else
        {
            var norm = Ops.Affine(total, 1, epsilon);
            var parts = new List<Tensor> { Ops.Reshape(Ops.Log(norm), b, 1) };
            foreach (var grid in new[] { Grid(false), Grid(true) })
            {
                var m1 = Ops.Div(Ops.Sum(Ops.Mul(energy, grid), [1, 2, 3], false), norm);
                var m2 = Ops.Div(Ops.Sum(Ops.Mul(energy, Ops.Square(grid)), [1, 2, 3], false), norm);
                parts.Add(Ops.Reshape(Ops.Sub(m2, Ops.Square(m1)), b, 1));
            }
            raw = Ops.Concat([.. parts], 1);
        }
        return raw;
    }

    /// <summary>The centred column (or row) index of every cell, [1, 1, H, W].</summary>
    private Tensor Grid(bool rows)
    {
        var g = new float[height * width];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
                g[r * width + c] = rows ? r - (height - 1) / 2f : c - (width - 1) / 2f;
        return Tensor.FromArray(g, 1, 1, height, width);
    }
}
