/// Runs the repository's validation/*.fsx scripts as a user does (`dotnet fsi script.fsx args`), in
/// a child process whose working directory is a given folder, so the script's out/ lands there.
module GenStats.Tests.Validation.Scripts

open System
open System.Diagnostics
open System.IO
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain

/// The repository root (GenStats.Tests.Repository.root).
let repositoryRoot = GenStats.Tests.Repository.root

/// The dotnet that runs the tests ($DOTNET_HOST_PATH, set by the dotnet CLI), else the one on PATH.
let private dotnet () =
    match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with
    | null
    | "" -> "dotnet"
    | p when File.Exists p -> p
    | _ -> "dotnet"

/// What the script did: its exit code and its whole stdout and stderr.
type Run =
    {
        ExitCode: int
        Stdout: string
        Stderr: string
    }

/// The limit on one script run; a --quick run takes seconds.
let timeout = TimeSpan.FromMinutes 5.0

/// Runs `dotnet fsi <root>/validation/<name>.fsx args` with the working directory `workDir`. The
/// scripts load the Release build of GenStats.Validation (validation/GenStats.fsx, a path relative
/// to the script), which scripts/test.sh builds; plotly.js comes from the repository's report/
/// folder ($GENSTATS_PLOTLY_JS), since workDir is outside the repository. Settings read from the
/// environment by the scripts (GENSTATS_HOLDOUT_STEPS, GENSTATS_RESONANCE_STEPS) are removed, so args alone decide the sizes.
let run (name: string) (args: string list) (workDir: string) =
    let root = repositoryRoot ()
    let script = Path.Combine(root, "validation", name + ".fsx")
    Expect.isTrue (File.Exists script) (sprintf "%s does not exist" script)

    let library =
        Path.Combine(root, "src", "GenStats.Validation", "bin", "Release", "net10.0", "GenStats.Validation.dll")

    if not (File.Exists library) then
        failtest (
            sprintf
                "%s is missing: the scripts load the Release build (dotnet build GenStats.sln -c Release, as scripts/test.sh does)"
                library
        )

    let psi =
        ProcessStartInfo(
            dotnet (),
            [ "fsi"; script ] @ args,
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        )

    psi.Environment.Remove "GENSTATS_HOLDOUT_STEPS" |> ignore
    psi.Environment.Remove "GENSTATS_RESONANCE_STEPS" |> ignore

    let plotly =
        Path.Combine(root, "report", "node_modules", "plotly.js-dist-min", "plotly.min.js")

    if
        String.IsNullOrEmpty(Environment.GetEnvironmentVariable "GENSTATS_PLOTLY_JS")
        && File.Exists plotly
    then
        psi.Environment["GENSTATS_PLOTLY_JS"] <- plotly

    psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] <- "1"
    psi.Environment["DOTNET_NOLOGO"] <- "1"
    use proc = Process.Start psi
    // Both pipes are drained concurrently: a full pipe would block the script.
    let stdout = proc.StandardOutput.ReadToEndAsync()
    let stderr = proc.StandardError.ReadToEndAsync()

    if not (proc.WaitForExit timeout) then
        proc.Kill true
        proc.WaitForExit()

        failtest (
            sprintf
                "dotnet fsi %s.fsx %s did not finish within %O\nstdout:\n%s\nstderr:\n%s"
                name
                (String.concat " " args)
                timeout
                stdout.Result
                stderr.Result
        )

    proc.WaitForExit() // lets the output pipes finish

    {
        ExitCode = proc.ExitCode
        Stdout = stdout.Result
        Stderr = stderr.Result
    }

/// Runs the script and asserts that it exits with 0, showing its output when it does not.
let assertRuns (name: string) (args: string list) (workDir: string) =
    let r = run name args workDir

    if r.ExitCode <> 0 then
        failtest (
            sprintf
                "dotnet fsi validation/%s.fsx %s exited with %d\nstderr:\n%s\nstdout:\n%s"
                name
                (String.concat " " args)
                r.ExitCode
                r.Stderr
                r.Stdout
        )

    r
