/// Glue for the study scripts: a study result as JSON numbers and a one-section-per-study report.
module GenStats.Validation.Studies.StudyReport

open System.Text.Json
open System.Text.Json.Nodes
open System.Text.Json.Serialization
open GenStats.Validation.Report

let private options =
    let o = JsonSerializerOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, WriteIndented = false)
    o

/// Any study result record (no functions inside) as a JSON object; NaN and ∞ are written as
/// the strings "NaN" and "Infinity".
let numbers (name: string) (result: 'T) =
    JsonObject(dict [ name, JsonSerializer.SerializeToNode(result, options) ])

/// A report of the given sections, with the JSON numbers of every study.
let report (title: string) (summary: string list) (numbers: JsonObject) (sections: Document.Section list) : Document.Report =
    { Title = title; Summary = summary; Sections = sections; Numbers = numbers }

/// Writes out/<name>.html and out/<name>.json (creating out/) and prints the console summary.
let writeAll (directory: string) (name: string) (report: Document.Report) =
    System.IO.Directory.CreateDirectory directory |> ignore
    ConsoleSummary.write System.Console.Out report
    Html.write (System.IO.Path.Combine(directory, name + ".html")) report
    Json.write (System.IO.Path.Combine(directory, name + ".json")) report
