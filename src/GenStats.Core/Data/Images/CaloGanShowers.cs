namespace GenStats.Data.Images;

/// <summary>
/// A sample in the CaloGAN layout (Paganini, de Oliveira, Nachman 2018): per event the incident
/// energy, one image per calorimeter layer (shapes may differ between layers; CaloGAN's are
/// 3 × 96, 12 × 12 and 12 × 6) and the energy each layer lost outside its grid. Each layer is an
/// <see cref="ImageDataset"/> whose one condition is <c>energy</c>, so any layer can be trained
/// or compared on its own (<see cref="ImageFile.Read(string, ImageReadOptions?)"/> with
/// <see cref="ImageReadOptions.CaloGanLayer"/>). The arrays are stored, not copied.
/// </summary>
public sealed record CaloGanShowers
{
    /// <summary>The incident energy of each event (CaloGAN: GeV).</summary>
    public float[] Energy { get; }

    /// <summary>One image set per layer, layer k = file dataset <c>layer_k</c> (CaloGAN: MeV per cell).</summary>
    public IReadOnlyList<ImageDataset> Layers { get; }

    /// <summary>Energy outside each layer's grid, row-major [N, Layers.Count].</summary>
    public float[] Overflow { get; }

    /// <summary>Number of events.</summary>
    public int Count => Energy.Length;

    /// <summary>
    /// Checks that every layer has one image per event and the energies as its one condition
    /// (<c>energy</c>), and that overflow is [N, layers] and finite.
    /// </summary>
    public CaloGanShowers(float[] energy, ImageDataset[] layers, float[] overflow)
    {
        ArgumentNullException.ThrowIfNull(energy);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(overflow);
        if (layers.Length == 0) throw new ArgumentException("A CaloGAN sample needs at least one layer.", nameof(layers));
        for (int i = 0; i < energy.Length; i++)
            if (!float.IsFinite(energy[i])) throw new ArgumentException($"The energy of event {i} is {energy[i]}; energies must be finite.", nameof(energy));
        for (int k = 0; k < layers.Length; k++)
        {
            var layer = layers[k] ?? throw new ArgumentNullException(nameof(layers), $"Layer {k} is null.");
            if (layer.Count != energy.Length)
                throw new ArgumentException($"Layer {k} has {layer.Count} images but there are {energy.Length} energies; one image per event is required.", nameof(layers));
            if (layer.ConditionNames.Count != 1 || layer.ConditionNames[0] != Hdf5Images.EnergyName || !layer.Conditions.AsSpan().SequenceEqual(energy))
                throw new ArgumentException($"Layer {k} must have the energies as its one condition, named '{Hdf5Images.EnergyName}'.", nameof(layers));
        }
        if (overflow.LongLength != (long)energy.Length * layers.Length)
            throw new ArgumentException($"overflow has {overflow.LongLength} values; {energy.Length} events × {layers.Length} layers are required (row-major [N, L]).", nameof(overflow));
        for (int i = 0; i < overflow.Length; i++)
            if (!float.IsFinite(overflow[i]))
                throw new ArgumentException($"The overflow of event {i / layers.Length}, layer {i % layers.Length} is {overflow[i]}; values must be finite.", nameof(overflow));
        Energy = energy;
        Layers = layers;
        Overflow = overflow;
    }

    /// <summary>A CaloGAN sample from its energies, per-layer cells (layer k row-major [N, heights[k], widths[k]]) and overflow [N, L].</summary>
    public static CaloGanShowers Create(float[] energy, float[][] layerCells, int[] heights, int[] widths, float[] overflow)
    {
        ArgumentNullException.ThrowIfNull(energy);
        ArgumentNullException.ThrowIfNull(layerCells);
        ArgumentNullException.ThrowIfNull(heights);
        ArgumentNullException.ThrowIfNull(widths);
        if (layerCells.Length != heights.Length || layerCells.Length != widths.Length)
            throw new ArgumentException($"{layerCells.Length} layers but {heights.Length} heights and {widths.Length} widths; one shape per layer is required.", nameof(heights));
        var layers = layerCells.Select((cells, k) =>
            ImageDataset.Create(cells, energy.Length, heights[k], widths[k], energy, [Hdf5Images.EnergyName])).ToArray();
        return new CaloGanShowers(energy, layers, overflow);
    }
}
