using GenStats.Data;
using GenStats.Models.Files;

namespace GenStats.Models;

/// <summary>How the histogram sampler bins the features.</summary>
public enum HistogramMode
{
    /// <summary>One d-dimensional histogram (keeps correlations; for small d, since cells grow as bins^d).</summary>
    Joint,
    /// <summary>One 1-D histogram per feature, sampled independently (ignores correlations between features).</summary>
    Marginals,
}

/// <summary>Options of the histogram sampler.</summary>
/// <param name="Bins">Bins per dimension; null = ⌈2 n_eff^(1/(d+2))⌉ (d = 1 for marginals: Rice's rule 2 n^(1/3)).</param>
/// <param name="Mode">Joint or per-feature marginals. Default joint.</param>
/// <param name="MaxCells">Largest number of joint cells allowed (bins^d). Default 10⁷.</param>
public sealed record HistogramOptions(int? Bins = null, HistogramMode Mode = HistogramMode.Joint, long MaxCells = 10_000_000)
{
    /// <summary>Default bins, joint mode.</summary>
    public static HistogramOptions Default { get; } = new();
}

/// <summary>
/// The histogram baseline: bin the training features on a regular grid spanning their range
/// [min, max] (the maximum falls into the last bin), then sample a bin with probability ∝ its
/// content and a point uniformly inside the bin. Unconditional only (for p(x | y) use the KDE or
/// the library).
/// <para>
/// Weights may be signed sWeights: a bin's content is the sum of its weights, which is an unbiased
/// estimate of the signal in that bin; bins whose sum is negative (a fluctuation, or background
/// over-subtraction) are set to 0 before sampling — <see cref="ClippedBins"/> and
/// <see cref="ClippedWeight"/> report how much. The total after clipping must be positive.
/// </para>
/// </summary>
public sealed class HistogramSampler : IConditionalGenerator
{
    /// <summary>The model-file type name "histogram".</summary>
    public const string ModelType = "histogram";

    private readonly string[] _features;
    private readonly HistogramOptions _options;
    private readonly int[] _bins;
    private readonly double[] _lo, _hi;
    // Joint: occupied cells (flat row-major index) and their contents. Marginals: one dense vector per feature.
    private readonly long[] _cells;
    private readonly double[][] _contents;
    private readonly double[][] _cumulative;

    string IConditionalGenerator.ModelType => ModelType;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames => _features;

    /// <inheritdoc />
    public IReadOnlyList<string> ConditionNames => [];

    /// <summary>Bins per feature.</summary>
    public IReadOnlyList<int> Bins => _bins;

    /// <summary>Lower edges of the binned range, per feature.</summary>
    public IReadOnlyList<double> Lower => _lo;

    /// <summary>Upper edges of the binned range, per feature.</summary>
    public IReadOnlyList<double> Upper => _hi;

    /// <summary>How many bins had a negative weight sum and were set to 0.</summary>
    public int ClippedBins { get; }

    /// <summary>The total (negative) weight removed by that clipping.</summary>
    public double ClippedWeight { get; }

    /// <summary>The options the sampler was built with.</summary>
    public HistogramOptions Options => _options;

    private HistogramSampler(string[] features, HistogramOptions options, int[] bins, double[] lo, double[] hi,
        long[] cells, double[][] contents, int clippedBins, double clippedWeight)
    {
        _features = features; _options = options; _bins = bins; _lo = lo; _hi = hi; _cells = cells; _contents = contents;
        ClippedBins = clippedBins; ClippedWeight = clippedWeight;
        _cumulative = contents.Select(c =>
        {
            var cum = new double[c.Length];
            double s = 0;
            for (int i = 0; i < c.Length; i++) { s += c[i]; cum[i] = s; }
            if (!(s > 0)) throw new ArgumentException("After clipping negative bins, no positive weight remains; the histogram cannot be sampled.");
            return cum;
        }).ToArray();
    }

    /// <summary>Builds the sampler from a dataset with features (and no conditions); sWeights allowed.</summary>
    public static HistogramSampler Fit(Dataset data, HistogramOptions? options = null) =>
        Fit(TrainingSample.From(data, allowNegativeWeights: true, "histogram"), options);

    /// <summary>Builds the sampler from a checked training sample (no conditions).</summary>
    public static HistogramSampler Fit(TrainingSample sample, HistogramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        options ??= HistogramOptions.Default;
        if (sample.ConditionNames.Length > 0)
            throw new ArgumentException(
                $"The histogram model is unconditional but {sample.ConditionNames.Length} condition column(s) were given ({string.Join(", ", sample.ConditionNames)}); use kde or library for p(x | y).",
                nameof(sample));
        if (options.Bins is int b && b < 1) throw new ArgumentException($"Bins is {b}; at least 1 is required.", nameof(options));
        TrainingSample.CheckWeights(sample.Weights, sample.Features.Length, allowNegative: true, "histogram");
        int d = sample.FeatureNames.Length;
        double nEff = Math.Max(1, sample.EffectiveSampleSize);
        int dimForRule = options.Mode == HistogramMode.Joint ? d : 1;
        int bins = options.Bins ?? (int)Math.Ceiling(2 * Math.Pow(nEff, 1.0 / (dimForRule + 2)));
        var lo = new double[d];
        var hi = new double[d];
        for (int a = 0; a < d; a++)
        {
            lo[a] = double.PositiveInfinity; hi[a] = double.NegativeInfinity;
            for (int i = 0; i < sample.Features.Length; i++)
            {
                if (sample.Weights[i] == 0) continue;
                lo[a] = Math.Min(lo[a], sample.Features[i][a]);
                hi[a] = Math.Max(hi[a], sample.Features[i][a]);
            }
        }
        var binArray = Enumerable.Repeat(bins, d).ToArray();
        int clippedBins = 0;
        double clipped = 0;
        if (options.Mode == HistogramMode.Marginals)
        {
            var contents = new double[d][];
            for (int a = 0; a < d; a++)
            {
                contents[a] = new double[bins];
                for (int i = 0; i < sample.Features.Length; i++)
                    contents[a][BinOf(sample.Features[i][a], lo[a], hi[a], bins)] += sample.Weights[i];
                Clip(contents[a]);
            }
            return new HistogramSampler(sample.FeatureNames, options, binArray, lo, hi, [], contents, clippedBins, clipped);
        }
        double cellCount = Math.Pow(bins, d);
        if (cellCount > options.MaxCells)
            throw new ArgumentException(
                $"A joint histogram of {d} features with {bins} bins each has {cellCount:G3} cells, above MaxCells = {options.MaxCells}; use fewer bins or mode 'marginals'.", nameof(options));
        var sums = new SortedDictionary<long, double>();
        foreach (var (row, w) in sample.Features.Zip(sample.Weights))
        {
            long cell = 0;
            for (int a = 0; a < d; a++) cell = cell * bins + BinOf(row[a], lo[a], hi[a], bins);
            sums[cell] = sums.GetValueOrDefault(cell) + w;
        }
        var cells = sums.Keys.ToArray();
        var values = sums.Values.ToArray();
        Clip(values);
        return new HistogramSampler(sample.FeatureNames, options, binArray, lo, hi, cells, [values], clippedBins, clipped);

        void Clip(double[] c)
        {
            for (int i = 0; i < c.Length; i++)
                if (c[i] < 0) { clippedBins++; clipped += c[i]; c[i] = 0; }
        }
    }

    private static int BinOf(double x, double lo, double hi, int bins)
    {
        if (!(hi > lo)) return 0;
        int b = (int)Math.Floor((x - lo) / (hi - lo) * bins);
        return Math.Clamp(b, 0, bins - 1);
    }

    /// <inheritdoc />
    public double[][] Sample(int count, int seed)
    {
        GeneratorChecks.RequireCount(count);
        int d = _features.Length;
        var result = new double[count][];
        GeneratorChecks.ForBlocks(count, seed, (start, end, rng) =>
        {
            for (int r = start; r < end; r++)
            {
                var row = new double[d];
                if (_options.Mode == HistogramMode.Marginals)
                {
                    for (int a = 0; a < d; a++) row[a] = Uniform(a, rng.NextIndex(_cumulative[a]), rng);
                }
                else
                {
                    long cell = _cells[rng.NextIndex(_cumulative[0])];
                    for (int a = d - 1; a >= 0; a--)
                    {
                        int bin = (int)(cell % _bins[a]);
                        cell /= _bins[a];
                        row[a] = Uniform(a, bin, rng);
                    }
                }
                result[r] = row;
            }
        });
        return result;
    }

    private double Uniform(int a, int bin, SeededRandom rng)
    {
        double width = (_hi[a] - _lo[a]) / _bins[a];
        return _lo[a] + (bin + rng.NextDouble()) * width;
    }

    /// <inheritdoc />
    public double[][] Sample(double[][] conditions, int seed)
    {
        GeneratorChecks.RequireConditions(conditions, 0, "histogram");
        return Sample(conditions.Length, seed);
    }

    /// <inheritdoc />
    public ModelFileContent ToModelFile()
    {
        var metadata = ModelJson.ToElement(new HistogramMetadata(_options, ClippedBins, ClippedWeight));
        var arrays = new List<ModelArray>
        {
            ModelArray.OfInt64("histogram.bins", _bins.Select(b => (long)b).ToArray()),
            ModelArray.OfFloat64("histogram.lower", (double[])_lo.Clone()),
            ModelArray.OfFloat64("histogram.upper", (double[])_hi.Clone()),
        };
        if (_options.Mode == HistogramMode.Joint)
        {
            arrays.Add(ModelArray.OfInt64("histogram.cells", (long[])_cells.Clone()));
            arrays.Add(ModelArray.OfFloat64("histogram.contents", (double[])_contents[0].Clone()));
        }
        else
        {
            for (int a = 0; a < _features.Length; a++)
                arrays.Add(ModelArray.OfFloat64($"histogram.marginal.{a}", (double[])_contents[a].Clone()));
        }
        return new ModelFileContent(ModelType, _features, [], metadata, arrays);
    }

    /// <summary>Rebuilds the sampler from model-file content (the registry's loader for "histogram").</summary>
    public static HistogramSampler FromModelFile(ModelFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.ConditionNames.Count > 0) throw new InvalidDataException("histogram: the model is unconditional but the file lists conditions.");
        var meta = content.ReadMetadata<HistogramMetadata>();
        int d = content.FeatureNames.Count;
        var bins = content.Array("histogram.bins").AsInt64();
        var lo = content.Array("histogram.lower").AsFloat64();
        var hi = content.Array("histogram.upper").AsFloat64();
        if (bins.Length != d || lo.Length != d || hi.Length != d) throw new InvalidDataException("histogram: bins or edges do not match the features.");
        for (int a = 0; a < d; a++)
            if (bins[a] < 1 || bins[a] > int.MaxValue || !(hi[a] >= lo[a]) || !double.IsFinite(lo[a]) || !double.IsFinite(hi[a]))
                throw new InvalidDataException($"histogram: feature {a} has invalid bins {bins[a]} or range [{lo[a]}, {hi[a]}].");
        long[] cells = [];
        double[][] contents;
        if (meta.Options.Mode == HistogramMode.Joint)
        {
            cells = content.Array("histogram.cells").AsInt64();
            contents = [content.Array("histogram.contents").AsFloat64()];
            double total = 1;
            foreach (long b in bins) total *= b;
            if (cells.Length != contents[0].Length || cells.Any(c => c < 0 || c >= total))
                throw new InvalidDataException("histogram: the cell list is inconsistent with the bins.");
        }
        else
        {
            contents = new double[d][];
            for (int a = 0; a < d; a++)
            {
                contents[a] = content.Array($"histogram.marginal.{a}").AsFloat64();
                if (contents[a].Length != bins[a]) throw new InvalidDataException($"histogram: marginal {a} has {contents[a].Length} bins; {bins[a]} expected.");
            }
        }
        foreach (var c in contents)
            foreach (double v in c)
                if (!(v >= 0) || !double.IsFinite(v)) throw new InvalidDataException($"histogram: bin content {v} is not a finite non-negative number.");
        try
        {
            return new HistogramSampler([.. content.FeatureNames], meta.Options, bins.Select(b => (int)b).ToArray(), lo, hi, cells, contents, meta.ClippedBins, meta.ClippedWeight);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"histogram: {e.Message}", e);
        }
    }

    private sealed record HistogramMetadata(HistogramOptions Options, int ClippedBins, double ClippedWeight);
}
