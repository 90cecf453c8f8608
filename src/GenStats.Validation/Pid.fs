/// Particle-identification figures of merit (LHCb RICH calibration style): the ROC AUC of a
/// species separation on one DLL variable and the efficiency of a DLL cut, in bins of momentum
/// and pseudorapidity, measured on real (sWeighted) and generated responses and compared in units
/// of their combined statistical uncertainty.
module GenStats.Validation.Pid

open GenStats.Stats.Classifier
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report

/// One species' tracks: the PID variable (e.g. RichDLLk), its binning variables (Brunel_P in MeV/c,
/// Brunel_ETA) and optional signed per-track weights (sWeights; None = 1).
type SpeciesSample =
    {
        Values: float[]
        P: float[]
        Eta: float[]
        Weights: Weights
    }

/// A species sample from its columns; all arrays must have the same length.
let speciesSample (weights: Weights) (p: float[]) (eta: float[]) (values: float[]) =
    let n = values.Length

    if p.Length <> n then
        invalidArg (nameof p) (sprintf "p has %d entries but values has %d; one per track is required." p.Length n)

    if eta.Length <> n then
        invalidArg
            (nameof eta)
            (sprintf "eta has %d entries but values has %d; one per track is required." eta.Length n)

    match weights with
    | Some w when w.Length <> n ->
        invalidArg (nameof weights) (sprintf "weights has %d entries but values has %d." w.Length n)
    | _ -> ()

    {
        Values = values
        P = p
        Eta = eta
        Weights = weights
    }

/// The tracks of a sample with p in [pLow, pHigh) and η in [etaLow, etaHigh).
let select (pLow: float, pHigh: float) (etaLow: float, etaHigh: float) (s: SpeciesSample) =
    let idx =
        [|
            for i in 0 .. s.Values.Length - 1 do
                if s.P.[i] >= pLow && s.P.[i] < pHigh && s.Eta.[i] >= etaLow && s.Eta.[i] < etaHigh then
                    i
        |]

    {
        Values = idx |> Array.map (fun i -> s.Values.[i])
        P = idx |> Array.map (fun i -> s.P.[i])
        Eta = idx |> Array.map (fun i -> s.Eta.[i])
        Weights = s.Weights |> Option.map (fun w -> idx |> Array.map (fun i -> w.[i]))
    }

let private undefined = { Value = nan; Uncertainty = nan }

let private sumOfWeights (s: SpeciesSample) =
    match s.Weights with
    | Some w -> GenStats.Numerics.CompensatedSum.Of w
    | None -> float s.Values.Length

/// ROC AUC of separating `positive` (e.g. kaons) from `negative` (e.g. pions) by the PID variable
/// (larger = more positive-like), Mann–Whitney with ½ per tie and DeLong's uncertainty (signed
/// weights allowed, see Roc.Auc). NaN ± NaN when a side has fewer than two tracks or Σw ≤ 0
/// (a bin the sample does not populate).
let auc (positive: SpeciesSample) (negative: SpeciesSample) =
    if
        positive.Values.Length < 2
        || negative.Values.Length < 2
        || sumOfWeights positive <= 0.0
        || sumOfWeights negative <= 0.0
    then
        undefined
    else
        let r =
            Roc.Auc(positive.Values, Option.toObj positive.Weights, negative.Values, Option.toObj negative.Weights)

        {
            Value = r.Value
            Uncertainty = r.Uncertainty
        }

/// A (p, η) cell.
type Cell2D =
    {
        PLow: float
        PHigh: float
        EtaLow: float
        EtaHigh: float
    }

/// The AUC of one (p, η) cell on real and generated responses, compared.
type AucBin =
    { Cell: Cell2D; Comparison: Comparison }

let private checkEdges name (edges: float[]) =
    if edges.Length < 2 then
        invalidArg name "edges needs at least two values (one bin)."

    if edges |> Array.pairwise |> Array.exists (fun (a, b) -> not (a < b)) then
        invalidArg name "edges must be strictly increasing."

let private cells (pEdges: float[]) (etaEdges: float[]) =
    checkEdges (nameof pEdges) pEdges
    checkEdges (nameof etaEdges) etaEdges

    [
        for j in 0 .. etaEdges.Length - 2 do
            for i in 0 .. pEdges.Length - 2 ->
                {
                    PLow = pEdges.[i]
                    PHigh = pEdges.[i + 1]
                    EtaLow = etaEdges.[j]
                    EtaHigh = etaEdges.[j + 1]
                }
    ]

/// A short label of a cell, momenta in GeV/c.
let cellLabel (c: Cell2D) =
    sprintf "p %g–%g GeV, η %g–%g" (c.PLow / 1000.0) (c.PHigh / 1000.0) c.EtaLow c.EtaHigh

/// AUC of positive vs negative species in every (p, η) cell, on real and on generated samples:
/// Sigma = (AUC_gen − AUC_real) / √(σ²_real + σ²_gen). The two measurements are treated as
/// independent; generated tracks produced at the conditions of the reference tracks are positively
/// correlated with them, which makes this σ conservative.
let aucInBins
    (pEdges: float[])
    (etaEdges: float[])
    (realPositive, realNegative)
    (generatedPositive, generatedNegative)
    =
    [
        for c in cells pEdges etaEdges ->
            let sel = select (c.PLow, c.PHigh) (c.EtaLow, c.EtaHigh)
            let r = auc (sel realPositive) (sel realNegative)
            let g = auc (sel generatedPositive) (sel generatedNegative)

            {
                Cell = c
                Comparison = compareMeasurements (cellLabel c) r g
            }
    ]

/// Efficiency of a cut on the PID variable (e.g. fun dll -> dll > 0.0) in bins of p.
let cutEfficiency (pEdges: float[]) (cut: float -> bool) (s: SpeciesSample) =
    efficiencyInBins pEdges s.P s.Weights (s.Values |> Array.map cut)

/// The cut efficiency in one p bin: real, generated and (toys) truth, with the σ-deviations of
/// generated from real and from truth.
type EfficiencyBin =
    {
        Low: float
        High: float
        Real: Measurement
        Generated: Measurement
        Truth: Measurement option
        VsReal: Comparison
        VsTruth: Comparison option
    }

/// Efficiency of a cut vs p on real, generated and optionally truth samples of one species.
let efficiencyComparison
    (pEdges: float[])
    (cut: float -> bool)
    (real: SpeciesSample)
    (generated: SpeciesSample)
    (truth: SpeciesSample option)
    =
    let r = cutEfficiency pEdges cut real
    let g = cutEfficiency pEdges cut generated
    let t = truth |> Option.map (cutEfficiency pEdges cut)

    [
        for i in 0 .. r.Length - 1 ->
            let label = sprintf "p %g–%g GeV" (r.[i].Low / 1000.0) (r.[i].High / 1000.0)
            let tm = t |> Option.map (fun t -> t.[i].Measurement)

            {
                Low = r.[i].Low
                High = r.[i].High
                Real = r.[i].Measurement
                Generated = g.[i].Measurement
                Truth = tm
                VsReal = compareMeasurements label r.[i].Measurement g.[i].Measurement
                VsTruth = tm |> Option.map (fun tm -> compareMeasurements label tm g.[i].Measurement)
            }
    ]

/// How a set of σ-deviations reads: for a faithful model they are ≈ N(0, 1).
type SigmaSummary =
    {
        Count: int
        /// Deviations that are NaN (unpopulated bins); not counted below.
        Undefined: int
        MeanAbs: float
        Rms: float
        MaxAbs: float
    }

/// Summary of σ-deviations (finite ones).
let summarizeSigmas (sigmas: float seq) =
    let all = Seq.toArray sigmas
    let s = all |> Array.filter System.Double.IsFinite

    if s.Length = 0 then
        {
            Count = 0
            Undefined = all.Length
            MeanAbs = nan
            Rms = nan
            MaxAbs = nan
        }
    else
        {
            Count = s.Length
            Undefined = all.Length - s.Length
            MeanAbs = s |> Array.averageBy abs
            Rms = sqrt (s |> Array.averageBy (fun x -> x * x))
            MaxAbs = s |> Array.map abs |> Array.max
        }

/// The pass criterion for deviations that should be N(0, 1): at least one defined, none beyond
/// maxAbs (e.g. 4), and the RMS below maxRms (e.g. 1.5; E[RMS] = 1 for a faithful model).
let passes (maxAbs: float) (maxRms: float) (s: SigmaSummary) =
    s.Count > 0 && s.MaxAbs <= maxAbs && s.Rms <= maxRms

/// The pass criterion of `passes` in words, for the page a referee reads.
let passCriterion (maxAbs: float) (maxRms: float) =
    sprintf
        "A figure of merit passes when it has at least one defined σ-deviation, max |σ| ≤ %g and RMS σ ≤ %g (a faithful model gives σ ≈ N(0, 1): E[RMS] = 1, and |σ| > 4 has probability 6e-5 per bin)."
        maxAbs
        maxRms

// ----- report pieces -----

let private m (x: Measurement) =
    Document.Measured(x.Value, x.Uncertainty)

/// A table of per-cell AUCs with their coloured σ-deviations.
let aucTable (caption: string) (bins: AucBin list) : Document.Table =
    {
        Caption = caption
        Headers = [ "p [GeV/c]"; "η"; "AUC real"; "AUC generated"; "generated − real" ]
        Rows =
            [
                for b in bins ->
                    [
                        Document.Text(sprintf "%g–%g" (b.Cell.PLow / 1000.0) (b.Cell.PHigh / 1000.0))
                        Document.Text(sprintf "%g–%g" b.Cell.EtaLow b.Cell.EtaHigh)
                        m b.Comparison.Real
                        m b.Comparison.Generated
                        Document.Deviation b.Comparison.Sigma
                    ]
            ]
    }

/// A table of cut efficiencies per p bin, σ-deviations of generated from real and from truth.
let efficiencyTable (caption: string) (bins: EfficiencyBin list) : Document.Table =
    let withTruth = bins |> List.exists (fun b -> b.Truth.IsSome)

    {
        Caption = caption
        Headers =
            [ "p [GeV/c]"; "ε real"; "ε generated" ]
            @ (if withTruth then [ "ε truth" ] else [])
            @ [ "generated − real" ]
            @ (if withTruth then [ "generated − truth" ] else [])
        Rows =
            [
                for b in bins ->
                    [
                        Document.Text(sprintf "%g–%g" (b.Low / 1000.0) (b.High / 1000.0))
                        m b.Real
                        m b.Generated
                    ]
                    @ (if withTruth then
                           [ b.Truth |> Option.map m |> Option.defaultValue (Document.Text "") ]
                       else
                           [])
                    @ [ Document.Deviation b.VsReal.Sigma ]
                    @ (if withTruth then
                           [
                               b.VsTruth
                               |> Option.map (fun c -> Document.Deviation c.Sigma)
                               |> Option.defaultValue (Document.Text "")
                           ]
                       else
                           [])
            ]
    }

let private centresGeV (lows: float list) (highs: float list) =
    List.map2 (fun l h -> 0.5 * (l + h) / 1000.0) lows highs |> List.toArray

/// AUC vs p (GeV/c), one real and one generated series per η bin.
let aucFigure (title: string) (bins: AucBin list) =
    let traces =
        bins
        |> List.groupBy (fun b -> b.Cell.EtaLow, b.Cell.EtaHigh)
        |> List.collect (fun ((lo, hi), bs) ->
            let x =
                centresGeV (bs |> List.map (fun b -> b.Cell.PLow)) (bs |> List.map (fun b -> b.Cell.PHigh))

            let series name (get: AucBin -> Measurement) mode =
                Plotly.line
                    (sprintf "%s, η %g–%g" name lo hi)
                    mode
                    x
                    (bs |> List.map (get >> fun v -> v.Value) |> List.toArray)
                    (Some(bs |> List.map (get >> fun v -> v.Uncertainty) |> List.toArray))

            [
                series "real" (fun b -> b.Comparison.Real) "markers"
                series "generated" (fun b -> b.Comparison.Generated) "lines+markers"
            ])

    Plotly.figure title "p [GeV/c]" "ROC AUC" false traces

/// Cut efficiency vs p (GeV/c): real, generated and truth with error bars.
let efficiencyFigure (title: string) (bins: EfficiencyBin list) =
    let x =
        centresGeV (bins |> List.map (fun b -> b.Low)) (bins |> List.map (fun b -> b.High))

    let series name (ms: Measurement list) mode =
        Plotly.line
            name
            mode
            x
            (ms |> List.map (fun v -> v.Value) |> List.toArray)
            (Some(ms |> List.map (fun v -> v.Uncertainty) |> List.toArray))

    let truth =
        if bins |> List.forall (fun b -> b.Truth.IsSome) then
            [ series "truth" (bins |> List.map (fun b -> b.Truth.Value)) "lines" ]
        else
            []

    Plotly.figure
        title
        "p [GeV/c]"
        "efficiency"
        false
        ([
            series "real" (bins |> List.map (fun b -> b.Real)) "markers"
            series "generated" (bins |> List.map (fun b -> b.Generated)) "lines+markers"
         ]
         @ truth)
