/// What a referee needs to reproduce a report: the software version and commit, the runtime and
/// machine, the time it was made and the settings of the study.
module GenStats.Validation.Report.Provenance

open System
open System.Reflection
open System.Runtime.InteropServices

/// The GenStats version as built, "VERSION+COMMIT" (the .NET SDK appends the git commit of the
/// build to the informational version).
let version () =
    let assembly = typeof<GenStats.Data.Dataset>.Assembly

    match assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>() with
    | null -> string (assembly.GetName().Version)
    | a -> a.InformationalVersion

/// The git commit GenStats was built from, or "unknown" when the build saw no repository.
let commit () =
    match (version ()).Split('+') with
    | [| _; hash |] when hash.Length > 0 -> hash
    | _ -> "unknown"

/// A "Provenance" section: a table of the software, runtime, machine and time, then one row per
/// setting (name, value) the study was run with.
let section (settings: (string * string) list) : Document.Section =
    let row (name: string) (value: string) =
        [ Document.Text name; Document.Text value ]

    let table: Document.Table =
        {
            Caption = "Software, machine and settings of this report"
            Headers = [ "item"; "value" ]
            Rows =
                [
                    row "GenStats version" ((version ()).Split('+').[0])
                    row "GenStats commit" (commit ())
                    row ".NET runtime" RuntimeInformation.FrameworkDescription
                    row "operating system" RuntimeInformation.OSDescription
                    row "CPU cores" (string Environment.ProcessorCount)
                    row "generated (UTC)" (DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss"))
                ]
                @ [ for name, value in settings -> row name value ]
        }

    Document.section "Provenance" |> Document.withTable table
