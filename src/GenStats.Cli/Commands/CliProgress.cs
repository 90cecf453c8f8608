using Spectre.Console;

namespace GenStats.Cli;

/// <summary>
/// Runs long work under a progress bar on standard error (description, bar, percentage, elapsed and
/// remaining time, as train's bar): shown when standard error is a terminal, or when the verb's
/// <c>--progress</c> asks for it (then, redirected, Spectre writes plain progress lines). Never on
/// standard output, which keeps the verb's results (tables, JSON) clean.
/// </summary>
internal static class CliProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports its fraction done (0..1) and may name its current stage.</summary>
    public static T Run<T>(string title, Func<Bar, T> work, bool force = false)
    {
        if (Console.IsErrorRedirected && !force) return work(new Bar(null, title));
        // Redirected (--progress into a log): plain lines, no escape sequences.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = Console.IsErrorRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsErrorRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        T result = default!;
        console.Progress()
            .AutoClear(!Console.IsErrorRedirected)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1.0);
                result = work(new Bar(task, title));
                task.Value = 1.0;
            });
        return result;
    }

    /// <summary>
    /// The bar's handle: sets the task value directly and synchronously (System.Progress would post
    /// asynchronously), from any thread, never backwards. Without a display it does nothing.
    /// </summary>
    public sealed class Bar(ProgressTask? task, string title) : IProgress<double>
    {
        private readonly object _gate = new();

        /// <summary>Sets the fraction done.</summary>
        public void Report(double value)
        {
            if (task is null) return;
            lock (_gate) task.Value = Math.Max(task.Value, value);
        }

        /// <summary>Names the current stage ("title: stage") and sets the fraction done.</summary>
        public void Stage(string stage, double value)
        {
            if (task is null) return;
            lock (_gate) task.Description = Markup.Escape($"{title}: {stage}");
            Report(value);
        }
    }
}
