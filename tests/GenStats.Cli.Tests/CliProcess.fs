/// Runs the built `genstats` as a real process in a given folder, with a time limit and extra
/// environment variables: what every command-line test needs.
module GenStats.Tests.Cli.CliProcess

open System
open System.Diagnostics
open System.IO
open System.Threading.Tasks
open GenStats.Tests

/// What one run of the command line gave.
type Outcome =
    {
        ExitCode: int
        Stdout: string
        Stderr: string
        TimedOut: bool
        Seconds: float
    }

/// The built command line (Release); a missing build is a clear failure.
let dll () =
    let path =
        Repository.file [ "src"; "GenStats.Cli"; "bin"; "Release"; "net10.0"; "genstats.dll" ]

    if not (File.Exists path) then
        failwithf "genstats.dll is not built at %s (build GenStats.sln -c Release first)." path

    path

/// Starts `dotnet genstats.dll ARGS` in `folder` with `env` added; the caller waits.
let start (folder: string) (env: (string * string) list) (args: string list) =
    let psi =
        ProcessStartInfo(
            "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = folder,
            UseShellExecute = false
        )

    psi.ArgumentList.Add(dll ())

    for a in args do
        psi.ArgumentList.Add a

    // No terminal: plain output; the same culture everywhere.
    psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] <- "1"
    psi.Environment["NO_COLOR"] <- "1"

    for k, v in env do
        psi.Environment[k] <- v

    Process.Start psi

/// Runs to completion or kills the process tree after `timeout`; standard input is closed at once.
let run (folder: string) (env: (string * string) list) (timeout: TimeSpan) (args: string list) =
    let watch = Stopwatch.StartNew()
    use p = start folder env args
    p.StandardInput.Close()
    let out = p.StandardOutput.ReadToEndAsync()
    let err = p.StandardError.ReadToEndAsync()
    let finished = p.WaitForExit(int timeout.TotalMilliseconds)

    if not finished then
        p.Kill(entireProcessTree = true)
        p.WaitForExit()

    {
        ExitCode = (if finished then p.ExitCode else -1)
        Stdout = out.Result
        Stderr = err.Result
        TimedOut = not finished
        Seconds = watch.Elapsed.TotalSeconds
    }

/// Runs the command line inside this process (Program.Run with the console captured and the
/// current directory set to `folder`): the same code path without the ~0.3 s start of a process.
/// Callers run one at a time (the console and the current directory are process-wide). An
/// exception escaping Program.Run is reported as "Unhandled exception" so that the checks fail.
let runInProcess (folder: string) (timeout: TimeSpan) (args: string list) =
    let watch = Stopwatch.StartNew()
    let out = new StringWriter()
    let err = new StringWriter()
    let syncOut, syncErr = TextWriter.Synchronized out, TextWriter.Synchronized err
    let previous = Environment.CurrentDirectory
    Environment.CurrentDirectory <- folder

    try
        let task =
            Task.Run(fun () ->
                try
                    GenStats.Cli.Program.Run(Array.ofList args, syncOut, syncErr)
                with e ->
                    syncErr.WriteLine("Unhandled exception: " + e.ToString())
                    -2)

        let finished = task.Wait timeout

        {
            ExitCode = (if finished then task.Result else -1)
            Stdout = out.ToString()
            Stderr = err.ToString()
            TimedOut = not finished
            Seconds = watch.Elapsed.TotalSeconds
        }
    finally
        Environment.CurrentDirectory <- previous
