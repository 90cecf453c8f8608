using GenStats.Tensors.Backends;

namespace GenStats.Tensors;

/// <summary>
/// A seeded source of random tensors. Each call draws from a fresh stream of a counter-based
/// generator keyed by (seed, call number), so the same seed and the same sequence of calls give
/// the same bytes on any number of threads. Normals use Box–Muller; uniforms are on [lo, hi).
/// </summary>
public sealed class Rng
{
    private ulong calls;

    /// <summary>A generator with the given seed.</summary>
    public Rng(ulong seed) { Seed = seed; }

    /// <summary>
    /// A generator with the given seed positioned after <paramref name="draws"/> calls, i.e. in the
    /// state of <c>new Rng(seed)</c> after that many draws (restores a checkpoint's <see cref="Draws"/>).
    /// </summary>
    public Rng(ulong seed, ulong draws) { Seed = seed; calls = draws; }

    /// <summary>The seed.</summary>
    public ulong Seed { get; }

    /// <summary>How many tensors have been drawn (the next stream number).</summary>
    public ulong Draws => calls;

    private ulong NextKey() => CounterRng.Key(Seed, calls++);

    /// <summary>Draws N(mean, std²) values.</summary>
    public Tensor Normal(Shape shape, float mean = 0, float std = 1)
    {
        if (!float.IsFinite(mean) || !(std >= 0) || !float.IsFinite(std))
            throw new ArgumentException($"mean = {mean}, std = {std}: finite mean and non-negative finite std are required.", nameof(std));
        var t = Tensor.Allocate(shape);
        t.Backend.FillNormal(t.Buffer, shape.Size, NextKey(), mean, std);
        return t;
    }

    /// <summary>Draws standard normal values.</summary>
    public Tensor Normal(params int[] shape) => Normal(new Shape(shape));

    /// <summary>Draws U[lo, hi) values.</summary>
    public Tensor Uniform(Shape shape, float lo = 0, float hi = 1)
    {
        if (!float.IsFinite(lo) || !float.IsFinite(hi) || !(lo <= hi))
            throw new ArgumentException($"lo = {lo}, hi = {hi}: finite bounds with lo ≤ hi are required.", nameof(lo));
        var t = Tensor.Allocate(shape);
        t.Backend.FillUniform(t.Buffer, shape.Size, NextKey(), lo, hi);
        return t;
    }

    /// <summary>Draws U[0, 1) values.</summary>
    public Tensor Uniform(params int[] shape) => Uniform(new Shape(shape));

    /// <summary>
    /// Draws <paramref name="count"/> U[0, 1) values into a host array: the same stream and the same
    /// values as <c>Uniform(count)</c> on any backend (the generator is counter-based), for draws that
    /// steer host-side choices (such as which rows form a batch) without a device round trip.
    /// </summary>
    public float[] UniformOnHost(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var values = new float[count];
        CounterRng.FillUniform(values, NextKey(), 0, 0, 1);
        return values;
    }

    /// <summary>Standard normal values from a one-off generator with this seed.</summary>
    public static Tensor RandomNormal(ulong seed, params int[] shape) => new Rng(seed).Normal(shape);

    /// <summary>U[0, 1) values from a one-off generator with this seed.</summary>
    public static Tensor RandomUniform(ulong seed, params int[] shape) => new Rng(seed).Uniform(shape);
}
