/// Glue for the study pages: a study result as JSON numbers and a one-page report per study.
module GenStats.Validation.Studies.StudyReport

open System
open System.Text.Json
open System.Text.Json.Nodes
open System.Text.Json.Serialization
open GenStats.Validation.Report

/// Writes a double as a JSON number, or as null when it is NaN or ±∞: the convention of the main
/// report JSON (validate.fsx) and of `genstats compare`, so one reader handles every JSON file.
/// Reads null back as NaN.
type private FiniteOrNull() =
    inherit JsonConverter<float>()

    override _.Read(reader, _, _) =
        if reader.TokenType = JsonTokenType.Null then
            nan
        else
            reader.GetDouble()

    override _.Write(writer, value, _) =
        if Double.IsFinite value then
            writer.WriteNumberValue value
        else
            writer.WriteNullValue()

let private options =
    let o = JsonSerializerOptions(WriteIndented = false)
    o.Converters.Add(FiniteOrNull())
    o

/// Any study result record (no functions inside) as a JSON object { name: result }; NaN and ±∞
/// are written as null (also inside arrays, options and nested records).
let numbers (name: string) (result: 'T) =
    JsonObject(dict [ name, JsonSerializer.SerializeToNode(result, options) ])

/// A report of the given sections, with the JSON numbers of every study.
let report
    (title: string)
    (summary: string list)
    (numbers: JsonObject)
    (sections: Document.Section list)
    : Document.Report =
    {
        Title = title
        Summary = summary
        Sections = sections
        Numbers = numbers
    }

/// Writes out/<name>.html and out/<name>.json (creating out/) and prints the console summary.
let writeAll (directory: string) (name: string) (report: Document.Report) =
    System.IO.Directory.CreateDirectory directory |> ignore
    ConsoleSummary.write System.Console.Out report
    Html.write (System.IO.Path.Combine(directory, name + ".html")) report
    Json.write (System.IO.Path.Combine(directory, name + ".json")) report
