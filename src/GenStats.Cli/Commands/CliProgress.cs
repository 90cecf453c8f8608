using Spectre.Console;

namespace GenStats.Cli;

/// <summary>Runs long work under a Spectre.Console progress bar written to standard error.</summary>
internal static class CliProgress
{
    public static T Run<T>(string title, Func<IProgress<double>, T> work)
    {
        if (Console.IsErrorRedirected) return work(new Progress<double>(_ => { }));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask(title, maxValue: 1.0);
            result = work(new TaskProgress(task));
            task.Value = 1.0;
        });
        return result;
    }

    /// <summary>Sets the task value directly (System.Progress would post asynchronously).</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<double>
    {
        private readonly object _gate = new();

        public void Report(double value)
        {
            lock (_gate) task.Value = Math.Max(task.Value, value);
        }
    }
}
