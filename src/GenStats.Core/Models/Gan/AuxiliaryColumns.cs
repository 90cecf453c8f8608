using GenStats.Tensors;

namespace GenStats.Models;

/// <summary>
/// The inputs of an auxiliary statistic: raw feature and condition tensors, either as the two
/// matrices (x [B, features], y [B, conditions]) or as named columns ([B] each, physics units).
/// </summary>
public static class AuxiliaryColumns
{
    /// <summary>Splits raw x [B, features] and y [B, conditions] into named [B] columns (features first).</summary>
    /// <exception cref="ArgumentException">Widths that do not match the names, or a name used twice.</exception>
    public static IReadOnlyDictionary<string, Tensor> Split(Tensor xRaw, Tensor yRaw, IReadOnlyList<string> featureNames, IReadOnlyList<string> conditionNames)
    {
        ArgumentNullException.ThrowIfNull(xRaw);
        ArgumentNullException.ThrowIfNull(yRaw);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(conditionNames);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        void Add(Tensor m, IReadOnlyList<string> names, string what)
        {
            if (m.Rank != 2 || m.Shape[1] != names.Count)
                throw new ArgumentException($"the {what} tensor has shape [{string.Join(", ", m.Shape.ToArray())}]; [B, {names.Count}] is required.", what);
            for (int c = 0; c < names.Count; c++)
                if (!result.TryAdd(names[c], Ops.Reshape(Ops.SliceColumns(m, c, 1), m.Shape[0])))
                    throw new ArgumentException($"column name '{names[c]}' is used twice; named columns must be unique.", what);
        }
        Add(xRaw, featureNames, "features");
        Add(yRaw, conditionNames, "conditions");
        return result;
    }

    /// <summary>
    /// s on one batch as [B, k]: <see cref="AuxiliaryStatistic.Columns"/> of the named columns
    /// when set, else <see cref="AuxiliaryStatistic.Statistic"/>(x, y); a [B] result becomes [B, 1].
    /// </summary>
    public static Tensor Evaluate(this AuxiliaryStatistic statistic, Tensor xRaw, Tensor yRaw, IReadOnlyList<string> featureNames, IReadOnlyList<string> conditionNames)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentNullException.ThrowIfNull(xRaw);
        int n = xRaw.Shape[0];
        var s = statistic.Columns is { } byName
            ? byName(Split(xRaw, yRaw, featureNames, conditionNames))
            : statistic.Statistic(xRaw, yRaw);
        return s.Rank == 1 ? Ops.Reshape(s, n, 1) : s;
    }

    /// <summary>The (x, y) function of a by-name statistic: never called (the trainer uses the names).</summary>
    internal static Tensor Unbound(Tensor x, Tensor y) =>
        throw new InvalidOperationException("this auxiliary statistic reads named columns (AuxiliaryStatistic.Columns); evaluate it with AuxiliaryColumns.Evaluate.");
}
