namespace GenStats.Numerics;

/// <summary>
/// A static k-d tree for exact k-nearest-neighbour queries in Euclidean distance. Neighbours are
/// ordered by (distance, index): ties are broken by the lower event index, so results equal a
/// brute-force scan exactly and never depend on the build order.
/// </summary>
internal sealed class KdTree
{
    private const int LeafSize = 16;
    private readonly double[][] _points;
    private readonly int[] _index;
    private readonly List<Node> _nodes = [];

    private readonly record struct Node(int Start, int End, int Dim, double Split, int Left, int Right);

    public KdTree(double[][] points)
    {
        _points = points;
        _index = Enumerable.Range(0, points.Length).ToArray();
        if (points.Length > 0) Build(0, points.Length);
    }

    private int Build(int start, int end)
    {
        int id = _nodes.Count;
        _nodes.Add(default);
        if (end - start <= LeafSize || _points[0].Length == 0)
        {
            _nodes[id] = new Node(start, end, -1, 0, -1, -1);
            return id;
        }
        int d = _points[0].Length, dim = 0;
        double widest = -1;
        for (int a = 0; a < d; a++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = start; i < end; i++) { double v = _points[_index[i]][a]; lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            if (hi - lo > widest) { widest = hi - lo; dim = a; }
        }
        if (widest <= 0)
        {
            _nodes[id] = new Node(start, end, -1, 0, -1, -1);
            return id;
        }
        var keys = new double[end - start];
        var items = new int[end - start];
        for (int i = start; i < end; i++) { items[i - start] = _index[i]; keys[i - start] = _points[_index[i]][dim]; }
        Array.Sort(keys, items);
        items.CopyTo(_index, start);
        int mid = (start + end) / 2;
        double split = _points[_index[mid]][dim];
        int left = Build(start, mid);
        int right = Build(mid, end);
        _nodes[id] = new Node(start, end, dim, split, left, right);
        return id;
    }

    /// <summary>The k nearest events to <paramref name="query"/>, nearest first (ties: lower index first).</summary>
    public int[] Nearest(double[] query, int k)
    {
        k = Math.Min(k, _points.Length);
        var bestIndex = new int[k];
        var bestDist = new double[k];
        int count = 0;
        if (k > 0) Search(0, query, k, bestIndex, bestDist, ref count);
        return bestIndex[..count];
    }

    private void Search(int nodeId, double[] q, int k, int[] bi, double[] bd, ref int count)
    {
        var node = _nodes[nodeId];
        if (node.Dim < 0)
        {
            for (int p = node.Start; p < node.End; p++)
            {
                int i = _index[p];
                Offer(i, DenseMath.SquaredDistance(_points[i], q), k, bi, bd, ref count);
            }
            return;
        }
        double diff = q[node.Dim] - node.Split;
        int first = diff < 0 ? node.Left : node.Right, second = diff < 0 ? node.Right : node.Left;
        Search(first, q, k, bi, bd, ref count);
        // ≤ (not <): an equally distant point on the far side may win the index tie-break.
        if (count < k || diff * diff <= bd[count - 1]) Search(second, q, k, bi, bd, ref count);
    }

    private static void Offer(int i, double dist, int k, int[] bi, double[] bd, ref int count)
    {
        if (count == k && !Better(dist, i, bd[k - 1], bi[k - 1])) return;
        int pos = count < k ? count++ : k - 1;
        while (pos > 0 && Better(dist, i, bd[pos - 1], bi[pos - 1]))
        {
            bd[pos] = bd[pos - 1]; bi[pos] = bi[pos - 1];
            pos--;
        }
        bd[pos] = dist; bi[pos] = i;
    }

    private static bool Better(double d1, int i1, double d2, int i2) => d1 < d2 || (d1 == d2 && i1 < i2);
}
