using GenStats.Data;
using GenStats.Stats;

namespace GenStats.Comparison;

/// <summary>
/// The work one comparison shares between metrics: the replica streams of each sample (they
/// depend on its size and weights, not on its values, so every column reuses them) and, per
/// column, the sort and streaming bootstrap that every ECDF metric (ks, w1, energy, cramer) reads
/// (<see cref="CdfColumn"/>: O(replicas) memory once computed). It lives for one
/// <see cref="MetricCatalog.Compare"/> call, and reports the progress of its units of work.
/// </summary>
internal sealed class ComparisonRun(Dataset real, Dataset generated, ComparisonOptions options, int units, IProgress<double>? progress)
{
    private readonly Dictionary<string, CdfColumn> _cdf = [];
    private ReplicaStreams? _realStreams, _generatedStreams;
    private int _done;

    /// <summary>The ECDF sort and replicas of <paramref name="column"/>, computed on first use.</summary>
    public CdfColumn Cdf(string column)
    {
        if (_cdf.TryGetValue(column, out var c)) return c;
        double[] a = real.Column(column), b = generated.Column(column);
        double[]? wa = real.Weights, wb = generated.Weights;
        var bootstrap = options.Bootstrap;
        // The first column also draws both samples' replica totals (as much work again as its walk), shared by the rest.
        bool first = _realStreams is null;
        if (first)
        {
            OneDimensionalChecks.Check(a, wa, b, wb, allowNegative: true);
            var steps = CdfBootstrap.Steps(Sub(0, 0.5), (double)bootstrap.Replicas * (a.Length + b.Length));
            _realStreams = ReplicaStreams.Draw(a.Length, wa, bootstrap, 0, steps);
            _generatedStreams = ReplicaStreams.Draw(b.Length, wb, bootstrap, 1, steps);
        }
        var sub = first ? Sub(0.5, 0.5) : Sub(0, 1);
        c = CdfColumn.Compute(a, wa, b, wb, bootstrap, _realStreams, _generatedStreams, sub);
        _cdf[column] = c;
        return c;
    }

    /// <summary>One unit (a metric on a column, or a multi-dimensional metric) is done.</summary>
    public void UnitDone()
    {
        _done++;
        progress?.Report(Math.Min(1.0, (double)_done / units));
    }

    // Progress inside the current unit: fraction f of the unit maps to done + offset + scale·f.
    private IProgress<double>? Sub(double offset, double scale) =>
        progress is null ? null : new Inline(f => progress.Report(Math.Min(1.0, (_done + offset + scale * f) / units)));

    private sealed class Inline(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
