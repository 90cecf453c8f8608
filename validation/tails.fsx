// Tails and decomposition on the LogNormal-pair toy (1K training events, target x1 + x2 on 10⁶
// events): tail fluctuations, cut-off marginal (x < 12), permutations and a parametric fit, plus
// the tail fraction's decomposition from only 100 training events. A template for your own
// study: swap the training columns and the quantities (each with its exact truth) for yours.
// Run from the repository root (writes out/tails.html and out/tails.json):
//   dotnet build src/GenStats.Validation -c Release && dotnet fsi validation/tails.fsx
// `--quick` (dotnet fsi validation/tails.fsx --quick): tiny sizes (300 training events, a 20 000-
// event target, 10 replicas, 5 permutations) that run in seconds, for smoke runs and the tests.
#load "GenStats.fsx"

open GenStats.Validation
open GenStats.Validation.Studies

let quick = fsi.CommandLineArgs |> Array.contains "--quick"

// 1. Sizes: training events N, target events, bootstrap replicas for every spread, permutations R
//    per decomposed sample, events per parametric refit. The defaults are the seed toy's
//    (N = 1 000, target 10⁶, 100 000 events per refit).
let config =
    if quick then
        { Tails.defaultConfig with
            TrainingEvents = 300
            TargetEvents = 20_000
            Replicas = 10
            Permutations = 5
            ParametricEvents = 2_000
        }
    else
        { Tails.defaultConfig with
            Replicas = 100
            Permutations = 50
        }
// The extra decomposition row: the tail fraction again from this many training events (the gain
// of the permutations grows as N falls).
let fewerEvents = 100

// 2. Data: N pairs x1, x2 ~ LogNormal(0, 1), independent (config.Options).
let training = Physics.logNormalPairWith config.Options 2026 config.TrainingEvents

// 3. Quantities of the target s = x1 + x2, each with its exact value: the mean (a linear quantity,
//    which permutations cannot improve) and the tail fraction P(s > 10) (which they can; the
//    threshold lets the study predict the permuted spread).
let threshold = 10.0

let quantities =
    [
        Tails.meanOfSum config.Options, None
        Tails.fractionAbove threshold config.Options, Some threshold
    ]

// 4. Run the study on the two training columns: systematics per quantity and source, and one
//    decomposition per quantity; then append the tail fraction's decomposition at N = fewerEvents.
let result =
    Tails.run config quantities (training |> Data.column "x1") (training |> Data.column "x2")

let fewer =
    Tails.decomposition
        { config with
            TrainingEvents = fewerEvents
        }
        (Some threshold)
        (Tails.fractionAbove threshold config.Options)

let withFewer =
    { result with
        Decompositions = result.Decompositions @ [ fewer ]
    }

// 5. The page: the study's section, the summary lines, the whole result as the JSON numbers;
//    then out/tails.{html,json} and the console summary.
[ Tails.toSection withFewer ]
|> StudyReport.report
    "Tails and decomposition (LogNormal pair)"
    [
        sprintf
            "x1, x2 ~ LogNormal(%g, %g); %d training events; target on %d events. The last decomposition row repeats the tail fraction with N = %d training events."
            config.Options.Mu
            config.Options.Sigma
            config.TrainingEvents
            config.TargetEvents
            fewerEvents
    ]
    (StudyReport.numbers "tails" withFewer)
|> StudyReport.writeAll "out" "tails"
