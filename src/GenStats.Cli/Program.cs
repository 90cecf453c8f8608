using System.CommandLine;

namespace GenStats.Cli;

/// <summary>The `genstats` command line. Each verb lives in its own file under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand(
            "GenStats: train conditional generative models for fast detector simulation and prove how far their output can be trusted.");
        root.Options.Add(CliOptions.Verbose);
        foreach (var command in Commands.All())
            root.Subcommands.Add(command);
        CliCancellation.Install();
        var parsed = root.Parse(args);
        string verb = parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name;
        if (parsed.Errors.Count > 0 && !CliOptions.AsksForHelp(parsed))
        {
            // One line per problem instead of the whole help text; --help shows the options.
            foreach (var e in parsed.Errors.Take(3))
                Console.Error.WriteLine($"genstats{(verb.Length > 0 ? " " + verb : "")}: {e.Message} (see genstats {verb}{(verb.Length > 0 ? " " : "")}--help)");
            return CliErrors.Failure;
        }
        bool verbose = parsed.GetValue(CliOptions.Verbose);
        // Exceptions reach CliErrors.Run, the one error path, instead of System.CommandLine's handler.
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        return CliErrors.Run(verb, () => parsed.Invoke(configuration), verbose);
    }
}
