// Systematics propagation on the bimodal toy: K = 30 cross-validated KDEs trained on Poisson-bootstrap
// replicas of a 2 000-event training sample; the final quantity is the fraction of events with
// x > 5, evaluated on 50 000 generated events per member; pulls and coverage against the exact
// truth. A template for your own study: swap the training sample, the model and the quantity.
// Run from the repository root (writes out/propagation.html and out/propagation.json):
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/propagation.fsx
// `--quick` (dotnet fsi validation/propagation.fsx --quick): 4 members, 300 training events and
// 2 000 generated events per member, which runs in seconds (for smoke runs and the tests).
#load "GenStats.fsx"

open GenStats.Models
open GenStats.Validation
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Studies

let quick = fsi.CommandLineArgs |> Array.contains "--quick"

// 1. Sizes: ensemble members K, training events, events each member generates.
let members = if quick then 4 else 30
let trainingEvents = if quick then 300 else 2_000
let generatedEvents = if quick then 2_000 else 50_000

// 2. Data: the training sample of the toy ½(N(−4, 1) + N(4, 1)), as rows for the KDE.
let training = Physics.bimodalValues 2026 trainingEvents
let rows = training |> Array.map (fun x -> [| x |])

// 3. The final quantity and its exact truth: P(x > 5) = ½(1 − Φ(9)) + ½(1 − Φ(1)).
let threshold = 5.0
let truth = 1.0 - Physics.bimodalCdf threshold

// 4. Run the ensemble (seed 7): member k trains on the training sample with Poisson-bootstrap
//    replica weights, generates events and measures the quantity with its binomial error; the
//    study prints each member and summarises (central value, spread, pulls, coverage).
let summary =
    Propagation.run
        members
        7
        training.Length
        None
        (Some truth)
        (fun m -> printfn "member %2d: %.5f ± %.5f" m.Index m.Result.Value m.Result.Uncertainty)
        (fun _ seed weights ->
            let kde =
                rows
                |> Kde.train (KdeOptions(Bandwidth = BandwidthRule.CrossValidated)) seed (Some weights) None

            let x = kde |> Kde.sample seed generatedEvents |> Array.map (fun r -> r.[0])
            efficiency None (x |> Array.map (fun v -> v > threshold)))

// 5. The page: the ensemble's section, the summary lines, the summary as the JSON numbers;
//    then out/propagation.{html,json} and the console summary.
let quantity = sprintf "P(x > %g)" threshold

[ PropagationReport.toSection quantity summary ]
|> StudyReport.report
    "Systematics propagation (bimodal toy, KDE ensemble)"
    [
        sprintf
            "%d cross-validated KDEs on bootstrap replicas of %d events; truth %s = %.5f."
            members
            trainingEvents
            quantity
            truth
    ]
    (StudyReport.numbers "propagation" summary)
|> StudyReport.writeAll "out" "propagation"
