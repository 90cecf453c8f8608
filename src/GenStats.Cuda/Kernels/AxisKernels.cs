using ILGPU;
using ILGPU.Runtime;

namespace GenStats.Tensors.Cuda.Kernels;

/// <summary>
/// Reductions, scans, gathers and scatters along the middle axis of [outer, length, inner]: one
/// thread per output element looping over the axis in index order, so there are no atomics and
/// the summation order is fixed (same inputs, same bytes).
/// </summary>
internal static class AxisKernels
{
    public static void Sum(Index1D t, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, int length, int inner)
    {
        int o = t / inner, i = t % inner, src = o * length * inner + i;
        float s = 0;
        for (int r = 0; r < length; r++) s += x[src + r * inner];
        y[t] = s;
    }

    public static void Max(Index1D t, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, int length, int inner)
    {
        int o = t / inner, i = t % inner, src = o * length * inner + i;
        float m = x[src];
        for (int r = 1; r < length; r++) m = DeviceMath.Max(m, x[src + r * inner]);
        y[t] = m;
    }

    public static void CumSum(Index1D t, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> y, int length, int inner, int reverse)
    {
        int o = t / inner, i = t % inner, start = o * length * inner + i;
        float s = 0;
        for (int r = 0; r < length; r++)
        {
            int at = start + (reverse != 0 ? length - 1 - r : r) * inner;
            s += x[at];
            y[at] = s;
        }
    }

    /// <summary>y[o, j, i] = x[o, index[·], i]; <paramref name="shared"/> ≠ 0 when index has count entries.</summary>
    public static void Gather(Index1D t, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<int, Stride1D.Dense> index,
                              ArrayView1D<float, Stride1D.Dense> y, int length, int inner, int count, int shared)
    {
        int i = t % inner, oj = t / inner, o = oj / count, j = oj % count;
        int k = shared != 0 ? index[j] : index[t];
        y[t] = x[(o * length + k) * inner + i];
    }

    /// <summary>
    /// y[o, l, i] += Σ_j g[o, j, i] over the j whose index is l, summed in ascending j (the managed
    /// backend's order): one thread per element of y, O(count) work each and no atomics.
    /// </summary>
    public static void ScatterAdd(Index1D t, ArrayView1D<float, Stride1D.Dense> g, ArrayView1D<int, Stride1D.Dense> index,
                                  ArrayView1D<float, Stride1D.Dense> y, int length, int inner, int count, int shared)
    {
        int i = t % inner, ol = t / inner, o = ol / length, l = ol % length;
        float s = y[t];
        for (int j = 0; j < count; j++)
        {
            int go = (o * count + j) * inner + i;
            int k = shared != 0 ? index[j] : index[go];
            if (k == l) s += g[go];
        }
        y[t] = s;
    }

    /// <summary>torch.searchsorted per value (a NaN value ends at sortedLength).</summary>
    public static void SearchSorted(Index1D t, ArrayView1D<float, Stride1D.Dense> sorted, ArrayView1D<float, Stride1D.Dense> values,
                                    ArrayView1D<float, Stride1D.Dense> y, int sortedLength, int valuesPerRow, int right)
    {
        int row = t / valuesPerRow, start = row * sortedLength;
        float v = values[t];
        int lo = 0, hi = sortedLength;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            float s = sorted[start + mid];
            bool before = right != 0 ? !(s > v) : !(s >= v);
            if (before) lo = mid + 1;
            else hi = mid;
        }
        y[t] = lo;
    }

    /// <summary>Partial Σx² in float64 over a fixed strided slice per thread (the partition depends on n only).</summary>
    public static void SumSquaresPartial(Index1D t, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<double, Stride1D.Dense> partial, int n, int parts)
    {
        double s = 0;
        for (int k = t; k < n; k += parts) s += (double)x[k] * x[k];
        partial[t] = s;
    }

    /// <summary>One thread adds the partials in index order.</summary>
    public static void SumPartials(Index1D t, ArrayView1D<double, Stride1D.Dense> partial, int parts)
    {
        double s = 0;
        for (int k = 0; k < parts; k++) s += partial[k];
        partial[parts] = s;
    }
}
