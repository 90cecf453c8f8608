using GenStats.Data;
using GenStats.Data.Images;

namespace GenStats.Observables;

/// <summary>How per-shower features are computed.</summary>
/// <param name="CellSize">Side of a cell, in the unit the positions should have (cm for the ECAL toy; 1 = cell units).</param>
/// <param name="Window">Side (odd) of the square window around the hottest cell over which the
/// barycentre and widths are taken (LHCb-style clustering; far noise cells would otherwise
/// dominate the second moments); 0 = the whole image.</param>
/// <param name="Threshold">A cell counts when its value is above this (0: positive cells; generated
/// images may hold small negative values).</param>
public sealed record ShowerFeatureOptions(double CellSize = 1.0, int Window = 7, double Threshold = 0.0)
{
    /// <summary>Cell units, a 7 × 7 window, positive cells.</summary>
    public static ShowerFeatureOptions Default { get; } = new();
}

/// <summary>
/// Per-shower features of calorimeter images, the inputs of the shower figures of merit. Positions
/// are in a frame centred on the grid: cell (r, c) has centre x = (c + ½ − W/2)·Δ, y = (r + ½ − H/2)·Δ
/// (the ECAL toy's frame). Only cells above the threshold count. Columns (<see cref="Names"/>):
/// <c>energy</c> Σ cells; <c>x</c>, <c>y</c> energy-weighted barycentre in the window;
/// <c>width_x</c>, <c>width_y</c> the square roots of the energy-weighted second central moments in
/// the window; <c>asym_x</c> = (E(column c*+1) − E(column c*−1)) / E(3 × 3) in the 3 × 3 block around
/// the hottest cell (r*, c*), <c>asym_y</c> likewise with rows; <c>max_fraction</c> hottest cell / energy;
/// <c>n_cells</c> cells above the threshold. An image with no cell above the threshold gives 0 for
/// every feature (no NaN reaches the statistics).
/// </summary>
public static class ShowerFeatures
{
    /// <summary>The feature names, in column order.</summary>
    public static readonly string[] Names = ["energy", "x", "y", "width_x", "width_y", "asym_x", "asym_y", "max_fraction", "n_cells"];

    /// <summary>The features of every image, as a dataset (features: <see cref="Names"/>; the images' weights as column <c>weight</c>).</summary>
    public static Dataset Compute(ImageDataset images, ShowerFeatureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        var o = options ?? ShowerFeatureOptions.Default;
        if (!(o.CellSize > 0) || double.IsInfinity(o.CellSize)) throw new ArgumentException($"CellSize is {o.CellSize}; it must be finite and > 0.", nameof(options));
        if (o.Window < 0 || (o.Window > 0 && o.Window % 2 == 0)) throw new ArgumentException($"Window is {o.Window}; give an odd side (e.g. 7) or 0 for the whole image.", nameof(options));
        if (!double.IsFinite(o.Threshold)) throw new ArgumentException($"Threshold is {o.Threshold}; it must be finite.", nameof(options));
        var columns = Names.Select(_ => new double[images.Count]).ToArray();
        var row = new double[Names.Length];
        for (int i = 0; i < images.Count; i++)
        {
            Of(images.Image(i), images.Height, images.Width, o, row);
            for (int f = 0; f < row.Length; f++) columns[f][i] = row[f];
        }
        var data = Dataset.Create(Names, columns);
        if (images.Weights is null) return data.WithRoles(Names);
        return data.WithColumn(ImageFile.WeightColumn, images.Weights).WithRoles(Names, null, ImageFile.WeightColumn);
    }

    /// <summary>The features of one image (row-major H × W) into <paramref name="features"/> (length <see cref="Names"/>.Length).</summary>
    public static void Of(ReadOnlySpan<float> image, int height, int width, ShowerFeatureOptions options, Span<double> features)
    {
        if (image.Length != height * width) throw new ArgumentException($"The image has {image.Length} cells, not {height} × {width}.", nameof(image));
        if (features.Length != Names.Length) throw new ArgumentException($"features has {features.Length} slots; {Names.Length} are needed.", nameof(features));
        features.Clear();
        double t = options.Threshold, total = 0, max = double.NegativeInfinity;
        int seed = -1, count = 0;
        for (int k = 0; k < image.Length; k++)
        {
            double v = image[k];
            if (!(v > t)) continue;
            total += v;
            count++;
            if (v > max) (max, seed) = (v, k);
        }
        if (count == 0) return;
        int sr = seed / width, sc = seed % width;
        int half = options.Window == 0 ? Math.Max(height, width) : options.Window / 2;
        int r0 = Math.Max(0, sr - half), r1 = Math.Min(height - 1, sr + half);
        int c0 = Math.Max(0, sc - half), c1 = Math.Min(width - 1, sc + half);
        double d = options.CellSize, sw = 0, sx = 0, sy = 0;
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++)
            {
                double v = image[r * width + c];
                if (!(v > t)) continue;
                sw += v;
                sx += v * c;
                sy += v * r;
            }
        double mc = sx / sw, mr = sy / sw, vx = 0, vy = 0;
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++)
            {
                double v = image[r * width + c];
                if (!(v > t)) continue;
                vx += v * (c - mc) * (c - mc);
                vy += v * (r - mr) * (r - mr);
            }
        double left = 0, right = 0, down = 0, up = 0, block = 0;
        for (int r = Math.Max(0, sr - 1); r <= Math.Min(height - 1, sr + 1); r++)
            for (int c = Math.Max(0, sc - 1); c <= Math.Min(width - 1, sc + 1); c++)
            {
                double v = image[r * width + c];
                if (!(v > t)) continue;
                block += v;
                if (c < sc) left += v;
                if (c > sc) right += v;
                if (r < sr) down += v;
                if (r > sr) up += v;
            }
        features[0] = total;
        features[1] = (mc + 0.5 - width / 2.0) * d;
        features[2] = (mr + 0.5 - height / 2.0) * d;
        features[3] = Math.Sqrt(vx / sw) * d;
        features[4] = Math.Sqrt(vy / sw) * d;
        features[5] = (right - left) / block;
        features[6] = (up - down) / block;
        features[7] = max / total;
        features[8] = count;
    }
}
