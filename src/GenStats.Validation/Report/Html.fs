/// Renders a report as ONE self-contained HTML file: plotly.js is inlined so the page works
/// offline, and every figure is embedded as Plotly figure JSON.
module GenStats.Validation.Report.Html

open System
open System.IO
open System.Net
open System.Text
open GenStats.Validation.Report.Document

/// Where plotly.min.js is looked for, relative to the current directory and its parents:
/// what scripts/install-report-assets.sh installs (npm ci in report/).
let private plotlyRelative =
    Path.Combine("report", "node_modules", "plotly.js-dist-min", "plotly.min.js")

/// Finds plotly.min.js: $GENSTATS_PLOTLY_JS, else report/node_modules/… in the current
/// directory or any parent. Fails with the command that installs it.
let findPlotly () =
    match Environment.GetEnvironmentVariable "GENSTATS_PLOTLY_JS" with
    | null
    | "" ->
        let rec search (dir: DirectoryInfo) =
            if isNull dir then
                None
            else
                let candidate = Path.Combine(dir.FullName, plotlyRelative)

                if File.Exists candidate then
                    Some candidate
                else
                    search dir.Parent

        match search (DirectoryInfo(Directory.GetCurrentDirectory())) with
        | Some p -> p
        | None ->
            raise (
                FileNotFoundException(
                    "plotly.min.js not found (looked for report/node_modules/plotly.js-dist-min/plotly.min.js here and in parent folders, and $GENSTATS_PLOTLY_JS); run scripts/install-report-assets.sh."
                )
            )
    | path when File.Exists path -> path
    | path -> raise (FileNotFoundException(sprintf "GENSTATS_PLOTLY_JS points to '%s', which does not exist." path))

let private enc (s: string) = WebUtility.HtmlEncode s

let private cellHtml (cell: Cell) =
    match cell with
    | Deviation d ->
        let cls =
            match verdict d with
            | Compatible -> "ok"
            | Tension -> "tension"
            | Discrepant -> "bad"

        sprintf "<td class=\"num %s\">%s</td>" cls (enc (cellText cell))
    | Text _ -> sprintf "<td>%s</td>" (enc (cellText cell))
    | _ -> sprintf "<td class=\"num\">%s</td>" (enc (cellText cell))

let private tableHtml (sb: StringBuilder) (t: Table) =
    sb.Append("<table><caption>").Append(enc t.Caption).Append("</caption><thead><tr>")
    |> ignore

    for h in t.Headers do
        sb.Append("<th>").Append(enc h).Append("</th>") |> ignore

    sb.Append("</tr></thead><tbody>") |> ignore

    for row in t.Rows do
        sb.Append("<tr>") |> ignore

        for c in row do
            sb.Append(cellHtml c) |> ignore

        sb.Append("</tr>") |> ignore

    sb.Append("</tbody></table>\n") |> ignore

let private style =
    """
body { font-family: sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
table { border-collapse: collapse; margin: 1em 0; } caption { text-align: left; font-weight: bold; padding: .3em 0; }
th, td { border: 1px solid #ddd; padding: .25em .6em; } td.num { text-align: right; font-family: monospace; }
td.ok { background: #d9f2d9; } td.tension { background: #fff0c2; } td.bad { background: #f8d0d0; }
.figure { width: 100%; max-width: 900px; height: 420px; }
"""

/// The HTML text of a report, with the given plotly.js source inlined.
let render (plotlyJs: string) (report: Report) =
    let sb = StringBuilder()

    sb
        .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .Append(enc report.Title)
        .Append("</title><style>")
        .Append(style)
        .Append("</style>\n<script>")
        // "</script" inside the library would end the tag early; plotly.min.js has none, but be safe.
        .Append(plotlyJs.Replace("</script", "<\\/script"))
        .Append("</script></head><body>\n")
        .Append("<h1>")
        .Append(enc report.Title)
        .Append("</h1>\n")
    |> ignore

    for line in report.Summary do
        sb.Append("<p>").Append(enc line).Append("</p>\n") |> ignore

    let mutable figureId = 0

    for s in report.Sections do
        sb.Append("<h2>").Append(enc s.Title).Append("</h2>\n") |> ignore

        for p in s.Paragraphs do
            sb.Append("<p>").Append(enc p).Append("</p>\n") |> ignore

        for t in s.Tables do
            tableHtml sb t

        for f in s.Figures do
            figureId <- figureId + 1
            let json = (Plotly.toJson f).Replace("</", "<\\/")

            sb.AppendFormat(
                "<div class=\"figure\" id=\"fig{0}\"></div>\n<script>(function(){{var f={1};Plotly.newPlot('fig{0}',f.data,f.layout,{{responsive:true}});}})();</script>\n",
                figureId,
                json
            )
            |> ignore

    sb.Append("</body></html>\n").ToString()

/// Writes the report atomically to path, inlining plotly.js from findPlotly().
let write (path: string) (report: Report) =
    let js = File.ReadAllText(findPlotly ())
    GenStats.Numerics.AtomicFile.WriteText(path, render js report)
