namespace GenStats.Observables;

/// <summary>Checked per-object column lists (one array per object) of one call.</summary>
internal sealed record Objects(double[][] Pt, double[][] Eta, double[][]? Phi, double[][]? Mass, int Count, int Events)
{
    /// <summary>The mass of object i in event e (0 for massless objects).</summary>
    public double M(int i, int e) => Mass is null ? 0 : Mass[i][e];

    /// <summary>Checks the lists; a null <paramref name="phi"/> is allowed where the azimuth does not enter.</summary>
    public static Objects From(double[][] pt, double[][] eta, double[][]? phi, double[][]? mass)
    {
        var lists = new List<(string, double[][])> { ("pt", pt), ("eta", eta) };
        if (phi is not null) lists.Add(("phi", phi));
        if (mass is not null) lists.Add(("mass", mass));
        int n = CheckLists([.. lists]);
        return new Objects(pt, eta, phi, mass, pt.Length, n);
    }

    /// <summary>Every list holds the same number (≥ 1) of objects, every column the same number of events.</summary>
    public static int CheckLists(params (string Name, double[][] Columns)[] lists)
    {
        int k = -1, n = -1;
        foreach (var (name, columns) in lists)
        {
            ArgumentNullException.ThrowIfNull(columns, name);
            if (columns.Length == 0) throw new ArgumentException($"{name} lists no object; give one column per object (at least one).", name);
            if (k < 0) k = columns.Length;
            else if (columns.Length != k)
                throw new ArgumentException($"{name} lists {columns.Length} objects but {lists[0].Name} lists {k}; every list needs one column per object.", name);
            for (int i = 0; i < columns.Length; i++)
            {
                if (columns[i] is null) throw new ArgumentNullException(name, $"{name} of object {i + 1} is null.");
                if (n < 0) n = columns[i].Length;
                else if (columns[i].Length != n)
                    throw new ArgumentException($"{name} of object {i + 1} has {columns[i].Length} events, other columns {n}; every column must have the same length.", name);
            }
        }
        return n;
    }
}
