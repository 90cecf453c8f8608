using System.Text.Json;
using GenStats.Models;

namespace GenStats.Cli;

/// <summary>
/// The one error path of every verb (docs/cli.md, "Errors and exit codes"): an expected failure —
/// bad input, bad options, I/O, a refused size — is one line
/// <c>genstats VERB: what is wrong, where, what is allowed</c> on standard error and exit code 1;
/// anything else is a bug: one line saying so and exit code 2, the stack trace only with
/// <c>--verbose</c>. <see cref="Program"/> runs every verb through <see cref="Run"/>, so a verb
/// only throws (ArgumentException and friends, or <see cref="CliException"/>).
/// </summary>
internal static class CliErrors
{
    /// <summary>Exit code of an expected failure.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of an unexpected exception (a bug).</summary>
    public const int Bug = 2;

    /// <summary>Exit code of a run cancelled by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>Runs a verb's body; exceptions become one line and an exit code.</summary>
    public static int Run(string verb, Func<int> body, bool verbose = false)
    {
        string who = verb.Length > 0 ? $"genstats {verb}" : "genstats";
        try
        {
            return body();
        }
        catch (Exception e) when (IsExpected(e))
        {
            Console.Error.WriteLine($"{who}: {OneLine(e)}");
            if (verbose) Console.Error.WriteLine(e);
            return Failure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{who}: cancelled; no output was written.");
            return Cancelled;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{who}: unexpected {e.GetType().Name}: {OneLine(e)} — this is a bug, please report it"
                + (verbose ? "." : " (rerun with --verbose for the stack trace)."));
            if (verbose) Console.Error.WriteLine(e);
            return Bug;
        }
    }

    /// <summary>
    /// The failures a user can cause and fix: bad options and input (ArgumentException except a
    /// null argument, InvalidDataException, FormatException, JsonException), files (IOException,
    /// UnauthorizedAccessException), refusals (<see cref="CliException"/>, NotSupportedException,
    /// a stopped training) and memory exhausted despite the size checks.
    /// </summary>
    public static bool IsExpected(Exception e) => e switch
    {
        ArgumentNullException => false,
        CliException or ArgumentException or InvalidDataException or FormatException or JsonException => true,
        IOException or UnauthorizedAccessException or NotSupportedException or TrainingStoppedException => true,
        OutOfMemoryException or InsufficientExecutionStackException => true,
        _ => false,
    };

    /// <summary>The message as one line, without .NET's " (Parameter 'x')" suffix.</summary>
    public static string OneLine(Exception e)
    {
        string m = e switch
        {
            OutOfMemoryException => "not enough memory for this request (" + e.Message.TrimEnd('.') + "); reduce the sizes (events, bins, replicas, batch size) or free memory.",
            _ => e.Message,
        };
        int p = m.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (p >= 0 && m.EndsWith("')", StringComparison.Ordinal)) m = m[..p];
        return string.Join(" ", m.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Splits "a,b , c" into names; empty entries and repeated names are errors.</summary>
    public static string[] Names(string? list, string option)
    {
        if (string.IsNullOrWhiteSpace(list)) return [];
        var parts = list.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0))
            throw new ArgumentException($"{option} '{list}' has an empty column name; give comma-separated names such as a,b.");
        var repeated = parts.GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new ArgumentException($"{option} names '{repeated.Key}' twice; each column may appear once.");
        return parts;
    }
}

/// <summary>An expected failure the command line detects itself (a refusal, a check); always exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);
