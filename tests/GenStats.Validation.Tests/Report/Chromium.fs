/// Headless Chromium for the HTML report tests: renders a page offline and reports what its
/// scripts did (drawn Plotly figures, console errors, dialogs, external loads).
module GenStats.Tests.Validation.Chromium

open System
open System.IO
open System.Text.RegularExpressions
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Validation.Report

/// The browser: $GENSTATS_CHROMIUM or Debian's chromium. Missing → the test fails (never skips):
/// scripts/test.sh installs it when run as root and says so when it cannot.
let executable () =
    let candidates =
        [
            Environment.GetEnvironmentVariable "GENSTATS_CHROMIUM"
            "/usr/bin/chromium"
            "/usr/bin/chromium-browser"
        ]

    match
        candidates
        |> List.tryFind (fun p -> not (String.IsNullOrEmpty p) && File.Exists p)
    with
    | Some p -> p
    | None ->
        failtest
            "chromium is not installed (scripts/test.sh installs Debian's chromium when run as root); the HTML pages cannot be checked in a browser."

        ""

/// Marks the page's problems in Chromium's log. Chromium logs every console message of a web page
/// at INFO level whatever its level, so console.error/warn are re-emitted with this tag, as are
/// dialogs (alert/confirm/prompt: a user's <script> that ran) and elements whose resource failed
/// to load (the browser is offline). Uncaught exceptions are logged as "Uncaught …" anyway.
let private tag = "GENSTATS-PAGE-ERROR"

let private hook =
    "<script>(function(){var t='"
    + tag
    + " ',e=console.error;"
    + "function f(k){return function(){e.call(console,t+k+': '+Array.prototype.map.call(arguments,String).join(' '));};}"
    + "console.error=f('console.error');console.warn=f('console.warn');"
    + "window.alert=f('dialog alert');window.confirm=f('dialog confirm');window.prompt=f('dialog prompt');"
    + "window.addEventListener('error',function(v){var x=v.target;if(x&&x!==window&&(x.src||x.href))e.call(console,t+'resource failed to load: '+(x.src||x.href));},true);"
    + "})();</script>"

/// Asserts that a page (several MB with plotly.js inlined) contains a string, without printing the page.
let assertHas (needle: string) (page: string) (message: string) =
    if not (page.Contains needle) then
        failtest (sprintf "%s: %A is not in the page" message needle)

/// Asserts that a page lacks a string; on failure shows only the text around it.
let assertLacks (needle: string) (page: string) (message: string) =
    match page.IndexOf needle with
    | -1 -> ()
    | i ->
        failtest (
            sprintf
                "%s: %A is in the page: …%s…"
                message
                needle
                (page.Substring(max 0 (i - 80), min (page.Length - max 0 (i - 80)) (needle.Length + 160)))
        )

/// What Chromium saw: its exit code, the DOM after the scripts ran, and its log (stderr).
type Rendered =
    {
        ExitCode: int
        Dom: string
        Log: string
    }

/// Renders the HTML file at path offline (every host name unresolvable) with the hook inserted
/// first in <head> (into a copy beside it, so the written page itself is left as it is).
let render (path: string) =
    let html = File.ReadAllText path
    let head = html.IndexOf("<head>", StringComparison.Ordinal)
    Expect.isGreaterThanOrEqual head 0 "the page has no <head>"
    let dir = Path.GetDirectoryName(Path.GetFullPath path)
    let probe = Path.Combine(dir, Path.GetFileNameWithoutExtension path + ".probe.html")
    File.WriteAllText(probe, html.Insert(head + "<head>".Length, hook))

    let args =
        [
            "--headless"
            "--no-sandbox"
            "--disable-gpu"
            "--disable-quic"
            "--no-first-run"
            "--disable-background-networking"
            "--disable-component-update"
            "--disable-sync"
            "--host-resolver-rules=MAP * ~NOTFOUND"
            "--enable-logging=stderr"
            "--v=0"
            sprintf "--user-data-dir=%s" (Path.Combine(dir, "chromium-profile"))
            "--virtual-time-budget=5000"
            "--dump-dom"
            Uri(probe).AbsoluteUri
        ]

    let psi =
        Diagnostics.ProcessStartInfo(executable (), args, RedirectStandardOutput = true, RedirectStandardError = true)

    use proc = Diagnostics.Process.Start psi
    let stderr = proc.StandardError.ReadToEndAsync()
    let dom = proc.StandardOutput.ReadToEnd()

    if not (proc.WaitForExit 120_000) then
        proc.Kill true
        failtest "chromium did not finish within 120 s"

    {
        ExitCode = proc.ExitCode
        Dom = dom
        Log = stderr.Result
    }

/// The page's console errors and warnings, dialogs, failed loads and uncaught exceptions.
let pageErrors (r: Rendered) =
    r.Log.Split('\n')
    |> Array.filter (fun l -> l.Contains tag || l.Contains "Uncaught")
    |> Array.map (fun l -> l.Trim())

/// (figure divs, figure divs plotly drew). plotly.js marks a div it drew with the class
/// js-plotly-plot and fills it with its SVG layers (class main-svg).
let figures (dom: string) =
    let divs =
        Regex.Matches(dom, "<div class=\"(figure[^\"]*)\" id=\"fig\\d+\"")
        |> Seq.toArray

    let drawn =
        divs
        |> Array.mapi (fun i m ->
            let stop =
                if i + 1 < divs.Length then
                    divs.[i + 1].Index
                else
                    dom.Length

            m.Groups.[1].Value.Contains "js-plotly-plot"
            && dom.Substring(m.Index, stop - m.Index).Contains "class=\"main-svg\"")
        |> Array.filter id

    divs.Length, drawn.Length

/// External references in the page's markup (inline script bodies are skipped: plotly.js holds
/// URL strings it never loads here): src/href attributes and CSS url()/@import to http(s) or
/// protocol-relative // addresses, and any <script src> or <link> at all.
let externalReferences (html: string) =
    let markup =
        Regex.Replace(
            html,
            "(<script\\b[^>]*>).*?</script>",
            "$1</script>",
            RegexOptions.Singleline ||| RegexOptions.IgnoreCase
        )

    [
        for m in
            Regex.Matches(
                markup,
                "\\b(?:src|href)\\s*=\\s*[\"']?\\s*(?:https?:)?//[^\"'\\s>]*",
                RegexOptions.IgnoreCase
            ) -> m.Value
        for m in
            Regex.Matches(markup, "(?:url\\(|@import)\\s*[\"']?\\s*(?:https?:)?//[^\"'\\s)]*", RegexOptions.IgnoreCase) ->
            m.Value
        for m in Regex.Matches(markup, "<script\\b[^>]*\\bsrc\\s*=[^>]*>|<link\\b[^>]*>", RegexOptions.IgnoreCase) ->
            m.Value
    ]
    |> List.distinct

/// Renders the page at path and asserts: no external reference, Chromium exits 0, plotly drew all
/// `expectedFigures` figures (one div each, every one drawn), and the page logged no error.
/// Returns what Chromium saw for further checks.
let assertRendersOfflineWith (expectedFigures: int) (path: string) =
    Expect.isGreaterThan expectedFigures 0 "the report has figures"
    Expect.isEmpty (externalReferences (File.ReadAllText path)) "the page must load nothing from outside"
    let r = render path
    Expect.equal r.ExitCode 0 r.Log
    let divs, drawn = figures r.Dom
    Expect.equal divs expectedFigures "one figure div per figure of the report"
    Expect.equal drawn expectedFigures ("plotly drew every figure: " + r.Log)
    Expect.isEmpty (pageErrors r) "console errors, dialogs, failed loads or exceptions"
    r

/// assertRendersOfflineWith the number of figures in the sections of the `report` document the
/// page was written from.
let assertRendersOffline (report: Document.Report) (path: string) =
    assertRendersOfflineWith (report.Sections |> List.sumBy (fun s -> s.Figures.Length)) path
