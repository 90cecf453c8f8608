/// The referee's requests on the report's figures and pages: the pass criterion and the provenance
/// on the page, ratio panels that show the data, one colour and one legend entry per sample, axis
/// titles with units, integer ticks on counts — in the figure JSON and as Chromium draws them.
module GenStats.Tests.Validation.RefereeTests

open System
open System.Diagnostics
open System.IO
open System.Text.Json.Nodes
open System.Text.RegularExpressions
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Validation
open GenStats.Validation.Report
open GenStats.Validation.Report.Document

let private colourOf (trace: JsonObject) =
    (trace["marker"].AsObject()["color"]).GetValue<string>()

/// Reference on [0, 4] with 8 events per unit bin; the generated sample puts 0.2 × as many events
/// in bin 0 and 3 × as many in bin 3 (renormalised: ratios 0.2k and 3k with k = 4 / 4.2).
let private samples () =
    let reference = Array.init 32 (fun i -> float (i / 8) + 0.5)

    let generated =
        [|
            yield! Array.replicate 2 0.5
            yield! Array.replicate 8 1.5
            yield! Array.replicate 8 2.5
            yield! Array.replicate 24 3.5
        |]

    [
        ValidationReport.namedSample "truth" None reference
        ValidationReport.namedSample "sWeighted data" None reference
        ValidationReport.namedSample "generated" None generated
    ]

let private edges = [| 0.0; 1.0; 2.0; 3.0; 4.0 |]

let private figure () =
    ValidationReport.histogramWithRatioAxis "p, kaons" "p [GeV/c]" edges (samples ())

let ``the ratio panel's range shows every ratio, far from 1 too`` () =
    let fig = figure ()
    let range = (fig.Layout["yaxis2"].AsObject()["range"]).AsArray()
    let lo, hi = range[0].GetValue<float>(), range[1].GetValue<float>()
    // 42 generated events: densities 2/42, 8/42, 8/42, 24/42 against 8/32 each.
    let k = 32.0 / 42.0
    let expected = [ 0.25 * k; k; k; 3.0 * k ]

    for r in expected do
        Expect.isTrue (lo < r && r < hi) $"ratio {r} inside [{lo}, {hi}]"

    Expect.isTrue (lo < 1.0 && 1.0 < hi) "1 is inside"

let ``each sample keeps one colour in both panels and one legend entry`` () =
    let fig = figure ()
    Expect.equal fig.Data.Length 5 "three histograms, two ratios"
    let histograms, ratios = List.splitAt 3 fig.Data
    let colours = histograms |> List.map colourOf
    Expect.equal (List.distinct colours).Length 3 "three samples, three colours"

    for i, ratio in List.indexed ratios do
        Expect.equal (colourOf ratio) colours.[i + 1] "a ratio has its sample's colour"
        let text (o: JsonObject) (key: string) = o[key].GetValue<string>()
        Expect.isFalse (ratio["showlegend"].GetValue<bool>()) "no second legend entry"
        Expect.equal (text ratio "legendgroup") (text histograms.[i + 1] "legendgroup") "same group"

    let xAxis = fig.Layout["xaxis"].AsObject()
    let xTitle = (xAxis["title"].AsObject()["text"]).GetValue<string>()
    Expect.equal xTitle "p [GeV/c]" "the x axis names the variable and its unit"

let ``integer tick spacing is 1, 2 or 5 × 10^k and never below 1`` () =
    // About six ticks: max/6 rounded up to 1, 2 or 5 × 10^k; at least 1.
    let cases =
        [
            0.0, 1.0
            3.0, 1.0
            6.0, 1.0
            7.0, 2.0
            13.0, 5.0
            60.0, 10.0
            1000.0, 200.0
            4e5, 1e5
        ]

    for maxValue, step in cases do
        Expect.equal (Plotly.integerTickStep maxValue) step $"max {maxValue}"

let ``the provenance names the commit this build came from`` () =
    let commit = Provenance.commit ()
    Expect.isTrue (Regex.IsMatch(commit, "^[0-9a-f]{40}$")) $"a full git hash, not '{commit}'"
    // The commit exists in this repository (git cat-file -e exits 0 for a known object).
    let psi =
        ProcessStartInfo("git", $"cat-file -e {commit}^{{commit}}", WorkingDirectory = Repository.root ())

    use p = Process.Start psi
    p.WaitForExit()
    Expect.equal p.ExitCode 0 "the commit is in the repository"

    let table = (Provenance.section [ "seed", "42" ]).Tables.Head
    let rows = table.Rows |> List.map (List.map cellText)
    Expect.contains rows [ "GenStats commit"; commit ] "the commit row"
    Expect.contains rows [ "seed"; "42" ] "a setting row"

let private numbersIn (cls: string) (dom: string) =
    Regex.Matches(dom, $"<g class=\"{cls}\"[^>]*>\\s*<text[^>]*>([^<]*)</text>")
    |> Seq.map (fun m -> m.Groups.[1].Value.Replace("−", "-"))
    |> Seq.map (fun s -> Double.Parse(s, Globalization.CultureInfo.InvariantCulture))
    |> Seq.toList

let ``Chromium draws the referee's fixes`` () =
    let dir = Directory.CreateTempSubdirectory("genstats-referee-")

    try
        let pulls =
            Plotly.figure
                "Pulls"
                "pull"
                "members"
                false
                [ Plotly.histogram "pulls" [| -1.0; 0.0; 1.0 |] [| 1.0; 3.0 |] None ]
            |> Plotly.withIntegerTicks "yaxis" 3.0

        let report =
            {
                Title = "referee"
                Summary = []
                Sections =
                    [
                        section "Summary" |> withParagraph (Pid.passCriterion 4.0 1.5)
                        section "Distributions" |> withFigure (figure ()) |> withFigure pulls
                        Provenance.section [ "seed", "42" ]
                    ]
                Numbers = JsonObject()
            }

        let path = Path.Combine(dir.FullName, "referee.html")
        Html.write path report
        let seen = Chromium.assertRendersOffline report path
        Chromium.assertHas "max |σ| ≤ 4 and RMS σ ≤ 1.5" seen.Dom "the pass criterion is on the page"
        Chromium.assertHas (Provenance.commit ()) seen.Dom "the commit is on the page"
        // One legend entry per sample (the ratio points have none of their own).
        let legend = Regex.Matches(seen.Dom, "class=\"legendtext\"").Count
        Expect.equal legend 3 "legend entries"
        // Markers: the ratio points reuse their samples' colours, so three colours in all.
        let fills =
            Regex.Matches(seen.Dom, "class=\"point\"[^>]*fill: (rgb\\([^)]*\\))")
            |> Seq.map (fun m -> m.Groups.[1].Value)
            |> Seq.distinct
            |> Seq.length

        Expect.equal fills 3 "marker colours"
        // The ratio axis reaches below the smallest ratio (0.19) and above the largest (2.29).
        let ratioTicks = numbersIn "y2tick" seen.Dom
        Expect.isNonEmpty ratioTicks "ratio ticks drawn"
        Expect.isLessThanOrEqual (List.min ratioTicks) 0.2 "a tick at or below 0.2"
        Expect.isGreaterThanOrEqual (List.max ratioTicks) 2.0 "a tick at or above 2"
        Chromium.assertHas "p [GeV/c]" seen.Dom "the x-axis title with its unit"
        // The pulls figure's count axis: whole numbers only.
        let pullsFigure = seen.Dom.Substring(seen.Dom.IndexOf "id=\"fig2\"")
        let countTicks = numbersIn "ytick" pullsFigure
        Expect.isNonEmpty countTicks "count ticks drawn"

        Expect.isTrue
            (countTicks |> List.forall (fun t -> t = Math.Round t))
            $"integer ticks on counts, got %A{countTicks}"
    finally
        dir.Delete(true)

[<Tests>]
let tests =
    testList
        "Report.Referee"
        [
            testCase
                "the ratio panel's range shows every ratio, far from 1 too"
                ``the ratio panel's range shows every ratio, far from 1 too``
            testCase
                "each sample keeps one colour in both panels and one legend entry"
                ``each sample keeps one colour in both panels and one legend entry``
            testCase
                "integer tick spacing is 1, 2 or 5 × 10^k and never below 1"
                ``integer tick spacing is 1, 2 or 5 × 10^k and never below 1``
            testCase
                "the provenance names the commit this build came from"
                ``the provenance names the commit this build came from``
            slow
                [
                    testCase "Chromium draws the referee's fixes" ``Chromium draws the referee's fixes``
                ]
        ]
