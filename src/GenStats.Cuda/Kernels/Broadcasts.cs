namespace GenStats.Tensors.Cuda.Kernels;

/// <summary>Builds the <see cref="Broadcast4"/> of two operand shapes against an output shape (numpy broadcasting; shapes have rank ≤ 4).</summary>
internal static class Broadcasts
{
    public static Broadcast4 Of(Shape a, Shape b, Shape y)
    {
        var yd = Dims4(y);
        var sa = Strides4(a, yd);
        var sb = Strides4(b, yd);
        return new Broadcast4
        {
            D1 = yd[1],
            D2 = yd[2],
            D3 = Math.Max(1, yd[3]),
            A0 = sa[0],
            A1 = sa[1],
            A2 = sa[2],
            A3 = sa[3],
            B0 = sb[0],
            B1 = sb[1],
            B2 = sb[2],
            B3 = sb[3],
        };
    }

    private static int[] Dims4(Shape s)
    {
        var d = new[] { 1, 1, 1, 1 };
        var sd = s.ToArray();   // rank ≤ Shape.MaxRank = 4
        for (int i = 0; i < sd.Length; i++) d[4 - sd.Length + i] = sd[i];
        return d;
    }

    /// <summary>Element strides of <paramref name="s"/> seen as the target dims: 0 where it is broadcast.</summary>
    private static int[] Strides4(Shape s, int[] target)
    {
        var d = Dims4(s);
        var strides = new int[4];
        int acc = 1;
        for (int i = 3; i >= 0; i--)
        {
            strides[i] = d[i] == 1 && target[i] != 1 ? 0 : acc;
            acc *= d[i];
        }
        return strides;
    }
}
