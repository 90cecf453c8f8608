/// FID-style views of a generator on physics features: the Fréchet physics distance (FPD), the
/// kernel physics distance (KPD) — both in jetnet's convention (Kansal et al. 2023,
/// arXiv:2211.10295) — and the plain Fréchet distance, of a generated sample against a reference
/// (truth), next to the same numbers for a control sample (an independent draw of the truth), so
/// that the reader sees the scale of the null. Features are standardised to the reference's
/// weighted mean and standard deviation before any distance is computed.
module GenStats.Validation.FidViews

open System
open System.Text.Json.Nodes
open GenStats.Data
open GenStats.Stats
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report

/// Settings of a view. Defaults: jetnet's batch grids and seed 42, 50 bootstrap replicas for the
/// Fréchet distance, no max-abs normalisation on top of the standardisation.
type Options =
    {
        /// Seeds the FPD and KPD batch draws and the Fréchet bootstrap (the same for both samples).
        Seed: int
        /// After standardising, also divide every feature by max|z| of the reference, as jetnet's
        /// normalise=True does; applied to all three distances so that they share units.
        Normalise: bool
        /// Poisson-bootstrap replicas of the full-sample Fréchet distance (≥ 2).
        FrechetReplicas: int
        /// Smallest FPD batch size (jetnet: 20 000).
        FpdMinSamples: int
        /// Largest FPD batch size (jetnet: 50 000).
        FpdMaxSamples: int
        /// FPD batches averaged per batch size (jetnet: 20).
        FpdBatches: int
        /// FPD batch sizes, evenly spaced in 1/N (jetnet: 10).
        FpdPoints: int
        /// KPD batches (jetnet: 10).
        KpdBatches: int
        /// KPD events per batch and sample (jetnet: 5000).
        KpdBatchSize: int
    }

/// jetnet's FPD and KPD defaults, 50 Fréchet bootstrap replicas, features standardised only.
let defaultOptions =
    {
        Seed = 42
        Normalise = false
        FrechetReplicas = 50
        FpdMinSamples = 20_000
        FpdMaxSamples = 50_000
        FpdBatches = 20
        FpdPoints = 10
        KpdBatches = 10
        KpdBatchSize = 5_000
    }

/// One sample for a view: a name, events × features and optional non-negative weights.
type Sample =
    {
        Name: string
        Rows: float[][]
        Weights: Weights
    }

/// A sample from its rows (events × features) and optional weights.
let sample (name: string) (weights: Weights) (rows: float[][]) =
    {
        Name = name
        Rows = rows
        Weights = weights
    }

/// The three distances of one sample against the reference, on the scaled features.
type SampleDistances =
    {
        Name: string
        /// Kish effective size of the sample.
        Events: float
        Fpd: FrechetPhysicsDistanceResult
        Kpd: KernelPhysicsDistanceResult
        Frechet: FrechetDistanceResult
    }

    /// The FPD's uncertainty as an estimate of the distance between the populations: the jetnet
    /// fit error ⊕ the bootstrap error of the full-sample Fréchet distance. Batches are drawn with
    /// replacement from the finite samples, so the extrapolated intercept estimates the Fréchet
    /// distance of the two samples themselves, whose sample-to-sample fluctuation the fit error
    /// does not contain.
    member d.FpdTotalUncertainty =
        sqrt (d.Fpd.Uncertainty ** 2.0 + d.Frechet.Uncertainty ** 2.0)

/// A generated sample and a control sample, each against the same reference.
type View =
    {
        Columns: string[]
        /// Kish effective size of the reference.
        ReferenceEvents: float
        Options: Options
        Generated: SampleDistances
        Control: SampleDistances
    }

/// One table row: a metric for generated and control, and (generated − control) / σ.
type MetricRow =
    {
        Metric: string
        Generated: Measurement
        Control: Measurement
        /// The σ used by Sigma for each sample (for FPD: the total uncertainty, see FpdTotalUncertainty).
        GeneratedSigma: float
        ControlSigma: float
        Sigma: float
    }

let private requireRows (what: string) (columns: string[]) (rows: float[][]) =
    if isNull rows || rows.Length < 2 then
        invalidArg
            what
            (sprintf "%s has %d events; a distance needs at least 2." what (if isNull rows then 0 else rows.Length))

    rows
    |> Array.iteri (fun i r ->
        if isNull r || r.Length <> columns.Length then
            invalidArg
                what
                (sprintf
                    "%s row %d has %d values but %d columns (%s) were named."
                    what
                    i
                    (if isNull r then 0 else r.Length)
                    columns.Length
                    (String.Join(", ", columns)))

        r
        |> Array.iteri (fun j x ->
            if not (Double.IsFinite x) then
                invalidArg
                    what
                    (sprintf "%s row %d, column '%s' is %g; only finite values are allowed." what i columns.[j] x)))

/// Per-feature (centre, scale) from the reference: weighted mean and standard deviation, times
/// max|z| of the reference when Normalise is set.
let private scaling (options: Options) (columns: string[]) (reference: Sample) =
    let w = Option.toObj reference.Weights

    let affine =
        columns
        |> Array.mapi (fun j name ->
            let values = reference.Rows |> Array.map (fun r -> r.[j])

            let m, s =
                WeightedDescriptive.Mean(values, w), WeightedDescriptive.StandardDeviation(values, w)

            if not (s > 0.0 && Double.IsFinite s) then
                invalidArg
                    (nameof reference)
                    (sprintf
                        "column '%s' of the reference has standard deviation %g; a feature must vary to be standardised."
                        name
                        s)

            m, s)

    if options.Normalise then
        affine
        |> Array.mapi (fun j (m, s) ->
            let maxAbs =
                reference.Rows |> Array.fold (fun acc r -> max acc (abs ((r.[j] - m) / s))) 0.0

            m, s * maxAbs)
    else
        affine

let private apply (affine: (float * float)[]) (rows: float[][]) =
    rows
    |> Array.map (fun r -> Array.init r.Length (fun j -> let m, s = affine.[j] in (r.[j] - m) / s))

/// The three distances of one (already scaled) sample against the (already scaled) reference.
let private distances (options: Options) (reference: Sample) (s: Sample) =
    let wa, wb = Option.toObj reference.Weights, Option.toObj s.Weights

    let fpd =
        FrechetPhysicsDistance.Compute(
            reference.Rows,
            wa,
            s.Rows,
            wb,
            FrechetPhysicsDistanceOptions(
                options.FpdMinSamples,
                options.FpdMaxSamples,
                options.FpdBatches,
                options.FpdPoints,
                false,
                options.Seed
            )
        )

    let kpd =
        KernelPhysicsDistance.Compute(
            reference.Rows,
            wa,
            s.Rows,
            wb,
            KernelPhysicsDistanceOptions(options.KpdBatches, options.KpdBatchSize, false, options.Seed)
        )

    let frechet =
        FrechetDistance.Compute(
            reference.Rows,
            wa,
            s.Rows,
            wb,
            FrechetDistanceOptions(options.FrechetReplicas, options.Seed)
        )

    {
        Name = s.Name
        Events = fpd.EffectiveSizeB
        Fpd = fpd
        Kpd = kpd
        Frechet = frechet
    }

/// FPD, KPD and Fréchet distance of a generated and a control sample against a reference, on
/// features (named by columns) standardised to the reference.
let computeRows (options: Options) (columns: string[]) (reference: Sample) (generated: Sample) (control: Sample) =
    if isNull columns || columns.Length = 0 then
        invalidArg (nameof columns) "no columns; name at least one feature."

    if options.FrechetReplicas < 2 then
        invalidArg
            (nameof options)
            (sprintf "FrechetReplicas is %d; the Fréchet uncertainty needs at least 2 replicas." options.FrechetReplicas)

    requireRows (nameof reference) columns reference.Rows
    requireRows (nameof generated) columns generated.Rows
    requireRows (nameof control) columns control.Rows
    let affine = scaling options columns reference
    let scaled (s: Sample) = { s with Rows = apply affine s.Rows }
    let reference' = scaled reference
    let g = distances options reference' (scaled generated)

    {
        Columns = Array.copy columns
        ReferenceEvents = g.Fpd.EffectiveSizeA
        Options = options
        Generated = g
        Control = distances options reference' (scaled control)
    }

/// As computeRows, on the named columns of datasets (weights from their weight columns).
let inline compute (options: Options) (columns: string[]) (reference: ^R) (generated: ^G) (control: ^C) =
    let of' (name: string) (d: Dataset) =
        for c in columns do
            if not (d.HasColumn c) then
                invalidArg
                    name
                    (sprintf
                        "the %s sample has no column '%s'; its columns are: %s."
                        name
                        c
                        (String.Join(", ", d.ColumnNames)))

        sample name (Option.ofObj d.Weights) (d.Rows columns)

    computeRows
        options
        columns
        (of' "reference" (Data.dataset reference))
        (of' "generated" (Data.dataset generated))
        (of' "control" (Data.dataset control))

/// The table rows: FPD (σ = fit ⊕ sample fluctuation, see FpdTotalUncertainty), KPD (σ = jetnet's
/// half 16.275–83.725 percentile range) and the full-sample Fréchet distance (σ = bootstrap).
/// Sigma = (generated − control) / √(σ²_gen + σ²_control): the truth fluctuation is common to both
/// and partly cancels, so for a faithful model |Sigma| is, if anything, smaller than N(0, 1).
let rows (view: View) =
    let row name (get: SampleDistances -> float * float) (sigma: SampleDistances -> float) =
        let gv, gu = get view.Generated
        let cv, cu = get view.Control
        let gs, cs = sigma view.Generated, sigma view.Control

        let c =
            compareMeasurements name { Value = cv; Uncertainty = cs } { Value = gv; Uncertainty = gs }

        {
            Metric = name
            Generated = { Value = gv; Uncertainty = gu }
            Control = { Value = cv; Uncertainty = cu }
            GeneratedSigma = gs
            ControlSigma = cs
            Sigma = c.Sigma
        }

    [
        row "FPD" (fun d -> d.Fpd.Value, d.Fpd.Uncertainty) (fun d -> d.FpdTotalUncertainty)
        row "KPD" (fun d -> d.Kpd.Value, d.Kpd.Uncertainty) (fun d -> d.Kpd.Uncertainty)
        row "Fréchet" (fun d -> d.Frechet.Value, d.Frechet.Uncertainty) (fun d -> d.Frechet.Uncertainty)
    ]

/// metric | generated vs truth | control vs truth | (generated − control)/σ. Values carry the
/// uncertainty of their convention (FPD: jetnet fit error; KPD: jetnet half-IQR; Fréchet:
/// bootstrap); the deviation of FPD also counts the samples' own fluctuation.
let table (caption: string) (view: View) : Document.Table =
    let measured (m: Measurement) =
        Document.Measured(m.Value, m.Uncertainty)

    {
        Caption = caption
        Headers =
            [
                "metric"
                sprintf "%s vs truth" view.Generated.Name
                sprintf "%s vs truth" view.Control.Name
                "(gen − control)/σ"
            ]
        Rows =
            [
                for r in rows view ->
                    [
                        Document.Text r.Metric
                        measured r.Generated
                        measured r.Control
                        Document.Deviation r.Sigma
                    ]
            ]
    }

let private str (s: string) = JsonValue.Create s :> JsonNode

let private title (t: string) =
    JsonObject(dict [ "text", str t ]) :> JsonNode

let private coloured (colour: string) (trace: JsonObject) =
    trace["marker"] <- JsonObject(dict [ "color", str colour ])
    trace["line"] <- JsonObject(dict [ "color", str colour ])
    trace

/// The FPD construction: the mean Fréchet distance over batches at each batch size N against 1/N
/// (markers), the fitted line FPD + slope/N drawn down to 1/N = 0 (dashed), and its intercept,
/// the FPD, at 1/N = 0 with the fit error. Generated in the upper panel (y axis), control in the
/// lower one (yaxis2): their scales differ by orders of magnitude for a poor model.
let figure (title': string) (view: View) : Plotly.Figure =
    let traces (colour: string) (yAxis: string) (d: SampleDistances) =
        let x = d.Fpd.BatchSizes |> Array.map (fun n -> 1.0 / float n)
        let xMax = Array.max x

        let points =
            Plotly.line
                (sprintf "%s: ⟨Fréchet⟩ over %d batches" d.Name view.Options.FpdBatches)
                "markers"
                x
                d.Fpd.MeanDistances
                None

        let fit =
            Plotly.line
                (sprintf "%s: fit FPD + slope/N" d.Name)
                "lines"
                [| 0.0; xMax |]
                [| d.Fpd.Value; d.Fpd.Value + d.Fpd.Slope * xMax |]
                None
            |> coloured colour

        fit["line"].AsObject()["dash"] <- str "dash"

        let intercept =
            Plotly.line
                (sprintf "%s: FPD = %.3g ± %.2g" d.Name d.Fpd.Value d.Fpd.Uncertainty)
                "markers"
                [| 0.0 |]
                [| d.Fpd.Value |]
                (Some [| d.Fpd.Uncertainty |])

        [ coloured colour points; fit; coloured colour intercept ]
        |> List.map (fun t ->
            t["xaxis"] <- str "x"
            t["yaxis"] <- str yAxis
            t)

    let yAxis (name: string) (domain: float * float) =
        JsonObject(
            dict
                [
                    "title", title (sprintf "Fréchet, %s" name)
                    "domain",
                    JsonArray([| JsonValue.Create(fst domain) :> JsonNode; JsonValue.Create(snd domain) |]) :> JsonNode
                    "anchor", str "x"
                    "rangemode", str "tozero"
                ]
        )
        :> JsonNode

    {
        Data = traces "#d62728" "y" view.Generated @ traces "#1f77b4" "y2" view.Control
        Layout =
            JsonObject(
                dict
                    [
                        "title", title title'
                        "xaxis",
                        JsonObject(
                            dict
                                [
                                    "title", title "1/N (batch size N)"
                                    "rangemode", str "tozero"
                                    "exponentformat", str "power"
                                    "anchor", str "y2"
                                ]
                        )
                        :> JsonNode
                        "yaxis", yAxis view.Generated.Name (0.55, 1.0)
                        "yaxis2", yAxis view.Control.Name (0.0, 0.45)
                        "legend",
                        JsonObject(
                            dict
                                [
                                    "orientation", str "h"
                                    "y", JsonValue.Create -0.3 :> JsonNode
                                    "yanchor", str "top"
                                ]
                        )
                        :> JsonNode
                    ]
            )
    }

let private jnum (x: float) =
    if Double.IsFinite x then
        JsonValue.Create x :> JsonNode
    else
        null

let private jarr (xs: float seq) =
    JsonArray(xs |> Seq.map jnum |> Seq.toArray) :> JsonNode

let private sampleJson (d: SampleDistances) =
    JsonObject(
        dict
            [
                "name", str d.Name
                "effective_size", jnum d.Events
                "fpd",
                JsonObject(
                    dict
                        [
                            "value", jnum d.Fpd.Value
                            "uncertainty", jnum d.Fpd.Uncertainty
                            "total_uncertainty", jnum d.FpdTotalUncertainty
                            "slope", jnum d.Fpd.Slope
                            "batch_sizes", jarr (d.Fpd.BatchSizes |> Seq.map float)
                            "mean_distances", jarr d.Fpd.MeanDistances
                        ]
                )
                :> JsonNode
                "kpd",
                JsonObject(
                    dict
                        [
                            "value", jnum d.Kpd.Value
                            "uncertainty", jnum d.Kpd.Uncertainty
                            "batch_values", jarr d.Kpd.BatchValues
                        ]
                )
                :> JsonNode
                "frechet",
                JsonObject(
                    dict
                        [
                            "value", jnum d.Frechet.Value
                            "uncertainty", jnum d.Frechet.Uncertainty
                            "mean_term", jnum d.Frechet.MeanTerm
                            "covariance_term", jnum d.Frechet.CovarianceTerm
                        ]
                )
                :> JsonNode
            ]
    )
    :> JsonNode

/// Every number of a view as JSON (non-finite values, e.g. the ∞ fit error of a 2-point FPD, → null):
/// columns, settings, generated and control {fpd, kpd, frechet}, and the σ-deviation per metric.
let json (view: View) =
    JsonObject(
        dict
            [
                "columns", JsonArray(view.Columns |> Array.map str) :> JsonNode
                "reference_effective_size", jnum view.ReferenceEvents
                "normalise", JsonValue.Create view.Options.Normalise :> JsonNode
                "seed", JsonValue.Create view.Options.Seed :> JsonNode
                "generated", sampleJson view.Generated
                "control", sampleJson view.Control
                "sigma",
                JsonObject(
                    dict
                        [
                            for r in rows view -> r.Metric.ToLowerInvariant().Replace("é", "e"), jnum r.Sigma
                        ]
                )
                :> JsonNode
            ]
    )

/// A report section: how to read the view, then per named view its table and FPD figure.
let section (title': string) (views: (string * View) list) : Document.Section =
    let s =
        Document.section title'
        |> Document.withParagraph
            "Features standardised to the truth sample's mean and standard deviation. FPD (jetnet): the mean Fréchet distance ‖μ₁−μ₂‖² + Tr(Σ₁+Σ₂−2(Σ₁Σ₂)^½) of batches of N events, fitted by FPD + slope/N and extrapolated to 1/N → 0; ± the fit error. KPD (jetnet): median over batches of the unbiased MMD² with kernel (x·y/d + 1)⁴; ± half the 16.275–83.725 percentile range. Fréchet: the full samples, ± Poisson bootstrap."
        |> Document.withParagraph
            "Control = an independent truth draw in place of the generator: its column is the null. Batches are drawn from finite samples, so even a perfect model has FPD ≈ Fréchet ≈ (d + d(d+1)/4)(1/N_truth + 1/N_sample) > 0 for d uncorrelated Gaussian features (more with heavy tails); compare the generated column with the control column, not with 0. σ of FPD in the deviation = fit error ⊕ bootstrap error of the Fréchet distance (the fit error alone ignores the samples' own fluctuation)."

    views
    |> List.fold
        (fun sec (name, view) ->
            sec
            |> Document.withTable (table (sprintf "%s: %s (standardised)" name (String.Join(", ", view.Columns))) view)
            |> Document.withFigure (figure (sprintf "FPD construction, %s" name) view))
        s
