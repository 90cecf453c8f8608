using System.CommandLine;
using Spectre.Console;

namespace GenStats.Cli;

/// <summary>The `genstats` command line. Each verb lives in its own file under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CliCancellation.Install();
        return Run(args);
    }

    /// <summary>
    /// Parses and runs one command line: what <see cref="Main"/> does, without installing signal
    /// handlers, so a test can host it in its own process. With <paramref name="stdout"/> and
    /// <paramref name="stderr"/> the console (and Spectre.Console's) writes go there for this call.
    /// The current directory resolves relative paths, as in a process of its own.
    /// </summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var (oldOut, oldErr, oldAnsi) = (Console.Out, Console.Error, AnsiConsole.Console);
        if (stdout is not null)
        {
            Console.SetOut(stdout);
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        }
        if (stderr is not null) Console.SetError(stderr);
        try
        {
            return Invoke(args);
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            AnsiConsole.Console = oldAnsi;
        }
    }

    private static int Invoke(string[] args)
    {
        var root = new RootCommand(
            "GenStats: train conditional generative models for fast detector simulation and prove how far their output can be trusted.");
        root.Options.Add(CliOptions.Verbose);
        foreach (var command in Commands.All())
            root.Subcommands.Add(command);
        var parsed = root.Parse(args);
        string verb = parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name;
        string who = verb.Length > 0 ? $"genstats {verb}" : "genstats";
        if (parsed.Errors.Count > 0 && !CliOptions.AsksForHelp(parsed))
        {
            // One line: the most specific problem (an unknown word beats "no command given"), then where to look.
            var error = parsed.Errors.FirstOrDefault(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) ?? parsed.Errors[0];
            string message = string.Join(" ", error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Console.Error.WriteLine($"{who}: {message} (see {who} --help)");
            return CliErrors.Failure;
        }
        bool verbose = parsed.GetValue(CliOptions.Verbose);
        // Exceptions reach CliErrors.Run, the one error path, instead of System.CommandLine's handler.
        var configuration = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            Output = Console.Out,
            Error = Console.Error,
        };
        return CliErrors.Run(verb, () => parsed.Invoke(configuration), verbose);
    }
}
