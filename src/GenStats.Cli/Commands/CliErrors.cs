using System.Text.Json;

namespace GenStats.Cli;

/// <summary>Turns the expected failures of a verb into one line on standard error and exit code 1.</summary>
internal static class CliErrors
{
    public static int Run(string verb, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or JsonException
                                      or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"genstats {verb}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Splits "a,b , c" into names; empty entries are an error.</summary>
    public static string[] Names(string? list, string option)
    {
        if (string.IsNullOrWhiteSpace(list)) return [];
        var parts = list.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0))
            throw new ArgumentException($"{option} '{list}' has an empty column name; give comma-separated names such as a,b.");
        return parts;
    }
}
