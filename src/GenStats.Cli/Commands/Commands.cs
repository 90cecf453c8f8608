using System.CommandLine;

namespace GenStats.Cli;

/// <summary>Every verb of the command line; later issues add theirs here.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All()
    {
        yield return DescribeCommand.Create();
        yield return CompareCommand.Create();
        yield return ToyCommand.Create();
        yield return SplotCommand.Create();
        yield return TrainCommand.Create();
        yield return SampleCommand.Create();
        yield return HistoryCommand.Create();
        yield return EnsembleCommand.Create();
        yield return ExportCommand.Create();
    }
}
