/// The machine-readable side of a report: every number, and every figure as Plotly JSON.
module GenStats.Validation.Report.Json

open System.Text.Json
open System.Text.Json.Nodes
open GenStats.Validation.Report.Document

let private cellNode (cell: Cell) : JsonNode =
    let num (x: float) =
        if System.Double.IsFinite x then
            JsonValue.Create x :> JsonNode
        else
            null

    match cell with
    | Text s -> JsonValue.Create s
    | Number x -> num x
    | Measured(v, u) -> JsonObject(dict [ "value", num v; "uncertainty", num u ])
    | Deviation d -> JsonObject(dict [ "sigma", num d ])

let private tableNode (t: Table) =
    JsonObject(
        dict
            [
                "caption", JsonValue.Create t.Caption :> JsonNode
                "headers", JsonArray(t.Headers |> List.map (fun h -> JsonValue.Create h :> JsonNode) |> List.toArray)
                "rows",
                JsonArray(
                    t.Rows
                    |> List.map (fun r -> JsonArray(r |> List.map cellNode |> List.toArray) :> JsonNode)
                    |> List.toArray
                )
            ]
    )

/// The report as one JSON object: numbers, tables and figures per section (non-finite → null).
let toJsonObject (report: Report) =
    JsonObject(
        dict
            [
                "title", JsonValue.Create report.Title :> JsonNode
                "numbers", report.Numbers.DeepClone()
                "sections",
                JsonArray(
                    report.Sections
                    |> List.map (fun s ->
                        JsonObject(
                            dict
                                [
                                    "title", JsonValue.Create s.Title :> JsonNode
                                    "tables",
                                    JsonArray(s.Tables |> List.map (fun t -> tableNode t :> JsonNode) |> List.toArray)
                                    "figures",
                                    JsonArray(
                                        s.Figures
                                        |> List.map (fun f -> Plotly.toJsonObject f :> JsonNode)
                                        |> List.toArray
                                    )
                                ]
                        )
                        :> JsonNode)
                    |> List.toArray
                )
            ]
    )

/// Writes the JSON file atomically (indented).
let write (path: string) (report: Report) =
    let text =
        (toJsonObject report).ToJsonString(JsonSerializerOptions(WriteIndented = true))

    GenStats.Numerics.AtomicFile.WriteText(path, text)
