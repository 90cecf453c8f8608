/// Report section of a systematics-propagation ensemble (Propagation.run): members' values with
/// their statistical errors, the systematic band, pulls against the truth and coverage.
module GenStats.Validation.Studies.PropagationReport

open GenStats.Validation.Propagation
open GenStats.Validation.Report

/// The report section of an ensemble: a summary table, the members' values and (with a truth) the pull histogram.
let toSection (quantity: string) (summary: Summary) =
    let table =
        {
            Document.Caption = sprintf "Ensemble of %d models: %s" summary.Members.Length quantity
            Document.Headers =
                [
                    "central"
                    "systematic (spread)"
                    "mean statistical"
                    "truth"
                    "mean pull"
                    "coverage (±1σ)"
                ]
            Document.Rows =
                [
                    [
                        Document.Measured(summary.Central, summary.CentralUncertainty)
                        Document.Number summary.Systematic
                        Document.Number summary.MeanStatistical
                        (match summary.Truth with
                         | Some t -> Document.Number t
                         | None -> Document.Text "—")
                        (if summary.Pulls.Length > 0 then
                             Document.Deviation(Array.average summary.Pulls)
                         else
                             Document.Text "—")
                        (match summary.Coverage with
                         | Some c -> Document.Number c
                         | None -> Document.Text "—")
                    ]
                ]
        }

    let idx = summary.Members |> List.map (fun m -> float m.Index) |> List.toArray

    let values =
        [
            yield
                Plotly.line
                    "members"
                    "markers"
                    idx
                    (summary.Members |> List.map (fun m -> m.Result.Value) |> List.toArray)
                    (Some(summary.Members |> List.map (fun m -> m.Result.Uncertainty) |> List.toArray))
            yield Plotly.line "central" "lines" idx (idx |> Array.map (fun _ -> summary.Central)) None
            yield
                Plotly.line
                    "central ± systematic"
                    "lines"
                    idx
                    (idx |> Array.map (fun _ -> summary.Central + summary.Systematic))
                    None
            yield
                Plotly.line
                    "central − systematic"
                    "lines"
                    idx
                    (idx |> Array.map (fun _ -> summary.Central - summary.Systematic))
                    None
            match summary.Truth with
            | Some t -> yield Plotly.line "truth" "lines" idx (idx |> Array.map (fun _ -> t)) None
            | None -> ()
        ]
        |> Plotly.figure (sprintf "%s per ensemble member" quantity) "member" quantity false
        |> Plotly.withIntegerTicks "xaxis" (float (idx.Length - 1))

    let s =
        Document.section "Systematics propagation"
        |> Document.withParagraph
            "K models trained on Poisson-bootstrap replicas of the training data (each with its own seed); the spread of the final quantity is the systematic uncertainty the surrogate adds. Pulls use √(σ²_stat + σ²_syst); coverage ≈ 0.68 when the band is right."
        |> Document.withTable table
        |> Document.withFigure values

    if summary.Pulls.Length = 0 then
        s
    else
        let edges = [| -4.0 .. 0.5..4.0 |]

        let counts =
            Array.init (edges.Length - 1) (fun b ->
                summary.Pulls
                |> Array.filter (fun p -> p >= edges.[b] && p < edges.[b + 1])
                |> Array.length
                |> float)

        s
        |> Document.withFigure (
            Plotly.figure
                "Pulls against the truth"
                "pull"
                "members"
                false
                [ Plotly.histogram "pulls" edges counts (Some(counts |> Array.map sqrt)) ]
            |> Plotly.withIntegerTicks "yaxis" (Array.max counts)
        )
