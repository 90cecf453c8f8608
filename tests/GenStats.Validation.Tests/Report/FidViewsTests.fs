module GenStats.Tests.Validation.FidViewsTests

open System
open System.IO
open System.Text.Json.Nodes
open System.Text.RegularExpressions
open Expecto
open GenStats.Tests
open GenStats.Tests.TestMain
open GenStats.Data
open GenStats.Validation
open GenStats.Validation.Report
open GenStats.Validation.Report.Document
open GenStats.Tests.Tolerance

// Three features: x0, x1 with correlation ρ, and an independent x2 = 100 + 5 z on another scale,
// so that the standardisation matters. Standardised covariance = correlation matrix R, whose
// eigenvalues are 1 + ρ, 1 − ρ and 1.
let private rho = 0.6
let private columns = [| "x0"; "x1"; "x2" |]
let private events = 20_000

let private gaussian (seed: int) (n: int) (shift0: float) =
    let rng = Random(seed)

    let normal () =
        sqrt (-2.0 * log (1.0 - rng.NextDouble()))
        * cos (2.0 * Math.PI * rng.NextDouble())

    Array.init n (fun _ ->
        let z0, z1, z2 = normal (), normal (), normal ()
        [| z0 + shift0; rho * z0 + sqrt (1.0 - rho * rho) * z1; 100.0 + 5.0 * z2 |])

let private reference = lazy (FidViews.sample "truth" None (gaussian 11 events 0.0))
let private control = lazy (FidViews.sample "control" None (gaussian 12 events 0.0))

let private options =
    { FidViews.defaultOptions with
        Seed = 7
    }

/// Generated = a third independent draw of the same Gaussian (a faithful model).
let private nullView =
    lazy
        (FidViews.computeRows
            options
            columns
            reference.Value
            (FidViews.sample "generated" None (gaussian 13 events 0.0))
            control.Value)

/// Generated = the same Gaussian with x0 shifted by δ (x0 has unit width): Fréchet = δ².
let private delta = 0.3

let private shiftedView =
    lazy
        (FidViews.computeRows
            options
            columns
            reference.Value
            (FidViews.sample "generated" None (gaussian 14 events delta))
            control.Value)

/// E[FD] between batches of N events from two samples of one Gaussian, to second order: the mean
/// term adds Tr R (2/N) and the Bures term ½ Σᵢⱼ Var(ΔSᵢⱼ)/(λᵢ + λⱼ) in the eigenbasis of R,
/// Var(Sᵢⱼ) = λᵢλⱼ(1 + δᵢⱼ)/N per sample; together slope/N with slope = 3d + Σ_{i≠j} λᵢλⱼ/(λᵢ + λⱼ).
let private expectedSlope =
    let lambdas = [| 1.0 + rho; 1.0 - rho; 1.0 |]
    let d = float lambdas.Length

    3.0 * d
    + Seq.sum
        [
            for i in 0..2 do
                for j in 0..2 do
                    if i <> j then
                        lambdas.[i] * lambdas.[j] / (lambdas.[i] + lambdas.[j])
        ]

let private row (metric: string) (view: FidViews.View) =
    FidViews.rows view |> List.find (fun r -> r.Metric = metric)

let ``independent draws of one Gaussian: KPD and FPD are 0 within 3σ and generated − control is within 3σ`` () =
    let v = nullView.Value

    for d in [ v.Generated; v.Control ] do
        Expect.isLessThan
            (abs d.Kpd.Value)
            (3.0 * d.Kpd.Uncertainty)
            (sprintf "%s KPD %g ± %g" d.Name d.Kpd.Value d.Kpd.Uncertainty)

        Expect.isLessThan
            (abs d.Fpd.Value)
            (3.0 * d.FpdTotalUncertainty)
            (sprintf "%s FPD %g ± %g" d.Name d.Fpd.Value d.FpdTotalUncertainty)

    for r in FidViews.rows v do
        Expect.isLessThan (abs r.Sigma) 3.0 (sprintf "%s: %+.2f σ" r.Metric r.Sigma)

let ``the FPD of a faithful model sits on the finite-sample floor, with the batch-noise slope of the closed form`` () =
    let v = nullView.Value
    // The extrapolation removes the batches' noise, not the samples' own: the intercept is the
    // Fréchet distance of the two full samples, E = slope/2 · (1/N_truth + 1/N_sample).
    let floor = expectedSlope / 2.0 * (2.0 / float events)

    for d in [ v.Generated; v.Control ] do
        Expect.isLessThan
            (abs (d.Frechet.Value - floor))
            (3.0 * d.Frechet.Uncertainty)
            (sprintf "%s Fréchet %g vs floor %g" d.Name d.Frechet.Value floor)

        Expect.isLessThan
            (abs (d.Fpd.Value - d.Frechet.Value))
            (4.0 * d.Fpd.Uncertainty)
            (sprintf "%s FPD %g vs Fréchet %g" d.Name d.Fpd.Value d.Frechet.Value)
        // 10 sizes × 20 batches fix the slope to about 10 %: 40 % is 4σ.
        Expect.isLessThan
            (abs (d.Fpd.Slope - expectedSlope))
            (0.4 * expectedSlope)
            (sprintf "%s slope %g vs %g" d.Name d.Fpd.Slope expectedSlope)

let ``a mean shift δ of one standardised feature gives Fréchet = FPD = δ² and a large FPD deviation from the control``
    ()
    =
    let v = shiftedView.Value
    let g = v.Generated
    // Equal covariances: the trace term vanishes and ‖μ₁ − μ₂‖² = δ²; the floor (≈ 6e-4) is in the tolerance.
    Expect.isLessThan
        (abs (g.Frechet.Value - delta * delta))
        (4.0 * g.Frechet.Uncertainty)
        (sprintf "Fréchet %g ± %g" g.Frechet.Value g.Frechet.Uncertainty)

    Expect.isLessThan (abs (g.Frechet.MeanTerm - delta * delta)) (4.0 * g.Frechet.Uncertainty) "mean term"

    Expect.isLessThan
        (abs (g.Fpd.Value - delta * delta))
        (4.0 * g.FpdTotalUncertainty)
        (sprintf "FPD %g ± %g" g.Fpd.Value g.FpdTotalUncertainty)

    Expect.isGreaterThan ((row "FPD" v).Sigma) 10.0 ("(row \"FPD\" v).Sigma")
    Expect.isGreaterThan ((row "Fréchet" v).Sigma) 10.0 ("(row \"Fréchet\" v).Sigma")
    Expect.isGreaterThan g.Kpd.Value (3.0 * g.Kpd.Uncertainty) "KPD sees the shift"
    // The control is the same sample as in the faithful case, so its numbers do not move.
    assertClose veryHigh nullView.Value.Control.Fpd.Value v.Control.Fpd.Value "control FPD"

let ``standardisation makes the view independent of each feature's units`` () =
    // x2 in other units (× 1000, + 7) and every sample converted alike: the same distances.
    let rescale (s: FidViews.Sample) =
        { s with
            Rows = s.Rows |> Array.map (fun r -> [| r.[0]; r.[1]; 1000.0 * r.[2] + 7.0 |])
        }

    let small =
        { options with
            FpdMinSamples = 500
            FpdMaxSamples = 1000
            FpdBatches = 4
            KpdBatches = 4
            KpdBatchSize = 500
            FrechetReplicas = 10
        }

    let a, b, c =
        FidViews.sample "truth" None (gaussian 21 2000 0.0),
        FidViews.sample "generated" None (gaussian 22 2000 0.2),
        FidViews.sample "control" None (gaussian 23 2000 0.0)

    let v1 = FidViews.computeRows small columns a b c
    let v2 = FidViews.computeRows small columns (rescale a) (rescale b) (rescale c)
    assertClose low v1.Generated.Fpd.Value v2.Generated.Fpd.Value "FPD"
    assertClose low v1.Generated.Kpd.Value v2.Generated.Kpd.Value "KPD"
    assertClose low v1.Generated.Frechet.Value v2.Generated.Frechet.Value "Fréchet"

let ``the table has one row per metric: value ± uncertainty for both samples and a σ-deviation`` () =
    let v = shiftedView.Value
    let t = FidViews.table "shift" v
    Expect.equal t.Headers.Length 4 "t.Headers.Length"
    Expect.isTrue (t.Rows |> List.map List.head = [ Text "FPD"; Text "KPD"; Text "Fréchet" ]) (sprintf "%A" t.Rows)

    for r in t.Rows do
        match r with
        | [ Text _; Measured _; Measured _; Deviation _ ] -> ()
        | other -> failtest (sprintf "unexpected cells %A" other)

    match t.Rows.[0] with
    | [ _; Measured(gv, gu); Measured(cv, _); Deviation s ] ->
        Expect.equal gv v.Generated.Fpd.Value "gv"
        Expect.equal gu v.Generated.Fpd.Uncertainty "the jetnet fit error is shown"

        assertClose
            high
            ((gv - cv)
             / sqrt (v.Generated.FpdTotalUncertainty ** 2.0 + v.Control.FpdTotalUncertainty ** 2.0))
            s
            "deviation"
    | _ -> failtest "FPD row"

let ``the figure shows the mean Fréchet distance on jetnet's 1/N grid and the fitted line reaching 1/N = 0`` () =
    let v = nullView.Value
    let json = JsonNode.Parse(Plotly.toJson (FidViews.figure "FPD" v))

    let traces =
        json["data"].AsArray() |> Seq.map (fun t -> t.AsObject()) |> Seq.toArray

    Expect.equal traces.Length 6 "points, fit and intercept for generated and control"

    let floats (t: JsonObject) (key: string) =
        t[key].AsArray() |> Seq.map (fun x -> x.GetValue<float>()) |> Seq.toArray

    for d in [ v.Generated; v.Control ] do
        let named (prefix: string) =
            traces
            |> Array.find (fun t -> t["name"].GetValue<string>().StartsWith(d.Name + ": " + prefix))
        // jetnet: (1 / linspace(1/20000, 1/50000, 10)).astype(int32) = 20000, 21428, …, 49999 (truncation).
        let x = floats (named "⟨Fréchet⟩") "x"
        Expect.equal x.Length 10 "x.Length"
        assertClose veryHigh (1.0 / 20000.0) x.[0] "first batch size"
        assertClose veryHigh (1.0 / 21428.0) x.[1] "second batch size"
        assertClose veryHigh (1.0 / 49999.0) x.[9] "last batch size"
        let fit = named "fit"
        let fx, fy = floats fit "x", floats fit "y"
        Expect.equal (fx.[0]) 0.0 "fx.[0]"
        assertClose veryHigh d.Fpd.Value fy.[0] "the line starts at the FPD"
        // The line runs through the points: at 1/N = 1/20000 it is within the points' spread.
        let ys = floats (named "⟨Fréchet⟩") "y"
        Expect.isLessThan (abs (fy.[1] - ys.[0])) (0.3 * ys.[0]) "abs (fy.[1] - ys.[0])"
        let panel = if d.Name = "generated" then "y" else "y2"
        Expect.equal (fit["yaxis"].GetValue<string>()) panel "generated above, control below"
        let intercept = named "FPD ="
        Expect.equal ((floats intercept "x").[0]) 0.0 ("(floats intercept \"x\").[0]")
        assertClose veryHigh d.Fpd.Uncertainty (floats (intercept["error_y"].AsObject()) "array").[0] "fit error bar"

let ``the JSON keeps every number and writes non-finite ones as null`` () =
    // Two batch sizes: the fit has no residual degrees of freedom, so its error is ∞ (curve_fit).
    let two =
        { options with
            FpdMinSamples = 200
            FpdMaxSamples = 400
            FpdPoints = 2
            FpdBatches = 2
            KpdBatches = 3
            KpdBatchSize = 200
            FrechetReplicas = 5
        }

    let v =
        FidViews.computeRows
            two
            columns
            (FidViews.sample "truth" None (gaussian 31 500 0.0))
            (FidViews.sample "generated" None (gaussian 32 500 0.5))
            (FidViews.sample "control" None (gaussian 33 500 0.0))

    Expect.isTrue
        (Double.IsPositiveInfinity v.Generated.Fpd.Uncertainty)
        "Double.IsPositiveInfinity v.Generated.Fpd.Uncertainty"

    let j = JsonNode.Parse((FidViews.json v).ToJsonString())

    let at (path: string list) =
        path
        |> List.fold (fun (n: JsonNode) (k: string) -> if isNull n then null else n[k]) j

    let number path = (at path).GetValue<float>()

    Expect.isTrue
        (isNull (at [ "generated"; "fpd"; "uncertainty" ]))
        "isNull (at [ \"generated\"; \"fpd\"; \"uncertainty\" ])"

    Expect.isTrue
        (isNull (at [ "generated"; "fpd"; "total_uncertainty" ]))
        "isNull (at [ \"generated\"; \"fpd\"; \"total_uncertainty\" ])"

    Expect.equal
        (number [ "generated"; "fpd"; "value" ])
        v.Generated.Fpd.Value
        ("number [ \"generated\"; \"fpd\"; \"value\" ]")

    let sizes =
        (at [ "generated"; "fpd"; "batch_sizes" ]).AsArray()
        |> Seq.map (fun x -> x.GetValue<float>())
        |> Seq.toList

    Expect.isTrue (sizes = [ 200.0; 400.0 ]) (sprintf "%A" sizes)

    Expect.equal
        ((at [ "control"; "kpd"; "batch_values" ]).AsArray().Count)
        3
        ("(at [ \"control\"; \"kpd\"; \"batch_values\" ]).AsArray().Count")

    Expect.equal
        (number [ "control"; "frechet"; "uncertainty" ])
        v.Control.Frechet.Uncertainty
        ("number [ \"control\"; \"frechet\"; \"uncertainty\" ]")

    Expect.equal (number [ "sigma"; "fpd" ]) 0.0 "an infinite uncertainty establishes no deviation"
    Expect.equal (number [ "sigma"; "kpd" ]) ((row "KPD" v).Sigma) ("number [ \"sigma\"; \"kpd\" ]")
    Expect.equal ((at [ "columns" ]).AsArray().Count) 3 ("(at [ \"columns\" ]).AsArray().Count")

let ``bad input is refused with the argument named`` () =
    let d (names: string[]) =
        Dataset.Create(names, names |> Array.map (fun _ -> Array.init 10 float))

    let ok = d [| "a"; "b" |]

    let e =
        Expectations.raises<ArgumentException>
            "FidViews.compute options [| \"a\"; \"b\" |] ok (d [| \"a\" |]) ok"
            (fun () -> FidViews.compute options [| "a"; "b" |] ok (d [| "a" |]) ok |> ignore)

    Expectations.contains "'b'" e.Message "e.Message"
    Expect.equal e.ParamName "generated" "e.ParamName"

    let constant =
        Dataset.Create([| "a"; "b" |], [| Array.init 10 float; Array.create 10 3.0 |])

    let e2 =
        Expectations.raises<ArgumentException> "FidViews.compute options [| \"a\"; \"b\" |] constant ok ok" (fun () ->
            FidViews.compute options [| "a"; "b" |] constant ok ok |> ignore)

    Expectations.contains "column 'b'" e2.Message "e2.Message"
    let ragged = FidViews.sample "x" None [| [| 1.0; 2.0 |]; [| 1.0 |] |]

    let e3 =
        Expectations.raises<ArgumentException>
            "FidViews.computeRows options [| \"a\"; \"b\" |] ragged ragged ragged"
            (fun () -> FidViews.computeRows options [| "a"; "b" |] ragged ragged ragged |> ignore)

    Expectations.contains "row 1" e3.Message "e3.Message"
    let withNaN = FidViews.sample "x" None [| [| 1.0; 2.0 |]; [| nan; 1.0 |] |]
    let fine = FidViews.sample "x" None [| [| 1.0; 2.0 |]; [| 2.0; 1.0 |] |]

    let e4 =
        Expectations.raises<ArgumentException>
            "FidViews.computeRows options [| \"a\"; \"b\" |] fine withNaN fine"
            (fun () -> FidViews.computeRows options [| "a"; "b" |] fine withNaN fine |> ignore)

    Expect.equal e4.ParamName "generated" "e4.ParamName"
    Expectations.contains "column 'a' is NaN" e4.Message "e4.Message"

let ``a report with the FID section is self-contained and plotly draws its figures in headless Chromium`` () =
    let v = nullView.Value

    let report =
        {
            Title = "FID view"
            Summary = []
            Sections = [ FidViews.section "FID-style distances (FPD, KPD)" [ "toy", v ] ]
            Numbers = JsonObject(dict [ "fid_toy", FidViews.json v :> JsonNode ])
        }

    let dir = Directory.CreateTempSubdirectory("genstats-fid-render-")

    try
        let htmlPath = Path.Combine(dir.FullName, "report.html")
        Html.write htmlPath report
        Chromium.assertHas "FID-style distances (FPD, KPD)" (File.ReadAllText htmlPath) "the section heading"
        Chromium.assertRendersOffline report htmlPath |> ignore
    finally
        dir.Delete(true)

[<Tests>]
let tests =
    testList
        "FidViewsTests"
        [
            testCase
                "standardisation makes the view independent of each feature's units"
                ``standardisation makes the view independent of each feature's units``
            testCase
                "the JSON keeps every number and writes non-finite ones as null"
                ``the JSON keeps every number and writes non-finite ones as null``
            testCase "bad input is refused with the argument named" ``bad input is refused with the argument named``
            slow
                [
                    testCase
                        "the table has one row per metric: value ± uncertainty for both samples and a σ-deviation"
                        ``the table has one row per metric: value ± uncertainty for both samples and a σ-deviation``
                    testCase
                        "independent draws of one Gaussian: KPD and FPD are 0 within 3σ and generated − control is within 3σ"
                        ``independent draws of one Gaussian: KPD and FPD are 0 within 3σ and generated − control is within 3σ``
                    testCase
                        "the FPD of a faithful model sits on the finite-sample floor, with the batch-noise slope of the closed form"
                        ``the FPD of a faithful model sits on the finite-sample floor, with the batch-noise slope of the closed form``
                    testCase
                        "a mean shift δ of one standardised feature gives Fréchet = FPD = δ² and a large FPD deviation from the control"
                        ``a mean shift δ of one standardised feature gives Fréchet = FPD = δ² and a large FPD deviation from the control``
                    testCase
                        "the figure shows the mean Fréchet distance on jetnet's 1/N grid and the fitted line reaching 1/N = 0"
                        ``the figure shows the mean Fréchet distance on jetnet's 1/N grid and the fitted line reaching 1/N = 0``
                    testCase
                        "a report with the FID section is self-contained and plotly draws its figures in headless Chromium"
                        ``a report with the FID section is self-contained and plotly draws its figures in headless Chromium``
                ]
        ]
