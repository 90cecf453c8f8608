/// Marginal-statistic hold-out: a statistic that was put in the training loss is matched by
/// construction and says nothing about the model. Train once WITH the chosen set S in the loss
/// and once WITHOUT it; report every statistic's σ-deviation real vs generated for both models,
/// and flag the members of S so that only held-out statistics are read as evidence.
module GenStats.Validation.Studies.Holdout

open GenStats.Stats
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Report

/// A named statistic of a sample (rows × features) with its uncertainty.
type Statistic = { Name: string; Measure: float[][] -> Measurement }

/// A statistic from a weighted function f rows weights, with a seeded Poisson-bootstrap uncertainty.
let statistic (name: string) (options: BootstrapOptions) (f: float[][] -> float[] -> float) =
    { Name = name
      Measure =
        fun rows ->
            let nominal = f rows (Array.create rows.Length 1.0)
            let boot = Bootstrap.OneSample(rows.Length, null, (fun w -> f rows w), options)
            { Value = nominal; Uncertainty = boot.StandardDeviation } }

/// One statistic's verdict.
type Row =
    { Name: string
      InLoss: bool
      WithLoss: Comparison
      WithoutLoss: Comparison
      /// "matched by construction — not evidence" for statistics in the loss, else "held out".
      Note: string }

type Result = { InLoss: string list; Rows: Row list }

let matchedNote = "matched by construction — not evidence"

/// train S returns a generated sample (rows × features) from a model trained with the statistics
/// named in S in its loss (S = [] is the plain model). Trains with inLoss and with [].
let run (train: string list -> float[][]) (inLoss: string list) (statistics: Statistic list) (real: float[][]) =
    let names = statistics |> List.map (fun s -> s.Name)
    for s in inLoss do
        if not (List.contains s names) then
            invalidArg (nameof inLoss) (sprintf "'%s' is not one of the statistics (%s)." s (String.concat ", " names))
    let withS = train inLoss
    let without = train []
    { InLoss = inLoss
      Rows =
        [ for s in statistics ->
              let r = s.Measure real
              let inL = List.contains s.Name inLoss
              { Name = s.Name
                InLoss = inL
                WithLoss = compareMeasurements s.Name r (s.Measure withS)
                WithoutLoss = compareMeasurements s.Name r (s.Measure without)
                Note = if inL then matchedNote else "held out" } ] }

/// The held-out rows only: the statistics that may be used as evidence.
let evidence (result: Result) = result.Rows |> List.filter (fun r -> not r.InLoss)

let toSection (result: Result) =
    let table =
        { Document.Caption = sprintf "Statistics real vs generated, model trained with {%s} in the loss and without" (String.concat ", " result.InLoss)
          Document.Headers = [ "statistic"; "real"; "generated (with)"; "σ (with)"; "generated (without)"; "σ (without)"; "note" ]
          Document.Rows =
            [ for r in result.Rows ->
                  [ Document.Text r.Name
                    Document.Measured(r.WithLoss.Real.Value, r.WithLoss.Real.Uncertainty)
                    Document.Measured(r.WithLoss.Generated.Value, r.WithLoss.Generated.Uncertainty)
                    Document.Deviation r.WithLoss.Sigma
                    Document.Measured(r.WithoutLoss.Generated.Value, r.WithoutLoss.Generated.Uncertainty)
                    Document.Deviation r.WithoutLoss.Sigma
                    Document.Text r.Note ] ] }
    let labels = result.Rows |> List.map (fun r -> r.Name) |> List.toArray
    let fig =
        Plotly.figure "σ-deviation real vs generated" "statistic" "(generated − real)/σ" false
            [ Plotly.bars "with S in the loss" labels (result.Rows |> List.map (fun r -> r.WithLoss.Sigma) |> List.toArray) None
              Plotly.bars "without" labels (result.Rows |> List.map (fun r -> r.WithoutLoss.Sigma) |> List.toArray) None ]
    Document.section "Marginal-statistic hold-out"
    |> Document.withParagraph
        "A statistic in the training loss is matched by construction: its deviation is not evidence. Judge the model on the held-out statistics."
    |> Document.withTable table
    |> Document.withFigure fig

/// A one-study page: toSection, and the whole result under "holdout" in the JSON numbers.
let page (title: string) (summary: string list) (result: Result) : Document.Report =
    [ toSection result ] |> StudyReport.report title summary (StudyReport.numbers "holdout" result)

/// The statistics of the LogNormal-pair example in log space (y = ln x): mean and sd of y1 + y2,
/// sd of y1, P(y1 > 1.5) and corr(y1, y2), each with a 100-replica Poisson bootstrap (seed 11).
let logPairStatistics =
    let boot = BootstrapOptions(100, 11)
    let col j (rows: float[][]) = rows |> Array.map (fun r -> r.[j])
    let sumOf (rows: float[][]) = rows |> Array.map (fun r -> r.[0] + r.[1])
    let sd (x: float[]) (w: float[]) = WeightedDescriptive.StandardDeviation(x, w)
    [ statistic "mean of y1 + y2" boot (fun r w -> WeightedDescriptive.Mean(sumOf r, w))
      statistic "sd of y1 + y2" boot (fun r w -> sd (sumOf r) w)
      statistic "sd of y1" boot (fun r w -> sd (col 0 r) w)
      statistic "P(y1 > 1.5)" boot (fun r w -> WeightedDescriptive.Mean(col 0 r |> Array.map (fun v -> if v > 1.5 then 1.0 else 0.0), w))
      statistic "corr(y1, y2)" boot (fun r w ->
          let a, b = col 0 r, col 1 r
          let ma, mb = WeightedDescriptive.Mean(a, w), WeightedDescriptive.Mean(b, w)
          let m (f: int -> float) = Array.sum (Array.init a.Length (fun i -> w.[i] * f i))
          m (fun i -> (a.[i] - ma) * (b.[i] - mb)) / sqrt (m (fun i -> (a.[i] - ma) ** 2.0) * m (fun i -> (b.[i] - mb) ** 2.0))) ]

/// The page of validation/holdout.fsx: `events` LogNormal pairs (seed 2026) in log space; one
/// Cramér GAN (`steps` steps, seed 3) trained with the distribution of s = y1 + y2 enforced by
/// MMD (so the mean and sd of s are flagged as in the loss), one without; each generates twice
/// the real sample. `progress` receives a line per trained model.
let ganPage (progress: string -> unit) (steps: int) (events: int) : Document.Report =
    let d = GenStats.Physics.LogNormalPair.Sample(events, 2026, GenStats.Physics.LogNormalPairOptions.Default)
    let real = Array.map2 (fun a b -> [| log a; log b |]) (d.Column "x1") (d.Column "x2")
    // The differentiable statistic for the loss: s = y1 + y2, matched in distribution by MMD.
    let sumStatistic (x: GenStats.Tensors.Tensor) (_: GenStats.Tensors.Tensor) =
        GenStats.Tensors.Ops.Add(GenStats.Tensors.Ops.Slice(x, 1, 0, 1), GenStats.Tensors.Ops.Slice(x, 1, 1, 1))
    let train (inLoss: string list) =
        let o = GenStats.Models.GanOptions(Loss = GenStats.Models.GanLoss.Cramer, Steps = steps, Seed = 3UL)
        let model =
            if List.isEmpty inLoss then (GenStats.Validation.Gan.train o None None real).Model
            else (GenStats.Validation.Gan.trainWithStatistic o GenStats.Models.StatisticDistance.Mmd 1.0f sumStatistic None None real).Model
        progress (sprintf "trained with {%s}" (String.concat ", " inLoss))
        model.Sample(real.Length * 2, 17)
    run train [ "mean of y1 + y2"; "sd of y1 + y2" ] logPairStatistics real
    |> page "Marginal-statistic hold-out (Cramér GAN, LogNormal pair in log space)"
        [ sprintf "%d real events; %d training steps per model; distribution of y1 + y2 enforced by MMD." events steps ]
