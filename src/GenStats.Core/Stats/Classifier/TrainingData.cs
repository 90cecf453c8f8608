namespace GenStats.Stats.Classifier;

/// <summary>Shared argument checks of the classifiers' <c>Fit</c>.</summary>
internal static class TrainingData
{
    public static int Check(double[][] features, bool[] labels, double[]? weights)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Length == 0)
            throw new ArgumentException("features is empty; at least one event per class is required.", nameof(features));
        if (labels.Length != features.Length)
            throw new ArgumentException(
                $"labels has {labels.Length} entries but features has {features.Length} events; one label per event is required.",
                nameof(labels));
        int dim = CheckRows(features, nameof(features), null);
        SampleChecks.RequireWeights(weights, features.Length, nameof(weights), allowNegative: false);
        double w1 = 0, w0 = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i]) w1 += weights?[i] ?? 1.0; else w0 += weights?[i] ?? 1.0;
        }
        if (!(w1 > 0) || !(w0 > 0))
            throw new ArgumentException(
                $"The classes carry total weight {w1} (label true) and {w0} (label false); both must be positive.", nameof(labels));
        return dim;
    }

    public static int CheckRows(double[][] features, string name, int? expectedDim)
    {
        ArgumentNullException.ThrowIfNull(features, name);
        int dim = expectedDim ?? (features.Length > 0 && features[0] is not null ? features[0].Length : 0);
        for (int i = 0; i < features.Length; i++)
        {
            var row = features[i];
            if (row is null || row.Length != dim)
                throw new ArgumentException(
                    $"{name}[{i}] has {(row is null ? "no" : row.Length.ToString())} features; {dim} are required.", name);
            for (int c = 0; c < dim; c++)
                if (!double.IsFinite(row[c]))
                    throw new ArgumentException($"{name}[{i}][{c}] is {row[c]}; only finite values are allowed.", name);
        }
        return dim;
    }
}
