/// Plotly figure JSON ({"data": [...], "layout": {...}}), the format XPlot.Plotly emits and
/// plotly.js reads, so users can re-plot any figure of a report from its JSON.
module GenStats.Validation.Report.Plotly

open System
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

/// The colour of the i-th sample of a figure (Plotly's default D3 colourway, cycled), so that a
/// sample's markers, error bars and its ratio points share one colour.
let colour (i: int) =
    let palette =
        [|
            "#1f77b4"
            "#ff7f0e"
            "#2ca02c"
            "#d62728"
            "#9467bd"
            "#8c564b"
            "#e377c2"
            "#7f7f7f"
            "#bcbd22"
            "#17becf"
        |]

    palette.[((i % palette.Length) + palette.Length) % palette.Length]

/// The trace drawn in one colour: markers, line and error bars.
let withColour (colour: string) (trace: JsonObject) =
    // Keep what the trace already says about its line and error bars (e.g. the histogram's step shape).
    let part (name: string) =
        match trace[name] with
        | :? JsonObject as o -> o
        | _ ->
            let o = JsonObject()
            trace[name] <- o
            o

    (part "marker")["color"] <- JsonValue.Create colour
    (part "line")["color"] <- JsonValue.Create colour

    match trace["error_y"] with
    | :? JsonObject as e -> e["color"] <- JsonValue.Create colour
    | _ -> ()

    trace

/// A tick spacing of 1, 2 or 5 × 10^k that gives about six ticks up to maxValue, never below 1:
/// the spacing of an axis of counts (events, members, bins).
let integerTickStep (maxValue: float) =
    if not (Double.IsFinite maxValue) || maxValue <= 6.0 then
        1.0
    else
        let raw = maxValue / 6.0
        let decade = 10.0 ** floor (log10 raw)

        [ 1.0; 2.0; 5.0; 10.0 ]
        |> List.map (fun m -> m * decade)
        |> List.find (fun s -> s >= raw)

/// The figure with integer ticks on an axis of counts ("xaxis", "yaxis", "yaxis2" …): whole-number
/// labels ("d" format) at a spacing of at least 1 chosen from the largest count.
let withIntegerTicks (axis: string) (maxValue: float) (fig: Figure) =
    let a =
        match fig.Layout[axis] with
        | :? JsonObject as o -> o
        | _ ->
            let o = JsonObject()
            fig.Layout[axis] <- o
            o

    a["tickformat"] <- JsonValue.Create "d"
    a["tick0"] <- JsonValue.Create 0.0
    a["dtick"] <- JsonValue.Create(integerTickStep maxValue)
    fig
