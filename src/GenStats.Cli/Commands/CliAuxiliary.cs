using GenStats.Models;

namespace GenStats.Cli;

/// <summary>`train --aux EXPR [--aux-weight W] [--aux-distance mmd|energy]`: parsing and checks, one-line errors.</summary>
internal static class CliAuxiliary
{
    /// <summary>The three options as given (null = absent).</summary>
    public sealed record Request(string? Expression, float? Weight, string? Distance);

    /// <summary>The statistic, or null without --aux; --aux-weight/--aux-distance alone, a non-GAN model, or a bad value is an error.</summary>
    public static AuxiliaryStatistic? Parse(Request? request, string modelName)
    {
        if (request is null) return null;
        if (request.Expression is null)
        {
            if (request.Weight is not null || request.Distance is not null)
                throw new ArgumentException("--aux-weight and --aux-distance need --aux EXPRESSION.");
            return null;
        }
        if (!NeuralTraining.GanLosses.ContainsKey(modelName))
            throw new ArgumentException($"--aux applies to the GAN family ({string.Join(", ", NeuralTraining.GanLosses.Keys)}), not to '{modelName}'.");
        var distance = (request.Distance?.Trim().ToLowerInvariant()) switch
        {
            null or "mmd" => StatisticDistance.Mmd,
            "energy" => StatisticDistance.Energy,
            _ => throw new ArgumentException($"--aux-distance is '{request.Distance}'; use mmd or energy."),
        };
        float weight = request.Weight ?? AuxiliaryExpression.DefaultWeight;
        if (!(weight > 0) || !float.IsFinite(weight))
            throw new ArgumentException($"--aux-weight is {weight}; give a finite positive number (default {AuxiliaryExpression.DefaultWeight}).");
        try
        {
            return AuxiliaryExpression.Parse(request.Expression, weight, distance);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--aux: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }

    /// <summary>The statistic's columns must be among --features/--conditions.</summary>
    public static void CheckColumnsOrThrow(this AuxiliaryStatistic statistic, IReadOnlyList<string> features, IReadOnlyList<string> conditions)
    {
        try
        {
            statistic.CheckColumns(features, conditions);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--aux: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }
}
