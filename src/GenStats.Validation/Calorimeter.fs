/// Calorimeter-shower figures of merit (the ECAL fast-simulation case): per-shower features of
/// generated and truth images compared in units of their combined statistical uncertainty —
/// energy response and resolution per energy bin, cluster widths vs incidence slope, asymmetry vs
/// impact offset, the log10(cell energy) spectrum, the conditions a regressor recovers from the
/// images, and the FID-style and classifier views on the features — each next to an
/// independent-truth control, with the pass criterion of the RICH report (Pid.passes).
module GenStats.Validation.Calorimeter

open System
open System.Text.Json.Nodes
open GenStats.Data.Images
open GenStats.Observables
open GenStats.Stats
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report

/// A regressor of the conditions: from images to named recovered quantities, one value per event
/// (a pre-trained network, or the analytic default). Recovered names must be conditions of the
/// images, or "p" for the momentum |p|.
type Regressor =
    {
        Name: string
        Recover: ImageDataset -> (string * float[]) list
    }

/// Settings of the comparison. Defaults (`defaultOptions`) suit the ECAL toy: 2 cm cells, a 7 × 7
/// window, energy bins 2–5–10–20–50–100 GeV, five slope bins on ±0.25, five impact-offset bins, the
/// log10 spectrum from −2.5 to 1.5 in quarter decades, and the pass criterion max |σ| ≤ 4, RMS ≤ 1.5.
type Options =
    {
        /// How the per-shower features are computed (cell size sets the position unit).
        Features: ShowerFeatureOptions
        /// Edges of the |p| bins, GeV.
        EnergyEdges: float[]
        /// Edges of the slope bins (px/pz for width_x, py/pz for width_y).
        SlopeEdges: float[]
        /// Edges of the impact-point offset from the centre of its cell, in cells ([−0.5, 0.5)).
        OffsetEdges: float[]
        /// Edges of the log10(cell energy) spectrum.
        LogCellEdges: float[]
        /// Bins where a sample has fewer events (Kish) are left undefined.
        MinEvents: float
        /// Poisson-bootstrap replicas and seed for the resolution and residual widths.
        Bootstrap: BootstrapOptions
        /// The FID-style view's settings.
        Fid: FidViews.Options
        /// Seed of the classifier test's split.
        ClassifierSeed: int
        /// Pass criterion: max |σ| allowed.
        MaxAbsSigma: float
        /// Pass criterion: RMS σ allowed.
        MaxRmsSigma: float
    }

/// The ECAL toy's settings (see the type).
let defaultOptions =
    {
        Features = ShowerFeatureOptions(CellSize = 2.0, Window = 7, Threshold = 0.0)
        EnergyEdges = [| 2.0; 5.0; 10.0; 20.0; 50.0; 100.0 |]
        SlopeEdges = [| -0.25; -0.15; -0.05; 0.05; 0.15; 0.25 |]
        OffsetEdges = [| -0.5; -0.3; -0.1; 0.1; 0.3; 0.5 |]
        LogCellEdges = Array.init 17 (fun i -> -2.5 + 0.25 * float i)
        MinEvents = 20.0
        Bootstrap = BootstrapOptions(100, 17)
        Fid =
            { FidViews.defaultOptions with
                FpdMinSamples = 500
                FpdMaxSamples = 2000
                FpdBatches = 10
                FpdPoints = 5
                KpdBatches = 10
                KpdBatchSize = 1000
            }
        ClassifierSeed = 5
        MaxAbsSigma = 4.0
        MaxRmsSigma = 1.5
    }

/// One sample's per-shower view: the images, their features and the conditions the profiles need.
type ShowerSample =
    {
        Name: string
        Images: ImageDataset
        /// ShowerFeatures.Names columns (and the weight column when weighted).
        Features: GenStats.Data.Dataset
        Weights: Weights
        /// |p| per event, GeV: from px, py, pz, or the condition "energy" (CaloGAN).
        Momentum: float[]
    }

let private hasAll (images: ImageDataset) (names: string list) =
    names |> List.forall (fun n -> images.ConditionNames |> Seq.contains n)

/// The per-shower view of an image sample.
let showerSample (options: Options) (name: string) (images: ImageDataset) =
    let momentum =
        if hasAll images [ "px"; "py"; "pz" ] then
            let px, py, pz =
                images.ConditionColumn "px", images.ConditionColumn "py", images.ConditionColumn "pz"

            Array.init images.Count (fun i -> sqrt (px[i] * px[i] + py[i] * py[i] + pz[i] * pz[i]))
        elif hasAll images [ "energy" ] then
            images.ConditionColumn "energy"
        else
            invalidArg
                (nameof images)
                (sprintf
                    "the %s sample has conditions %s; the shower figures of merit need px, py, pz (or energy)."
                    name
                    (String.Join(", ", images.ConditionNames)))

    {
        Name = name
        Images = images
        Features = ShowerFeatures.Compute(images, options.Features)
        Weights = Option.ofObj images.Weights
        Momentum = momentum
    }

/// The analytic regressor: |p| = Σ cells / f (f: the sampling fraction, 0.3 in the toy) and the
/// impact point = the barycentre (biased by ⟨z⟩ tan θ at an angle — equally for truth and generated).
let analyticRegressor (samplingFraction: float) (features: ShowerFeatureOptions) : Regressor =
    {
        Name = sprintf "analytic (|p| = Σ cells / %g, (x, y) = barycentre)" samplingFraction
        Recover =
            fun images ->
                let f = ShowerFeatures.Compute(images, features)

                [
                    "p", f.Column "energy" |> Array.map (fun e -> e / samplingFraction)
                    "x", f.Column "x"
                    "y", f.Column "y"
                ]
    }

/// One binned figure of merit: truth, generated and control measurements and the σ-deviations of
/// generated and control from truth (NaN where a sample does not populate the bin).
type ProfileRow =
    {
        Quantity: string
        Bin: string
        /// Bin centre on the profile's x axis (for figures).
        Centre: float
        Truth: Measurement
        Generated: Measurement
        Control: Measurement
        GeneratedSigma: float
        ControlSigma: float
    }

let private undefined = { Value = nan; Uncertainty = nan }

let private subset (mask: bool[]) (xs: float[]) =
    [|
        for i in 0 .. xs.Length - 1 do
            if mask[i] then
                yield xs[i]
    |]

let private subsetWeights (mask: bool[]) (w: Weights) = w |> Option.map (subset mask)

let private kish (w: Weights) (n: int) =
    match w with
    | None -> float n
    | Some w ->
        let s = Array.sum w
        let s2 = Array.sumBy (fun x -> x * x) w
        if s2 > 0.0 then s * s / s2 else 0.0

/// Weighted mean ± its standard error (sandwich, signed weights allowed).
let private meanOf (w: Weights) (xs: float[]) =
    {
        Value = Descriptive.mean w xs
        Uncertainty = Descriptive.standardError w xs
    }

/// Relative width sd/mean ± Poisson bootstrap.
let private relativeWidth (bootstrap: BootstrapOptions) (w: Weights) (xs: float[]) =
    measure bootstrap (fun v bw -> WeightedDescriptive.StandardDeviation(v, bw) / WeightedDescriptive.Mean(v, bw)) w xs

/// Standard deviation ± Poisson bootstrap.
let private widthOf (bootstrap: BootstrapOptions) (w: Weights) (xs: float[]) =
    measure bootstrap (fun v bw -> WeightedDescriptive.StandardDeviation(v, bw)) w xs

let private binLabel (unit': string) (lo: float) (hi: float) = sprintf "[%g, %g)%s" lo hi unit'

/// Rows of one profile: in bins of `binning sample`, `statistic` of `values sample`.
let private profile
    (options: Options)
    (quantity: string)
    (unit': string)
    (edges: float[])
    (binning: ShowerSample -> float[])
    (values: ShowerSample -> float[])
    (statistic: Weights -> float[] -> Measurement)
    (truth: ShowerSample)
    (generated: ShowerSample)
    (control: ShowerSample)
    =
    [
        for b in 0 .. edges.Length - 2 ->
            let lo, hi = edges[b], edges[b + 1]

            let measureIn (s: ShowerSample) =
                let x = binning s
                let mask = x |> Array.map (fun v -> v >= lo && v < hi)
                let n = mask |> Array.sumBy (fun m -> if m then 1 else 0)
                let w = subsetWeights mask s.Weights

                if n < 2 || kish w n < options.MinEvents then
                    undefined
                else
                    statistic w (subset mask (values s))

            let t, g, c = measureIn truth, measureIn generated, measureIn control

            let sigma (m: Measurement) =
                if Double.IsNaN t.Value || Double.IsNaN m.Value then
                    nan
                else
                    (compareMeasurements quantity t m).Sigma

            {
                Quantity = quantity
                Bin = binLabel unit' lo hi
                Centre = 0.5 * (lo + hi)
                Truth = t
                Generated = g
                Control = c
                GeneratedSigma = sigma g
                ControlSigma = sigma c
            }
    ]

let private feature (name: string) (s: ShowerSample) = s.Features.Column name

let private slope (num: string) (s: ShowerSample) =
    let a, pz = s.Images.ConditionColumn num, s.Images.ConditionColumn "pz"
    Array.map2 (/) a pz

/// Offset of the impact point from the centre of its cell, in cells: frac(x/Δ) − ½ ∈ [−½, ½).
let private cellOffset (cellSize: float) (coordinate: string) (s: ShowerSample) =
    s.Images.ConditionColumn coordinate
    |> Array.map (fun x ->
        let u = x / cellSize
        u - floor u - 0.5)

/// Per event, the number of cells whose log10(value) lies in each bin of the spectrum.
let private spectrumCounts (edges: float[]) (threshold: float) (images: ImageDataset) =
    let bins = edges.Length - 1
    let counts = Array.init bins (fun _ -> Array.zeroCreate<float> images.Count)

    for i in 0 .. images.Count - 1 do
        let img = images.Image i

        for k in 0 .. img.Length - 1 do
            let v = float img[k]

            if v > threshold then
                let l = log10 v
                let b = Array.BinarySearch(edges, l)
                let b = if b >= 0 then b else ~~~b - 1

                if b >= 0 && b < bins then
                    counts[b][i] <- counts[b][i] + 1.0

    counts

/// Every binned figure of merit: response and resolution per |p| bin, widths vs slope and vs |p|,
/// asymmetry vs impact offset, the log10(cell energy) spectrum (cells per event) and the
/// regressor's residuals per |p| bin.
let profiles
    (options: Options)
    (regressor: Regressor)
    (truth: ShowerSample)
    (generated: ShowerSample)
    (control: ShowerSample)
    =
    let all = [ truth; generated; control ]
    let p (s: ShowerSample) = s.Momentum

    let response (s: ShowerSample) =
        Array.map2 (/) (feature "energy" s) s.Momentum

    let bs = options.Bootstrap

    let run q u edges binning values stat =
        profile options q u edges binning values stat truth generated control

    let angled = all |> List.forall (fun s -> hasAll s.Images [ "px"; "py"; "pz" ])

    let placed = all |> List.forall (fun s -> hasAll s.Images [ "x"; "y" ])
    let cell = options.Features.CellSize

    let spectrum =
        let counts =
            all
            |> List.map (fun s -> s.Name, spectrumCounts options.LogCellEdges options.Features.Threshold s.Images)
            |> dict

        [
            for b in 0 .. options.LogCellEdges.Length - 2 ->
                let lo, hi = options.LogCellEdges[b], options.LogCellEdges[b + 1]
                let m (s: ShowerSample) = meanOf s.Weights (counts[s.Name].[b])
                let t, g, c = m truth, m generated, m control

                let sigma (x: Measurement) =
                    if t.Value = 0.0 && x.Value = 0.0 then
                        nan // an empty bin in both carries no information
                    else
                        (compareMeasurements "spectrum" t x).Sigma

                {
                    Quantity = "cells per event in log10(E_cell/GeV)"
                    Bin = binLabel "" lo hi
                    Centre = 0.5 * (lo + hi)
                    Truth = t
                    Generated = g
                    Control = c
                    GeneratedSigma = sigma g
                    ControlSigma = sigma c
                }
        ]

    let recovered =
        let byName =
            all |> List.map (fun s -> s.Name, regressor.Recover s.Images |> dict) |> dict

        let names = regressor.Recover truth.Images |> List.map fst

        [
            for n in names do
                let residual (s: ShowerSample) =
                    let r = byName[s.Name][n]

                    if n = "p" then
                        Array.map2 (fun a b -> (a - b) / b) r s.Momentum
                    else
                        Array.map2 (-) r (s.Images.ConditionColumn n)

                let what =
                    if n = "p" then
                        "(p_rec − p)/p"
                    else
                        sprintf "%s_rec − %s" n n

                yield! run (sprintf "regressor: mean %s" what) " GeV" options.EnergyEdges p residual meanOf
                yield! run (sprintf "regressor: sd %s" what) " GeV" options.EnergyEdges p residual (widthOf bs)
        ]

    [
        yield! run "response Σ cells / |p|" " GeV" options.EnergyEdges p response meanOf
        yield! run "resolution σ/mean of Σ cells / |p|" " GeV" options.EnergyEdges p response (relativeWidth bs)
        yield! run "width_x" " GeV" options.EnergyEdges p (feature "width_x") meanOf
        yield! run "max cell fraction" " GeV" options.EnergyEdges p (feature "max_fraction") meanOf
        yield! run "cells above threshold" " GeV" options.EnergyEdges p (feature "n_cells") meanOf
        if angled then
            yield! run "width_x vs px/pz" "" options.SlopeEdges (slope "px") (feature "width_x") meanOf
            yield! run "width_y vs py/pz" "" options.SlopeEdges (slope "py") (feature "width_y") meanOf
        if placed then
            yield!
                run
                    "asym_x vs x offset in cell"
                    " cells"
                    options.OffsetEdges
                    (cellOffset cell "x")
                    (feature "asym_x")
                    meanOf

            yield!
                run
                    "asym_y vs y offset in cell"
                    " cells"
                    options.OffsetEdges
                    (cellOffset cell "y")
                    (feature "asym_y")
                    meanOf
        yield! spectrum
        yield! recovered
    ]

/// The classifier view: held-out ROC AUC of boosted stumps telling truth from a sample on the
/// standardised features; under identical distributions E[AUC] = ½, so σ = (AUC − ½)/σ_AUC.
type ClassifierView =
    {
        Generated: Measurement
        Control: Measurement
        GeneratedSigma: float
        ControlSigma: float
    }

let private standardised (truth: ShowerSample) (s: ShowerSample) =
    let names = ShowerFeatures.Names

    let scale =
        names
        |> Array.map (fun n ->
            let c = truth.Features.Column n
            let m = Descriptive.mean truth.Weights c
            let sd = Descriptive.standardDeviation truth.Weights c
            m, (if sd > 0.0 then sd else 1.0))

    s.Features.Rows names
    |> Array.map (fun r -> Array.mapi (fun j x -> (x - fst scale[j]) / snd scale[j]) r)

/// The classifier view of generated and control against truth.
let classifierView (options: Options) (truth: ShowerSample) (generated: ShowerSample) (control: ShowerSample) =
    let run (s: ShowerSample) =
        let r =
            GenStats.Stats.Classifier.ClassifierTest.Run(
                standardised truth truth,
                Weights.toArg truth.Weights,
                standardised truth s,
                Weights.toArg s.Weights,
                GenStats.Stats.Classifier.ClassifierTestOptions(
                    GenStats.Validation.Classifier.boostedStumps 100 0.1,
                    Seed = options.ClassifierSeed
                )
            )

        {
            Value = r.Auc.Value
            Uncertainty = r.Auc.Uncertainty
        }

    let g, c = run generated, run control
    let sigma (m: Measurement) = (m.Value - 0.5) / m.Uncertainty

    {
        Generated = g
        Control = c
        GeneratedSigma = sigma g
        ControlSigma = sigma c
    }

/// Everything the report shows, with the verdicts.
type Result =
    {
        Options: Options
        Regressor: string
        Truth: string
        GeneratedName: string
        ControlName: string
        Rows: ProfileRow list
        Fid: FidViews.View
        Classifier: ClassifierView
        /// σ-deviations of generated vs truth: the binned rows, the FID rows (vs control) and the classifier.
        GeneratedSummary: Pid.SigmaSummary
        /// σ-deviations of control vs truth: the binned rows and the classifier.
        ControlSummary: Pid.SigmaSummary
        GeneratedPasses: bool
        ControlPasses: bool
    }

/// Compares generated showers with truth, next to the control (an independent truth sample).
let compareSamples
    (options: Options)
    (regressor: Regressor)
    (truth: ShowerSample)
    (generated: ShowerSample)
    (control: ShowerSample)
    =
    let rows = profiles options regressor truth generated control

    let fidSample (s: ShowerSample) =
        FidViews.sample s.Name s.Weights (s.Features.Rows ShowerFeatures.Names)

    let fid =
        FidViews.computeRows
            options.Fid
            ShowerFeatures.Names
            (fidSample truth)
            (fidSample generated)
            (fidSample control)

    let cls = classifierView options truth generated control

    let genSigmas =
        [
            for r in rows do
                yield r.GeneratedSigma
            for r in FidViews.rows fid do
                yield r.Sigma
            yield cls.GeneratedSigma
        ]

    let ctlSigmas =
        [
            for r in rows do
                yield r.ControlSigma
            yield cls.ControlSigma
        ]

    let gs, cs = Pid.summarizeSigmas genSigmas, Pid.summarizeSigmas ctlSigmas

    {
        Options = options
        Regressor = regressor.Name
        Truth = truth.Name
        GeneratedName = generated.Name
        ControlName = control.Name
        Rows = rows
        Fid = fid
        Classifier = cls
        GeneratedSummary = gs
        ControlSummary = cs
        GeneratedPasses = Pid.passes options.MaxAbsSigma options.MaxRmsSigma gs
        ControlPasses = Pid.passes options.MaxAbsSigma options.MaxRmsSigma cs
    }

/// Compares image samples (features computed with options.Features).
let compare
    (options: Options)
    (regressor: Regressor)
    (truth: ImageDataset)
    (generated: ImageDataset)
    (control: ImageDataset)
    =
    compareSamples
        options
        regressor
        (showerSample options "truth" truth)
        (showerSample options "generated" generated)
        (showerSample options "control" control)

// ----- report -----

let private m (x: Measurement) =
    Document.Measured(x.Value, x.Uncertainty)

/// One table per quantity: bin | truth | generated | control | σ gen | σ control.
let tables (result: Result) : Document.Table list =
    result.Rows
    |> List.groupBy (fun r -> r.Quantity)
    |> List.map (fun (q, rows) ->
        {
            Caption = q
            Headers =
                [
                    "bin"
                    result.Truth
                    result.GeneratedName
                    result.ControlName
                    sprintf "%s − truth (σ)" result.GeneratedName
                    sprintf "%s − truth (σ)" result.ControlName
                ]
            Rows =
                [
                    for r in rows ->
                        [
                            Document.Text r.Bin
                            m r.Truth
                            m r.Generated
                            m r.Control
                            Document.Deviation r.GeneratedSigma
                            Document.Deviation r.ControlSigma
                        ]
                ]
        })

/// The summary table: per sample the number of σ-deviations, RMS, max |σ| and the verdict.
let summaryTable (result: Result) : Document.Table =
    let row (name: string) (s: Pid.SigmaSummary) (pass: bool) =
        [
            Document.Text name
            Document.Number(float s.Count)
            Document.Number(float s.Undefined)
            Document.Number s.Rms
            Document.Number s.MaxAbs
            Document.Text(if pass then "PASS" else "FAIL")
        ]

    {
        Caption = "shower figures of merit: σ-deviations from truth"
        Headers = [ "sample"; "defined σ"; "undefined"; "RMS σ"; "max |σ|"; "verdict" ]
        Rows =
            [
                row result.GeneratedName result.GeneratedSummary result.GeneratedPasses
                row result.ControlName result.ControlSummary result.ControlPasses
            ]
    }

/// The classifier table: AUC ± DeLong and (AUC − ½)/σ for generated and control.
let classifierTable (result: Result) : Document.Table =
    {
        Caption = "classifier two-sample test on the standardised shower features (boosted stumps, held-out AUC)"
        Headers = [ "sample"; "AUC vs truth"; "(AUC − ½)/σ" ]
        Rows =
            [
                [
                    Document.Text result.GeneratedName
                    m result.Classifier.Generated
                    Document.Deviation result.Classifier.GeneratedSigma
                ]
                [
                    Document.Text result.ControlName
                    m result.Classifier.Control
                    Document.Deviation result.Classifier.ControlSigma
                ]
            ]
    }

/// A profile figure: truth, generated and control of one quantity vs its bin centres.
let profileFigure (result: Result) (quantity: string) (xTitle: string) =
    let rows = result.Rows |> List.filter (fun r -> r.Quantity = quantity)
    let xs = rows |> List.map (fun r -> r.Centre) |> Array.ofList

    let trace name (get: ProfileRow -> Measurement) i =
        let ms = rows |> List.map get |> Array.ofList

        Plotly.line
            name
            "markers"
            xs
            (ms |> Array.map (fun x -> x.Value))
            (Some(ms |> Array.map (fun x -> x.Uncertainty)))
        |> Plotly.withColour (Plotly.colour i)

    Plotly.figure
        quantity
        xTitle
        quantity
        false
        [
            trace result.Truth (fun r -> r.Truth) 0
            trace result.GeneratedName (fun r -> r.Generated) 1
            trace result.ControlName (fun r -> r.Control) 2
        ]

/// The pass criterion as stated on the page.
let passCriterion (options: Options) =
    Pid.passCriterion options.MaxAbsSigma options.MaxRmsSigma
    + " Generated: every binned σ (vs truth), the FPD/KPD/Fréchet σ (vs control) and the classifier's (AUC − ½)/σ. Control: its binned σ (vs truth) and its classifier σ; an independent truth sample must pass."

/// The report section: criterion, summary, profiles (tables and figures), FID and classifier views.
let section (title: string) (result: Result) : Document.Section =
    let figures =
        [
            "response Σ cells / |p|", "|p| (GeV)"
            "resolution σ/mean of Σ cells / |p|", "|p| (GeV)"
            "width_x vs px/pz", "px/pz"
            "asym_x vs x offset in cell", "x offset from the cell centre (cells)"
            "cells per event in log10(E_cell/GeV)", "log10(E_cell / GeV)"
        ]
        |> List.filter (fun (q, _) -> result.Rows |> List.exists (fun r -> r.Quantity = q))

    let s =
        Document.section title
        |> Document.withParagraph (passCriterion result.Options)
        |> Document.withParagraph (
            sprintf
                "Truth, %s and %s: per-shower features (%s) with cell size %g, a %d × %d window around the hottest cell and cells above %g. Each row: the statistic in one bin with its uncertainty (means: standard error; resolutions and residual widths: Poisson bootstrap, %d replicas); σ = (sample − truth)/√(σ²_sample + σ²_truth). The control is an independent truth sample: its column shows the size of pure fluctuations. Regressor: %s."
                result.GeneratedName
                result.ControlName
                (String.Join(", ", ShowerFeatures.Names))
                result.Options.Features.CellSize
                result.Options.Features.Window
                result.Options.Features.Window
                result.Options.Features.Threshold
                result.Options.Bootstrap.Replicas
                result.Regressor
        )
        |> Document.withTable (summaryTable result)
        |> Document.withTable (classifierTable result)

    let s = tables result |> List.fold (fun sec t -> sec |> Document.withTable t) s

    figures
    |> List.fold (fun sec (q, x) -> sec |> Document.withFigure (profileFigure result q x)) s

/// The sections of the calorimeter report: the figures of merit and the FID-style view.
let sections (result: Result) =
    [
        section "Calorimeter showers: figures of merit" result
        FidViews.section "FID-style distances on the shower features" [ "showers", result.Fid ]
    ]

/// Every number of the result as JSON: summaries, verdicts, rows, classifier and FID view.
let json (result: Result) =
    let num (x: float) =
        if Double.IsFinite x then
            JsonValue.Create x :> JsonNode
        else
            null

    let meas (x: Measurement) =
        JsonObject(dict [ "value", num x.Value; "uncertainty", num x.Uncertainty ]) :> JsonNode

    let summary (s: Pid.SigmaSummary) (pass: bool) =
        JsonObject(
            dict
                [
                    "count", JsonValue.Create s.Count :> JsonNode
                    "undefined", JsonValue.Create s.Undefined
                    "rms", num s.Rms
                    "max_abs", num s.MaxAbs
                    "passes", JsonValue.Create pass
                ]
        )
        :> JsonNode

    JsonObject(
        dict
            [
                "generated", summary result.GeneratedSummary result.GeneratedPasses
                "control", summary result.ControlSummary result.ControlPasses
                "classifier",
                JsonObject(
                    dict
                        [
                            "generated", meas result.Classifier.Generated
                            "control", meas result.Classifier.Control
                            "generated_sigma", num result.Classifier.GeneratedSigma
                            "control_sigma", num result.Classifier.ControlSigma
                        ]
                )
                :> JsonNode
                "fid", FidViews.json result.Fid :> JsonNode
                "rows",
                JsonArray(
                    [|
                        for r in result.Rows ->
                            JsonObject(
                                dict
                                    [
                                        "quantity", JsonValue.Create r.Quantity :> JsonNode
                                        "bin", JsonValue.Create r.Bin
                                        "truth", meas r.Truth
                                        "generated", meas r.Generated
                                        "control", meas r.Control
                                        "generated_sigma", num r.GeneratedSigma
                                        "control_sigma", num r.ControlSigma
                                    ]
                            )
                            :> JsonNode
                    |]
                )
                :> JsonNode
            ]
    )
