/// Report sections take a user's Plotly.NET and XPlot.Plotly charts (as their figure JSON) and draw
/// them with the report's own pinned plotly.js, offline.
module GenStats.Tests.Validation.ForeignChartsTests

open System
open System.IO
open System.Text.Json.Nodes
open Expecto
open Plotly.NET
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Validation.Report
open GenStats.Validation.Report.Document

let private plotlyNetChart () =
    Chart.Point([ 1.0; 2.0; 3.0 ], [ 2.0; 1.0; 3.0 ], Name = "Plotly.NET points")
    |> Chart.withTitle "Plotly.NET figure"
    |> Chart.withXAxisStyle "pT [GeV/c]"

let private xplotChart () =
    XPlot.Plotly.Scatter(x = [ 1.0; 2.0; 3.0 ], y = [ 3.0; 1.0; 2.0 ], name = "XPlot points")
    |> XPlot.Plotly.Chart.Plot
    |> XPlot.Plotly.Chart.WithTitle "XPlot figure"
    |> XPlot.Plotly.Chart.WithXTitle "eta"

let private titleText (o: JsonObject) =
    (o["title"].AsObject()["text"]).GetValue<string>()

let ``a Plotly.NET chart becomes a report figure with its traces and titles`` () =
    let fig = plotlyNetChart () |> GenericChart.toFigureJson |> Plotly.ofJson
    Expect.equal fig.Data.Length 1 "one trace"
    Expect.equal (fig.Data.Head["name"].GetValue<string>()) "Plotly.NET points" "trace name"
    Expect.equal (titleText fig.Layout) "Plotly.NET figure" "title"
    Expect.equal (titleText (fig.Layout["xaxis"].AsObject())) "pT [GeV/c]" "x-axis title"

let ``XPlot's string titles become the {text} titles plotly.js 4 draws`` () =
    let fig = (xplotChart ()).GetPlottingJS() |> Plotly.ofXPlotScript
    Expect.equal fig.Data.Length 1 "one trace"
    Expect.equal (titleText fig.Layout) "XPlot figure" "title"
    Expect.equal (titleText (fig.Layout["xaxis"].AsObject())) "eta" "x-axis title"
    // The <script> wrapper of GetInlineJS gives the same figure.
    let inline' = (xplotChart ()).GetInlineJS() |> Plotly.ofXPlotScript
    Expect.equal (Plotly.toJson inline') (Plotly.toJson fig) "GetInlineJS and GetPlottingJS"

let ``text that is not a chart is refused with the reason`` () =
    let e1 =
        Expectations.raises<ArgumentException> "not JSON" (fun () -> Plotly.ofJson "plot me" |> ignore)

    Expectations.contains "not Plotly figure JSON" e1.Message "JSON"

    let e2 =
        Expectations.raises<ArgumentException> "no XPlot variables" (fun () ->
            Plotly.ofXPlotScript "alert(1)" |> ignore)

    Expectations.contains "GetPlottingJS" e2.Message "XPlot"

let ``Chromium draws Plotly.NET and XPlot figures offline with their titles`` () =
    let dir = Directory.CreateTempSubdirectory("genstats-foreign-")

    try
        let report =
            {
                Title = "user charts"
                Summary = []
                Sections =
                    [
                        section "Charts"
                        |> withFigure (plotlyNetChart () |> GenericChart.toFigureJson |> Plotly.ofJson)
                        |> withFigure ((xplotChart ()).GetPlottingJS() |> Plotly.ofXPlotScript)
                    ]
                Numbers = JsonObject()
            }

        let path = Path.Combine(dir.FullName, "charts.html")
        Html.write path report
        let seen = Chromium.assertRendersOffline report path

        for text in [ "Plotly.NET figure"; "pT [GeV/c]"; "XPlot figure"; "eta" ] do
            Chromium.assertHas (">" + text + "<") seen.Dom $"'{text}' is drawn"
    finally
        dir.Delete(true)

[<Tests>]
let tests =
    testList
        "Report.ForeignCharts"
        [
            testCase
                "a Plotly.NET chart becomes a report figure with its traces and titles"
                ``a Plotly.NET chart becomes a report figure with its traces and titles``
            testCase
                "XPlot's string titles become the {text} titles plotly.js 4 draws"
                ``XPlot's string titles become the {text} titles plotly.js 4 draws``
            testCase
                "text that is not a chart is refused with the reason"
                ``text that is not a chart is refused with the reason``
            slow
                [
                    testCase
                        "Chromium draws Plotly.NET and XPlot figures offline with their titles"
                        ``Chromium draws Plotly.NET and XPlot figures offline with their titles``
                ]
        ]
