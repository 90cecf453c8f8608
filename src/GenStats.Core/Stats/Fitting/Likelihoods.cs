using System.Buffers;
using System.Numerics.Tensors;

namespace GenStats.Stats;

/// <summary>
/// An extended negative log-likelihood −ln L(θ) = Σ_k N_k − Σ_e ln Σ_k N_k f_k(x_e; θ) over a
/// parameter vector θ (yields first). Returns NaN where the model is invalid (a density that is
/// NaN or a total density ≤ 0 at some event).
/// </summary>
internal abstract class Likelihood
{
    protected const int ChunkSize = 8192;

    public abstract int Events { get; }
    public abstract int Species { get; }

    /// <summary>−ln L at θ (yields θ[0..K−1], then shape parameters).</summary>
    public abstract double MinusLogL(double[] theta);

    /// <summary>Normalised per-event densities (species × events) at θ.</summary>
    public abstract double[][] Densities(double[] theta);

    /// <summary>The same likelihood on every stride-th event (for the warm start).</summary>
    public abstract Likelihood Subsample(int stride);

    /// <summary>Adds the chunk sums in chunk order, so the value is independent of the thread count.</summary>
    protected static double Combine(double[] theta, int species, double[] chunkLogSums)
    {
        var logSum = new CompensatedSum();
        foreach (double s in chunkLogSums)
        {
            if (double.IsNaN(s)) return double.NaN;
            logSum.Add(s);
        }
        var yieldSum = new CompensatedSum();
        for (int k = 0; k < species; k++) yieldSum.Add(theta[k]);
        return yieldSum.Value - logSum.Value;
    }

    protected static void ForEachChunk(int events, bool parallel, double[] sums, Func<int, int, double> chunk)
    {
        int chunks = sums.Length;
        if (parallel && chunks > 1)
            System.Threading.Tasks.Parallel.For(0, chunks, c => sums[c] = chunk(c * ChunkSize, Math.Min(ChunkSize, events - c * ChunkSize)));
        else
            for (int c = 0; c < chunks; c++) sums[c] = chunk(c * ChunkSize, Math.Min(ChunkSize, events - c * ChunkSize));
    }

    protected static int ChunkCount(int events) => (events + ChunkSize - 1) / ChunkSize;
}

/// <summary>Σ_k N_k f_k(x; shape parameters) with analytic shapes on a range.</summary>
internal sealed class ShapeLikelihood(double[] x, FitModel model, int[] offsets, bool parallel) : Likelihood
{
    public override int Events => x.Length;
    public override int Species => model.Components.Length;

    public override Likelihood Subsample(int stride) =>
        new ShapeLikelihood(Enumerable.Range(0, x.Length / stride).Select(i => x[i * stride]).ToArray(), model, offsets, parallel);

    public override double MinusLogL(double[] theta)
    {
        int k = Species;
        var sums = new double[ChunkCount(x.Length)];
        ForEachChunk(x.Length, parallel, sums, (start, length) =>
        {
            var buffer = ArrayPool<double>.Shared.Rent(length * k);
            try
            {
                var xs = x.AsSpan(start, length);
                for (int c = 0; c < k; c++)
                {
                    var shape = model.Components[c].Shape;
                    model.Components[c].Shape.Evaluate(xs, theta.AsSpan(offsets[c], shape.Parameters.Count),
                        model.Low, model.High, buffer.AsSpan(c * length, length));
                }
                // Total density D = Σ N_c f_c into the first slot, then ln D with SIMD kernels.
                var total = buffer.AsSpan(0, length);
                TensorPrimitives.Multiply(total, theta[0], total);
                for (int c = 1; c < k; c++)
                    TensorPrimitives.MultiplyAdd(buffer.AsSpan(c * length, length), theta[c], total, total);
                for (int i = 0; i < length; i++)
                    if (!(total[i] > 0) || double.IsInfinity(total[i])) return double.NaN;
                TensorPrimitives.Log(total, total);
                var sum = new CompensatedSum();
                for (int i = 0; i < length; i++) sum.Add(total[i]);
                return sum.Value;
            }
            finally { ArrayPool<double>.Shared.Return(buffer); }
        });
        return Combine(theta, k, sums);
    }

    /// <summary>Normalised densities (species × events) at θ.</summary>
    public override double[][] Densities(double[] theta)
    {
        var result = new double[Species][];
        for (int c = 0; c < Species; c++)
        {
            var shape = model.Components[c].Shape;
            result[c] = new double[x.Length];
            shape.Evaluate(x, theta.AsSpan(offsets[c], shape.Parameters.Count), model.Low, model.High, result[c]);
        }
        return result;
    }
}

/// <summary>Σ_k N_k f_k(e) with per-event densities given as numbers (fixed shapes).</summary>
internal sealed class DensityLikelihood(double[][] densities, bool parallel) : Likelihood
{
    public override int Events => densities[0].Length;
    public override int Species => densities.Length;

    public override Likelihood Subsample(int stride) =>
        new DensityLikelihood(densities.Select(d => Enumerable.Range(0, d.Length / stride).Select(i => d[i * stride]).ToArray()).ToArray(), parallel);

    public override double[][] Densities(double[] theta) => densities;

    public override double MinusLogL(double[] theta)
    {
        int k = Species;
        var sums = new double[ChunkCount(Events)];
        ForEachChunk(Events, parallel, sums, (start, length) =>
        {
            var sum = new CompensatedSum();
            for (int i = start; i < start + length; i++)
            {
                double d = 0;
                for (int c = 0; c < k; c++) d += theta[c] * densities[c][i];
                if (!(d > 0) || double.IsInfinity(d)) return double.NaN;
                sum.Add(Math.Log(d));
            }
            return sum.Value;
        });
        return Combine(theta, k, sums);
    }
}
