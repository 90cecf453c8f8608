// Systematics propagation on the bimodal toy: K cross-validated KDEs trained on Poisson-bootstrap replicas of a
// 2 000-event training sample; the final quantity is the fraction of events with x > 5, evaluated
// on 50 000 generated events per member; pulls and coverage against the exact truth.
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/propagation.fsx
#load "GenStats.fsx"

open GenStats.Physics
open GenStats.Models
open GenStats.Validation
open GenStats.Validation.FiguresOfMerit
open GenStats.Validation.Studies

let training = BimodalGaussian.Sample(2_000, 2026).Column "x"
let threshold = 5.0
let truth = 1.0 - BimodalGaussian.Cdf threshold
let generated = 50_000

let summary =
    Propagation.run 30 7 training.Length None (Some truth)
        (fun m -> printfn "member %2d: %.5f ± %.5f" m.Index m.Result.Value m.Result.Uncertainty)
        (fun _ seed weights ->
            let kde = KernelDensity.Fit(training |> Array.map (fun x -> [| x |]), weights, KdeOptions(Bandwidth = BandwidthRule.CrossValidated), seed)
            let x = kde.Sample(generated, seed) |> Array.map (fun r -> r.[0])
            efficiency None (x |> Array.map (fun v -> v > threshold)))

[ PropagationReport.toSection (sprintf "P(x > %g)" threshold) summary ]
|> StudyReport.report "Systematics propagation (bimodal toy, KDE ensemble)"
    [ sprintf "30 cross-validated KDEs on bootstrap replicas of 2 000 events; truth P(x > %g) = %.5f." threshold truth ]
    (StudyReport.numbers "propagation" {| summary with Members = summary.Members |> List.toArray |})
|> StudyReport.writeAll "out" "propagation"
