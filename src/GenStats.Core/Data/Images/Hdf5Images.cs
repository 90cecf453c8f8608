using GenStats.Numerics;
using PureHDF;

namespace GenStats.Data.Images;

/// <summary>
/// The two HDF5 layouts of image samples, read and written with PureHDF (no native HDF5 library;
/// h5py reads what it writes, and it reads h5py's contiguous and chunked + gzip datasets).
/// <para>Simple layout (GenStats' own; what <c>genstats toy ecal</c> and <c>sample</c> write):
/// <c>images</c> float32 [N, H, W]; <c>conditions</c> float32 [N, C] with the string-array
/// attribute <c>names</c> (C names); optional <c>weights</c> float64 [N].</para>
/// <para>CaloGAN layout (Paganini et al. 2018): <c>energy</c> [N, 1] (the incident energy, GeV),
/// <c>layer_0</c>, <c>layer_1</c>, … [N, H_k, W_k] (cell energies, MeV; the layers may differ
/// in shape), <c>overflow</c> [N, L] (energy outside each layer's grid). Each layer reads as its
/// own <see cref="ImageDataset"/> whose one condition is <c>energy</c>; overflow is kept beside them
/// (it is part of the shower, not a condition). Values keep the file's units.</para>
/// Floating-point datasets of 32 or 64 bits are accepted (64-bit values are rounded to float32
/// for images and conditions); anything else is an <see cref="InvalidDataException"/> naming
/// the file, the dataset and what was found.
/// </summary>
internal static class Hdf5Images
{
    public const string ImagesName = "images", ConditionsName = "conditions", NamesAttribute = "names", WeightsName = "weights";
    public const string EnergyName = "energy", OverflowName = "overflow", LayerPrefix = "layer_";

    /// <summary>True when the file holds the CaloGAN layout (an <c>energy</c> and a <c>layer_0</c> dataset, no <c>images</c>).</summary>
    public static bool IsCaloGan(string path)
    {
        using var file = Open(path);
        return !file.LinkExists(ImagesName) && file.LinkExists(EnergyName) && file.LinkExists(LayerPrefix + "0");
    }

    public static ImageDataset ReadSimple(string path)
    {
        using var file = Open(path);
        var (images, imageDims) = ReadFloats(file, path, ImagesName, 3);
        int n = ToInt(imageDims[0], path, ImagesName);
        var (conditions, conditionDims) = ReadFloats(file, path, ConditionsName, 2);
        if (conditionDims[0] != (ulong)n)
            throw new InvalidDataException($"{path}: '{ConditionsName}' has {conditionDims[0]} rows but '{ImagesName}' has {n} events; one row of conditions per image is required.");
        var names = ReadNames(file, path, (int)conditionDims[1]);
        double[]? weights = null;
        if (file.LinkExists(WeightsName))
        {
            var (w, wDims) = ReadDoubles(file, path, WeightsName, 1);
            if (wDims[0] != (ulong)n)
                throw new InvalidDataException($"{path}: '{WeightsName}' has {wDims[0]} entries but '{ImagesName}' has {n} events; one weight per event is required.");
            weights = w;
        }
        return Wrap(path, () => ImageDataset.Create(images, n, (int)imageDims[1], (int)imageDims[2], conditions, names, weights));
    }

    public static void WriteSimple(string path, ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.ConditionNames.Count == 0)
            throw new ArgumentException("The sample has no conditions; the simple HDF5 layout needs at least one named condition column.", nameof(data));
        var conditions = new H5Dataset(data.Conditions, fileDims: [(ulong)data.Count, (ulong)data.ConditionNames.Count]);
        conditions.Attributes[NamesAttribute] = new H5Attribute(data.ConditionNames.ToArray(), [(ulong)data.ConditionNames.Count]);
        var file = new H5File
        {
            [ImagesName] = new H5Dataset(data.Images, fileDims: [(ulong)data.Count, (ulong)data.Height, (ulong)data.Width]),
            [ConditionsName] = conditions,
        };
        if (data.Weights is not null) file[WeightsName] = new H5Dataset(data.Weights, fileDims: [(ulong)data.Count]);
        AtomicFile.Write(path, stream => file.Write(stream));
    }

    public static CaloGanShowers ReadCaloGan(string path)
    {
        using var file = Open(path);
        var (energy, energyDims) = ReadFloats(file, path, EnergyName, 1, 2);
        if (energyDims.Length == 2 && energyDims[1] != 1)
            throw new InvalidDataException($"{path}: '{EnergyName}' has shape [{string.Join(", ", energyDims)}]; the CaloGAN layout has [N, 1] (or [N]).");
        int n = ToInt(energyDims[0], path, EnergyName);
        var layers = new List<ImageDataset>();
        for (int k = 0; file.LinkExists(LayerPrefix + k); k++)
        {
            string name = LayerPrefix + k;
            var (cells, dims) = ReadFloats(file, path, name, 3);
            if (dims[0] != (ulong)n)
                throw new InvalidDataException($"{path}: '{name}' has {dims[0]} events but '{EnergyName}' has {n}; every layer needs one image per event.");
            layers.Add(Wrap(path, () => ImageDataset.Create(cells, n, (int)dims[1], (int)dims[2], energy, [EnergyName])));
        }
        if (layers.Count == 0)
            throw new InvalidDataException($"{path}: no dataset '{LayerPrefix}0'; the CaloGAN layout stores its images as {LayerPrefix}0, {LayerPrefix}1, ….");
        if (!file.LinkExists(OverflowName))
            throw new InvalidDataException($"{path}: no dataset '{OverflowName}'; the CaloGAN layout has '{OverflowName}' [N, {layers.Count}] beside '{EnergyName}' and the layers.");
        var (overflow, overflowDims) = ReadFloats(file, path, OverflowName, 2);
        if (overflowDims[0] != (ulong)n || overflowDims[1] != (ulong)layers.Count)
            throw new InvalidDataException($"{path}: '{OverflowName}' has shape [{string.Join(", ", overflowDims)}]; [{n}, {layers.Count}] (events × layers) is required.");
        return Wrap(path, () => new CaloGanShowers(energy, [.. layers], overflow));
    }

    public static void WriteCaloGan(string path, CaloGanShowers showers)
    {
        ArgumentNullException.ThrowIfNull(showers);
        ulong n = (ulong)showers.Count;
        var file = new H5File
        {
            [EnergyName] = new H5Dataset(showers.Energy, fileDims: [n, 1]),
            [OverflowName] = new H5Dataset(showers.Overflow, fileDims: [n, (ulong)showers.Layers.Count]),
        };
        for (int k = 0; k < showers.Layers.Count; k++)
        {
            var layer = showers.Layers[k];
            file[LayerPrefix + k] = new H5Dataset(layer.Images, fileDims: [n, (ulong)layer.Height, (ulong)layer.Width]);
        }
        AtomicFile.Write(path, stream => file.Write(stream));
    }

    private static NativeFileHandle Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new FileNotFoundException($"HDF5 file '{path}' is a directory; give a file.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"HDF5 file '{path}' does not exist.", path);
        try
        {
            return new NativeFileHandle(H5File.OpenRead(path));
        }
        catch (Exception e) when (e is not (FileNotFoundException or UnauthorizedAccessException))
        {
            throw new InvalidDataException($"{path}: not a readable HDF5 file ({e.Message}).", e);
        }
    }

    private static T Wrap<T>(string path, Func<T> make)
    {
        try
        {
            return make();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static int ToInt(ulong n, string path, string name) =>
        n <= int.MaxValue ? (int)n : throw new InvalidDataException($"{path}: '{name}' has {n} events; at most {int.MaxValue} are supported.");

    private static IH5Dataset Dataset(NativeFileHandle file, string path, string name, params int[] ranks)
    {
        if (!file.LinkExists(name))
            throw new InvalidDataException(
                $"{path}: no dataset '{name}'; the file holds: {Describe(file)}. The simple layout needs '{ImagesName}' [N, H, W] and '{ConditionsName}' [N, C] (with attribute '{NamesAttribute}'); the CaloGAN layout '{EnergyName}', '{LayerPrefix}0', … and '{OverflowName}'.");
        IH5Dataset dataset;
        try
        {
            dataset = file.File.Dataset(name);
        }
        catch (Exception e)
        {
            throw new InvalidDataException($"{path}: '{name}' is not a dataset ({e.Message}).", e);
        }
        var dims = dataset.Space.Dimensions;
        if (!ranks.Contains(dims.Length))
            throw new InvalidDataException(
                $"{path}: '{name}' has shape [{string.Join(", ", dims)}] (rank {dims.Length}); rank {string.Join(" or ", ranks)} is required.");
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint || dataset.Type.Size is not (4 or 8))
            throw new InvalidDataException(
                $"{path}: '{name}' holds {dataset.Type.Class} values of {dataset.Type.Size} bytes; 32- or 64-bit floating point is required.");
        return dataset;
    }

    private static (float[] Values, ulong[] Dims) ReadFloats(NativeFileHandle file, string path, string name, params int[] ranks)
    {
        var dataset = Dataset(file, path, name, ranks);
        var values = dataset.Type.Size == 4 ? dataset.Read<float[]>() : Array.ConvertAll(dataset.Read<double[]>(), v => (float)v);
        return (values, dataset.Space.Dimensions);
    }

    private static (double[] Values, ulong[] Dims) ReadDoubles(NativeFileHandle file, string path, string name, params int[] ranks)
    {
        var dataset = Dataset(file, path, name, ranks);
        var values = dataset.Type.Size == 8 ? dataset.Read<double[]>() : Array.ConvertAll(dataset.Read<float[]>(), v => (double)v);
        return (values, dataset.Space.Dimensions);
    }

    private static string[] ReadNames(NativeFileHandle file, string path, int columns)
    {
        var conditions = file.File.Dataset(ConditionsName);
        if (!conditions.AttributeExists(NamesAttribute))
            throw new InvalidDataException(
                $"{path}: '{ConditionsName}' has no attribute '{NamesAttribute}'; the simple layout names its {columns} condition columns in a string-array attribute (h5py: f['{ConditionsName}'].attrs['{NamesAttribute}'] = ['px', 'py', …]).");
        var attribute = conditions.Attribute(NamesAttribute);
        if (attribute.Type.Class != H5DataTypeClass.String && attribute.Type.Class != H5DataTypeClass.VariableLength)
            throw new InvalidDataException($"{path}: the attribute '{NamesAttribute}' of '{ConditionsName}' holds {attribute.Type.Class} values; strings are required.");
        string[] names;
        try
        {
            names = attribute.Read<string[]>();
        }
        catch (Exception e)
        {
            throw new InvalidDataException($"{path}: the attribute '{NamesAttribute}' of '{ConditionsName}' cannot be read as strings ({e.Message}).", e);
        }
        if (names.Length != columns)
            throw new InvalidDataException(
                $"{path}: the attribute '{NamesAttribute}' holds {names.Length} names but '{ConditionsName}' has {columns} columns; one name per column is required.");
        return names;
    }

    private static string Describe(NativeFileHandle file)
    {
        var names = file.File.Children().Select(c => c.Name).ToArray();
        return names.Length == 0 ? "nothing" : string.Join(", ", names);
    }

    /// <summary>The open file, disposed with the handle (PureHDF's NativeFile is the IDisposable).</summary>
    private sealed class NativeFileHandle(PureHDF.VOL.Native.NativeFile file) : IDisposable
    {
        public PureHDF.VOL.Native.NativeFile File { get; } = file;

        public bool LinkExists(string name) => File.LinkExists(name);

        public void Dispose() => File.Dispose();
    }
}
