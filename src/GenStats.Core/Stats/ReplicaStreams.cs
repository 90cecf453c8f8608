namespace GenStats.Stats;

/// <summary>
/// The bootstrap replicas of one sample without their n × R weights: per replica the key of its
/// Poisson stream (after any redraw for Σw ≤ 0) and its total Σᵢ mᵢwᵢ, summed in event order
/// exactly as <see cref="Bootstrap.ReplicaWeights"/> and <see cref="SortedPair.Walk"/> sum it, so a
/// streaming pass reproduces the in-memory replicas bit for bit. Memory O(R).
/// </summary>
internal sealed class ReplicaStreams
{
    /// <summary>Replicas per parallel task (a multiple of the 4 lanes of the vector kernels).</summary>
    public const int Block = 32;

    private ReplicaStreams(int count, double[]? weights, ulong[] keys, double[] totals)
    {
        Count = count; Weights = weights; Keys = keys; Totals = totals;
    }

    /// <summary>Events in the sample.</summary>
    public int Count { get; }

    /// <summary>The sample's own weights (null = 1 per event), in event order.</summary>
    public double[]? Weights { get; }

    /// <summary>Per replica: the key of its Poisson stream (<see cref="PoissonStreams.Key"/>).</summary>
    public ulong[] Keys { get; }

    /// <summary>Per replica: the compensated Σᵢ mᵢwᵢ over events in order (&gt; 0).</summary>
    public double[] Totals { get; }

    /// <summary>
    /// The replicas r = 0..R−1 of a sample on streams 2r + <paramref name="streamOffset"/> (0 for the
    /// first sample of a two-sample bootstrap, 1 for the second), as <see cref="Bootstrap.TwoSample"/> draws them.
    /// </summary>
    /// <exception cref="ArgumentException">No events, or a replica still has Σw ≤ 0 after <see cref="Bootstrap.MaxRedraws"/> redraws.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 replicas.</exception>
    public static ReplicaStreams Draw(int count, double[]? weights, BootstrapOptions options, int streamOffset, Action<long>? done = null)
    {
        Bootstrap.CheckOptions(options, count);
        int replicas = options.Replicas;
        var keys = new ulong[replicas];
        var totals = new double[replicas];
        for (int r = 0; r < replicas; r++) keys[r] = PoissonStreams.Key(options.Seed, 2 * r + streamOffset);
        int blocks = (replicas + Block - 1) / Block;
        Parallel.For(0, blocks, blk =>
        {
            int r0 = blk * Block;
            Sum(count, new ReplicaSums(keys, r0, Math.Min(Block, replicas - r0), weights), totals.AsSpan(r0), done);
        });
        for (int r = 0; r < replicas; r++)
        {
            // Σw ≤ 0 (tiny or sWeighted samples): redraw that replica on the next stream, as ReplicaWeights does.
            for (int attempt = 1; !(totals[r] > 0); attempt++)
            {
                if (attempt > Bootstrap.MaxRedraws + 1) throw Bootstrap.NegativeDominated();
                keys[r] = PoissonStreams.Key(options.Seed, 2 * r + streamOffset + attempt * Bootstrap.RedrawStride);
                Sum(count, new ReplicaSums(keys, r, 1, weights), totals.AsSpan(r), null);
            }
        }
        return new ReplicaStreams(count, weights, keys, totals);
    }

    // Σ m·w over events in order (the order Bootstrap.ReplicaWeights and SortedPair.Walk sum in).
    private static void Sum(int count, ReplicaSums sums, Span<double> totals, Action<long>? done)
    {
        for (int i = 0; i < count; i++)
        {
            sums.Add(i);
            if (done is not null && (i & 0xFFFF) == 0xFFFF) done(0x10000L * sums.Length);
        }
        done?.Invoke((long)(count & 0xFFFF) * sums.Length);
        sums.Values(totals);
    }
}
