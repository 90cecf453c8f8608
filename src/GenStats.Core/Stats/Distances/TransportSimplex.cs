namespace GenStats.Stats;

/// <summary>
/// Exact solver of the balanced transportation problem min Σᵢⱼ cᵢⱼ fᵢⱼ subject to Σⱼ fᵢⱼ = aᵢ,
/// Σᵢ fᵢⱼ = bⱼ, f ≥ 0, with Euclidean costs cᵢⱼ = ‖xᵢ − yⱼ‖ evaluated on the fly (no m × n matrix),
/// by the primal network simplex method on the bipartite graph plus an artificial root.
/// </summary>
/// <remarks>
/// The algorithm follows the textbook network simplex (Ahuja, Magnanti &amp; Orlin ch. 11) with the
/// choices of LEMON's implementation that POT's <c>emd</c> also uses: an initial star tree of
/// artificial root arcs with cost (max cost + 1) · nodes, block-search pricing with block size
/// √(arcs), and Cunningham's strongly feasible trees (the leaving arc is the last blocking arc on
/// the cycle, seen from the apex) which prevents cycling on the highly degenerate transport
/// problems of equal-weight samples. The basis tree is stored with parent pointers, per-node flow
/// of the arc to the parent and doubly linked child lists; a pivot re-roots the detached subtree
/// along the path to the entering arc and shifts the subtree's potentials by one constant.
/// Reduced costs are compared against −1e-11 · (max cost), which bounds the relative error of the
/// optimum far below the statistical uncertainty.
/// </remarks>
internal sealed class TransportSimplex
{
    private readonly int _m, _n, _dims, _root;
    private readonly double[] _xa, _xb; // row-major coordinates, scaled so that the largest cost ≤ 1
    private readonly double _scale, _artificialCost, _epsilon;
    private readonly int[] _parent, _predArc, _depth, _firstChild, _nextSibling, _prevSibling;
    private readonly bool[] _upward; // the arc to the parent points node → parent
    private readonly double[] _flow, _pi;
    private readonly int _arcCount, _blockSize;
    private int _nextArc;

    /// <summary>Number of pivots the last <see cref="Solve"/> made.</summary>
    public int Pivots { get; private set; }

    /// <param name="a">Source points (rows), all with positive mass.</param>
    /// <param name="massA">Masses of the sources (Σ = 1).</param>
    /// <param name="b">Sink points.</param>
    /// <param name="massB">Masses of the sinks (Σ = 1).</param>
    public TransportSimplex(double[][] a, double[] massA, double[][] b, double[] massB)
    {
        _m = a.Length;
        _n = b.Length;
        _dims = a[0].Length;
        _root = _m + _n;
        int nodes = _m + _n + 1;
        _arcCount = checked(_m * _n);
        _blockSize = Math.Max(10, (int)Math.Sqrt(_arcCount));

        // Costs are scaled by the bounding-box diagonal (an upper bound of every cost) so that the
        // tolerance can be absolute.
        var lo = new double[_dims];
        var hi = new double[_dims];
        Array.Fill(lo, double.PositiveInfinity);
        Array.Fill(hi, double.NegativeInfinity);
        foreach (var rows in new[] { a, b })
            foreach (var row in rows)
                for (int k = 0; k < _dims; k++) { lo[k] = Math.Min(lo[k], row[k]); hi[k] = Math.Max(hi[k], row[k]); }
        double diag = 0;
        for (int k = 0; k < _dims; k++) diag += (hi[k] - lo[k]) * (hi[k] - lo[k]);
        _scale = diag > 0 ? Math.Sqrt(diag) : 1.0;
        _xa = Flatten(a, lo, _scale);
        _xb = Flatten(b, lo, _scale);
        _artificialCost = 2.0 * nodes; // (max cost + 1) · nodes with max cost ≤ 1
        _epsilon = 1e-11;

        _parent = new int[nodes];
        _predArc = new int[nodes];
        _depth = new int[nodes];
        _firstChild = new int[nodes];
        _nextSibling = new int[nodes];
        _prevSibling = new int[nodes];
        _upward = new bool[nodes];
        _flow = new double[nodes];
        _pi = new double[nodes];
        Array.Fill(_firstChild, -1);
        _parent[_root] = -1;
        _predArc[_root] = -1;
        for (int u = 0; u < _root; u++)
        {
            // Star tree: a source ships its mass to the root, the root feeds every sink.
            bool source = u < _m;
            _parent[u] = _root;
            _predArc[u] = _arcCount + u;
            _upward[u] = source;
            _flow[u] = source ? massA[u] : massB[u - _m];
            _pi[u] = source ? -_artificialCost : _artificialCost;
            _depth[u] = 1;
            AddChild(_root, u);
        }
    }

    private static double[] Flatten(double[][] rows, double[] origin, double scale)
    {
        int d = origin.Length;
        var flat = new double[rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
            for (int k = 0; k < d; k++) flat[i * d + k] = (rows[i][k] - origin[k]) / scale;
        return flat;
    }

    private double Cost(int i, int j)
    {
        double s = 0;
        int pa = i * _dims, pb = j * _dims;
        for (int k = 0; k < _dims; k++)
        {
            double d = _xa[pa + k] - _xb[pb + k];
            s += d * d;
        }
        return Math.Sqrt(s);
    }

    /// <summary>Runs the simplex to optimality and returns the minimal total cost Σ cᵢⱼ fᵢⱼ.</summary>
    public double Solve(CancellationToken ct = default)
    {
        Pivots = 0;
        while (true)
        {
            int e = FindEntering();
            if (e < 0) break;
            Pivot(e);
            if ((++Pivots & 1023) == 0) ct.ThrowIfCancellationRequested();
        }
        var total = new CompensatedSum();
        double artificial = 0;
        for (int u = 0; u < _root; u++)
        {
            int arc = _predArc[u];
            if (arc >= _arcCount) { artificial += _flow[u]; continue; }
            if (_flow[u] != 0) total.Add(_flow[u] * Cost(arc / _n, arc % _n));
        }
        if (artificial > 1e-9)
            throw new InvalidOperationException(
                $"The transport solver left mass {artificial} on artificial arcs; the masses do not balance.");
        return total.Value * _scale;
    }

    // Block search (LEMON's default pivot rule): scan blocks of arcs cyclically and enter the most
    // negative reduced cost of the first block that has one.
    private int FindEntering()
    {
        double best = -_epsilon;
        int bestArc = -1;
        int budget = _blockSize;
        for (int pass = 0; pass < 2; pass++)
        {
            int start = pass == 0 ? _nextArc : 0;
            int stop = pass == 0 ? _arcCount : _nextArc;
            int i = start / _n, j = start % _n;
            for (int e = start; e < stop; e++)
            {
                double rc = Cost(i, j) + _pi[i] - _pi[_m + j];
                if (rc < best) { best = rc; bestArc = e; }
                if (--budget == 0)
                {
                    if (bestArc >= 0) { _nextArc = e + 1 == _arcCount ? 0 : e + 1; return bestArc; }
                    budget = _blockSize;
                }
                if (++j == _n) { j = 0; i++; }
            }
        }
        if (bestArc >= 0) _nextArc = bestArc + 1 == _arcCount ? 0 : bestArc + 1;
        return bestArc;
    }

    private void Pivot(int arc)
    {
        int first = arc / _n;        // source node: flow enters the cycle along first → second
        int second = _m + arc % _n;  // sink node
        int join = FindJoin(first, second);

        // Leaving arc: the blocking (decreasing) arc met last when the cycle is traversed from the
        // apex in the direction of the entering arc — strict '<' on the first side, '<=' on the second.
        double delta = double.PositiveInfinity;
        int leaving = -1;
        bool onFirstSide = false;
        for (int u = first; u != join; u = _parent[u])
            if (_upward[u] && _flow[u] < delta) { delta = _flow[u]; leaving = u; onFirstSide = true; }
        for (int u = second; u != join; u = _parent[u])
            if (!_upward[u] && _flow[u] <= delta) { delta = _flow[u]; leaving = u; onFirstSide = false; }
        if (leaving < 0) throw new InvalidOperationException("Unbounded transport cycle; this cannot happen for Euclidean costs.");

        if (delta > 0)
        {
            for (int u = first; u != join; u = _parent[u]) _flow[u] += _upward[u] ? -delta : delta;
            for (int u = second; u != join; u = _parent[u]) _flow[u] += _upward[u] ? delta : -delta;
        }

        // The subtree below the leaving arc contains uIn; hang it from vIn by the entering arc.
        int uIn = onFirstSide ? first : second;
        int vIn = onFirstSide ? second : first;
        bool enteringUpward = onFirstSide; // first → second points from uIn to vIn when uIn = first
        double cost = Cost(first, second - _m);
        double sigma = onFirstSide
            ? _pi[second] - cost - _pi[first]   // make cost + π(first) − π(second) = 0 by moving π(first)
            : cost + _pi[first] - _pi[second];  // … by moving π(second)

        int prev = vIn, cur = uIn, newArc = arc;
        bool newUp = enteringUpward;
        double newFlow = delta;
        while (true)
        {
            int oldParent = _parent[cur], oldArc = _predArc[cur];
            bool oldUp = _upward[cur];
            double oldFlow = _flow[cur];
            RemoveChild(oldParent, cur);
            _parent[cur] = prev;
            _predArc[cur] = newArc;
            _upward[cur] = newUp;
            _flow[cur] = newFlow;
            AddChild(prev, cur);
            if (cur == leaving) break;
            prev = cur;
            cur = oldParent;
            newArc = oldArc;
            newUp = !oldUp;
            newFlow = oldFlow;
        }
        ShiftSubtree(uIn, sigma);
    }

    private int FindJoin(int u, int v)
    {
        while (u != v)
        {
            if (_depth[u] > _depth[v]) u = _parent[u];
            else if (_depth[v] > _depth[u]) v = _parent[v];
            else { u = _parent[u]; v = _parent[v]; }
        }
        return u;
    }

    private readonly Stack<int> _stack = new();

    private void ShiftSubtree(int top, double sigma)
    {
        _stack.Push(top);
        while (_stack.Count > 0)
        {
            int u = _stack.Pop();
            _pi[u] += sigma;
            _depth[u] = _depth[_parent[u]] + 1;
            for (int c = _firstChild[u]; c >= 0; c = _nextSibling[c]) _stack.Push(c);
        }
    }

    private void AddChild(int parent, int child)
    {
        int head = _firstChild[parent];
        _nextSibling[child] = head;
        _prevSibling[child] = -1;
        if (head >= 0) _prevSibling[head] = child;
        _firstChild[parent] = child;
    }

    private void RemoveChild(int parent, int child)
    {
        int prev = _prevSibling[child], next = _nextSibling[child];
        if (prev >= 0) _nextSibling[prev] = next; else _firstChild[parent] = next;
        if (next >= 0) _prevSibling[next] = prev;
    }
}
