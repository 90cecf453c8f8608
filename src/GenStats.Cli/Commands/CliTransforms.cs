using GenStats.Data;

namespace GenStats.Cli;

/// <summary>`train --transform COLUMN=KIND,…`: parsing, merging over the config, and the summary line.</summary>
internal static class CliTransforms
{
    /// <summary>Column → spec text; a bad token is one ArgumentException line naming it and listing the kinds.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string list)
    {
        try
        {
            return TransformSpec.ParseAssignments(list);
        }
        catch (ArgumentException e)
        {
            // The CLI prints the message as one line; drop the "(Parameter 'text')" suffix.
            throw new ArgumentException($"--transform: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }

    /// <summary>The config's per-column transforms with the command line's on top (null when both are empty).</summary>
    public static IReadOnlyDictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? config, IReadOnlyDictionary<string, string>? cli)
    {
        if (cli is null || cli.Count == 0) return config;
        var merged = config is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(config, StringComparer.Ordinal);
        foreach (var (k, v) in cli) merged[k] = v;
        return merged;
    }

    /// <summary>"pt1 log, phi1 periodic, … | y standard": every column's fitted kind.</summary>
    public static string Describe(IReadOnlyList<string> features, RowTransform fx, IReadOnlyList<string> conditions, RowTransform? fy)
    {
        static string Part(IReadOnlyList<string> names, RowTransform t) =>
            string.Join(", ", names.Select((n, i) => $"{n} {t.Columns[i].Kind}"));
        return fy is null || conditions.Count == 0 ? Part(features, fx) : $"{Part(features, fx)} | {Part(conditions, fy)}";
    }
}
