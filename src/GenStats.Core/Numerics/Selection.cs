namespace GenStats.Numerics;

/// <summary>Order statistics without a full sort.</summary>
internal static class Selection
{
    /// <summary>
    /// The value of rank <paramref name="rank"/> (0-based) in ascending order — what
    /// <c>sorted(values)[rank]</c> gives (numpy's <c>np.partition(values, rank)[rank]</c>) — by
    /// quickselect with a median-of-three pivot, in expected linear time. Reorders
    /// <paramref name="values"/> in place. NaN values are not allowed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">rank outside [0, Length).</exception>
    public static float Select(Span<float> values, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, values.Length);
        int lo = 0, hi = values.Length - 1;
        while (hi > lo)
        {
            int mid = lo + (hi - lo) / 2;
            // Median of three at mid, the smallest at lo and the largest at hi (sentinels).
            if (values[mid] < values[lo]) Swap(values, mid, lo);
            if (values[hi] < values[lo]) Swap(values, hi, lo);
            if (values[hi] < values[mid]) Swap(values, hi, mid);
            float pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j) { Swap(values, i, j); i++; j--; }
            }
            // [lo, j] ≤ pivot ≤ [i, hi]; between j and i the values equal the pivot.
            if (rank <= j) hi = j;
            else if (rank >= i) lo = i;
            else return values[rank];
        }
        return values[rank];
    }

    private static void Swap(Span<float> v, int a, int b) => (v[a], v[b]) = (v[b], v[a]);
}
