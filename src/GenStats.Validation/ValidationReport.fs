/// Report builders for a surrogate's validation: normalised histograms with ratio panels per
/// variable, training curves, PR curves and metric tables, as Plotly figures and Document tables.
module GenStats.Validation.ValidationReport

open System
open System.Text.Json.Nodes
open GenStats.Comparison
open GenStats.Stats
open GenStats.Models
open GenStats.Stats.PrecisionRecall
open GenStats.Validation.Report

/// One sample of a variable: a display name, the values and optional (signed) weights.
type NamedSample =
    {
        Name: string
        Values: float[]
        Weights: Weights
    }

/// A named sample of one variable with optional (signed) weights.
let namedSample (name: string) (weights: Weights) (values: float[]) =
    {
        Name = name
        Values = values
        Weights = weights
    }

let private str (s: string) = JsonValue.Create s :> JsonNode
let private num (x: float) = JsonValue.Create x :> JsonNode

let private obj (pairs: (string * JsonNode) list) =
    JsonObject(pairs |> List.map (fun (k, v) -> Collections.Generic.KeyValuePair(k, v)))

let private title (t: string) = obj [ "text", str t ] :> JsonNode

let private range (a: float) (b: float) =
    JsonArray([| num a; num b |]) :> JsonNode

/// A horizontal legend under the plot, clear of the x-axis title.
let private legendBelow () =
    obj [ "orientation", str "h"; "y", num -0.3; "yanchor", str "top" ] :> JsonNode

/// Density histogram (unit area over the bins) of a sample: contents and errors √Σw² / (Σw·width).
let densityHistogram (edges: float[]) (s: NamedSample) =
    let h = Histogram.Fill(s.Values, edges, Option.toObj s.Weights)
    let total = h.Total
    let widths = Array.init h.Bins (fun i -> edges.[i + 1] - edges.[i])

    let norm i =
        if total <> 0.0 then total * widths.[i] else nan

    Array.init h.Bins (fun i -> h.SumOfWeights.[i] / norm i),
    Array.init h.Bins (fun i -> sqrt h.SumOfSquaredWeights.[i] / abs (norm i))

/// Ratio of density histograms b / a per bin with uncorrelated relative errors added in quadrature.
let ratio (a: float[], ea: float[]) (b: float[], eb: float[]) =
    Array.init a.Length (fun i ->
        if a.[i] > 0.0 && Double.IsFinite b.[i] then
            let r = b.[i] / a.[i]

            r,
            abs r
            * sqrt (
                (ea.[i] / a.[i]) ** 2.0
                + (if b.[i] <> 0.0 then (eb.[i] / b.[i]) ** 2.0 else 0.0)
            )
        else
            nan, nan)
    |> Array.unzip

/// Equal-width edges over the [q, 1 − q] weighted-quantile range of the pooled positive-weight
/// events, so a few far outliers do not squeeze the plot (tails fall outside the drawn range).
let robustEdges (bins: int) (tailFraction: float) (samples: NamedSample list) =
    let values = samples |> List.toArray |> Array.collect (fun s -> s.Values)

    if values.Length = 0 then
        invalidArg (nameof samples) "no values to bin."

    let lo = WeightedDescriptive.Quantile(values, tailFraction)
    let hi = WeightedDescriptive.Quantile(values, 1.0 - tailFraction)
    let lo, hi = if hi > lo then lo, hi else lo - 0.5, lo + 0.5
    Histogram.UniformEdges(lo, hi, bins)

/// The y range of a ratio panel that shows every ratio point: the span of the finite ratios and 1,
/// widened to at least [0.8, 1.2] and padded by 10 % (a ratio of 0.2 or 3 stays on the plot).
let ratioRange (ratios: float seq) =
    let finite = ratios |> Seq.filter Double.IsFinite |> Seq.toArray
    let lo = Array.fold min 0.8 finite
    let hi = Array.fold max 1.2 finite
    let pad = 0.1 * (hi - lo)
    lo - pad, hi + pad

/// Normalised histograms of one variable for every sample (the first is the reference, e.g. truth
/// or real) in an upper panel, and the ratio of every other sample to the reference in a lower
/// panel (Plotly layout: yaxis domain [0.32, 1], yaxis2 domain [0, 0.26] sharing the x axis).
/// Each sample keeps one colour in both panels and one legend entry; the ratio axis range shows
/// every ratio (`ratioRange`); xTitle names the variable with its unit, e.g. "p [GeV/c]".
let histogramWithRatioAxis
    (title': string)
    (xTitle: string)
    (edges: float[])
    (samples: NamedSample list)
    : Plotly.Figure =
    match samples with
    | [] -> invalidArg (nameof samples) "at least one sample is needed."
    | reference :: others ->
        let upper =
            samples
            |> List.mapi (fun i s ->
                let c, e = densityHistogram edges s

                Plotly.histogram s.Name edges c (Some e)
                |> Plotly.withColour (Plotly.colour i)
                |> fun t ->
                    t["legendgroup"] <- str s.Name
                    t)

        let refHist = densityHistogram edges reference

        let centres =
            Array.init (edges.Length - 1) (fun i -> 0.5 * (edges.[i] + edges.[i + 1]))

        let ratios =
            others |> List.map (fun s -> s, ratio refHist (densityHistogram edges s))

        let lower =
            ratios
            |> List.mapi (fun i (s, (r, e)) ->
                let t =
                    Plotly.line (sprintf "%s / %s" s.Name reference.Name) "markers" centres r (Some e)
                    |> Plotly.withColour (Plotly.colour (i + 1))

                // One legend entry per sample: the ratio points belong to their sample's entry.
                t["legendgroup"] <- str s.Name
                t["showlegend"] <- JsonValue.Create false
                t["xaxis"] <- str "x"
                t["yaxis"] <- str "y2"
                t)

        let lo, hi = ratioRange (ratios |> Seq.collect (fun (_, (r, _)) -> r))

        {
            Data = upper @ lower
            Layout =
                obj
                    [
                        "title", title title'
                        "xaxis", obj [ "anchor", str "y2"; "title", title xTitle ]
                        "yaxis", obj [ "title", title "density"; "domain", range 0.32 1.0 ]
                        "yaxis2",
                        obj
                            [
                                "title", title (sprintf "ratio to %s" reference.Name)
                                "domain", range 0.0 0.26
                                "anchor", str "x"
                                "range", range lo hi
                            ]
                        // Inside the upper panel's top right, clear of the x-axis title.
                        "legend",
                        obj
                            [
                                "x", num 0.99
                                "xanchor", str "right"
                                "y", num 0.99
                                "yanchor", str "top"
                                "bgcolor", str "rgba(255,255,255,0.7)"
                            ]
                    ]
        }

/// `histogramWithRatioAxis` with the variable's name as both the title and the x-axis title.
let histogramWithRatio (variable: string) (edges: float[]) (samples: NamedSample list) : Plotly.Figure =
    histogramWithRatioAxis variable variable edges samples

/// Keeps at most n evenly spaced indices of 0 .. count − 1 (long histories stay light in HTML).
let private thin (n: int) (count: int) =
    if count <= n then
        [| 0 .. count - 1 |]
    else
        Array.init n (fun i -> int (int64 i * int64 (count - 1) / int64 (n - 1)))

/// The loss axis range that shows the converged part of a training: the 1 % and 99 % quantiles of
/// the finite values after the first 10 % of the steps (the start of a GAN training spans orders of
/// magnitude more than its end), padded by 10 % of the span; None when nothing is left.
let robustLossRange (steps: StepRecord[]) : (float * float) option =
    if steps.Length = 0 then
        None
    else
        let last = steps.[steps.Length - 1].Step
        let from = last / 10L

        let values =
            steps
            |> Array.filter (fun s -> s.Step > from)
            |> Array.collect (fun s -> s.Losses.Values |> Seq.toArray)
            |> Array.filter Double.IsFinite
            |> Array.sort

        if values.Length = 0 then
            None
        else
            let q p =
                values.[int (p * float (values.Length - 1))]

            let lo, hi = q 0.01, q 0.99

            let pad =
                if hi > lo then
                    0.1 * (hi - lo)
                else
                    max 1e-12 (0.1 * abs lo)

            Some(lo - pad, hi + pad)

/// Training curves of a GAN: every loss of the step records (left axis, limited to the converged
/// part by <see cref="robustLossRange"/>) and the held-out energy distance (right axis, yaxis2
/// overlaying y, logarithmic when every value is positive), at most 400 points per curve.
let trainingCurves (title': string) (history: TrainingHistory) : Plotly.Figure =
    let steps = history.Steps.ToArray()

    let keys =
        steps
        |> Array.collect (fun s -> s.Losses.Keys |> Seq.toArray)
        |> Array.distinct
        |> Array.sort

    let idx = thin 400 steps.Length

    let losses =
        [
            for k in keys ->
                let xs = idx |> Array.map (fun i -> float steps.[i].Step)

                let ys =
                    idx
                    |> Array.map (fun i ->
                        match steps.[i].Losses.TryGetValue k with
                        | true, v -> v
                        | _ -> nan)

                Plotly.line k "lines" xs ys None
        ]

    let evals = history.Evaluations.ToArray()

    let energy =
        if evals.Length = 0 then
            []
        else
            let t =
                Plotly.line
                    "held-out energy distance"
                    "lines+markers"
                    (evals |> Array.map (fun e -> float e.Step))
                    (evals |> Array.map (fun e -> e.EnergyDistance))
                    None

            t["yaxis"] <- str "y2"
            [ t ]

    let lossAxis =
        match robustLossRange steps with
        | Some(lo, hi) ->
            obj
                [
                    "title", title "loss (1–99 % range after the first 10 % of steps)"
                    "range", (JsonArray(num lo, num hi) :> JsonNode)
                ]
        | None -> obj [ "title", title "loss" ]

    let energyAxis =
        let baseAxis =
            [ "title", title "energy distance"; "overlaying", str "y"; "side", str "right" ]

        if evals.Length > 0 && evals |> Array.forall (fun e -> e.EnergyDistance > 0.0) then
            obj (baseAxis @ [ "type", str "log" ])
        else
            obj baseAxis

    {
        Data = losses @ energy
        Layout =
            obj
                [
                    "title", title title'
                    "xaxis", obj [ "title", title "generator step" ]
                    "yaxis", lossAxis
                    "yaxis2", energyAxis
                    "legend", legendBelow ()
                ]
    }

/// PRD curves (Sajjadi et al.): precision α(λ) against recall β(λ), one trace per named result.
let prdFigure (title': string) (curves: (string * PrdResult) list) : Plotly.Figure =
    let traces =
        [
            for name, r in curves ->
                Plotly.line
                    (sprintf "%s (F₈ %.3f, F₁/₈ %.3f)" name r.FBeta.Value r.FInverseBeta.Value)
                    "lines"
                    r.Recall
                    r.Precision
                    None
        ]

    let f = Plotly.figure title' "recall β" "precision α" false traces
    f.Layout["xaxis"].AsObject()["range"] <- range 0.0 1.02
    f.Layout["yaxis"].AsObject()["range"] <- range 0.0 1.02
    f

/// A table of metric reports: metric, columns, value ± uncertainty, p-value (when reported).
let metricTable (caption: string) (reports: MetricReport seq) : Document.Table =
    {
        Caption = caption
        Headers = [ "metric"; "columns"; "value"; "p-value" ]
        Rows =
            [
                for r in reports ->
                    [
                        Document.Text r.Name
                        Document.Text(String.Join(", ", r.Columns))
                        (if Double.IsFinite r.Uncertainty then
                             Document.Measured(r.Value, r.Uncertainty)
                         else
                             Document.Number r.Value)
                        (match r.Extra.TryGetValue "pvalue" with
                         | true, p -> Document.Number p
                         | _ -> Document.Text "")
                    ]
            ]
    }

/// Metric reports as JSON (name, columns, value, uncertainty, extras; non-finite → null).
let metricsJson (reports: MetricReport seq) =
    let n (x: float) =
        if Double.IsFinite x then num x else null

    JsonArray(
        [|
            for r in reports ->
                obj
                    [
                        "name", str r.Name
                        "columns", JsonArray(r.Columns |> Array.map str) :> JsonNode
                        "value", n r.Value
                        "uncertainty", n r.Uncertainty
                        "extra", obj [ for kv in r.Extra -> kv.Key, n kv.Value ] :> JsonNode
                    ]
                :> JsonNode
        |]
    )
