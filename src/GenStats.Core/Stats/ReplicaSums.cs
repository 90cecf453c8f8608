using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GenStats.Stats;

/// <summary>
/// The running Σ mᵢwᵢ of one sample for a block of bootstrap replicas, event by event: a
/// compensated (Neumaier) sum per replica for a weighted sample — the operations of
/// <see cref="CompensatedSum"/>, four replicas per vector — and an integer count for an unweighted
/// one (a sum of integer counts below 2⁵³ is exact, so it equals the compensated sum of the
/// same counts bit for bit, at a third of the cost).
/// </summary>
internal sealed class ReplicaSums
{
    private readonly ulong[] _keys;
    private readonly int _first;
    private readonly double[]? _weights;
    private readonly long[] _counts;
    private readonly double[] _sum;
    private readonly double[] _compensation;

    /// <param name="keys">Stream keys of all replicas; this block uses [first, first + length).</param>
    /// <param name="first">First replica of the block.</param>
    /// <param name="length">Replicas in the block.</param>
    /// <param name="weights">The sample's weights in event order (null = 1 per event).</param>
    public ReplicaSums(ulong[] keys, int first, int length, double[]? weights)
    {
        _keys = keys; _first = first; _weights = weights;
        _counts = weights is null ? new long[length] : [];
        _sum = weights is null ? [] : new double[length];
        _compensation = weights is null ? [] : new double[length];
        Length = length;
    }

    /// <summary>Replicas in the block.</summary>
    public int Length { get; }

    /// <summary>Adds event <paramref name="index"/> (its index in the sample's original order) to every replica.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(int index)
    {
        int len = Length, vectors = len / 4 * 4;
        ref ulong k0 = ref _keys[_first];
        if (_weights is null)
        {
            ref long n0 = ref MemoryMarshal.GetArrayDataReference(_counts);
            for (int r = 0; r < vectors; r += 4)
                (Vector256.LoadUnsafe(ref n0, (nuint)r) - PoissonStreams.NegatedCounts(Vector256.LoadUnsafe(ref k0, (nuint)r), index))
                    .StoreUnsafe(ref n0, (nuint)r);
            for (int r = vectors; r < len; r++) _counts[r] += PoissonStreams.Count(_keys[_first + r], index);
            return;
        }
        double weight = _weights[index];
        var w = Vector256.Create(weight);
        ref double s0 = ref MemoryMarshal.GetArrayDataReference(_sum), c0 = ref MemoryMarshal.GetArrayDataReference(_compensation);
        for (int r = 0; r < vectors; r += 4)
        {
            var m = Vector256.ConvertToDouble(-PoissonStreams.NegatedCounts(Vector256.LoadUnsafe(ref k0, (nuint)r), index)) * w;
            var s = Vector256.LoadUnsafe(ref s0, (nuint)r);
            var c = Vector256.LoadUnsafe(ref c0, (nuint)r);
            CompensatedSum.Add(ref s, ref c, m);
            s.StoreUnsafe(ref s0, (nuint)r);
            c.StoreUnsafe(ref c0, (nuint)r);
        }
        for (int r = vectors; r < len; r++)
            CompensatedSum.Add(ref _sum[r], ref _compensation[r], PoissonStreams.Count(_keys[_first + r], index) * weight);
    }

    /// <summary>Each replica's sum divided by its total (<see cref="CompensatedSum.Value"/> / total), into <paramref name="fractions"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fractions(ReadOnlySpan<double> totals, Span<double> fractions)
    {
        int len = Length, vectors = len / 4 * 4;
        ref double t0 = ref MemoryMarshal.GetReference(totals), f0 = ref MemoryMarshal.GetReference(fractions);
        if (_weights is null)
        {
            ref long n0 = ref MemoryMarshal.GetArrayDataReference(_counts);
            for (int r = 0; r < vectors; r += 4)
                (Vector256.ConvertToDouble(Vector256.LoadUnsafe(ref n0, (nuint)r)) / Vector256.LoadUnsafe(ref t0, (nuint)r)).StoreUnsafe(ref f0, (nuint)r);
            for (int r = vectors; r < len; r++) fractions[r] = _counts[r] / totals[r];
            return;
        }
        ref double s0 = ref MemoryMarshal.GetArrayDataReference(_sum), c0 = ref MemoryMarshal.GetArrayDataReference(_compensation);
        for (int r = 0; r < vectors; r += 4)
            ((Vector256.LoadUnsafe(ref s0, (nuint)r) + Vector256.LoadUnsafe(ref c0, (nuint)r)) / Vector256.LoadUnsafe(ref t0, (nuint)r))
                .StoreUnsafe(ref f0, (nuint)r);
        for (int r = vectors; r < len; r++) fractions[r] = (_sum[r] + _compensation[r]) / totals[r];
    }

    /// <summary>Each replica's sum (<see cref="CompensatedSum.Value"/>), into <paramref name="values"/>.</summary>
    public void Values(Span<double> values)
    {
        for (int r = 0; r < Length; r++)
            values[r] = _weights is null ? _counts[r] : _sum[r] + _compensation[r];
    }
}
