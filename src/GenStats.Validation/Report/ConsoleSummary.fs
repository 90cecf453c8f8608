/// The console side of a report: every table as aligned plain text, deviations flagged.
module GenStats.Validation.Report.ConsoleSummary

open System
open System.IO
open GenStats.Validation.Report.Document

let private flag (cell: Cell) =
    match cell with
    | Deviation d ->
        match verdict d with
        | Compatible -> ""
        | Tension -> " !"
        | Discrepant -> " !!"
    | _ -> ""

/// Writes one table, columns padded to their widest cell.
let writeTable (out: TextWriter) (table: Table) =
    let rows = table.Rows |> List.map (List.map (fun c -> cellText c + flag c))
    let all = table.Headers :: rows
    let columns = all |> List.map List.length |> List.max

    let width i =
        all |> List.map (fun r -> if i < r.Length then r.[i].Length else 0) |> List.max

    let widths = List.init columns width

    let line (cells: string list) =
        cells
        |> List.mapi (fun i c -> c.PadRight widths.[i])
        |> String.concat "  "
        |> fun s -> s.TrimEnd()

    out.WriteLine(table.Caption)
    out.WriteLine(line table.Headers)
    out.WriteLine(widths |> List.map (fun w -> String('-', w)) |> String.concat "  ")

    for r in rows do
        out.WriteLine(line r)

    out.WriteLine()

/// Writes the report's title, summary lines and every table of every section.
/// "!" marks a deviation between 2 and 3 σ, "!!" one of 3 σ or more.
let write (out: TextWriter) (report: Report) =
    out.WriteLine(report.Title)
    out.WriteLine(String('=', report.Title.Length))

    for s in report.Summary do
        out.WriteLine(s)

    out.WriteLine()

    for section in report.Sections do
        if not section.Tables.IsEmpty then
            out.WriteLine("## " + section.Title)

            for t in section.Tables do
                writeTable out t
