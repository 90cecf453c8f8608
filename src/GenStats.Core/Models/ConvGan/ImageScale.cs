namespace GenStats.Models;

/// <summary>
/// The preprocessing of cell energies: t = log(1 + E/s) (<see cref="ImageScaling.Log1p"/>) or
/// t = E/s (<see cref="ImageScaling.Linear"/>), with s the mean of the non-zero training cells' |E|
/// or, for log1p with a quantile q, their weighted q-quantile (the smallest cell value whose
/// cumulative weight reaches q of the total); 1 when there are none; event weights max(w, 0).
/// </summary>
/// <param name="Kind">Log1p or linear.</param>
/// <param name="Scale">s &gt; 0.</param>
public readonly record struct ImageScale(ImageScaling Kind, double Scale)
{
    /// <summary>Fits s on images [N, H·W] (flat) with optional event weights.</summary>
    /// <param name="kind">Log1p or linear.</param>
    /// <param name="images">Flat cells, N·H·W.</param>
    /// <param name="cells">H·W.</param>
    /// <param name="weights">Per-image weights (null = 1).</param>
    /// <param name="quantile">For log1p: the quantile of the non-zero cells that sets s, in (0, 1); null = their mean.</param>
    /// <exception cref="ArgumentException">A non-finite cell, a negative one with log1p scaling, or a quantile outside (0, 1).</exception>
    public static ImageScale Fit(ImageScaling kind, float[] images, int cells, double[]? weights, double? quantile = null)
    {
        if (quantile is double q0 && !(q0 > 0 && q0 < 1))
            throw new ArgumentException($"the scale quantile is {q0}; a value in (0, 1) (or none, for the mean) is required.", nameof(quantile));
        bool useQuantile = quantile is not null && kind == ImageScaling.Log1p;
        var kept = useQuantile ? new List<(float Value, double Weight)>() : null;
        double sum = 0, count = 0;
        for (int i = 0; i < images.Length; i++)
        {
            float v = images[i];
            if (!float.IsFinite(v))
                throw new ArgumentException($"image {i / cells}, cell {i % cells} is {v}; training images must be finite.", nameof(images));
            if (v < 0 && kind == ImageScaling.Log1p)
                throw new ArgumentException($"image {i / cells}, cell {i % cells} is {v}; log1p scaling needs energies ≥ 0 (use Linear scaling for signed values).", nameof(images));
            if (v == 0) continue;
            double w = weights is null ? 1 : Math.Max(0, weights[i / cells]);
            sum += w * Math.Abs(v);
            count += w;
            if (w > 0) kept?.Add((v, w));
        }
        double s = count > 0 && sum > 0 ? sum / count : 1;
        if (kept is { Count: > 0 })
        {
            kept.Sort((a, b) => a.Value.CompareTo(b.Value));
            double target = quantile!.Value * count, cumulative = 0;
            foreach (var (value, weight) in kept)
            {
                cumulative += weight;
                if (cumulative >= target) { s = value; break; }
            }
        }
        return new ImageScale(kind, s);
    }

    /// <summary>E → t.</summary>
    public float Forward(float e) => Kind == ImageScaling.Log1p ? (float)GenStats.Numerics.Precise.Log1P(e / Scale) : (float)(e / Scale);

    /// <summary>t → E.</summary>
    public float Inverse(float t) => Kind == ImageScaling.Log1p ? (float)(Scale * GenStats.Numerics.Precise.ExpM1(t)) : (float)(t * Scale);
}
