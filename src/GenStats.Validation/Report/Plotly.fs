/// Plotly figure JSON ({"data": [...], "layout": {...}}), the format XPlot.Plotly emits and
/// plotly.js reads, so users can re-plot any figure of a report from its JSON.
module GenStats.Validation.Report.Plotly

open System.Text.Json.Nodes

/// One figure: traces and layout, kept as JSON nodes so any Plotly attribute can be added.
type Figure =
    {
        Data: JsonObject list
        Layout: JsonObject
    }

let private numbers (xs: float seq) =
    JsonArray(
        xs
        |> Seq.map (fun x ->
            if System.Double.IsFinite x then
                JsonValue.Create x :> JsonNode
            else
                null)
        |> Seq.toArray
    )

let private strings (xs: string seq) =
    JsonArray(xs |> Seq.map (fun s -> JsonValue.Create s :> JsonNode) |> Seq.toArray)

let private errorBars (errors: float[] option) (trace: JsonObject) =
    match errors with
    | Some e ->
        trace["error_y"] <-
            JsonObject(
                dict
                    [
                        "type", JsonValue.Create "data" :> JsonNode
                        "array", numbers e
                        "visible", JsonValue.Create true
                    ]
            )
    | None -> ()

    trace

/// A histogram drawn as markers at bin centres with error bars and a step line through the
/// bin contents (edges has one more entry than contents).
let histogram (name: string) (edges: float[]) (contents: float[]) (errors: float[] option) =
    if edges.Length <> contents.Length + 1 then
        invalidArg
            (nameof edges)
            (sprintf "%d edges for %d bins; a histogram needs bins + 1 edges." edges.Length contents.Length)

    let centres =
        Array.init contents.Length (fun i -> 0.5 * (edges.[i] + edges.[i + 1]))

    JsonObject(
        dict
            [
                "type", JsonValue.Create "scatter" :> JsonNode
                "mode", JsonValue.Create "lines+markers"
                "line", JsonObject(dict [ "shape", JsonValue.Create "hvh" :> JsonNode ])
                "name", JsonValue.Create name
                "x", numbers centres
                "y", numbers contents
            ]
    )
    |> errorBars errors

/// A line (or markers with mode = "markers") through points, optionally with y error bars.
let line (name: string) (mode: string) (xs: float[]) (ys: float[]) (errors: float[] option) =
    if xs.Length <> ys.Length then
        invalidArg (nameof ys) (sprintf "%d x values but %d y values." xs.Length ys.Length)

    JsonObject(
        dict
            [
                "type", JsonValue.Create "scatter" :> JsonNode
                "mode", JsonValue.Create mode
                "name", JsonValue.Create name
                "x", numbers xs
                "y", numbers ys
            ]
    )
    |> errorBars errors

/// Bars with category labels (e.g. per-bin figures of merit).
let bars (name: string) (labels: string[]) (ys: float[]) (errors: float[] option) =
    JsonObject(
        dict
            [
                "type", JsonValue.Create "bar" :> JsonNode
                "name", JsonValue.Create name
                "x", strings labels
                "y", numbers ys
            ]
    )
    |> errorBars errors

/// A figure with a title and axis titles; yLog puts the y axis on a log scale.
let figure (title: string) (xTitle: string) (yTitle: string) (yLog: bool) (traces: JsonObject list) =
    let axis (t: string) =
        JsonObject(
            dict
                [
                    "title", JsonObject(dict [ "text", JsonValue.Create t :> JsonNode ]) :> JsonNode
                ]
        )

    let yAxis = axis yTitle

    if yLog then
        yAxis["type"] <- JsonValue.Create "log"

    {
        Data = traces
        Layout =
            JsonObject(
                dict
                    [
                        "title", JsonObject(dict [ "text", JsonValue.Create title :> JsonNode ]) :> JsonNode
                        "xaxis", axis xTitle
                        "yaxis", yAxis
                    ]
            )
    }

/// The figure as a JSON object {"data": [...], "layout": {...}} (fresh nodes each call).
let toJsonObject (fig: Figure) =
    JsonObject(
        dict
            [
                "data", JsonArray(fig.Data |> List.map (fun t -> t.DeepClone()) |> List.toArray) :> JsonNode
                "layout", fig.Layout.DeepClone()
            ]
    )

/// The figure's JSON text.
let toJson (fig: Figure) = (toJsonObject fig).ToJsonString()
