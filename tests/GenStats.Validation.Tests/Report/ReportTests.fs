module GenStats.Tests.Validation.ReportTests

open System
open System.IO
open System.Text.Json.Nodes
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Validation.Report
open GenStats.Validation.Report.Document

/// Follows a path of object keys (string) and array indices (int) through a JSON tree.
let private at (path: obj list) (root: JsonNode) =
    path
    |> List.fold
        (fun (n: JsonNode) step ->
            match step with
            | :? string as key -> n[key]
            | :? int as i -> n[i]
            | _ -> failwith "path steps are strings or ints")
        root

let private sample =
    let fig =
        Plotly.figure
            "x distribution"
            "x"
            "events"
            false
            [
                Plotly.histogram "real" [| 0.0; 1.0; 2.0 |] [| 3.0; 5.0 |] (Some [| 1.7; 2.2 |])
                Plotly.line "generated" "lines" [| 0.5; 1.5 |] [| 2.5; nan |] None
            ]

    {
        Title = "A <test> report"
        Summary = [ "one line" ]
        Sections =
            [
                section "Figures of merit"
                |> withTable
                    {
                        Caption = "AUC"
                        Headers = [ "bin"; "real"; "deviation" ]
                        Rows =
                            [
                                [ Text "p < 10"; Measured(0.91, 0.01); Deviation 0.5 ]
                                [ Text "p > 10"; Measured(0.80, 0.02); Deviation -2.5 ]
                                [ Text "all"; Number 1.0; Deviation 4.0 ]
                            ]
                    }
                |> withFigure fig
            ]
        Numbers = JsonObject(dict [ "auc", JsonValue.Create 0.91 :> JsonNode ])
    }

let ``a figure's JSON has Plotly's data and layout, with non-finite numbers as null`` () =
    let fig = (List.head sample.Sections).Figures |> List.head
    let json = JsonNode.Parse(Plotly.toJson fig)
    Expect.equal ((at [ box "data" ] json).AsArray().Count) 2 ("(at [ box \"data\" ] json).AsArray().Count")

    Expect.equal
        ((at [ box "data"; box 0; box "x"; box 1 ] json).GetValue<float>())
        1.5
        ("(at [ box \"data\"; box 0; box \"x\"; box 1 ] json).GetValue<float>()") // bin centre of [1, 2]

    Expect.equal
        ((at [ box "data"; box 0; box "error_y"; box "array"; box 1 ] json).GetValue<float>())
        2.2
        ("(at [ box \"data\"; box 0; box \"error_y\"; box \"array\"; box 1 ] json)....")

    Expect.isNull (at [ box "data"; box 1; box "y"; box 1 ] json) ("at [ box \"data\"; box 1; box \"y\"; box 1 ] json")

    Expect.equal
        ((at [ box "layout"; box "title"; box "text" ] json).GetValue<string>())
        "x distribution"
        ("(at [ box \"layout\"; box \"title\"; box \"text\" ] json).GetValue<string>()")

let ``a histogram with the wrong number of edges is refused`` () =
    Expectations.raises<System.ArgumentException> "Plotly.histogram \"h\" [| 0.0; 1.0 |] [| 1.0; 2.0 |] None" (fun () ->
        Plotly.histogram "h" [| 0.0; 1.0 |] [| 1.0; 2.0 |] None |> ignore)
    |> ignore

let ``sigma deviations are judged at 2 and 3 sigma`` () =
    Expect.equal (verdict 1.99) Compatible "verdict 1.99"
    Expect.equal (verdict -2.5) Tension "verdict -2.5"
    Expect.equal (verdict 3.0) Discrepant "verdict 3.0"
    Expect.equal (verdict nan) Discrepant "verdict nan"

let ``the HTML inlines the library, escapes text, colours deviations and embeds each figure`` () =
    let html = Html.render "/*PLOTLY-STUB*/" sample
    Expectations.contains "<script>/*PLOTLY-STUB*/</script>" html "html"
    Expectations.contains "A &lt;test&gt; report" html "html"
    Expectations.contains ("class=\"num ok\">+0.50 σ") html "html"
    Expectations.contains ("class=\"num tension\">-2.50 σ") html "html"
    Expectations.contains ("class=\"num bad\">+4.00 σ") html "html"
    Expectations.contains "Plotly.newPlot('fig1'" html "html"
    Expect.isFalse (html.Contains("src=\"http")) "html" // self-contained: nothing loaded from outside

let ``the written report is self-contained with the pinned plotly.js and the JSON keeps every number`` () =
    let dir = Directory.CreateTempSubdirectory("genstats-report-")

    try
        let htmlPath = Path.Combine(dir.FullName, "report.html")
        let jsonPath = Path.Combine(dir.FullName, "report.json")
        Html.write htmlPath sample
        Json.write jsonPath sample
        let html = File.ReadAllText htmlPath
        Expect.isGreaterThan html.Length 1_000_000 "plotly.js (several MB) is inlined"
        Chromium.assertHas "plotly.js v4.1.2" html "the pinned plotly.js is inlined"
        let json = JsonNode.Parse(File.ReadAllText jsonPath)

        Expect.equal
            ((at [ box "numbers"; box "auc" ] json).GetValue<float>())
            0.91
            ("(at [ box \"numbers\"; box \"auc\" ] json).GetValue<float>()")

        Expect.equal
            ((at
                [
                    box "sections"
                    box 0
                    box "tables"
                    box 0
                    box "rows"
                    box 1
                    box 2
                    box "sigma"
                ]
                json)
                .GetValue<float>())
            -2.5
            ("(at [ box \"sections\"; box 0; box \"tables\"; box 0; box \"rows\"; box 1...")

        Expect.equal
            ((at [ box "sections"; box 0; box "figures"; box 0; box "data" ] json).AsArray().Count)
            2
            ("(at [ box \"sections\"; box 0; box \"figures\"; box 0; box \"data\" ] jso...")
    finally
        dir.Delete(true)

let ``the report renders offline in headless Chromium: plotly draws every figure`` () =
    let dir = Directory.CreateTempSubdirectory("genstats-render-")

    try
        let htmlPath = Path.Combine(dir.FullName, "report.html")
        Html.write htmlPath sample
        let seen = Chromium.assertRendersOffline sample htmlPath
        Chromium.assertHas "x distribution" seen.Dom "the figure title"
    finally
        dir.Delete(true)

let ``the console summary aligns columns and flags tension and discrepancy`` () =
    use out = new StringWriter()
    ConsoleSummary.write out sample
    let lines = out.ToString().Split('\n') |> Array.map (fun l -> l.TrimEnd('\r'))

    let row (prefix: string) =
        lines |> Array.find (fun l -> l.StartsWith prefix)

    Expect.stringEnds (row "p < 10") "+0.50 σ" ("row \"p < 10\"")
    Expect.stringEnds (row "p > 10") "-2.50 σ !" ("row \"p > 10\"")
    Expect.stringEnds (row "all") "+4.00 σ !!" ("row \"all\"")
    // The value column starts at the same offset in every row.
    let offset (l: string) = l.IndexOf("0.")
    Expect.equal (offset (row "p < 10")) (offset (row "p > 10")) ("offset (row \"p < 10\")")

[<Tests>]
let tests =
    testList
        "ReportTests"
        [
            testCase
                "a figure's JSON has Plotly's data and layout, with non-finite numbers as null"
                ``a figure's JSON has Plotly's data and layout, with non-finite numbers as null``
            testCase
                "a histogram with the wrong number of edges is refused"
                ``a histogram with the wrong number of edges is refused``
            testCase "sigma deviations are judged at 2 and 3 sigma" ``sigma deviations are judged at 2 and 3 sigma``
            testCase
                "the HTML inlines the library, escapes text, colours deviations and embeds each figure"
                ``the HTML inlines the library, escapes text, colours deviations and embeds each figure``
            testCase
                "the written report is self-contained with the pinned plotly.js and the JSON keeps every number"
                ``the written report is self-contained with the pinned plotly.js and the JSON keeps every number``
            testCase
                "the console summary aligns columns and flags tension and discrepancy"
                ``the console summary aligns columns and flags tension and discrepancy``
            slow
                [
                    testCase
                        "the report renders offline in headless Chromium: plotly draws every figure"
                        ``the report renders offline in headless Chromium: plotly draws every figure``
                ]
        ]
