using GenStats.Observables;

namespace GenStats.Models;

/// <summary>
/// Auxiliary statistics written as observable expressions (<see cref="ObservableExpression"/>,
/// e.g. <c>mass(pt1,eta1,phi1,pt2,eta2,phi2)</c>), evaluated in the graph on the raw-unit
/// (inverse-transformed) feature and condition columns — what <c>genstats train --aux</c> and
/// F# <c>Gan.trainWithAux</c> build.
/// </summary>
public static class AuxiliaryExpression
{
    /// <summary>The default weight of the term in the generator loss (see docs/neural-models.md).</summary>
    public const float DefaultWeight = 1f;

    /// <summary>
    /// The statistic of <paramref name="expression"/>, matched by <paramref name="distance"/> with
    /// weight <paramref name="weight"/>; it records its text (<see cref="AuxiliaryStatistic.Expression"/>)
    /// and the columns it reads (<see cref="AuxiliaryStatistic.RequiredColumns"/>), checked when training starts.
    /// </summary>
    /// <exception cref="ArgumentException">A syntax error or unknown function (the message lists the functions), or a weight that is not finite and positive.</exception>
    public static AuxiliaryStatistic Parse(string expression, float weight = DefaultWeight, StatisticDistance distance = StatisticDistance.Mmd)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (!(weight > 0) || !float.IsFinite(weight))
            throw new ArgumentException($"the auxiliary weight is {weight}; a finite positive number is required.", nameof(weight));
        if (!Enum.IsDefined(distance))
            throw new ArgumentException($"distance {distance} is unknown; use Mmd or Energy.", nameof(distance));
        var parsed = ObservableExpression.Parse(expression);
        return AuxiliaryStatistic.ByName(parsed.EvaluateTensor, weight) with
        {
            Distance = distance,
            Expression = parsed.Text,
            RequiredColumns = parsed.Columns,
        };
    }
}
