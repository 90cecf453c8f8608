using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GenStats.Stats;

/// <summary>The bootstrap replicas of <see cref="Walk"/> in one streaming pass.</summary>
internal sealed partial class SortedPair
{
    /// <summary>
    /// <see cref="Walk"/> for every bootstrap replica at once, in one pass over the merged sorted
    /// order: each event's Poisson count per replica is regenerated from its stream
    /// (<see cref="PoissonStreams"/>) and the per-replica cumulative weights, supremum and integrals
    /// are carried along — memory O(R) beside the sorted samples, never n × R. Replica r equals
    /// <c>Walk(wᴬ_r, wᴮ_r)</c> on the weights <see cref="Bootstrap.ReplicaWeights"/> draws, bit for bit:
    /// the same IEEE operations in the same order per replica (vector lanes do not fuse or reorder).
    /// </summary>
    /// <param name="a">The replicas of the first sample (its weights, stream keys and totals).</param>
    /// <param name="b">The replicas of the second sample.</param>
    /// <param name="done">Called with the (event × replica) steps done, every 65 536 events of a block.</param>
    public CdfReplicas WalkReplicas(ReplicaStreams a, ReplicaStreams b, Action<long>? done = null)
    {
        if (_orderA is null || _orderB is null)
            throw new InvalidOperationException("This pair was sorted without its permutation; replica walks need it.");
        if (a.Count != _a.Length || b.Count != _b.Length || a.Keys.Length != b.Keys.Length)
            throw new ArgumentException("The replica streams do not belong to this pair's samples.");
        int replicas = a.Keys.Length;
        var result = new CdfReplicas(new double[replicas], new double[replicas], new double[replicas]);
        int blocks = (replicas + ReplicaStreams.Block - 1) / ReplicaStreams.Block;
        Parallel.For(0, blocks, blk =>
        {
            int r0 = blk * ReplicaStreams.Block;
            WalkBlock(a, b, r0, Math.Min(ReplicaStreams.Block, replicas - r0), result, done);
        });
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WalkBlock(ReplicaStreams sa, ReplicaStreams sb, int r0, int len, CdfReplicas result, Action<long>? done)
    {
        var cumA = new ReplicaSums(sa.Keys, r0, len, sa.Weights);
        var cumB = new ReplicaSums(sb.Keys, r0, len, sb.Weights);
        // Per replica: F and G at x, ∫|F−G| and ∫(F−G)² (each sum + compensation), sup|F−G|.
        var state = new double[7 * len];
        var f = state.AsSpan(0, len); var g = state.AsSpan(len, len);
        var l1 = state.AsSpan(2 * len, len); var l1c = state.AsSpan(3 * len, len);
        var l2 = state.AsSpan(4 * len, len); var l2c = state.AsSpan(5 * len, len);
        var sup = state.AsSpan(6 * len, len);
        var totA = sa.Totals.AsSpan(r0, len); var totB = sb.Totals.AsSpan(r0, len);
        int[] oa = _orderA!, ob = _orderB!;
        int i = 0, j = 0, na = _a.Length, nb = _b.Length, reported = 0;
        // The control flow of Walk, step for step.
        while (i < na || j < nb)
        {
            double x = i < na && (j >= nb || _a[i] <= _b[j]) ? _a[i] : _b[j];
            for (; i < na && _a[i] == x; i++) cumA.Add(oa[i]);
            for (; j < nb && _b[j] == x; j++) cumB.Add(ob[j]);
            bool last = i >= na && j >= nb;
            double gap = last ? 0 : (i < na && (j >= nb || _a[i] <= _b[j]) ? _a[i] : _b[j]) - x;
            cumA.Fractions(totA, f);
            cumB.Fractions(totB, g);
            Differences(f, g, sup, l1, l1c, l2, l2c, gap, last);
            if (done is not null && i + j - reported >= 0x10000)
            {
                done((long)(i + j - reported) * len);
                reported = i + j;
            }
        }
        done?.Invoke((long)(na + nb - reported) * len);
        for (int r = 0; r < len; r++)
        {
            result.Supremum[r0 + r] = sup[r];
            result.L1[r0 + r] = l1[r] + l1c[r];
            result.L2Squared[r0 + r] = l2[r] + l2c[r];
        }
    }

    // Walk's step after the events at x: diff = F − G, sup = max(sup, |diff|), and unless x is the
    // last point, ∫|F−G| += |diff|·gap and ∫(F−G)² += diff²·gap — per replica, four at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Differences(
        ReadOnlySpan<double> f, ReadOnlySpan<double> g, Span<double> sup,
        Span<double> l1, Span<double> l1c, Span<double> l2, Span<double> l2c, double gap, bool last)
    {
        int len = sup.Length, vectors = len / 4 * 4;
        var gv = Vector256.Create(gap);
        for (int r = 0; r < vectors; r += 4)
        {
            var diff = Load(f, r) - Load(g, r);
            var abs = Vector256.Abs(diff);
            var s = Load(sup, r);
            Vector256.ConditionalSelect(Vector256.GreaterThan(abs, s), abs, s).StoreUnsafe(ref sup[r]);
            if (last) continue;
            var sum = Load(l1, r); var comp = Load(l1c, r);
            CompensatedSum.Add(ref sum, ref comp, abs * gv);
            sum.StoreUnsafe(ref l1[r]); comp.StoreUnsafe(ref l1c[r]);
            sum = Load(l2, r); comp = Load(l2c, r);
            CompensatedSum.Add(ref sum, ref comp, diff * diff * gv);
            sum.StoreUnsafe(ref l2[r]); comp.StoreUnsafe(ref l2c[r]);
        }
        for (int r = vectors; r < len; r++)
        {
            double diff = f[r] - g[r];
            double abs = Math.Abs(diff);
            if (abs > sup[r]) sup[r] = abs;
            if (last) continue;
            CompensatedSum.Add(ref l1[r], ref l1c[r], abs * gap);
            CompensatedSum.Add(ref l2[r], ref l2c[r], diff * diff * gap);
        }
    }

    private static Vector256<double> Load(ReadOnlySpan<double> s, int r) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(s), (nuint)r);
}

/// <summary>The replica values of <see cref="SortedPair.Walk"/>'s three functionals, in replica order.</summary>
/// <param name="Supremum">sup|F − G| per replica (the KS distance).</param>
/// <param name="L1">∫|F − G| dx per replica (Wasserstein-1).</param>
/// <param name="L2Squared">∫(F − G)² dx per replica (the Cramér distance; energy = √(2·L2²)).</param>
public sealed record CdfReplicas(double[] Supremum, double[] L1, double[] L2Squared);
