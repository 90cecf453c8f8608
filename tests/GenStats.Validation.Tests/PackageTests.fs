/// The NuGet package: scripts/pack.sh packs GenStats (the F# layer) and GenStats.Core into a local
/// feed, and a study script outside the repository uses it with `#r "nuget: GenStats"`.
module GenStats.Tests.Validation.PackageTests

open System
open System.Diagnostics
open System.Globalization
open System.IO
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Validation

/// The study both sides run: a KDE of 2 000 seeded points and the W1 of its sample to them.
let private studyBody =
    """
let data = Data.create [| "x" |] [| Array.init 2000 (fun i -> sin (float i) * 3.0) |] |> Data.withRoles [| "x" |] [||]
let model = Kde.trainOn Kde.defaults 1 data
let generated = Kde.sample 2 2000 model |> Array.map (fun r -> r.[0])
let w1 = Metrics1D.w1 None (data.Column "x") None generated
"""

let private inProcessW1 () =
    let data =
        Data.create [| "x" |] [| Array.init 2000 (fun i -> sin (float i) * 3.0) |]
        |> Data.withRoles [| "x" |] [||]

    let model = Kde.trainOn Kde.defaults 1 data
    let generated = Kde.sample 2 2000 model |> Array.map (fun r -> r.[0])
    (Metrics1D.w1 None (data.Column "x") None generated).Value

let private run (file: string) (args: string list) (dir: string) =
    let psi =
        ProcessStartInfo(file, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir)

    for a in args do
        psi.ArgumentList.Add a

    use p = Process.Start psi
    let err = p.StandardError.ReadToEndAsync()
    let out = p.StandardOutput.ReadToEnd()

    if not (p.WaitForExit 600_000) then
        p.Kill true
        failtest $"{file} did not finish within 10 minutes"

    p.ExitCode, out, err.Result

let ``a script outside the repository uses the packed GenStats with #r nuget`` () =
    let dir = Directory.CreateTempSubdirectory("genstats-package-")
    // A version no earlier run has put into the NuGet cache (which never re-extracts a version).
    let version = $"0.2.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}"

    let packages =
        match Environment.GetEnvironmentVariable "NUGET_PACKAGES" with
        | null
        | "" -> Path.Combine(Environment.GetFolderPath Environment.SpecialFolder.UserProfile, ".nuget", "packages")
        | p -> p

    try
        let feed = Path.Combine(dir.FullName, "feed")

        let code, out, err =
            run
                "bash"
                [
                    Repository.file [ "scripts"; "pack.sh" ]
                    "--no-build"
                    "--out"
                    feed
                    "--version"
                    version
                ]
                (Repository.root ())

        Expect.equal code 0 $"scripts/pack.sh failed:\n{out}\n{err}"

        for id in [ "GenStats"; "GenStats.Core" ] do
            Expect.isTrue (File.Exists(Path.Combine(feed, $"{id}.{version}.nupkg"))) $"{id} is packed"

        let script = Path.Combine(dir.FullName, "study.fsx")

        File.WriteAllText(
            script,
            $"#i \"nuget: {feed}\"\n#r \"nuget: GenStats, {version}\"\nopen GenStats.Validation\n"
            + studyBody
            + "printfn \"W1=%s\" (w1.Value.ToString(\"R\", System.Globalization.CultureInfo.InvariantCulture))\n"
        )

        let code, out, err = run "dotnet" [ "fsi"; script ] dir.FullName
        Expect.equal code 0 $"the study script failed:\n{out}\n{err}"
        // The packaged library computes exactly what the library under test computes.
        let expected = inProcessW1 ()
        Expectations.contains ("W1=" + expected.ToString("R", CultureInfo.InvariantCulture)) out "the study's W1"
    finally
        dir.Delete(true)

        for id in [ "genstats"; "genstats.core" ] do
            let extracted = Path.Combine(packages, id, version)

            if Directory.Exists extracted then
                Directory.Delete(extracted, true)

[<Tests>]
let tests =
    testList
        "Package"
        [
            slow
                [
                    testCase
                        "a script outside the repository uses the packed GenStats with #r nuget"
                        ``a script outside the repository uses the packed GenStats with #r nuget``
                ]
        ]
