// Tails and decomposition on the LogNormal-pair toy (1K training events, target x1 + x2 on 10⁶
// events): tail fluctuations, cut-off marginal (x < 12), permutations and a parametric fit.
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/tails.fsx
#load "GenStats.fsx"

open GenStats.Physics
open GenStats.Validation.Studies

let options = LogNormalPairOptions.Default
let config = { Tails.defaultConfig with Replicas = 100; Permutations = 50 }
let training = LogNormalPair.Sample(config.TrainingEvents, 2026, options)
let quantities = [ Tails.meanOfSum options, None; Tails.fractionAbove 10.0 options, Some 10.0 ]

let result = Tails.run config quantities (training.Column "x1") (training.Column "x2")
let fewer = Tails.decomposition { config with TrainingEvents = 100 } (Some 10.0) (Tails.fractionAbove 10.0 options)
let section =
    Tails.toSection { result with Decompositions = result.Decompositions @ [ fewer ] }
    |> GenStats.Validation.Report.Document.withParagraph "The last decomposition row repeats the tail fraction with N = 100 training events."

[ section ]
|> StudyReport.report "Tails and decomposition (LogNormal pair)"
    [ sprintf "x1, x2 ~ LogNormal(0, 1); %d training events; target on %d events." config.TrainingEvents config.TargetEvents ]
    (StudyReport.numbers "tails" {| Systematics = result.Systematics; Decompositions = result.Decompositions @ [ fewer ] |})
|> StudyReport.writeAll "out" "tails"
