module GenStats.Tests.Validation.ValidationReportTests

open System
open System.Collections.Generic
open System.IO
open System.Text.Json.Nodes
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Models
open GenStats.Comparison
open GenStats.Stats
open GenStats.Stats.PrecisionRecall
open GenStats.Validation
open GenStats.Validation.Report
open GenStats.Validation.Report.Document
open GenStats.Tests.Tolerance

let private evil = "<script>alert(1)</script>"
let private str (o: JsonObject) (key: string) = o[key].GetValue<string>()

let private item (o: JsonObject) (key: string) (i: int) =
    let a = o[key].AsArray() in a[i].GetValue<float>()

let private count (o: JsonObject) (key: string) = o[key].AsArray().Count

let ``density histograms have unit area and √Σw² errors (hand case)`` () =
    // Values 0.5, 1.5, 1.5 on [0, 1, 2]: densities 1/3, 2/3; errors √1/3, √2/3.
    let c, e =
        ValidationReport.densityHistogram
            [| 0.0; 1.0; 2.0 |]
            (ValidationReport.namedSample "a" None [| 0.5; 1.5; 1.5 |])

    assertClose veryHigh (1.0 / 3.0) c.[0] "bin 0"
    assertClose veryHigh (2.0 / 3.0) c.[1] "bin 1"
    assertClose veryHigh (1.0 / 3.0) e.[0] "error 0"
    assertClose veryHigh (sqrt 2.0 / 3.0) e.[1] "error 1"
    // Ratio of a histogram to itself: 1 with the relative errors added in quadrature.
    let r, re = ValidationReport.ratio (c, e) (c, e)
    assertClose veryHigh 1.0 r.[1] "ratio"
    assertClose veryHigh (sqrt 2.0 * (sqrt 2.0 / 3.0) / (2.0 / 3.0)) re.[1] "ratio error"

let ``the ratio panel sits on yaxis2 below the histograms`` () =
    let a = ValidationReport.namedSample "truth" None [| 0.1; 0.2; 0.7 |]
    let b = ValidationReport.namedSample "generated" None [| 0.15; 0.6; 0.8 |]
    let fig = ValidationReport.histogramWithRatio "x" [| 0.0; 0.5; 1.0 |] [ a; b ]
    Expect.equal fig.Data.Length 3 "two histograms and one ratio"
    let ratioTrace = fig.Data.[2]
    Expect.equal (str ratioTrace "yaxis") "y2" ("str ratioTrace \"yaxis\"")
    // truth densities (4/3, 2/3), generated (2/3, 4/3): ratios 1/2 and 2.
    assertClose veryHigh 0.5 (item ratioTrace "y" 0) "ratio bin 0"
    assertClose veryHigh 2.0 (item ratioTrace "y" 1) "ratio bin 1"
    let top2 = item (fig.Layout["yaxis2"].AsObject()) "domain" 1
    let bottom1 = item (fig.Layout["yaxis"].AsObject()) "domain" 0
    Expect.isLessThan top2 bottom1 "top2"

let private history () =
    let steps = List<StepRecord>()

    for s in 1L .. 1000L do
        steps.Add(StepRecord(s, Dictionary(dict [ "critic", -1.0 / float s; "generator", 1.0 / float s ]), 200.0, 1e-4))

    let evals =
        List<EvaluationRecord>(
            [
                for s in 100L..100L..1000L -> EvaluationRecord(s, 1.0 / float s, Nullable(), Nullable())
            ]
        )

    TrainingHistory(steps, evals)

let ``training curves thin long histories and put the energy distance on a second axis`` () =
    let fig = ValidationReport.trainingCurves "GAN" (history ())
    Expect.equal fig.Data.Length 3 "fig.Data.Length"
    let losses, energy = fig.Data.[0], fig.Data.[2]
    Expect.equal (count losses "x") 400 ("count losses \"x\"")
    Expect.equal (item losses "x" 399) 1000.0 "the last step is kept"
    Expect.equal (str energy "yaxis") "y2" ("str energy \"yaxis\"")
    Expect.equal (count energy "y") 10 ("count energy \"y\"")

let ``training curves show the converged part: robust loss range, log energy axis`` () =
    // a start spike of 1000 over the first 50 steps, then losses within 0.5 ± 0.1
    let steps = List<StepRecord>()

    for s in 1L .. 1000L do
        let v = if s <= 50L then 1000.0 else 0.5 + 0.1 * sin (float s)
        steps.Add(StepRecord(s, Dictionary(dict [ "generator", v ]), 200.0, 1e-4))

    let h =
        TrainingHistory(
            steps,
            List<EvaluationRecord>(
                [
                    for s in 100L..100L..1000L -> EvaluationRecord(s, 1.0 / float s, Nullable(), Nullable())
                ]
            )
        )

    let fig = ValidationReport.trainingCurves "GAN" h
    let range = (fig.Layout["yaxis"]["range"]).AsArray()
    let lo, hi = range[0].GetValue<float>(), range[1].GetValue<float>()
    // the 1–99 % quantiles of 0.5 + 0.1 sin s lie in [0.4, 0.6]; padding adds 10 % of the span
    Expect.isGreaterThan lo 0.37 "the lower limit is near the converged values"
    Expect.isLessThan hi 0.63 "the spike of 1000 is outside the range"
    Expect.isLessThan lo 0.41 "the converged values are inside"
    Expect.isGreaterThan hi 0.59 "the converged values are inside"
    let axisType = (fig.Layout["yaxis2"]["type"]).GetValue<string>()
    Expect.equal axisType "log" "positive energy distances on a log axis"

let private tsr v =
    TwoSampleResult(v, 0.01, "test", 100.0, 100.0)

/// A report built only by this branch's builders; the variable name comes from "user data".
let private report () =
    let rng = Random(3)

    let normal () =
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble())

    let xs n shift =
        Array.init n (fun _ -> shift + normal ())

    let truth = ValidationReport.namedSample "truth" None (xs 2000 0.0)

    let real =
        ValidationReport.namedSample
            "sWeighted data"
            (Some(Array.init 2000 (fun i -> if i % 5 = 0 then -0.25 else 1.2)))
            (xs 2000 0.0)

    let gen = ValidationReport.namedSample "generated" None (xs 2000 0.1)
    let edges = ValidationReport.robustEdges 30 0.005 [ truth; gen ]
    let p = Array.init 2000 (fun i -> 3e3 + float (i % 50) * 1e3)
    let eta = Array.init 2000 (fun i -> 2.0 + float (i % 7) * 0.4)
    let k = Pid.speciesSample None p eta (xs 2000 2.0)
    let pi = Pid.speciesSample None p eta (xs 2000 0.0)
    let auc = Pid.aucInBins [| 2e3; 2e4; 6e4 |] [| 1.8; 3.2; 5.5 |] (k, pi) (k, pi)

    let eff =
        Pid.efficiencyComparison [| 2e3; 2e4; 6e4 |] (fun x -> x > 1.0) k k (Some k)

    let prd =
        PrdResult([| 0.5; 1.0; 2.0 |], [| 0.5; 0.8; 0.9 |], [| 1.0; 0.8; 0.45 |], tsr 0.95, tsr 0.9, 8.0)

    let metrics =
        [
            MetricReport("ks", [| evil |], 0.02, 0.005, Dictionary(dict [ "pvalue", 0.3 ]))
        ]

    {
        Title = "validation of " + evil
        Summary = [ "column " + evil ]
        Sections =
            [
                section ("Distributions of " + evil)
                |> withFigure (ValidationReport.histogramWithRatio evil edges [ truth; real; gen ])
                |> withTable (ValidationReport.metricTable evil metrics)
                section "PID"
                |> withTable (Pid.aucTable "AUC" auc)
                |> withTable (Pid.efficiencyTable "efficiency" eff)
                |> withFigure (Pid.aucFigure "AUC" auc)
                |> withFigure (Pid.efficiencyFigure "efficiency" eff)
                section "Training and PR"
                |> withFigure (ValidationReport.trainingCurves "GAN" (history ()))
                |> withFigure (ValidationReport.prdFigure "PRD" [ evil, prd ])
            ]
        Numbers = JsonObject()
    }

let ``names from user data are escaped in the HTML`` () =
    let html = Html.render "/*PLOTLY-STUB*/" (report ())
    Expect.isFalse (html.Contains evil) "a raw <script> from user data would run"
    Expectations.contains "&lt;script&gt;alert(1)&lt;/script&gt;" html "table and heading text is HTML-encoded"
    // Inside figure JSON, System.Text.Json writes < and > as \u003C and \u003E, so the name cannot
    // close the figure's <script> or open a new element.
    Expectations.contains ("\\u003Cscript\\u003Ealert(1)") html "html"

let ``the validation report renders every figure in headless Chromium with no console error`` () =
    let dir = Directory.CreateTempSubdirectory("genstats-validation-render-")

    try
        let r = report ()
        let htmlPath = Path.Combine(dir.FullName, "report.html")
        Html.write htmlPath r
        let seen = Chromium.assertRendersOffline r htmlPath
        Chromium.assertLacks evil seen.Dom "the user's <script> did not become an element"
        Chromium.assertHas "alert(1)" seen.Dom "the name is shown as text"
    finally
        dir.Delete(true)

let ``the page checks see exceptions, console errors, dialogs and external loads (negative control)`` () =
    let dir = Directory.CreateTempSubdirectory("genstats-validation-broken-")

    try
        let htmlPath = Path.Combine(dir.FullName, "broken.html")

        File.WriteAllText(
            htmlPath,
            "<!DOCTYPE html><html><head><script src=\"https://cdn.example.org/plotly.js\"></script></head><body>"
            + "<script>console.error('broken figure');alert(1);undefinedFunction();</script></body></html>"
        )

        Expect.isNonEmpty
            (Chromium.externalReferences (File.ReadAllText htmlPath))
            "the static check sees the external script"

        let seen = Chromium.render htmlPath
        Expect.equal seen.ExitCode 0 "seen.ExitCode"
        let errors = Chromium.pageErrors seen

        let has (text: string) =
            errors |> Array.exists (fun l -> l.Contains text)

        Expect.isTrue (has "console.error: broken figure") seen.Log
        Expect.isTrue (has "dialog alert: 1") seen.Log
        Expect.isTrue (has "Uncaught ReferenceError") seen.Log
        Expect.isTrue (has "resource failed to load: https://cdn.example.org/plotly.js") seen.Log
    finally
        dir.Delete(true)

let ``the figure count sees a figure div plotly did not draw (negative control)`` () =
    let drawn i =
        sprintf "<div class=\"figure js-plotly-plot\" id=\"fig%d\"><svg class=\"main-svg\"></svg></div>" i

    Expect.equal (Chromium.figures (drawn 1 + drawn 2)) (2, 2) "Chromium.figures (drawn 1 + drawn 2)"

    Expect.equal
        (Chromium.figures (drawn 1 + "<div class=\"figure\" id=\"fig2\"></div>"))
        (2, 1)
        ("Chromium.figures (drawn 1 + \"<div class=\\\"figure\\\" id=\\\"fig2\\\"></di...")

    Expect.equal
        (Chromium.figures (drawn 1 + "<div class=\"figure js-plotly-plot\" id=\"fig2\"></div>"))
        (2, 1)
        ("Chromium.figures (drawn 1 + \"<div class=\\\"figure js-plotly-plot\\\" i...")

[<Tests>]
let tests =
    testList
        "ValidationReportTests"
        [
            testCase
                "density histograms have unit area and √Σw² errors (hand case)"
                ``density histograms have unit area and √Σw² errors (hand case)``
            testCase
                "the ratio panel sits on yaxis2 below the histograms"
                ``the ratio panel sits on yaxis2 below the histograms``
            testCase
                "training curves thin long histories and put the energy distance on a second axis"
                ``training curves thin long histories and put the energy distance on a second axis``
            testCase
                "training curves show the converged part: robust loss range, log energy axis"
                ``training curves show the converged part: robust loss range, log energy axis``
            testCase "names from user data are escaped in the HTML" ``names from user data are escaped in the HTML``
            testCase
                "the figure count sees a figure div plotly did not draw (negative control)"
                ``the figure count sees a figure div plotly did not draw (negative control)``
            slow
                [
                    testCase
                        "the validation report renders every figure in headless Chromium with no console error"
                        ``the validation report renders every figure in headless Chromium with no console error``
                    testCase
                        "the page checks see exceptions, console errors, dialogs and external loads (negative control)"
                        ``the page checks see exceptions, console errors, dialogs and external loads (negative control)``
                ]
        ]
