namespace GenStats.Models;

/// <summary>
/// A conditional generator of images (e.g. calorimeter showers: cell energies on an H×W grid). It
/// is also an <see cref="IConditionalGenerator"/> whose features are the cells row-major, named
/// <c>cell_r_c</c> (r = row, c = column, 0-based), so sampling, the model file and the CSV writers
/// work unchanged; <see cref="SampleImages"/> returns the same values as one flat float32 array.
/// </summary>
public interface IImageGenerator : IConditionalGenerator
{
    /// <summary>Image height H (rows).</summary>
    int ImageHeight { get; }

    /// <summary>Image width W (columns).</summary>
    int ImageWidth { get; }

    /// <summary>
    /// One image per row of <paramref name="conditions"/> (raw values of <see cref="IConditionalGenerator.ConditionNames"/>),
    /// as a flat array [N, H, W] in row-major order (image n, row r, column c at (n·H + r)·W + c).
    /// Same seed, same result, whatever the thread count.
    /// </summary>
    float[] SampleImages(double[][] conditions, int seed);
}

/// <summary>The feature names of image cells.</summary>
public static class ImageCells
{
    /// <summary><c>cell_r_c</c> for every cell, row-major (the CSV fallback layout of image data).</summary>
    public static string[] Names(int height, int width)
    {
        var names = new string[height * width];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
                names[r * width + c] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"cell_{r}_{c}");
        return names;
    }
}
