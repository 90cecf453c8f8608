namespace GenStats.Stats;

/// <summary>
/// Two samples sorted once, so that the differences between their weighted empirical CDFs can be
/// walked in O(N) for any weights — the nominal ones and every bootstrap replica's. Weights are
/// passed in the samples' original order; the walk looks them up through the sort permutation.
/// </summary>
internal sealed partial class SortedPair
{
    private readonly double[] _a;
    private readonly double[] _b;
    private readonly int[]? _orderA;
    private readonly int[]? _orderB;

    private SortedPair(double[] a, int[]? orderA, double[] b, int[]? orderB)
    {
        _a = a; _orderA = orderA; _b = b; _orderB = orderB;
    }

    public int CountA => _a.Length;

    public int CountB => _b.Length;

    /// <summary>
    /// Sorted copies of both samples (inputs are not modified), sorted in parallel. The sort
    /// permutations are kept only when <paramref name="keepOrder"/>: walks with weights need them,
    /// unweighted value-only calls do not and sort plain arrays, which is about twice as fast.
    /// </summary>
    public static SortedPair Create(double[] a, double[] b, bool keepOrder = true)
    {
        double[] sa = [], sb = [];
        int[]? oa = null, ob = null;
        Parallel.Invoke(
            () => sa = Sorted(a, keepOrder, out oa),
            () => sb = Sorted(b, keepOrder, out ob));
        return new SortedPair(sa, oa, sb, ob);
    }

    private static double[] Sorted(double[] values, bool keepOrder, out int[]? order)
    {
        var keys = (double[])values.Clone();
        if (!keepOrder)
        {
            order = null;
            Array.Sort(keys);
            return keys;
        }
        order = new int[values.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(keys, order);
        return keys;
    }

    /// <summary>
    /// sup|F − G|, ∫|F − G| dx and ∫(F − G)² dx for the right-continuous weighted ECDFs
    /// F(x) = Σ_{aᵢ ≤ x} wᵢ / Σw (G likewise); null weights mean 1 per event. Signed weights are
    /// fine: every quantity is a functional of F − G, which is linear in the weights.
    /// </summary>
    public CdfDifferences Walk(double[]? weightsA, double[]? weightsB)
    {
        if ((weightsA is not null && _orderA is null) || (weightsB is not null && _orderB is null))
            throw new InvalidOperationException("This pair was sorted without its permutation; weighted walks need it.");
        double totalA = Total(weightsA, _a.Length), totalB = Total(weightsB, _b.Length);
        var cumA = new CompensatedSum();
        var cumB = new CompensatedSum();
        var l1 = new CompensatedSum();
        var l2 = new CompensatedSum();
        double sup = 0;
        int i = 0, j = 0, na = _a.Length, nb = _b.Length;
        while (i < na || j < nb)
        {
            double x = i < na && (j >= nb || _a[i] <= _b[j]) ? _a[i] : _b[j];
            // Consume every event at x from both samples: the ECDFs are right-continuous.
            for (; i < na && _a[i] == x; i++) cumA.Add(weightsA is null ? 1.0 : weightsA[_orderA![i]]);
            for (; j < nb && _b[j] == x; j++) cumB.Add(weightsB is null ? 1.0 : weightsB[_orderB![j]]);
            double diff = cumA.Value / totalA - cumB.Value / totalB;
            double abs = Math.Abs(diff);
            if (abs > sup) sup = abs;
            if (i >= na && j >= nb) break;
            double next = i < na && (j >= nb || _a[i] <= _b[j]) ? _a[i] : _b[j];
            double gap = next - x;
            l1.Add(abs * gap);
            l2.Add(diff * diff * gap);
        }
        return new CdfDifferences(sup, l1.Value, l2.Value);
    }

    /// <summary>
    /// For unweighted samples: max over x of |n_B·#{aᵢ ≤ x} − n_A·#{bⱼ ≤ x}|, the KS statistic
    /// times n_A·n_B in exact integer arithmetic (what the exact p-value needs).
    /// </summary>
    public long IntegerKsNumerator()
    {
        long na = _a.Length, nb = _b.Length, best = 0;
        int i = 0, j = 0;
        while (i < na || j < nb)
        {
            double x = i < na && (j >= nb || _a[i] <= _b[j]) ? _a[i] : _b[j];
            while (i < na && _a[i] == x) i++;
            while (j < nb && _b[j] == x) j++;
            long d = Math.Abs(i * nb - j * na);
            if (d > best) best = d;
        }
        return best;
    }

    private static double Total(double[]? weights, int count) =>
        weights is null ? count : CompensatedSum.Of(weights);
}

/// <summary>Functionals of the difference of two ECDFs (see <see cref="SortedPair.Walk"/>).</summary>
internal readonly record struct CdfDifferences(double Supremum, double L1, double L2Squared);
