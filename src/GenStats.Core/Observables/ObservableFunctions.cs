using GenStats.Tensors;

namespace GenStats.Observables;

/// <summary>One function of the expression language: its name, argument rule and both evaluations.</summary>
internal sealed record ObservableFunction(
    string Name, string Signature, Func<int, string?> CheckArity, Func<double[][], double[]> Columns, Func<Tensor[], Tensor> Tensors);

/// <summary>
/// The functions <see cref="ObservableExpression"/> knows. Object lists: plain <c>mass</c>, <c>pt</c>,
/// <c>rapidity</c>, <c>phi</c> read k massless (pT, η, φ) triples when the argument count is a multiple
/// of 3, and k (pT, η, φ, m) quadruples when it is a multiple of 4 but not of 3; a count divisible by
/// both (12, 24) is refused as ambiguous — the suffixed forms <c>mass0</c>… (triples) and
/// <c>massm</c>… (quadruples) say it explicitly.
/// </summary>
internal static class ObservableFunctions
{
    public static readonly IReadOnlyList<ObservableFunction> All = Build();

    public static ObservableFunction? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Catalog => string.Join("; ", All.Select(f => f.Signature));

    private static List<ObservableFunction> Build()
    {
        var list = new List<ObservableFunction>();
        void ObjectFamily(string name, string what, Func<double[][][], double[]> cols, Func<Tensor[][], Tensor> tens)
        {
            list.Add(new(name, $"{name}(pt1,eta1,phi1,…) or {name}(pt1,eta1,phi1,m1,…): {what} of massless triples (count % 3 = 0) or (pt,eta,phi,m) quadruples (count % 4 = 0, not % 3)",
                n => Stride(n) is not null ? null : StrideError(n, name),
                a => cols(Group(a, Stride(a.Length)!.Value)), a => tens(Group(a, Stride(a.Length)!.Value))));
            list.Add(new(name + "0", $"{name}0(pt1,eta1,phi1,…): {what} of massless (pt,eta,phi) triples",
                n => n > 0 && n % 3 == 0 ? null : $"{name}0 takes (pt,eta,phi) triples: a multiple of 3 arguments, got {n}",
                a => cols(Group(a, 3)), a => tens(Group(a, 3))));
            list.Add(new(name + "m", $"{name}m(pt1,eta1,phi1,m1,…): {what} of (pt,eta,phi,m) quadruples",
                n => n > 0 && n % 4 == 0 ? null : $"{name}m takes (pt,eta,phi,m) quadruples: a multiple of 4 arguments, got {n}",
                a => cols(Group(a, 4)), a => tens(Group(a, 4))));
        }
        ObjectFamily("mass", "invariant mass",
            g => ColumnObservables.Mass(g[0], g[1], g[2], g.Length > 3 ? g[3] : null),
            g => TensorObservables.Mass(g[0], g[1], g[2], g.Length > 3 ? g[3] : null));
        ObjectFamily("pt", "transverse momentum of the system",
            g => ColumnObservables.SystemPt(g[0], g[2]), g => TensorObservables.SystemPt(g[0], g[2]));
        ObjectFamily("rapidity", "rapidity of the system",
            g => ColumnObservables.SystemRapidity(g[0], g[1], g.Length > 3 ? g[3] : null),
            g => TensorObservables.SystemRapidity(g[0], g[1], g.Length > 3 ? g[3] : null));
        ObjectFamily("phi", "azimuth of the system in (−π, π]",
            g => ColumnObservables.SystemPhi(g[0], g[2]), g => TensorObservables.SystemPhi(g[0], g[2]));
        foreach (var alias in new[] { "mass4", "massE" })
            list.Add(new(alias, $"{alias}(E1,px1,py1,pz1,…): invariant mass of (E,px,py,pz) quadruples",
                n => n > 0 && n % 4 == 0 ? null : $"{alias} takes (E,px,py,pz) quadruples: a multiple of 4 arguments, got {n}",
                a => { var g = Group(a, 4); return ColumnObservables.MassFromFourMomenta(g[0], g[1], g[2], g[3]); },
                a => { var g = Group(a, 4); return TensorObservables.MassFromFourMomenta(g[0], g[1], g[2], g[3]); }));
        list.Add(new("dphi", "dphi(phi1,phi2): φ1 − φ2 wrapped to (−π, π]",
            n => n == 2 ? null : $"dphi takes 2 arguments (phi1,phi2), got {n}",
            a => ColumnObservables.DeltaPhi(a[0], a[1]), a => TensorObservables.DeltaPhi(a[0], a[1])));
        list.Add(new("dr", "dr(eta1,phi1,eta2,phi2): √(Δη² + Δφ²)",
            n => n == 4 ? null : $"dr takes 4 arguments (eta1,phi1,eta2,phi2), got {n}",
            a => ColumnObservables.DeltaR(a[0], a[1], a[2], a[3]), a => TensorObservables.DeltaR(a[0], a[1], a[2], a[3])));
        list.Add(new("mt", "mt(pt1,phi1,pt2,phi2) or mt(pt1,phi1,m1,pt2,phi2,m2): transverse mass",
            n => n is 4 or 6 ? null : $"mt takes 4 arguments (pt1,phi1,pt2,phi2) or 6 (pt1,phi1,m1,pt2,phi2,m2), got {n}",
            a => a.Length == 4 ? ColumnObservables.TransverseMass(a[0], a[1], a[2], a[3]) : ColumnObservables.TransverseMass(a[0], a[1], a[2], a[3], a[4], a[5]),
            a => a.Length == 4 ? TensorObservables.TransverseMass(a[0], a[1], a[2], a[3]) : TensorObservables.TransverseMass(a[0], a[1], a[2], a[3], a[4], a[5])));
        return list;
    }

    /// <summary>3 (massless triples) or 4 (quadruples with masses) for an argument count; null when neither or both fit.</summary>
    private static int? Stride(int n) =>
        n <= 0 ? null : n % 3 == 0 && n % 4 != 0 ? 3 : n % 4 == 0 && n % 3 != 0 ? 4 : null;

    private static string StrideError(int n, string name) =>
        n > 0 && n % 12 == 0
            ? $"{name} with {n} arguments is ambiguous ({n / 3} massless objects or {n / 4} with masses); write {name}0(…) for (pt,eta,phi) triples or {name}m(…) for (pt,eta,phi,m) quadruples"
            : $"{name} takes (pt,eta,phi) triples or (pt,eta,phi,m) quadruples: a multiple of 3 or 4 arguments, got {n}";

    /// <summary>Arguments in groups of <paramref name="stride"/> per object, as one list per quantity.</summary>
    private static T[][] Group<T>(T[] args, int stride)
    {
        int k = args.Length / stride;
        var g = new T[stride][];
        for (int q = 0; q < stride; q++)
        {
            g[q] = new T[k];
            for (int o = 0; o < k; o++) g[q][o] = args[o * stride + q];
        }
        return g;
    }
}
