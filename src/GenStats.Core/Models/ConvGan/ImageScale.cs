namespace GenStats.Models;

/// <summary>
/// The preprocessing of cell energies: t = log(1 + E/s) (<see cref="ImageScaling.Log1p"/>) or
/// t = E/s (<see cref="ImageScaling.Linear"/>), with s the mean of the non-zero training cells
/// (1 when there are none), fitted with max(w, 0) event weights.
/// </summary>
/// <param name="Kind">Log1p or linear.</param>
/// <param name="Scale">s &gt; 0.</param>
public readonly record struct ImageScale(ImageScaling Kind, double Scale)
{
    /// <summary>Fits s on images [N, H·W] (flat) with optional event weights.</summary>
    /// <exception cref="ArgumentException">A non-finite cell, or a negative one with log1p scaling.</exception>
    public static ImageScale Fit(ImageScaling kind, float[] images, int cells, double[]? weights)
    {
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
        }
        double s = count > 0 && sum > 0 ? sum / count : 1;
        return new ImageScale(kind, s);
    }

    /// <summary>E → t.</summary>
    public float Forward(float e) => Kind == ImageScaling.Log1p ? (float)GenStats.Numerics.Precise.Log1P(e / Scale) : (float)(e / Scale);

    /// <summary>t → E.</summary>
    public float Inverse(float t) => Kind == ImageScaling.Log1p ? (float)(Scale * GenStats.Numerics.Precise.ExpM1(t)) : (float)(t * Scale);
}
