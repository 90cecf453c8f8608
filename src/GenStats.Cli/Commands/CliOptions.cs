using System.CommandLine;

namespace GenStats.Cli;

/// <summary>Options every verb shares: <c>--verbose</c> (stack traces) and <c>--force</c> (replace an output of another kind).</summary>
internal static class CliOptions
{
    /// <summary>On every verb: print the stack trace of a failure.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Print the stack trace of a failure.", Recursive = true };

    /// <summary>A verb's <c>--force</c>: overwrite an existing output file that holds another kind of content.</summary>
    public static Option<bool> Force() =>
        new("--force") { Description = "Overwrite an existing output file even when it holds another kind of content (a model, a table, JSON)." };

    /// <summary>A long verb's <c>--progress</c>: show the progress bar on standard error even when it is not a terminal.</summary>
    public static Option<bool> Progress() =>
        new("--progress") { Description = "Show a progress bar on standard error even when it is redirected (it is shown on a terminal anyway); standard output stays clean." };

    /// <summary>True when the command line asks for help (then parse errors of required options are not reported).</summary>
    public static bool AsksForHelp(ParseResult parsed) =>
        parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?" or "/?" or "/h");
}
