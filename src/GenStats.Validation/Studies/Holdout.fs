/// Marginal-statistic hold-out: a statistic that was put in the training loss was pushed towards
/// the real one by the loss, so its agreement says nothing about the model (and a loss term does
/// not guarantee agreement either). Train once WITH the chosen set S in the loss and once WITHOUT
/// it; report every statistic's σ-deviation real vs generated for both models, and label the
/// members of S "in the loss — not evidence" with their measured σ (flagged "still off" beyond
/// 3σ), so that only held-out statistics are read as evidence.
module GenStats.Validation.Studies.Holdout

open GenStats.Stats
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report

/// A named statistic of a sample (rows × features) with its uncertainty.
type Statistic =
    {
        Name: string
        Measure: float[][] -> Measurement
    }

/// A statistic from a weighted function f rows weights, with a seeded Poisson-bootstrap uncertainty.
let statistic (name: string) (options: BootstrapOptions) (f: float[][] -> float[] -> float) =
    {
        Name = name
        Measure =
            fun rows ->
                let nominal = f rows (Array.create rows.Length 1.0)
                let boot = Bootstrap.OneSample(rows.Length, null, (fun w -> f rows w), options)

                {
                    Value = nominal
                    Uncertainty = boot.StandardDeviation
                }
    }

/// One statistic's verdict.
type Row =
    {
        Name: string
        InLoss: bool
        WithLoss: Comparison
        WithoutLoss: Comparison
        /// True for a statistic in the loss whose deviation (with) is beyond `stillOffSigma` (or not finite).
        StillOff: bool
        /// `inLossNote σ` for statistics in the loss, else "held out".
        Note: string
    }

type Result = { InLoss: string list; Rows: Row list }

/// The label of a statistic that was in the loss: its deviation is not evidence.
let inLossLabel = "in the loss — not evidence"

/// Beyond this |σ| a statistic in the loss is flagged "still off": the loss term did not reach it.
let stillOffSigma = 3.0

/// Whether a statistic in the loss is still off: |σ| > `stillOffSigma`, or σ not finite.
let isStillOff (sigma: float) =
    not (System.Double.IsFinite sigma) || abs sigma > stillOffSigma

/// The note on a statistic in the loss, with its measured σ-deviation (model trained with it):
/// "in the loss — not evidence (+0.4σ)", or "in the loss — not evidence; still off: +10.2σ".
let inLossNote (sigma: float) =
    if isStillOff sigma then
        sprintf "%s; still off: %+.1fσ" inLossLabel sigma
    else
        sprintf "%s (%+.1fσ)" inLossLabel sigma

/// train S returns a generated sample (rows × features) from a model trained with the statistics
/// named in S in its loss (S = [] is the plain model). Trains with inLoss and with [].
let run (train: string list -> float[][]) (inLoss: string list) (statistics: Statistic list) (real: float[][]) =
    let names = statistics |> List.map (fun s -> s.Name)

    for s in inLoss do
        if not (List.contains s names) then
            invalidArg (nameof inLoss) (sprintf "'%s' is not one of the statistics (%s)." s (String.concat ", " names))

    let withS = train inLoss
    let without = train []

    {
        InLoss = inLoss
        Rows =
            [
                for s in statistics ->
                    let r = s.Measure real
                    let inL = List.contains s.Name inLoss
                    let w = compareMeasurements s.Name r (s.Measure withS)

                    {
                        Name = s.Name
                        InLoss = inL
                        WithLoss = w
                        WithoutLoss = compareMeasurements s.Name r (s.Measure without)
                        StillOff = inL && isStillOff w.Sigma
                        Note = if inL then inLossNote w.Sigma else "held out"
                    }
            ]
    }

/// The held-out rows only: the statistics that may be used as evidence.
let evidence (result: Result) =
    result.Rows |> List.filter (fun r -> not r.InLoss)

/// The report section of a hold-out study: the σ table with and without the statistics in the loss, and its bars.
let toSection (result: Result) =
    let table =
        {
            Document.Caption =
                sprintf
                    "Statistics real vs generated, model trained with {%s} in the loss and without"
                    (String.concat ", " result.InLoss)
            Document.Headers =
                [
                    "statistic"
                    "real"
                    "generated (with)"
                    "σ (with)"
                    "generated (without)"
                    "σ (without)"
                    "note"
                ]
            Document.Rows =
                [
                    for r in result.Rows ->
                        [
                            Document.Text r.Name
                            Document.Measured(r.WithLoss.Real.Value, r.WithLoss.Real.Uncertainty)
                            Document.Measured(r.WithLoss.Generated.Value, r.WithLoss.Generated.Uncertainty)
                            Document.Deviation r.WithLoss.Sigma
                            Document.Measured(r.WithoutLoss.Generated.Value, r.WithoutLoss.Generated.Uncertainty)
                            Document.Deviation r.WithoutLoss.Sigma
                            Document.Text r.Note
                        ]
                ]
        }

    let labels = result.Rows |> List.map (fun r -> r.Name) |> List.toArray

    let fig =
        Plotly.figure
            "σ-deviation real vs generated"
            "statistic"
            "(generated − real)/σ"
            false
            [
                Plotly.bars
                    "with S in the loss"
                    labels
                    (result.Rows |> List.map (fun r -> r.WithLoss.Sigma) |> List.toArray)
                    None
                Plotly.bars
                    "without"
                    labels
                    (result.Rows |> List.map (fun r -> r.WithoutLoss.Sigma) |> List.toArray)
                    None
            ]

    Document.section "Marginal-statistic hold-out"
    |> Document.withParagraph
        "A statistic in the training loss was pushed towards the real one by the loss: its deviation is not evidence, and one still off beyond 3σ shows that the loss term did not even reach it. Judge the model on the held-out statistics."
    |> Document.withTable table
    |> Document.withFigure fig
