using System.Globalization;
using GenStats.Data;
using GenStats.Data.Images;
using GenStats.Models;

namespace GenStats.Cli;

/// <summary>
/// `genstats sample` for image models (<see cref="IImageGenerator"/>, e.g. conv-gan): conditions from
/// a CSV/Parquet table (columns by name) or from an image file's conditions (HDF5 simple layout;
/// its images are ignored); the output is the HDF5 simple layout when --out ends in .h5/.hdf5
/// (images [N, H, W], conditions [N, C] with names), else a table of the conditions and the
/// cell_r_c columns.
/// </summary>
internal static class ImageSampling
{
    /// <summary>Samples and writes; returns the line to print.</summary>
    public static string Run(IImageGenerator g, FileInfo modelFile, FileInfo? conditionFile, int? count, FileInfo output, int seed, int? oversample)
    {
        if (oversample is not null)
            throw new CliException($"--oversample is not available for the image model {modelFile.Name} ({g.ModelType}).");
        var names = g.ConditionNames.ToArray();
        double[][] rows;
        if (conditionFile is null)
        {
            if (names.Length > 0)
                throw new ArgumentException($"model {modelFile.Name} is conditional on {string.Join(", ", names)}; give --conditions with those columns instead of --n.");
            rows = Enumerable.Range(0, count!.Value).Select(_ => Array.Empty<double>()).ToArray();
        }
        else if (names.Length == 0)
            throw new CliException($"model {modelFile.Name} is unconditional; --conditions would only set the number of events. Use --n N instead.");
        else if (ImageFile.IsHdf5(conditionFile.FullName))
            rows = FromImageFile(ImageFile.Read(conditionFile.FullName), names, conditionFile.Name);
        else
            rows = TableFile.Read(conditionFile.FullName, new CsvOptions(RequiredColumns: names)).Rows(names);
        int n = rows.Length, h = g.ImageHeight, w = g.ImageWidth;
        // The images (float32), and for a table their float64 columns and text: about 3 copies of 8 bytes per cell.
        CliMemory.Require(3.0 * 8 * n * (h * w + names.Length), conditionFile is null ? $"--n {n}" : "--conditions");
        var images = g.SampleImages(rows, seed);
        if (ImageFile.IsHdf5(output.FullName))
        {
            if (names.Length == 0)
                throw new CliException($"the HDF5 simple layout needs at least one condition, and model {modelFile.Name} has none; write .csv instead.");
            var cond = new float[n * names.Length];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < names.Length; c++) cond[i * names.Length + c] = (float)rows[i][c];
            ImageFile.Write(output.FullName, ImageDataset.Create(images, n, h, w, cond, names));
        }
        else
        {
            var cells = ImageCells.Names(h, w);
            var columns = names.Select((name, c) => (name, rows.Select(r => r[c]).ToArray()))
                .Concat(cells.Select((name, k) => (name, Enumerable.Range(0, n).Select(i => (double)images[(long)i * h * w + k]).ToArray())))
                .ToArray();
            TableFile.Write(Dataset.Create(columns.Select(c => c.Item1).ToArray(), columns.Select(c => c.Item2).ToArray()), output.FullName);
        }
        return string.Create(CultureInfo.InvariantCulture, $"wrote {n} images of {h}×{w} cells ({g.ModelType}) to {output.FullName}");
    }

    private static double[][] FromImageFile(ImageDataset d, string[] names, string file)
    {
        var index = names.Select(nm =>
        {
            int i = d.ConditionNames.ToList().IndexOf(nm);
            if (i < 0)
                throw new CliException($"--conditions '{file}' has the conditions [{string.Join(", ", d.ConditionNames)}]; the model needs [{string.Join(", ", names)}].");
            return i;
        }).ToArray();
        int c = d.ConditionNames.Count;
        return Enumerable.Range(0, d.Count).Select(r => index.Select(i => (double)d.Conditions[r * c + i]).ToArray()).ToArray();
    }
}
