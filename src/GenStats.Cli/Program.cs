using System.CommandLine;

namespace GenStats.Cli;

/// <summary>The `genstats` command line. Each verb lives in its own file under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand(
            "GenStats: train conditional generative models for fast detector simulation and prove how far their output can be trusted.");
        foreach (var command in Commands.All())
            root.Subcommands.Add(command);
        return root.Parse(args).Invoke();
    }
}
