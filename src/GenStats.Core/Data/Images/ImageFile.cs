namespace GenStats.Data.Images;

/// <summary>How to read an image file.</summary>
/// <param name="CaloGanLayer">For a CaloGAN-layout file: which layer (k of <c>layer_k</c>) to read
/// as the images; null reads the only layer and is an error when the file has several.</param>
public sealed record ImageReadOptions(int? CaloGanLayer = null)
{
    /// <summary>No layer chosen.</summary>
    public static ImageReadOptions Default { get; } = new();
}

/// <summary>
/// Reads and writes image samples by file extension: <c>.h5</c>/<c>.hdf5</c> through HDF5 (the
/// simple layout — <c>images</c> [N, H, W], <c>conditions</c> [N, C] with attribute <c>names</c>,
/// optional <c>weights</c> [N] — or, when reading, the CaloGAN layout), <c>.csv</c> through
/// <c>cell_r_c</c> columns. See <see cref="ImageDataset"/> for the memory layout and docs/images.md
/// for the file layouts. Errors name the file and the missing or malformed dataset, attribute or column.
/// </summary>
public static class ImageFile
{
    /// <summary>The name of the weight column in CSV files and in <see cref="ImageDataset.ConditionTable"/>.</summary>
    public const string WeightColumn = "weight";

    /// <summary>True for <c>.h5</c> and <c>.hdf5</c> (any case).</summary>
    public static bool IsHdf5(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".h5" or ".hdf5";

    /// <summary>True for <c>.csv</c> (any case).</summary>
    public static bool IsCsv(string path) =>
        string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="path"/> is an HDF5 file in the CaloGAN layout
    /// (<c>energy</c> and <c>layer_0</c>, no <c>images</c>).</summary>
    public static bool IsCaloGan(string path) => IsHdf5(path) && Hdf5Images.IsCaloGan(path);

    /// <summary>
    /// Reads an image sample: HDF5 simple layout, HDF5 CaloGAN layout (one layer as the images,
    /// the energy as the one condition; choose the layer with <see cref="ImageReadOptions.CaloGanLayer"/>),
    /// or CSV with <c>cell_r_c</c> columns.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A dataset, attribute or column is missing or malformed; the message says which and what is expected.</exception>
    /// <exception cref="ArgumentException">The extension is neither .h5/.hdf5 nor .csv.</exception>
    public static ImageDataset Read(string path, ImageReadOptions? options = null)
    {
        options ??= ImageReadOptions.Default;
        RequireKnownExtension(path);
        if (IsCsv(path))
        {
            if (options.CaloGanLayer is not null)
                throw new ArgumentException($"A CaloGAN layer was chosen but '{path}' is a CSV file; layers exist only in CaloGAN HDF5 files.", nameof(options));
            return ImageCsv.Read(path);
        }
        if (!Hdf5Images.IsCaloGan(path))
        {
            if (options.CaloGanLayer is not null)
                throw new ArgumentException($"A CaloGAN layer was chosen but '{path}' is not in the CaloGAN layout (energy, layer_0, …, overflow).", nameof(options));
            return Hdf5Images.ReadSimple(path);
        }
        var showers = Hdf5Images.ReadCaloGan(path);
        var shapes = string.Join(", ", showers.Layers.Select((l, k) => $"layer_{k} {l.Height} × {l.Width}"));
        int layer = options.CaloGanLayer ?? (showers.Layers.Count == 1
            ? 0
            : throw new ArgumentException($"'{path}' is a CaloGAN file with {showers.Layers.Count} layers ({shapes}); choose one (ImageReadOptions.CaloGanLayer).", nameof(options)));
        if (layer < 0 || layer >= showers.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(options), layer, $"'{path}' has layers 0..{showers.Layers.Count - 1} ({shapes}); layer {layer} does not exist.");
        return showers.Layers[layer];
    }

    /// <summary>Writes an image sample, atomically: HDF5 simple layout for <c>.h5</c>/<c>.hdf5</c>
    /// (needs at least one condition), CSV with <c>cell_r_c</c> columns for <c>.csv</c>.</summary>
    public static void Write(string path, ImageDataset data)
    {
        RequireKnownExtension(path);
        if (IsCsv(path)) ImageCsv.Write(path, data);
        else Hdf5Images.WriteSimple(path, data);
    }

    /// <summary>Reads every layer of a CaloGAN-layout HDF5 file (energy, layer_k, overflow).</summary>
    public static CaloGanShowers ReadCaloGan(string path)
    {
        if (!IsHdf5(path)) throw new ArgumentException($"'{path}': the CaloGAN layout is HDF5; the file name must end in .h5 or .hdf5.", nameof(path));
        return Hdf5Images.ReadCaloGan(path);
    }

    /// <summary>Writes a CaloGAN-layout HDF5 file (energy [N, 1], layer_k [N, H_k, W_k], overflow [N, L]), atomically.</summary>
    public static void WriteCaloGan(string path, CaloGanShowers showers)
    {
        if (!IsHdf5(path)) throw new ArgumentException($"'{path}': the CaloGAN layout is HDF5; the file name must end in .h5 or .hdf5.", nameof(path));
        Hdf5Images.WriteCaloGan(path, showers);
    }

    private static void RequireKnownExtension(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!IsHdf5(path) && !IsCsv(path))
            throw new ArgumentException($"'{path}': image files are HDF5 (.h5, .hdf5) or CSV (.csv); the extension '{Path.GetExtension(path)}' is neither.", nameof(path));
    }
}
