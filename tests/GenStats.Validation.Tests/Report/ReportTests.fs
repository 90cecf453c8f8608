module GenStats.Tests.Validation.ReportTests

open System
open System.IO
open System.Text.Json.Nodes
open NUnit.Framework
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
        Plotly.figure "x distribution" "x" "events" false
            [ Plotly.histogram "real" [| 0.0; 1.0; 2.0 |] [| 3.0; 5.0 |] (Some [| 1.7; 2.2 |])
              Plotly.line "generated" "lines" [| 0.5; 1.5 |] [| 2.5; nan |] None ]
    { Title = "A <test> report"
      Summary = [ "one line" ]
      Sections =
        [ section "Figures of merit"
          |> withTable
              { Caption = "AUC"
                Headers = [ "bin"; "real"; "deviation" ]
                Rows =
                  [ [ Text "p < 10"; Measured(0.91, 0.01); Deviation 0.5 ]
                    [ Text "p > 10"; Measured(0.80, 0.02); Deviation -2.5 ]
                    [ Text "all"; Number 1.0; Deviation 4.0 ] ] }
          |> withFigure fig ]
      Numbers = JsonObject(dict [ "auc", JsonValue.Create 0.91 :> JsonNode ]) }

[<Test>]
let ``a figure's JSON has Plotly's data and layout, with non-finite numbers as null`` () =
    let fig = (List.head sample.Sections).Figures |> List.head
    let json = JsonNode.Parse(Plotly.toJson fig)
    Assert.That((at [ box "data" ] json).AsArray().Count, Is.EqualTo 2)
    Assert.That((at [ box "data"; box 0; box "x"; box 1 ] json).GetValue<float>(), Is.EqualTo 1.5) // bin centre of [1, 2]
    Assert.That((at [ box "data"; box 0; box "error_y"; box "array"; box 1 ] json).GetValue<float>(), Is.EqualTo 2.2)
    Assert.That(at [ box "data"; box 1; box "y"; box 1 ] json, Is.Null)
    Assert.That((at [ box "layout"; box "title"; box "text" ] json).GetValue<string>(), Is.EqualTo "x distribution")

[<Test>]
let ``a histogram with the wrong number of edges is refused`` () =
    Assert.Throws<System.ArgumentException>(fun () -> Plotly.histogram "h" [| 0.0; 1.0 |] [| 1.0; 2.0 |] None |> ignore)
    |> ignore

[<Test>]
let ``sigma deviations are judged at 2 and 3 sigma`` () =
    Assert.That(verdict 1.99, Is.EqualTo Compatible)
    Assert.That(verdict -2.5, Is.EqualTo Tension)
    Assert.That(verdict 3.0, Is.EqualTo Discrepant)
    Assert.That(verdict nan, Is.EqualTo Discrepant)

[<Test>]
let ``the HTML inlines the library, escapes text, colours deviations and embeds each figure`` () =
    let html = Html.render "/*PLOTLY-STUB*/" sample
    Assert.That(html, Does.Contain "<script>/*PLOTLY-STUB*/</script>")
    Assert.That(html, Does.Contain "A &lt;test&gt; report")
    Assert.That(html, Does.Contain "class=\"num ok\">+0.50 σ")
    Assert.That(html, Does.Contain "class=\"num tension\">-2.50 σ")
    Assert.That(html, Does.Contain "class=\"num bad\">+4.00 σ")
    Assert.That(html, Does.Contain "Plotly.newPlot('fig1'")
    Assert.That(html, Does.Not.Contain "src=\"http") // self-contained: nothing loaded from outside

[<Test>]
let ``the written report is self-contained with the pinned plotly.js and the JSON keeps every number`` () =
    let dir = Directory.CreateTempSubdirectory("genstats-report-")
    try
        let htmlPath = Path.Combine(dir.FullName, "report.html")
        let jsonPath = Path.Combine(dir.FullName, "report.json")
        Html.write htmlPath sample
        Json.write jsonPath sample
        let html = File.ReadAllText htmlPath
        Assert.That(html.Length, Is.GreaterThan 1_000_000, "plotly.js (several MB) is inlined")
        Chromium.assertHas "plotly.js v4.1.2" html "the pinned plotly.js is inlined"
        let json = JsonNode.Parse(File.ReadAllText jsonPath)
        Assert.That((at [ box "numbers"; box "auc" ] json).GetValue<float>(), Is.EqualTo 0.91)
        Assert.That((at [ box "sections"; box 0; box "tables"; box 0; box "rows"; box 1; box 2; box "sigma" ] json).GetValue<float>(), Is.EqualTo -2.5)
        Assert.That((at [ box "sections"; box 0; box "figures"; box 0; box "data" ] json).AsArray().Count, Is.EqualTo 2)
    finally
        dir.Delete(true)

[<Test>]
let ``the report renders offline in headless Chromium: plotly draws every figure`` () =
    let dir = Directory.CreateTempSubdirectory("genstats-render-")
    try
        let htmlPath = Path.Combine(dir.FullName, "report.html")
        Html.write htmlPath sample
        let seen = Chromium.assertRendersOffline sample htmlPath
        Chromium.assertHas "x distribution" seen.Dom "the figure title"
    finally
        dir.Delete(true)

[<Test>]
let ``the console summary aligns columns and flags tension and discrepancy`` () =
    use out = new StringWriter()
    ConsoleSummary.write out sample
    let lines = out.ToString().Split('\n') |> Array.map (fun l -> l.TrimEnd('\r'))
    let row (prefix: string) = lines |> Array.find (fun l -> l.StartsWith prefix)
    Assert.That(row "p < 10", Does.EndWith "+0.50 σ")
    Assert.That(row "p > 10", Does.EndWith "-2.50 σ !")
    Assert.That(row "all", Does.EndWith "+4.00 σ !!")
    // The value column starts at the same offset in every row.
    let offset (l: string) = l.IndexOf("0.")
    Assert.That(offset (row "p < 10"), Is.EqualTo(offset (row "p > 10")))
