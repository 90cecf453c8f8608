/// Where the tests find the repository (its root holds GenStats.sln) and the built command line.
module GenStats.Tests.Repository

open System
open System.Diagnostics
open System.IO
open Expecto

/// The repository root: the nearest folder above the test assembly that holds GenStats.sln. A test
/// run from a build outside the repository fails here (it must not pass unnoticed).
let root () =
    let rec up (dir: DirectoryInfo) =
        if isNull dir then
            failtestf
                "no GenStats.sln above %s: these tests run from a build inside the repository"
                AppContext.BaseDirectory
        elif File.Exists(Path.Combine(dir.FullName, "GenStats.sln")) then
            dir.FullName
        else
            up dir.Parent

    up (DirectoryInfo AppContext.BaseDirectory)

/// A path below the repository root.
let file (parts: string list) =
    Path.Combine(Array.ofList (root () :: parts))

/// Runs the built `genstats` (Release) with the arguments: exit code, stdout, stderr. A missing
/// build fails the test.
let runCli (args: string list) =
    let dll =
        file [ "src"; "GenStats.Cli"; "bin"; "Release"; "net10.0"; "genstats.dll" ]

    if not (File.Exists dll) then
        failtestf "genstats.dll is not built at %s (build GenStats.sln -c Release first)." dll

    let psi =
        ProcessStartInfo("dotnet", RedirectStandardOutput = true, RedirectStandardError = true)

    psi.ArgumentList.Add dll

    for a in args do
        psi.ArgumentList.Add a

    use p = Process.Start psi
    let out = p.StandardOutput.ReadToEndAsync()
    let err = p.StandardError.ReadToEnd()
    p.WaitForExit()
    p.ExitCode, out.Result, err
